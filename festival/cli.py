"""Commands for operators and scripts: `.venv/bin/flask --app festival <command>`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from festival.auth.models import Role, User
from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db

STAFF_ACCOUNT_ROLES = [r.value for r in Role if r != Role.PARTICIPANT]


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(account_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(check_video_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(clean_uploads_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("account")
@click.argument("action", type=click.Choice(["disable", "enable"]))
@click.argument("login")
def account_command(action: str, login: str) -> None:
    """Disable an account (signed out everywhere, API tokens revoked) or enable it again."""
    from festival.auth.services import find_user_by_login, set_account_enabled

    user = find_user_by_login(login)
    if user is None:
        raise click.ClickException(f"No account {login!r}.")
    set_account_enabled(user, action == "enable")
    db.session.commit()
    click.echo(f"Account {user.login} {'enabled' if action == 'enable' else 'disabled'}.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(STAFF_ACCOUNT_ROLES), required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--name", "display_name", default=None, help="Name shown in the interface.")
def create_user_command(email: str, role: str, password: str, display_name: str | None) -> None:
    """Create a staff, facilitator, jury or admin account."""
    from festival.auth.services import create_user

    try:
        user = create_user(email, role=Role(role), password=password, display_name=display_name)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.login} (id {user.id}).")


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only when the database is empty; otherwise just print the demo accounts.",
)
@click.option(
    "--url",
    "site_url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The address the site is served at, for the printed sign-in link.",
)
def demo_command(if_empty: bool, site_url: str) -> None:
    """Load the demo edition (refuses to run over existing data)."""
    from festival.demo import DEMO_PASSWORD, demo_accounts, load_demo

    if db.session.scalar(select(func.count(User.id))) or _has_editions():
        if not if_empty:
            raise click.ClickException(
                "The database already holds data; the demo loads only into an empty database."
            )
        click.echo("The database already holds data: the demo was not loaded again.")
        accounts = [(role, login) for role, login in demo_accounts() if _user_exists(login)]
    else:
        accounts = load_demo()
        db.session.commit()
        click.echo("Demo edition loaded.")
    if accounts:
        click.echo(f"Sign in at {site_url.rstrip('/')}/connexion with (demo accounts):")
        for role, login in accounts:
            click.echo(f"  {role:<12} {login:<36} password: {DEMO_PASSWORD}")


def _user_exists(login: str) -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.login == login)) > 0


def _has_editions() -> bool:
    from festival.editions.models import Edition

    return bool(db.session.scalar(select(func.count(Edition.id))))


@click.command("purge-personal-data")
@click.option(
    "--months",
    type=int,
    default=None,
    help="Retention after the ceremony (default: PERSONAL_DATA_RETENTION_MONTHS, 12).",
)
@click.option("--dry-run", is_flag=True, help="Say what would be erased, erase nothing.")
def purge_command(months: int | None, dry_run: bool) -> None:
    """Erase the participants' personal data of editions past their retention period."""
    from festival.people.privacy import editions_due_for_purge, purge_edition

    months = months if months is not None else current_app.config["PERSONAL_DATA_RETENTION_MONTHS"]
    editions = editions_due_for_purge(utcnow(), months)
    if not editions:
        click.echo(f"Nothing to purge: no edition's ceremony is more than {months} months old.")
        return
    for edition in editions:
        if dry_run:
            click.echo(f"Would purge edition {edition.year}.")
            continue
        count = purge_edition(edition)
        click.echo(f"Edition {edition.year}: personal data of {count} participant(s) erased.")
    if not dry_run:
        db.session.commit()


@click.command("check-video")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_video_command(path: str, as_json: bool) -> None:
    """Check a video file against the current edition's rules; exit 1 when refused."""
    import json
    import sys
    from pathlib import Path

    from festival.editions.services import current_edition
    from festival.films.services import rules_for
    from festival.processing import Rules, check_file

    try:
        edition = current_edition()
    except OperationalError:
        # No database yet (before `db upgrade`): the default rules still answer the question.
        db.session.rollback()
        edition = None
        click.echo(
            "(no database set up: checked against the default rules, 5 min 00 s at most)",
            err=True,
        )
    rules = rules_for(edition) if edition else Rules()
    report = check_file(Path(path), rules).to_json()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo("ok" if report["ok"] else "refusé")
        if report["duration"] is not None:
            click.echo(f"duration: {report['duration']:.3f} s")
            click.echo(
                f"size: {report['width']}x{report['height']} (rotation {report['rotation']})"
            )
            click.echo(f"codecs: {report['video_codec']} / {report['audio_codec'] or '-'}")
        for problem in report["problems"]:
            click.echo(f"- {problem['code']}: {problem['message']}")
    sys.exit(0 if report["ok"] else 1)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def worker_command(workers: int) -> None:
    """Run background jobs (thumbnails, renditions) from the shared queue."""
    from festival.extensions import huey
    from festival.jobs import requeue_stalled_versions

    if huey.immediate:
        raise click.ClickException("Jobs run immediately in this configuration: no worker needed.")
    stalled = requeue_stalled_versions.call_local()  # left half-done by a worker that died
    if stalled:
        click.echo(f"{len(stalled)} film version(s) left half-processed: queued again.")
    click.echo(f"Worker started with {workers} thread(s) on {type(huey.storage).__name__}.")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="Background job threads.")
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve the app with its background jobs in the same process: the one-machine setup."""
    from werkzeug.serving import run_simple

    from festival.jobs import start_in_process_workers
    from festival.serving import CloseEveryResponse

    consumer = start_in_process_workers(workers)
    click.echo(f"Un Trait Amateur: http://{host}:{port} (jobs: {workers} thread(s) in process)")
    try:
        run_simple(
            host,
            port,
            CloseEveryResponse(current_app._get_current_object()),
            threaded=True,
            use_reloader=False,
            use_debugger=False,
        )
    finally:
        consumer.stop(graceful=True)


@click.command("clean-uploads")
def clean_uploads_command() -> None:
    """Remove abandoned uploads past their expiry (also done every 15 minutes by the jobs)."""
    from festival.films.uploads import clean_expired_uploads

    click.echo(f"{clean_expired_uploads()} abandoned upload(s) removed.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, path_type=str))
def backup_command(path: str) -> None:
    """Save the database and the media to PATH (a .tar file, or a folder to put it in).

    Safe while the app runs and people upload. A path ending in / is a folder (made if
    missing); an existing backup is never overwritten.
    """
    from festival.backup import BackupError, backup_destination, write_backup

    try:
        target = backup_destination(path)
        summary = write_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {target}: {summary.describe()}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Rebuild this instance from a backup; its database and media folder must be empty."""
    from festival.backup import BackupError, restore_backup

    try:
        summary = restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path}: {summary.describe()}, checksums verified.")
