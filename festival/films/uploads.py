"""Resumable uploads (tus 1.0.0): the rules, independent of HTTP.

The body is streamed to disk in chunks, never held in memory. The offset kept in the database
is the truth: bytes past it (left by a crash mid-write) are cut off before anything else, so an
upload always resumes from bytes that were really received.

Over 400 lines on purpose: the tus rules (offsets, locks, checksums, expiry) only make sense
read together; the HTTP side is api/uploads.py.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import func, select, update
from sqlalchemy.exc import InvalidRequestError
from werkzeug.exceptions import ClientDisconnected

from festival.auth.models import User
from festival.clock import utcnow
from festival.errors import PermissionDenied
from festival.extensions import db, huey
from festival.films.models import Film, FilmVersion, Upload
from festival.films.rights import require_edit
from festival.films.services import stored_bytes_of
from festival.films.tasks import process_version
from festival.formatting import human_size
from festival.jobs import job_context
from festival.storage import media_path

log = logging.getLogger(__name__)

CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


class UploadRefused(Exception):
    """A refusal with the HTTP status tus expects and a sentence for the person."""

    def __init__(self, status: int, message: str, code: str):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes

    @classmethod
    def parse(cls, header: str | None) -> Checksum | None:
        if not header:
            return None
        try:
            algorithm, encoded = header.strip().split(" ", 1)
            digest = base64.b64decode(encoded.strip(), validate=True)
        except ValueError:
            raise UploadRefused(
                400, _("L'en-tête Upload-Checksum est mal formé."), "bad_checksum_header"
            ) from None
        if algorithm not in CHECKSUM_ALGORITHMS:
            raise UploadRefused(
                400,
                _("Algorithme de somme de contrôle non pris en charge : utilisez sha1 ou sha256."),
                "unsupported_checksum",
            )
        return cls(algorithm, digest)


def parse_metadata(header: str | None) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs."""
    metadata = {}
    for pair in (header or "").split(","):
        pair = pair.strip()
        if not pair:
            continue
        key, _sep, value = pair.partition(" ")
        try:
            metadata[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except ValueError:
            raise UploadRefused(
                400, _("L'en-tête Upload-Metadata est mal formé."), "bad_metadata"
            ) from None
    return metadata


def _expiry():
    return utcnow() + timedelta(hours=current_app.config["UPLOAD_EXPIRY_HOURS"])


MAX_METADATA_BYTES = 4096


def _make_room_for_an_upload(film: Film, user: User) -> None:
    """At most UPLOAD_OPEN_PER_FILM unfinished uploads per person and film: idle ones (a tab
    closed, another file chosen) are closed oldest first to make room; when all are still
    being sent, the new one is refused."""
    limit = current_app.config["UPLOAD_OPEN_PER_FILM"]
    open_uploads = db.session.scalars(
        select(Upload)
        .where(Upload.film_id == film.id, Upload.user_id == user.id, Upload.completed_at.is_(None))
        .order_by(Upload.updated_at, Upload.created_at)
    ).all()
    now = utcnow()
    for stale in [u for u in open_uploads if not u.is_active(now)]:
        if len(open_uploads) < limit:
            break
        with contextlib.suppress(UploadRefused):  # one still being written stays
            terminate(stale)
            open_uploads.remove(stale)
    if len(open_uploads) >= limit:
        raise UploadRefused(
            429,
            _(
                "Vous envoyez déjà %(n)s fichiers pour ce film : attendez qu'un envoi se "
                "termine, ou arrêtez-en un.",
                n=len(open_uploads),
            ),
            "too_many_uploads",
        )


def create_upload(
    film: Film,
    *,
    user: User,
    length: int | None,
    metadata: dict[str, str],
    metadata_header: str | None = None,
) -> Upload:
    require_edit(user, film)
    if length is None or length < 1:
        raise UploadRefused(
            400,
            _(
                "Indiquez la taille du fichier (Upload-Length) : un fichier "
                "vide ne peut pas être un film."
            ),
            "bad_length",
        )
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if length > limit:
        raise UploadRefused(
            413,
            _(
                "Le fichier fait %(size)s, au-delà de la limite de %(limit)s. Exportez le film "
                "en 1080p pour qu'il soit plus léger.",
                size=human_size(length),
                limit=human_size(limit),
            ),
            "too_large",
        )
    if len(metadata_header or "") > MAX_METADATA_BYTES:
        raise UploadRefused(
            400, _("L'en-tête Upload-Metadata est trop long (4 Ko au plus)."), "metadata_too_long"
        )
    if not user.is_staff:
        # Reserve the quota atomically: a no-op write on the person's row takes the row lock
        # (PostgreSQL) or the write lock (SQLite) first, so creations at the same moment count
        # each other instead of all fitting in the same free space.
        db.session.execute(
            update(User).where(User.id == user.id).values(is_enabled=User.is_enabled)
        )
        quota = current_app.config["UPLOAD_QUOTA_BYTES"]
        used = stored_bytes_of(user, film.edition)
        if used + length > quota:
            raise UploadRefused(
                413,
                _(
                    "Vous avez déjà envoyé %(used)s sur les %(quota)s permis : demandez à "
                    "l'équipe de supprimer d'anciennes versions.",
                    used=human_size(used),
                    quota=human_size(quota),
                ),
                "quota_exceeded",
            )
    if not user.is_staff:
        _make_room_for_an_upload(film, user)
    filename = os.path.basename((metadata.get("filename") or "").replace("\\", "/"))[:255]
    upload = Upload(
        id=secrets.token_hex(16),
        film=film,
        user_id=user.id,
        length=length,
        offset=0,
        filename=filename,
        upload_metadata={k: v[:500] for k, v in metadata.items()},
        expires_at=_expiry(),
    )
    path = media_path(upload.partial_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    db.session.add(upload)
    db.session.flush()
    return upload


def received_offset(upload: Upload) -> int:
    """The offset a client may resume from, read without touching the file.

    A request still writing may hold the file: only its lock holder may cut or fill it, so this
    answers the saved offset, or fewer bytes if the disk lost some (the next PATCH repairs).
    """
    if upload.is_complete:
        return upload.length
    path = media_path(upload.partial_path)
    size = path.stat().st_size if path.exists() else 0
    return min(upload.offset, size)


def _reconcile(upload: Upload, handle: BinaryIO) -> None:
    """Under the lock: cut bytes past the saved offset (a crash mid-write); the offset is truth."""
    size = os.fstat(handle.fileno()).st_size
    if size > upload.offset:
        handle.truncate(upload.offset)
    elif size < upload.offset:  # the disk lost data: resume from what is really there
        upload.offset = size


class _Gone(Exception):
    """The partial file is no longer there: finished by another request, or terminated."""


@contextlib.contextmanager
def _locked(path):
    """The upload's lock: no request changes a partial file or its offset without it.

    flock is held per open file, so it excludes other threads and other server processes.
    """
    try:
        handle = path.open("r+b")
    except FileNotFoundError:
        raise _Gone from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadRefused(
                409,
                _("Un autre envoi de ce fichier est en cours : attendez qu'il se termine."),
                "locked",
            ) from None
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _offset_mismatch(offset: int) -> UploadRefused:
    return UploadRefused(
        409,
        _("Le décalage ne correspond pas : reprenez l'envoi à l'octet %(offset)s.", offset=offset),
        "offset_mismatch",
    )


def _fresh(upload: Upload, save: Callable[[], None]) -> None:
    """Read the upload as the last lock holder left it (ends any older read snapshot)."""
    save()
    try:
        db.session.refresh(upload)
    except InvalidRequestError:  # terminated meanwhile
        raise _Gone from None


def receive(
    upload: Upload,
    *,
    offset: int,
    body: BinaryIO,
    content_length: int | None,
    checksum: Checksum | None,
    by: User,
    save: Callable[[], None],
) -> tuple[int, FilmVersion | None]:
    """Write a PATCH body at `offset` under the upload's lock; the last byte makes a version.

    Returns the new offset and the new version when the file is complete, its processing
    queued. Every offset is
    saved (`save` commits) before the lock is released, so it is never ahead of the bytes on
    disk and the next request starts from the truth. An aborted request stops reading before
    another may write.
    """
    try:  # the right to upload is checked at every piece, not only when the upload began
        require_edit(by, upload.film)
    except PermissionDenied as denied:
        raise UploadRefused(403, denied.message, "forbidden") from None
    except InvalidRequestError:  # the upload was removed meanwhile (abandoned, or replaced)
        raise UploadRefused(
            404, _("Cet envoi n'existe plus : recommencez l'envoi du fichier."), "gone"
        ) from None
    path = media_path(upload.partial_path)
    try:
        with _locked(path) as handle:
            _fresh(upload, save)
            if upload.is_complete:
                raise _Gone
            _reconcile(upload, handle)
            save()
            if offset != upload.offset:
                raise _offset_mismatch(upload.offset)
            _write(upload, handle, offset, body, content_length, checksum, save)
            version = finish(upload, by=by) if upload.offset == upload.length else None
            save()
            new_offset = upload.offset
    except _Gone:
        with contextlib.suppress(_Gone):
            _fresh(upload, save)
            if upload.is_complete:  # a reloaded page resends a file that already arrived
                raise _offset_mismatch(upload.length) from None
        raise UploadRefused(
            404, _("Cet envoi n'existe plus : recommencez l'envoi du fichier."), "gone"
        ) from None
    if version is not None:  # queued once the lock is free: in tests the job runs at once
        process_version(version.id)
    return new_offset, version


def _write(upload, handle, offset, body, content_length, checksum, save) -> None:
    remaining = upload.length - offset
    if content_length is not None and content_length > remaining:
        raise UploadRefused(413, _("Ce morceau dépasse la taille annoncée du fichier."), "too_long")
    hasher = CHECKSUM_ALGORITHMS[checksum.algorithm]() if checksum else None
    chunk_size = current_app.config["UPLOAD_CHUNK_BYTES"]
    save_every = current_app.config["UPLOAD_OFFSET_SAVE_BYTES"]
    handle.seek(offset)
    written, unsaved = 0, 0
    try:
        while written < remaining:
            try:
                chunk = body.read(min(chunk_size, remaining - written))
            except (ClientDisconnected, OSError):
                break  # the phone lost the network: keep what arrived
            if not chunk:
                break
            handle.write(chunk)
            written += len(chunk)
            unsaved += len(chunk)
            if hasher:
                hasher.update(chunk)  # a checked chunk counts only whole: no partial saves
            elif unsaved >= save_every:
                handle.flush()
                os.fsync(handle.fileno())
                upload.offset, unsaved = offset + written, 0
                upload.updated_at = utcnow()
                save()
        handle.flush()
        os.fsync(handle.fileno())
    except OSError as error:
        handle.truncate(upload.offset)
        save()
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadRefused(
                507,
                _(
                    "Le serveur manque de place pour recevoir votre film. "
                    "L'équipe est prévenue ; réessayez un peu plus tard, "
                    "l'envoi reprendra où il s'est arrêté."
                ),
                "disk_full",
            ) from None
        raise
    if hasher and (written != (content_length or written) or hasher.digest() != checksum.digest):
        handle.truncate(offset)
        raise UploadRefused(
            460,
            _(
                "La somme de contrôle ne correspond pas : ce morceau a été "
                "abîmé en route. Il sera renvoyé."
            ),
            "checksum_mismatch",
        )
    upload.offset = offset + written
    upload.updated_at = utcnow()


def finish(upload: Upload, *, by: User | None) -> FilmVersion:
    """The last byte arrived: the file becomes a new version of the film, under our own name."""
    film = upload.film
    # Two uploads of the same film may finish at the same moment: the film's row is locked
    # (PostgreSQL) or the write transaction already held (SQLite) while the number is chosen.
    db.session.execute(select(Film.id).where(Film.id == film.id).with_for_update())
    number = (
        db.session.scalar(
            select(func.max(FilmVersion.number)).where(FilmVersion.film_id == film.id)
        )
        or 0
    ) + 1
    version = FilmVersion(
        film=film,
        number=number,
        original_filename=upload.filename,
        size=upload.length,
        uploaded_by_id=upload.user_id if by is None else by.id,
    )
    db.session.add(version)
    db.session.flush()
    target = media_path(version.original_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(media_path(upload.partial_path), target)
    upload.completed_at = utcnow()
    upload.version_id = version.id
    db.session.flush()
    return version


def terminate(upload: Upload) -> None:
    """tus termination: the client gives up; the partial file goes (never under a writer)."""
    path = media_path(upload.partial_path)
    try:
        with _locked(path):
            path.unlink()
    except _Gone:
        pass
    db.session.delete(upload)
    db.session.flush()


def clean_expired_uploads() -> int:
    expired = db.session.scalars(
        select(Upload).where(Upload.completed_at.is_(None), Upload.expires_at < utcnow())
    ).all()
    removed = 0
    for upload in expired:
        try:
            terminate(upload)
            removed += 1
        except UploadRefused:
            continue  # still being written to: the next round removes it
    db.session.commit()
    return removed


@huey.periodic_task(crontab(minute="*/15"))
def clean_abandoned_uploads() -> None:
    """Every quarter hour, unfinished uploads past their expiry leave the disk."""
    with job_context():
        removed = clean_expired_uploads()
        if removed:
            log.info("Removed %s abandoned upload(s)", removed)
