"""`flask translate`: keep the catalogues in step with the code (the `.po` files are the source).

Translators edit `festival/translations/<lang>/LC_MESSAGES/messages.po` with any PO editor
(Poedit, Weblate, Lokalize); these commands never overwrite a translation.
"""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from flask import Flask

PACKAGE = Path(__file__).resolve().parent
TRANSLATIONS = PACKAGE / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
BABEL_CONFIG = PACKAGE.parent / "babel.cfg"


def _pybabel(*arguments: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *arguments])


def _extract() -> None:
    _pybabel(
        "extract",
        "-F",
        str(BABEL_CONFIG),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "N_",
        "--no-location",
        "--sort-output",
        "-o",
        str(TEMPLATE),
        str(PACKAGE),
    )


@click.group("translate")
def translate_group() -> None:
    """Extract, update and compile the interface's translations."""


@translate_group.command("update")
def update_command() -> None:
    """Extract the strings from the code and add the new ones to every catalogue."""
    _extract()
    _pybabel("update", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")
    click.echo("Catalogues updated: translate the empty entries, then `flask translate compile`.")


@translate_group.command("compile")
def compile_command() -> None:
    """Compile the catalogues the application reads (.mo files, not kept in git)."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@translate_group.command("init")
@click.argument("language")
def init_command(language: str) -> None:
    """Start the catalogue of a new language, e.g. `flask translate init es`."""
    _extract()
    _pybabel("init", "-i", str(TEMPLATE), "-d", str(TRANSLATIONS), "-l", language)


def register_translate_commands(app: Flask) -> None:
    app.cli.add_command(translate_group)
