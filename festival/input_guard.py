"""Text nobody types: refused at the door, on every form and JSON body.

NUL and the other control characters (bar tab and line breaks), lone surrogates and the
bidirectional overrides that turn « exe.txt » into « txt.exe » have no place in a name, a title
or a comment: they corrupt PDFs, playlists and CSV files, and can disguise a text. One check
for every surface, before any view or service sees the value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from flask import Flask, abort, request
from flask_babel import gettext as _

# Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
ALLOWED_CONTROLS = frozenset("\t\n\r")
CHECKED_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")


def is_forbidden(character: str) -> bool:
    if character in ALLOWED_CONTROLS:
        return False
    return character in BIDI_CONTROLS or unicodedata.category(character) in ("Cc", "Cs")


def has_forbidden_characters(value: str) -> bool:
    return any(is_forbidden(c) for c in value)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _submitted_text() -> Iterator[str]:
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.form.lists():
            yield key
            yield from values
        for storage in request.files.values():
            yield storage.filename or ""
    elif request.mimetype == "application/json":
        yield from _strings(request.get_json(silent=True))
    yield from request.args.values()


def refuse_invisible_characters():
    if request.method in ("GET", "HEAD", "OPTIONS") and not request.args:
        return
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype not in CHECKED_TYPES:
        return  # a film's bytes (tus), an image: no text to check
    if any(has_forbidden_characters(text) for text in _submitted_text()):
        abort(
            422,
            _(
                "Le texte envoyé contient des caractères invisibles ou de contrôle (retours "
                "chariot spéciaux, caractère nul, inversion du sens d'écriture) : retirez-les, "
                "par exemple en retapant le texte au lieu de le coller, puis recommencez."
            ),
        )


def register_input_guard(app: Flask) -> None:
    app.before_request(refuse_invisible_characters)
