"""Rules for the text people type: titles, names and roles fit on one line."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from festival.errors import ValidationError


def is_control_character(character: str) -> bool:
    """A line break, a tab or another invisible control or format character."""
    return unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")


def has_control_characters(value: str) -> bool:
    return any(is_control_character(c) for c in value)


def single_line(value: str | None, *, field: str) -> str:
    """The value trimmed; refused when it holds a line break or a control character, since
    titles and names end up in playlists, calendars and PDFs where a line break adds a line."""
    value = (value or "").strip()
    if has_control_characters(value):
        raise ValidationError(
            _(
                "Ce texte doit tenir sur une seule ligne : retirez les retours à la ligne et les "
                "caractères invisibles."
            ),
            field=field,
        )
    return value


def single_line_problems(values: dict[str, str | None]) -> dict[str, str]:
    """For forms that gather every error at once: field → message, for each multi-line value."""
    problems = {}
    for field, value in values.items():
        try:
            single_line(value, field=field)
        except ValidationError as error:
            problems[field] = error.message
    return problems


def whole_number(text: str | None, *, digits: int = 9) -> int | None:
    """A number typed or sent as text: ASCII digits only (« ² » and « ٣ » are digits to
    str.isdigit() but not to int()), at most `digits` of them; None otherwise."""
    text = (text or "").strip()
    if not text or len(text) > digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def folded(text: str | None) -> str:
    """A name as a person compares it: « École Jules-Ferry », « ecole  jules ferry » and
    « ÉCOLE JULES FERRY » are one name. Case, accents, spaces, hyphens and apostrophes do not
    count; other letters stay (« ß » folds to « ss », « ễ » to « e »), unlike SQL's lower()."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(word for word in re.split(r"[\W_]+", plain) if word)
