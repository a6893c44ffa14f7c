"""Films ready for the programme: valid versions made from small generated videos."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import FilmRole, FilmVersion, ReviewDecision
from festival.films.pipeline import process_version
from festival.films.services import TeamEntry, create_film, decide
from festival.people.models import ConsentKind
from festival.programme.services import add_block
from festival.storage import media_path


@pytest.fixture
def staff_user(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def make_valid_film(edition, make_participant, make_video, staff_user):
    made = []

    def make(
        title: str,
        *,
        seconds: float = 2.0,
        online: bool = True,
        screening: bool = True,
        selected: bool = True,
        people: list | None = None,
        **video,
    ):
        made.append(title)
        if people is None:
            people = [
                make_participant(
                    first_name=f"Réalisatrice{len(made)}",
                    last_name=f"Secretnom{len(made)}",
                    consents={
                        ConsentKind.PARTICIPATION: True,
                        ConsentKind.SCREENING: screening,
                        ConsentKind.ONLINE: online,
                    },
                )
            ]
        film = create_film(
            edition,
            title=title,
            synopsis=f"Synopsis de {title}.",
            team=[TeamEntry(p.id, FilmRole.DIRECTION) for p in people],
            created_by=staff_user,
        )
        version = FilmVersion(film=film, number=1, original_filename=f"{title}.mp4")
        db.session.add(version)
        db.session.flush()
        target = media_path(version.original_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(make_video(f"prog-{seconds}.mp4", seconds=seconds, **video), target)
        db.session.commit()
        process_version(version.id)
        if selected:
            decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
        db.session.commit()
        return film

    return make


@pytest.fixture
def block(edition):
    block = add_block(
        edition,
        title="Première séance",
        venue="Auditorium",
        starts_at=edition.ceremony_at,
        planned_minutes=30,
    )
    db.session.commit()
    return block


@pytest.fixture
def later(edition):
    return edition.ceremony_at + timedelta(hours=2)
