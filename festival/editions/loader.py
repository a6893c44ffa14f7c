"""The edition a request is about, loaded in one place for every blueprint (as Indico's
request handlers load their event in one shared base): which edition each audience sees,
and one sentence when there is none. The HTML pages and the API turn the NotFound into a
page or a JSON error alike.

- the public, teens, facilitators, the jury and the API: the current edition;
- staff pages: the edition chosen with the switcher in this browser, else the current one;
- archives, palmarès and open data: an edition by its year.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.editions.models import Edition
from festival.editions.services import current_edition, edition_of_year, working_edition
from festival.errors import NotFound
from festival.extensions import db

NO_EDITION = _l(
    "Aucune édition n'est en cours : l'équipe de la médiathèque doit d'abord en créer une "
    "dans « Éditions »."
)
NO_SUCH_EDITION = _l("Aucune édition du festival ne porte cette année ou ce numéro.")


def current_edition_or_404() -> Edition:
    edition = current_edition()
    if edition is None:
        raise NotFound(str(NO_EDITION))
    return edition


def staff_edition_or_404() -> Edition:
    edition = working_edition()
    if edition is None:
        raise NotFound(str(NO_EDITION))
    return edition


def edition_of_year_or_404(year: int) -> Edition:
    edition = edition_of_year(year)
    if edition is None:
        raise NotFound(str(NO_SUCH_EDITION))
    return edition


def edition_or_404(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(str(NO_SUCH_EDITION))
    return edition
