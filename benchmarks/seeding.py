"""Rows for the benchmarks' big seasons, inserted in bulk (an ORM object per row would take
minutes at 3,000 films)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime


class Rows:
    """Rows by table, numbered as they are added, inserted table by table in the order the
    tables were first used (parents before children)."""

    def __init__(self) -> None:
        self.by_table: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, **values) -> int:
        rows = self.by_table[table]
        rows.append({"id": len(rows) + 1, **values})
        return len(rows)

    def insert(self, db) -> None:
        import sqlalchemy as sa

        with db.engine.begin() as connection:
            for table, rows in self.by_table.items():
                connection.execute(sa.insert(db.metadata.tables[table]), rows)


def add_valid_film(
    rows: Rows,
    *,
    edition_id: int,
    title: str,
    now: datetime,
    decision: str | None = "selected",
    stills: int = 1,
) -> int:
    """A film with one valid version (4 minutes, 1080p) and its stills; returns its id."""
    film = rows.add(
        "films",
        edition_id=edition_id,
        title=title,
        synopsis="Une histoire de médiathèque, de nuit, en cinq minutes.",
        music_kind="none",
        music_licence="",
        music_credit="",
        decision=decision,
        decision_note="",
        created_at=now,
    )
    version = rows.add(
        "film_versions",
        film_id=film,
        number=1,
        original_filename="f.mp4",
        size=1,
        sha256="",
        uploaded_at=now,
        status="valid",
        duration=240.0,
        width=1920,
        height=1080,
        progress=100,
        step="done",
        error="",
    )
    for index in range(stills):
        rows.add(
            "thumbnails",
            version_id=version,
            index=index,
            at_seconds=10.0 + 60 * index,
            width=1280,
            height=720,
            is_still=False,
            files={
                f"{w}.{fmt}": f"films/{film}/v1/thumbs/thumb-{index}-{w}.{ext}"
                for w in (320, 640, 1280)
                for fmt, ext in (("webp", "webp"), ("jpeg", "jpg"))
            },
        )
    return film
