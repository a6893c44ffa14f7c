"""The retention command: erase personal data of editions past their retention period."""

from __future__ import annotations

import click
from flask import Flask, current_app

from festival.backup_retention import prune_old_backups
from festival.clock import utcnow
from festival.extensions import db
from festival.people.privacy import add_months, editions_due_for_purge, purge_edition


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
    months = months if months is not None else current_app.config["PERSONAL_DATA_RETENTION_MONTHS"]
    editions = editions_due_for_purge(utcnow(), months)
    if not dry_run:
        for path in prune_old_backups(add_months(utcnow(), -months)):
            click.echo(f"Backup {path.name} deleted: older than {months} months.")
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


def register_commands(app: Flask) -> None:
    app.cli.add_command(purge_command)
