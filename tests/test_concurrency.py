"""SQLite under concurrent use: uploads and roll calls at once, never "database is locked"."""

import base64
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor

import requests

from festival.auth.models import Role
from festival.clock import local_now
from festival.extensions import db
from festival.films.models import FilmRole, Upload
from festival.films.services import TeamEntry, create_film
from festival.jobs import init_jobs
from festival.storage import media_path
from festival.workshops.services import attendance_sheet
from tests.helpers import PASSWORD


def test_twenty_uploads_and_roll_calls_at_once(
    app, live_server, edition, make_participant, make_user, tmp_path
):
    app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"))
    init_jobs(app)  # completed uploads are queued, as in production, not processed inline
    try:
        staff = make_user(Role.STAFF)
        people = [make_participant() for _ in range(4)]
        film = create_film(
            edition,
            title="Charge",
            created_by=staff,
            team=[TeamEntry(people[0].id, FilmRole.DIRECTION)],
        )
        # The roll opens when a workshop takes place: the five already held.
        workshops = [w for w in edition.workshops if w.has_started(local_now())]
        db.session.commit()
        # Plain values for the client threads (ORM objects belong to this thread's session).
        film_id, person_ids = film.id, [p.id for p in people]
        workshop_ids = [w.id for w in workshops]
        token = requests.post(
            f"{live_server}/api/v1/auth/token",
            timeout=30,
            json={"login": staff.login, "password": PASSWORD},
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        bodies = [os.urandom(200_000 + i) for i in range(20)]

        def upload(body: bytes) -> str:
            created = requests.post(
                f"{live_server}/api/v1/films/{film_id}/uploads",
                timeout=60,
                headers={
                    **auth,
                    "Tus-Resumable": "1.0.0",
                    "Upload-Length": str(len(body)),
                    "Upload-Metadata": "filename " + base64.b64encode(b"x.mp4").decode(),
                },
            )
            assert created.status_code == 201, created.text
            for offset in range(0, len(body), 50_000):
                sent = requests.patch(
                    f"{live_server}{created.headers['Location']}",
                    timeout=60,
                    data=body[offset : offset + 50_000],
                    headers={
                        **auth,
                        "Tus-Resumable": "1.0.0",
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                )
                assert sent.status_code == 204, sent.text
            return hashlib.sha256(body).hexdigest()

        def roll_call(index: int) -> int:
            workshop_id = workshop_ids[index % len(workshop_ids)]
            marks = {str(pid): ("present", "late", "absent")[index % 3] for pid in person_ids}
            response = requests.put(
                f"{live_server}/api/v1/workshops/{workshop_id}/attendance",
                json=marks,
                headers=auth,
                timeout=60,
            )
            return response.status_code

        with ThreadPoolExecutor(max_workers=40) as pool:
            uploads = [pool.submit(upload, body) for body in bodies]
            rolls = [pool.submit(roll_call, i) for i in range(20)]
            digests = sorted(f.result() for f in uploads)
            statuses = [f.result() for f in rolls]

        assert statuses == [200] * 20
        db.session.expire_all()
        db.session.refresh(film)
        stored = sorted(
            hashlib.sha256(media_path(v.original_path).read_bytes()).hexdigest()
            for v in film.versions
        )
        assert stored == digests
        assert sorted(v.number for v in film.versions) == list(range(1, 21))
        assert all(u.is_complete for u in db.session.scalars(db.select(Upload)))
        assert all(len(attendance_sheet(w)) == 4 for w in workshops)
    finally:
        app.config["JOBS_IMMEDIATE"] = True
        init_jobs(app)
