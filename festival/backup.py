"""Backups: the database and the media in one tar file, restorable into a fresh instance.

Works while the app runs. The database is read from one consistent snapshot (SQLite's online
backup API, or a REPEATABLE READ transaction on PostgreSQL) and stored as JSON lines per table,
so a backup of one database restores into the other. Media files are stored with their SHA-256,
checked again on restore. Files referenced by the snapshot never change once written (renditions
are replaced atomically), so copying them after the snapshot is safe; an upload in progress is
copied up to its size at that moment, which is at least the offset the snapshot knows.

Over 400 lines on purpose: writing and restoring share one format, kept side by side.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import enum
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from festival.extensions import db
from festival.processing.files import atomic_path, sha256_of
from festival.storage import media_path, media_root

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0

    def describe(self) -> str:
        return (
            f"{sum(self.rows.values())} rows in {len(self.rows)} tables, "
            f"{self.files} media files ({self.bytes / 1024**2:.1f} MiB)"
        )


# ------------------------------------------------------------------ values <-> JSON


def _encode(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"cannot store {type(value).__name__} in a backup")


def _decoder(column: sa.Column):
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat
    if isinstance(kind, sa.Time):
        return dt.time.fromisoformat
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode
    return None


def _decode_row(table: sa.Table, row: dict) -> dict:
    decoded = {}
    for name, value in row.items():
        column = table.c.get(name)
        if column is None:
            raise BackupError(f"The backup has a column {table.name}.{name} this version lacks.")
        decoder = _decoder(column)
        decoded[name] = decoder(value) if decoder and value is not None else value
    return decoded


# ------------------------------------------------------------------ backup


def _revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _snapshot() -> Iterator[sa.Connection]:
    """A connection that sees the whole database as it was at one instant."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="festival-backup-") as scratch:
            copy_path = Path(scratch) / "snapshot.sqlite3"
            source = sqlite3.connect(engine.url.database)
            target = sqlite3.connect(copy_path)
            try:
                source.backup(target)  # SQLite's online backup: consistent while others write
            finally:
                target.close()
                source.close()
            copy_engine = sa.create_engine(f"sqlite:///{copy_path}")
            try:
                with copy_engine.connect() as connection:
                    yield connection
            finally:
                copy_engine.dispose()
        return
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection,
        connection.begin(),
    ):
        yield connection


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


class _HashingReader:
    """Reads exactly `size` bytes of a file (it may still be growing) and hashes them."""

    def __init__(self, handle, size: int):
        self.handle, self.left, self.digest = handle, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.handle.read(n)
        if len(data) < n:
            raise BackupError("A media file shrank while it was being saved; run the backup again.")
        self.left -= len(data)
        self.digest.update(data)
        return data


def _media_files(root: Path) -> Iterator[Path]:
    for directory, subdirectories, names in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):  # temporary files of work in progress
                yield Path(directory) / name


def backup_destination(path: str) -> Path:
    """Where a backup asked for as `path` goes: a folder (existing, or named with a trailing
    slash, then made) gets a new dated file; a file name must not exist yet."""
    given = Path(path)
    if given.is_dir() or path.endswith(("/", os.sep)):
        given.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = given / f"festival-{stamp}.tar"
        suffix = 1
        while target.exists():  # two backups within the same second
            suffix += 1
            target = given / f"festival-{stamp}-{suffix}.tar"
        return target
    if given.exists():
        raise BackupError(
            f"{given} already exists: a backup is never overwritten. Choose another name, or a "
            "folder."
        )
    return given


