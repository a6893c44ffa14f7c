"""Erasure is complete: after a person is erased, nothing of her is left in the database,
media/, the outbox, or a backup made afterwards — only anonymous counts."""

from __future__ import annotations

import json
import subprocess
import tarfile
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from festival.auth.models import Role
from festival.backup import write_backup
from festival.editions.services import create_edition
from festival.extensions import db
from festival.films.models import FilmRole
from festival.films.services import TeamEntry, create_film
from festival.mail.transport import outbox_folder
from festival.people.models import ConsentKind, Participant
from festival.people.registration import RegistrationData, confirm_participant, register_participant
from festival.storage import media_root
from tests.helpers import PASSWORD, birth_date_for
from tests.helpers.api import bearer

FIRST, LAST = "Lilou", "Ferrandière-Quoc"
EMAIL, GUARDIAN = "lilou.fq@example.org", "maman.fq@example.org"
PHONE = "06 12 34 56 78"
COMMUNE = "12 rue des Lilas Brignais"
FILE_NAME = "IMG_4242 Lilou chez mamie.mov"
TRACES = (FIRST, LAST, EMAIL, GUARDIAN, PHONE, "rue des Lilas", "IMG_4242", "+48.8566")


def _everything_in_the_database() -> str:
    texts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                texts.append(json.dumps([str(value) for value in row], ensure_ascii=False))
    return "\n".join(texts)


def _everything_in(folder) -> str:
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts.append(path.name)
        texts.append(path.read_bytes().decode("utf-8", "replace"))
        if path.name == "original":
            texts.append(_tags(path))
    return "\n".join(texts)


def _tags(path) -> str:
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json",
         str(path)],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout  # fmt: skip


def _found(text: str) -> list[str]:
    return [trace for trace in TRACES if trace.lower() in text.lower()]


def test_an_erased_person_leaves_nothing_but_counts(
    app, client, edition, make_client, login_as, make_video, tus_as, tmp_path
):
    born = birth_date_for(edition, 15)
    # Last year she came to the desk, on paper.
    today = date.today()
    last_year = create_edition(
        year=edition.year - 1,
        title="Édition précédente",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=250),
        ceremony_at=datetime.combine(today - timedelta(days=260), time(18, 0)),
        upload_deadline=datetime.combine(today - timedelta(days=270), time(23, 0)),
        make_current=False,
    )
    register_participant(
        last_year,
        RegistrationData(
            first_name=FIRST, last_name=LAST, birth_date=born, email=EMAIL, phone=PHONE,
            guardian_name="Mme Quoc", guardian_email=GUARDIAN, commune=COMMUNE,
            consents={kind: True for kind in ConsentKind},
        ),
        recorded_by=None,
    )  # fmt: skip
    db.session.commit()
    # This year she registers online, with an account; her guardian gets the link.
    visitor = make_client()
    visitor.post_form(
        "/inscription",
        {
            "first_name": FIRST, "last_name": LAST, "birth_date": born.isoformat(),
            "email": EMAIL, "phone": PHONE, "guardian_name": "Mme Quoc",
            "guardian_email": GUARDIAN, "commune": COMMUNE, "consent_participation": "y",
            "consent_screening": "y", "consent_online": "y", "password": PASSWORD,
        },
        token_page="/inscription",
    )  # fmt: skip
    lilou = db.session.scalars(
        sa.select(Participant).where(Participant.edition_id == edition.id)
    ).one()
    confirm_participant(lilou, confirmed_by=None)
    film = create_film(
        edition, title="Le grenier", team=[TeamEntry(lilou.id, FilmRole.DIRECTION)],
        created_by=lilou.user,
    )  # fmt: skip
    db.session.commit()
    phone_video = make_video("gps.mov", phone_tags=True)
    tus_as(bearer(client, lilou.user)).send(film.id, phone_video.read_bytes(), filename=FILE_NAME)
    db.session.commit()
    outbox = outbox_folder()
    assert _found(_everything_in(outbox)), "she was written to"
    assert "+48.8566" in _tags(phone_video), "her phone wrote where she filmed"
    people_before = db.session.scalar(sa.select(sa.func.count(Participant.id)))

    staff = login_as(Role.STAFF)
    url = f"/equipe/participants/{lilou.id}"
    answer = staff.post_form(f"{url}/effacer", {"confirm": "y"}, token_page=url)
    assert answer.status_code == 302
    db.session.expire_all()

    assert _found(_everything_in_the_database()) == []
    assert _found(_everything_in(media_root())) == []
    assert _found(_everything_in(outbox)) == []
    backup = tmp_path / "after.tar"
    write_backup(backup)
    with tarfile.open(backup) as archive:
        contents = "\n".join(
            archive.extractfile(m).read().decode("utf-8", "replace")
            for m in archive.getmembers()
            if m.isfile()
        )
    assert _found(contents) == []
    # What stays: the rows, anonymous, so that the counts hold.
    assert db.session.scalar(sa.select(sa.func.count(Participant.id))) == people_before
    erased = db.session.scalars(sa.select(Participant)).all()
    assert all(p.is_erased for p in erased)
    assert {p.age_on_reference_date for p in erased} <= {14, 15, 16}
