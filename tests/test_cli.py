"""The operators' commands."""

import pytest
from sqlalchemy import func, select

from festival import create_app
from festival.auth.models import Role, User
from festival.collection import services as collection
from festival.editions.models import Edition
from festival.extensions import db
from festival.people.models import Participant, ParticipantStatus
from festival.people.returning import returning_candidates
from festival.workshops.models import Attendance


def test_create_user_makes_an_account_that_can_sign_in(app, make_client):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "Chef@Mediatheque.example",
            "--role",
            "staff",
            "--password",
            "un-mot-de-passe",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.login == "chef@mediatheque.example"))
    assert user.role == Role.STAFF
    make_client().login("chef@mediatheque.example", "un-mot-de-passe")


def test_create_user_refuses_a_duplicate_and_a_short_password(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["create-user", "a@b.example", "--role", "jury", "--password", "jury-du-festival"]
    )
    again = runner.invoke(
        args=["create-user", "a@b.example", "--role", "jury", "--password", "jury-du-festival"]
    )
    assert again.exit_code != 0 and "existe déjà" in again.output
    short = runner.invoke(args=["create-user", "c@b.example", "--role", "jury", "--password", "1"])
    assert short.exit_code != 0 and "8 caractères" in short.output


@pytest.mark.long
def test_demo_loads_a_believable_edition_and_refuses_to_run_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "lea.martin@example.org" in result.output and "festival-demo" in result.output
    edition = db.session.scalar(select(Edition).where(Edition.is_current.is_(True)))
    assert len(edition.workshops) == 10
    assert all(w.facilitator is not None and w.room for w in edition.workshops)
    participants = db.session.scalars(
        select(Participant).where(Participant.edition_id == edition.id)
    ).all()
    assert 22 <= len(participants) <= 26
    statuses = {p.status for p in participants}
    assert {
        ParticipantStatus.CONFIRMED,
        ParticipantStatus.PENDING,
        ParticipantStatus.WAITLISTED,
    } <= statuses
    assert len({p.has_consent(k) for p in participants for k in p.current_consents()}) == 2
    assert db.session.scalar(select(func.count(Attendance.id))) > 50
    roles = {u.role for u in db.session.scalars(select(User))}
    assert roles == set(Role)
    # Last year's edition: four people may come back, one came back, one is too old.
    candidates, too_old = returning_candidates(edition)
    assert sorted(c.previous.first_name for c in candidates) == ["Jules", "Kylian", "Mila", "Nora"]
    assert too_old == 1
    # The library's film collection: titles recommended for workshops and the ceremony, with
    # loans this year and last year for the report to compare.
    titles = collection.edition_titles(edition)
    assert len(titles.of(edition.workshops[0].id)) == 1 and len(titles.ceremony) == 2
    assert titles.ceremony[0].opac_url.startswith("https://catalogue.mediatheque.example/")
    assert collection.festival_loans(edition).attached_titles > 0

    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "already holds data" in again.output
    quiet = runner.invoke(args=["demo", "--if-empty"])
    assert quiet.exit_code == 0 and "admin@mediatheque.example" in quiet.output


def test_production_refuses_to_start_with_the_default_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev-only-secret-change-me"}, mode="production")


def test_development_keeps_a_random_secret_key_in_the_instance_folder(tmp_path):
    from festival.config import DEFAULT_SECRET_KEY

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
        mode="development",
    )
    assert app.config["SECRET_KEY"] != DEFAULT_SECRET_KEY and len(app.config["SECRET_KEY"]) == 64


def test_check_video_answers_without_a_database(app, make_video, tmp_path):
    """Before `db upgrade`, check-video still checks, against the default rules."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.processes import app_env

    video = make_video("plain.mp4", seconds=1)
    env = app_env(
        app,
        DATABASE_URL=f"sqlite:///{tmp_path / 'nothing-yet.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [
            str(Path(sys.executable).parent / "flask"),
            "--app",
            "festival",
            "check-video",
            str(video),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok") and "default rules" in result.stderr
    assert "Traceback" not in result.stderr
