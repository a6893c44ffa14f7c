"""Site-wide commands for operators: the demo, serving, workers, backups.

`.venv/bin/flask --app festival <command>`; each domain adds its own (auth, people, films).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from festival.auth.models import User
from festival.backup import BackupError, backup_destination, restore_backup, write_backup
from festival.backup_retention import backup_folder
from festival.demo import DEMO_PASSWORD, demo_accounts, load_demo
from festival.editions.models import Edition
from festival.extensions import db, huey
from festival.jobs import LANES, run_lanes, run_worker_start_steps
from festival.public_url import SERVED_URL_FILE
from festival.serving import EmbeddedServer


def register_cli(app: Flask) -> None:
    """Commands for the whole site; each domain registers its own (see create_app)."""
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only when the database is empty; otherwise just print the demo accounts.",
)
@click.option(
    "--url",
    "site_url",
    default=None,
    help="The address the site is served at, for the printed sign-in link (PUBLIC_URL).",
)
@click.option(
    "--phone-films",
    is_flag=True,
    help="Films the size phones film (1920x1080, with a camera's grain): a heavier demo, whose "
    "stills and posters weigh what real films' do (slower to load: about a minute).",
)
def demo_command(if_empty: bool, site_url: str | None, phone_films: bool) -> None:
    """Load the demo edition (refuses to run over existing data)."""
    if db.session.scalar(select(func.count(User.id))) or _has_editions():
        if not if_empty:
            raise click.ClickException(
                "The database already holds data; the demo loads only into an empty database."
            )
        click.echo("The database already holds data: the demo was not loaded again.")
        accounts = [(role, login) for role, login in demo_accounts() if _user_exists(login)]
    else:
        accounts = load_demo(phone_films=phone_films)
        db.session.commit()
        click.echo("Demo edition loaded.")
    site_url = site_url or current_app.config["PUBLIC_URL"]
    if accounts:
        click.echo(f"Sign in at {site_url.rstrip('/')}/connexion with (demo accounts):")
        for role, login in accounts:
            click.echo(f"  {role:<12} {login:<36} password: {DEMO_PASSWORD}")


def _user_exists(login: str) -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.login == login)) > 0


def _has_editions() -> bool:
    return bool(db.session.scalar(select(func.count(Edition.id))))


@click.command("worker")
@click.option(
    "--lane",
    type=click.Choice(["all", *LANES]),
    default="all",
    show_default=True,
    help="checks: checks, thumbnails, emails; encodes: browser encodes, screening packs.",
)
@click.option("--workers", default=2, show_default=True, help="Check-lane jobs at the same time.")
@click.option(
    "--encodes",
    "encode_workers",
    type=int,
    default=None,
    help="Encodes at the same time (default: ENCODE_WORKERS, one per two cores).",
)
def worker_command(lane: str, workers: int, encode_workers: int | None) -> None:
    """Run background jobs from the shared queues: both lanes, or one (a machine of its own
    for the encodes, say)."""
    if huey.immediate:
        raise click.ClickException("Jobs run immediately in this configuration: no worker needed.")
    for message in run_worker_start_steps():  # what a worker that died left half-done
        click.echo(message)
    encode_workers = encode_workers or current_app.config["ENCODE_WORKERS"]
    counts = {"checks": workers, "encodes": encode_workers}
    lanes = list(LANES) if lane == "all" else [lane]
    chosen = {name: counts[name] for name in lanes}
    threads = ", ".join(f"{name} {count} thread(s)" for name, count in chosen.items())
    click.echo(f"Worker started on {type(huey.storage).__name__}: {threads}.")
    run_lanes(chosen)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option(
    "--processes",
    default=3,
    show_default=True,
    help="Web server processes (gunicorn workers), each with --threads threads.",
)
@click.option("--threads", default=12, show_default=True, help="Requests each process serves.")
@click.option("--workers", default=2, show_default=True, help="Background job threads.")
def serve_command(host: str, port: int, processes: int, threads: int, workers: int) -> None:
    """Serve the app on one machine as in production: gunicorn with threads, and the
    background jobs in a process beside it (the queue is shared through the database folder)."""
    if huey.immediate:
        workers = 0  # jobs already run inside the requests
    public_url = remember_served_url(current_app._get_current_object(), host, port)
    click.echo(
        f"Un Trait Amateur: {public_url} "
        f"(gunicorn: {processes} process(es) x {threads} threads; jobs: {workers} thread(s))"
    )
    EmbeddedServer(
        current_app._get_current_object(),
        bind=f"{host}:{port}",
        processes=processes,
        threads=threads,
        job_workers=workers,
    ).run()


def remember_served_url(app, host: str, port: int) -> str:
    """Links point where the site is served: PUBLIC_URL when set, else this host and port,
    written down for the worker beside it and for later commands (a reminder sent by cron)."""
    if not os.environ.get("PUBLIC_URL") and not app.config["PRODUCTION"]:
        shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        shown = f"[{shown}]" if ":" in shown else shown
        app.config["PUBLIC_URL"] = f"http://{shown}:{port}"
        app.config["SERVER_NAME"] = f"{shown}:{port}"
    (Path(app.instance_path) / SERVED_URL_FILE).write_text(app.config["PUBLIC_URL"] + "\n")
    return app.config["PUBLIC_URL"]


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, path_type=str), required=False)
def backup_command(path: str | None) -> None:
    """Save the database and the media to PATH (a .tar file, or a folder to put it in).

    Safe while the app runs and people upload. A path ending in / is a folder (made if
    missing); an existing backup is never overwritten.
    """
    try:
        target = backup_destination(path or f"{backup_folder()}/")
        summary = write_backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {target}: {summary.describe()}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Rebuild this instance from a backup; its database and media folder must be empty."""
    try:
        summary = restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored from {path}: {summary.describe()}, checksums verified.")
