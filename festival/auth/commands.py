"""Account commands: create a staff account, disable or enable one."""

from __future__ import annotations

import click
from flask import Flask

from festival.auth.models import Role
from festival.auth.services import create_user, find_user_by_login, set_account_enabled
from festival.errors import ValidationError
from festival.extensions import db

STAFF_ACCOUNT_ROLES = [r.value for r in Role if r != Role.PARTICIPANT]


@click.command("account")
@click.argument("action", type=click.Choice(["disable", "enable"]))
@click.argument("login")
def account_command(action: str, login: str) -> None:
    """Disable an account (signed out everywhere, API tokens revoked) or enable it again."""
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
    try:
        user = create_user(email, role=Role(role), password=password, display_name=display_name)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.login} (id {user.id}).")


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(account_command)