def write_backup(target: Path) -> Summary:
    """Write the whole instance to `target` (a .tar file); returns what it holds."""
    summary = Summary()
    manifest: dict = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat()}
    with atomic_path(target) as partial, tarfile.open(partial, "w") as archive:
        with _snapshot() as connection:
            manifest["revision"] = _revision(connection)
            manifest["database"] = db.engine.dialect.name
            existing = set(sa.inspect(connection).get_table_names())
            for table in db.metadata.sorted_tables:
                if table.name not in existing:
                    continue
                lines = [
                    json.dumps(dict(row._mapping), default=_encode, ensure_ascii=False)
                    for row in connection.execute(sa.select(table).order_by(*table.primary_key))
                ]
                summary.rows[table.name] = len(lines)
                _add_bytes(archive, f"database/{table.name}.jsonl", "\n".join(lines).encode())
        manifest["rows"] = summary.rows
        root = media_root()
        files = {}
        for path in _media_files(root):
            relative = path.relative_to(root).as_posix()
            try:
                handle = path.open("rb")
            except FileNotFoundError:
                # Gone since the folder was listed: an upload's piece that became its version's
                # original after the snapshot (no row of the snapshot needs it).
                continue
            with handle:
                stat = os.fstat(handle.fileno())  # the open file's, even if renamed meanwhile
                size = stat.st_size
                reader = _HashingReader(handle, size)
                info = tarfile.TarInfo(f"media/{relative}")
                info.size, info.mtime, info.mode = size, int(stat.st_mtime), 0o600
                archive.addfile(info, reader)
            files[relative] = {"size": size, "sha256": reader.digest.hexdigest()}
            summary.files += 1
            summary.bytes += size
        manifest["media"] = files
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
    return summary


# ------------------------------------------------------------------ restore


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("This file is not a backup of Un Trait Amateur (no manifest).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')} is not supported here.")
    return manifest


def _is_media_file_name(relative: str) -> bool:
    """A file below the media folder as the backup writes it: `films/3/v1/original`, never
    `.`, `..`, an empty part or a trailing slash (« media/. » once passed the check, then
    failed after the rows were in: half a restore)."""
    parts = relative.split("/")
    return bool(relative) and all(part not in ("", ".", "..") for part in parts)


def check_archive(archive: tarfile.TarFile, manifest: dict) -> None:
    """Every entry is one the manifest announces, at a safe place: checked before anything is
    written, so a hostile or damaged archive leaves the target exactly as it was."""
    expected_media: dict = manifest.get("media") or {}
    tables = set((manifest.get("rows") or {}).keys())
    seen_media, seen_tables = set(), set()
    for member in archive.getmembers():
        name = member.name
        if name == MANIFEST:
            continue
        if name.startswith("database/") and name.endswith(".jsonl"):
            table = name.removeprefix("database/").removesuffix(".jsonl")
            if not member.isfile() or table not in tables:
                raise BackupError(f"Unexpected entry {name!r} in the backup: refused.")
            seen_tables.add(table)
            continue
        relative = name.removeprefix("media/")
        if (
            not name.startswith("media/")
            or not member.isfile()
            or relative not in expected_media
            or not _is_media_file_name(relative)
        ):
            raise BackupError(f"Unexpected entry {name!r} in the backup: refused.")
        try:
            media_path(relative)
        except ValueError:
            raise BackupError(f"Entry {name!r} would leave the media folder: refused.") from None
        seen_media.add(relative)
    for relative in expected_media:
        if not _is_media_file_name(relative):
            raise BackupError(f"{relative!r} is not a media file name: refused.")
        try:
            media_path(relative)
        except ValueError:
            raise BackupError(f"{relative!r} would leave the media folder: refused.") from None
    if seen_tables != tables:
        raise BackupError("The backup lacks tables its manifest lists: refused.")
    if seen_media != set(expected_media):
        raise BackupError(
            f"The backup lists {len(expected_media)} media files but holds {len(seen_media)}."
        )


def _refuse_unless_empty() -> None:
    inspector = sa.inspect(db.engine)
    existing = set(inspector.get_table_names())
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name in existing and connection.scalar(
                sa.select(sa.func.count()).select_from(table)
            ):
                raise BackupError(
                    f"The database {db.engine.url.render_as_string(hide_password=True)} already "
                    "holds data: restore into a new, empty database (set DATABASE_URL)."
                )
    root = media_root()
    if root.exists() and any(_media_files(root)):
        raise BackupError(
            f"The media folder {root} is not empty: restore into an empty one (set MEDIA_ROOT)."
        )


