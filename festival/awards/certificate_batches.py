"""The edition's certificates in one PDF to print, drawn by a background job (awards/tasks.py):
at a thousand teens that is seconds of drawing, longer than a page may make staff wait. Staff
follow it on the prizes page and download it when it is ready.

The PDF names minors: only the latest of an edition is kept, and an erasure in the edition
deletes them all (the next one is drawn without the erased teen)."""

from __future__ import annotations

import contextlib
import shutil

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from festival.awards.certificates import draw_certificates, edition_certificate_contents
from festival.awards.models import CertificateBatch
from festival.editions.identity import library_identity
from festival.editions.models import Edition
from festival.extensions import db
from festival.models_base import prepare
from festival.people.models import Participant
from festival.people.signals import participant_erased
from festival.processing.files import atomic_path
from festival.storage import media_path

# Progress is written every so many people: often enough for the bar, rarely enough that a
# thousand pages do not make a thousand commits.
PROGRESS_EVERY = 50


def latest_batch(edition: Edition) -> CertificateBatch | None:
    return CertificateBatch.latest_of(edition.id)


def ready_batch(edition: Edition) -> CertificateBatch | None:
    """The latest PDF drawn to the end (a new one may be under way)."""
    return CertificateBatch.latest_of(edition.id, ready=True)


def request_batch(edition: Edition) -> CertificateBatch:
    """Queue a new PDF; the previous one stays downloadable until this one is ready."""
    batch = CertificateBatch(edition=edition)
    db.session.add(batch)
    db.session.flush()
    return batch


def build_batch(batch_id: int) -> CertificateBatch | None:
    return prepare(
        CertificateBatch,
        batch_id,
        _draw,
        failed_step=_l("Les attestations n'ont pas pu être préparées : relancez, ou prévenez "
                       "l'équipe technique."),
    )  # fmt: skip


def _draw(batch: CertificateBatch) -> None:
    edition = batch.edition
    batch.advance(1, _("Lecture des présences, des films et des prix…"))
    contents = edition_certificate_contents(edition)
    identity, title = library_identity(), _("Attestations — %(title)s", title=edition.title)
    batch.advance(5, _("Dessin des attestations…"))  # the commit ends the read: none held below

    def drawn(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0:
            batch.advance(
                5 + int(done * 90 / total),
                _("Attestation %(done)s sur %(total)s…", done=done, total=total),
            )

    pdf = draw_certificates(contents, identity, title=title, drawn=drawn)
    with atomic_path(media_path(batch.path)) as temporary:
        temporary.write_bytes(pdf)
    batch.pages = len(contents) + sum(len(content.awards) for content in contents)
    batch.finish(
        ngettext(
            "Prêt : %(num)s attestation, %(pages)s pages.",
            "Prêt : %(num)s attestations, %(pages)s pages.",
            len(contents),
            pages=batch.pages,
        ),
    )
    _forget_older(batch)


def _forget_older(batch: CertificateBatch) -> None:
    older = db.session.scalars(
        select(CertificateBatch).where(
            CertificateBatch.edition_id == batch.edition_id, CertificateBatch.id < batch.id
        )
    )
    for old in older:
        _delete(old)
    db.session.commit()


def _delete(batch: CertificateBatch) -> None:
    with contextlib.suppress(OSError):
        shutil.rmtree(media_path(batch.path).parent)
    db.session.delete(batch)


@participant_erased.connect
def forget_certificates_naming(participant: Participant, **_) -> None:
    """The erased teen's name is in every PDF of her edition: they go with her."""
    for batch in db.session.scalars(
        select(CertificateBatch).where(CertificateBatch.edition_id == participant.edition_id)
    ):
        _delete(batch)
    db.session.flush()
