"""Film commands: check a video file against the rules, remove abandoned uploads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError

from festival.editions.services import current_edition
from festival.extensions import db
from festival.films.services import rules_for
from festival.films.uploads import clean_expired_uploads
from festival.processing import Rules, check_file


@click.command("check-video")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_video_command(path: str, as_json: bool) -> None:
    """Check a video file against the current edition's rules; exit 1 when refused."""
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


@click.command("clean-uploads")
def clean_uploads_command() -> None:
    """Remove abandoned uploads past their expiry (also done every 15 minutes by the jobs)."""
    click.echo(f"{clean_expired_uploads()} abandoned upload(s) removed.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(check_video_command)
    app.cli.add_command(clean_uploads_command)
