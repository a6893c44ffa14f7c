"""How the programme's moments are named to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.programme.models import ItemKind

KIND_LABELS = {
    ItemKind.FILM: _l("Film"),
    ItemKind.WELCOME: _l("Accueil"),
    ItemKind.AWARDS: _l("Remise des prix"),
    ItemKind.INTERMISSION: _l("Entracte"),
    ItemKind.OTHER: _l("Autre"),
}
