"""`flask collection import FILE`: the catalogue's export, from a terminal or a nightly job."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from festival.collection import services
from festival.collection.records import read_catalogue_file
from festival.errors import ValidationError
from festival.extensions import db

collection_cli = AppGroup("collection", help="The library's film collection.")


@collection_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--permalink", help="The catalogue's record address, with {id} for the number.")
def import_command(path: Path, permalink: str | None) -> None:
    """Import (again) an export of the catalogue: UNIMARC or MARC21 (ISO 2709 or MARCXML), or
    a CSV/XLSX/ODS table. Titles are matched by record number: nothing is added twice."""
    try:
        read = read_catalogue_file(path.name, path.read_bytes())
        outcome = services.import_holdings(read.records, read.format.split("+")[0])
        if permalink is not None:
            services.save_permalink(permalink)
    except ValidationError as error:
        db.session.rollback()
        click.echo(error.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(
        f"{path.name} ({read.format}): {outcome.added} added, {outcome.updated} updated, "
        f"{outcome.unchanged} unchanged, {len(read.skipped)} skipped."
    )
    for line in read.skipped:
        click.echo(f"- {line}", err=True)


def register_commands(app: Flask) -> None:
    app.cli.add_command(collection_cli)
