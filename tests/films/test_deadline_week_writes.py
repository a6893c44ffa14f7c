"""The deadline week's evening: five films processed at once (checks, thumbnails, web
versions, real ffmpeg), while a facilitator saves roll calls and the audience votes. No write
waits more than a second and none fails.

Before the pipeline wrote in short transactions, the thumbnail step held SQLite's write lock
while ffmpeg ran: a roll call waited 2.2–2.6 s behind it on a quiet machine.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from festival.auth.models import User
from festival.awards import vote
from festival.awards.models import Grade, VoteStatus
from festival.clock import local_now
from festival.extensions import db
from festival.films import pipeline
from festival.films.models import FilmRole, FilmVersion, VersionStatus
from festival.films.services import TeamEntry, create_film
from festival.people.models import ParticipantStatus
from festival.workshops.models import AttendanceStatus, Workshop
from festival.workshops.services import save_attendance
from tests.helpers.films import add_version

FILMS_AT_ONCE = 5
# What this test catches is a write lock held while ffmpeg runs: every roll call then waited
# 4.4–5.0 s here. Alone the longest write takes ~0.3 s; on a CI machine whose other test
# process runs browsers and fuzzing at the same time, CPU contention alone reached 1.3 s.
# The product's one-second target holds with this test run alone (printed on failure: run
# `pytest tests/films/test_deadline_week_writes.py` on a quiet machine to read it).
LONGEST_WAIT_SECONDS = 2.5


@pytest.mark.long
def test_roll_calls_and_ballots_never_wait_on_five_films_being_processed(
    app, edition, make_participant, make_video, staff_user, published_ceremony
):
    ceremony_films = published_ceremony("Aube", "Brume")
    vote.set_vote_status(edition, VoteStatus.OPEN)
    codes = vote.generate_codes(edition, 400)
    people = [make_participant() for _ in range(12)]
    for person in people:
        person.status = ParticipantStatus.CONFIRMED
    versions = []
    for n in range(FILMS_AT_ONCE):
        film = create_film(
            edition,
            title=f"Dernière semaine {n}",
            team=[TeamEntry(people[n].id, FilmRole.DIRECTION)],
            created_by=staff_user,
        )
        video = make_video(f"deadline-{n}.mp4", seconds=3.0 + n, size="640x360")
        versions.append(add_version(film, video, number=1, process=False).id)
    db.session.commit()
    held = [w.id for w in edition.workshops if w.has_started(local_now())]
    person_ids, staff_id = [p.id for p in people], staff_user.id
    film_ids = [str(f.id) for f in ceremony_films]
    processing = threading.Event()
    processing.set()
    # The films start once both writers have written, so every write counted below met the
    # films' work; how many fit depends on the machine (19 ballots on a loaded CI run).
    first_write = {"roll call": threading.Event(), "ballot": threading.Event()}
    waits: dict[str, list[float]] = {"roll call": [], "ballot": []}
    failures: list[str] = []

    def timed(kind: str, write) -> None:
        started = time.monotonic()
        try:
            write()
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            db.session.rollback()
            failures.append(f"{kind}: {error!r}")
        waits[kind].append(time.monotonic() - started)
        first_write[kind].set()

    def process(version_id: int) -> None:
        with app.app_context():
            pipeline.process_version(version_id)

    def take_rolls() -> None:
        rng = random.Random(1)
        with app.app_context():
            staff = db.session.get(User, staff_id)
            while processing.is_set():
                workshop = db.session.get(Workshop, rng.choice(held))
                marks = {pid: rng.choice(list(AttendanceStatus)) for pid in person_ids}
                timed(
                    "roll call",
                    lambda w=workshop, m=marks: save_attendance(w, m, recorded_by=staff),
                )
                time.sleep(0.05)

    def vote_in_the_hall() -> None:
        rng = random.Random(2)
        with app.app_context():
            for code in codes:
                if not processing.is_set():
                    break
                grades = {film_id: rng.choice(list(Grade)).value for film_id in film_ids}
                timed("ballot", lambda c=code, g=grades: vote.cast_ballot(c, g))
                time.sleep(0.02)

    with ThreadPoolExecutor(max_workers=FILMS_AT_ONCE + 2) as pool:
        writers = [pool.submit(take_rolls), pool.submit(vote_in_the_hall)]
        for started in first_write.values():
            started.wait(timeout=30)
        films = [pool.submit(process, version_id) for version_id in versions]
        for done in films:
            done.result()
        processing.clear()
        for writer in writers:
            writer.result()

    assert not failures, failures
    assert len(waits["roll call"]) >= 5 and len(waits["ballot"]) >= 5, waits
    longest = {kind: max(times) for kind, times in waits.items()}
    assert all(t < LONGEST_WAIT_SECONDS for t in longest.values()), longest
    db.session.expire_all()
    statuses = {db.session.get(FilmVersion, v).status for v in versions}
    assert statuses == {VersionStatus.VALID}
    assert vote.ballots_count(edition) == len(waits["ballot"])
