"""How roles are named to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.auth.models import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrateur·rice"),
    Role.STAFF: _l("Équipe de la médiathèque"),
    Role.FACILITATOR: _l("Intervenant·e"),
    Role.JURY: _l("Membre du jury"),
    Role.PARTICIPANT: _l("Participant·e"),
}