def _insert_rows(archive: tarfile.TarFile, manifest: dict) -> Summary:
    """Rows table by table, parents first; links that point forward are set once all exist."""
    summary = Summary()
    inserted: set[str] = set()
    later: list[tuple[sa.Table, dict, dict]] = []
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if table.name not in manifest["rows"]:
                continue
            member = archive.extractfile(f"database/{table.name}.jsonl")
            rows = [
                _decode_row(table, json.loads(line))
                for line in member.read().decode().splitlines()
                if line
            ]
            forward = {
                column.name
                for column in table.columns
                for key in column.foreign_keys
                if key.column.table.name not in inserted
            }
            for start in range(0, len(rows), 500):
                batch = rows[start : start + 500]
                connection.execute(
                    table.insert(),
                    [{**row, **dict.fromkeys(forward & row.keys())} for row in batch],
                )
            for row in rows:
                links = {name: row[name] for name in forward if row.get(name) is not None}
                if links:
                    later.append((table, {c.name: row[c.name] for c in table.primary_key}, links))
            inserted.add(table.name)
            summary.rows[table.name] = len(rows)
        for table, key, links in later:
            condition = sa.and_(*(table.c[name] == value for name, value in key.items()))
            connection.execute(table.update().where(condition).values(**links))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return summary


def _reset_sequences(connection) -> None:
    """New rows after a restore must not reuse the ids the backup brought."""
    for table in db.metadata.sorted_tables:
        for column in table.primary_key:
            if isinstance(column.type, sa.Integer) and column.autoincrement in (True, "auto"):
                highest = connection.scalar(sa.select(sa.func.max(column))) or 0
                sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
                connection.execute(sa.select(sa.func.setval(sequence, highest + 1, False)))


def _restore_media(archive: tarfile.TarFile, manifest: dict) -> tuple[int, int]:
    expected: dict = manifest["media"]
    count = size = 0
    for member in archive:
        if not member.name.startswith("media/"):
            continue
        relative = member.name.removeprefix("media/")
        if not member.isfile() or relative not in expected:
            raise BackupError(f"Unexpected entry {member.name!r} in the backup: refused.")
        digest = hashlib.sha256()
        # media_path refuses any path leaving the media folder; a damaged file never lands.
        with atomic_path(media_path(relative)) as temporary:
            with archive.extractfile(member) as source, temporary.open("wb") as out:
                for chunk in iter(lambda: source.read(4 * 1024 * 1024), b""):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[relative]["sha256"]:
                raise BackupError(f"{relative} is damaged in the backup (checksum differs).")
        count, size = count + 1, size + member.size
    if count != len(expected):
        raise BackupError(f"The backup lists {len(expected)} media files but holds {count}.")
    return count, size


def restore_backup(source: Path) -> Summary:
    """Rebuild this (empty) instance from a backup: schema, rows, media; all checked."""
    try:
        archive = tarfile.open(source, "r:")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {source}: {error}") from None
    with archive:
        manifest = read_manifest(archive)
        check_archive(archive, manifest)
        _refuse_unless_empty()
        # The schema the rows were taken from (a database made without migrations: today's).
        upgrade(revision=manifest.get("revision") or "head")
        summary = _insert_rows(archive, manifest)
        upgrade()  # then today's schema
        if summary.rows != manifest["rows"]:
            raise BackupError("The restored rows do not match the backup's counts.")
        summary.files, summary.bytes = _restore_media(archive, manifest)
    return summary


def media_checksums() -> dict[str, str]:
    """SHA-256 of every media file, by relative path: what a restore must reproduce."""
    root = media_root()
    return {path.relative_to(root).as_posix(): sha256_of(path) for path in _media_files(root)}
