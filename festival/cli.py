"""Commands for operators and scripts: `.venv/bin/flask --app festival <command>`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from festival.auth.models import Role, User
from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db

STAFF_ACCOUNT_ROLES = [r.value for r in Role if r != Role.PARTICIPANT]


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_command)


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
def demo_command(if_empty: bool) -> None:
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
        click.echo("Sign in at http://127.0.0.1:5000/connexion with (demo accounts):")
        for role, login in accounts:
            click.echo(f"  {role:<12} {login:<36} password: {DEMO_PASSWORD}")


def _user_exists(login: str) -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.login == login)) > 0


def _has_editions() -> bool:
    from festival.workshops.models import Edition

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
    from festival.people.services import editions_due_for_purge, purge_edition

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
