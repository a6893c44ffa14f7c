"""Who may do what with a film: open it (and on which publication surface), edit it, upload to
it; and why a teen may not create one yet.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from festival.auth.models import Role, User
from festival.clock import local_now
from festival.editions.models import Edition
from festival.errors import PermissionDenied
from festival.films import publication
from festival.films.models import (
    Film,
)
from festival.films.publication import Surface
from festival.people.models import Participant, ParticipantStatus

NO_LONGER_REGISTERED = _l(
    "Vous n'êtes plus inscrit·e à cette édition : les films restent à leur équipe. Parlez-en à "
    "l'équipe de la médiathèque si c'est une erreur."
)
NOT_CONFIRMED_YET = _l(
    "Votre inscription n'est pas encore confirmée par l'équipe de la médiathèque : vous pourrez "
    "créer un film dès qu'elle le sera."
)


def participant_of(user: User) -> Participant | None:
    return user.participant if user.is_authenticated and user.role == Role.PARTICIPANT else None


def active_participant_of(user: User) -> Participant | None:
    """The participant behind an account, when they may make films: confirmed, still in."""
    participant = participant_of(user)
    if (
        participant is None
        or participant.status != ParticipantStatus.CONFIRMED
        or participant.is_erased
    ):
        return None
    return participant


def why_no_film_rights(user: User):
    """What to tell a participant account that may not make films (None when it may)."""
    participant = participant_of(user)
    if participant is None or active_participant_of(user) is not None:
        return None
    if participant.status == ParticipantStatus.WITHDRAWN or participant.is_erased:
        return NO_LONGER_REGISTERED
    return NOT_CONFIRMED_YET


def is_team_member(user: User, film: Film) -> bool:
    """Team rights need a confirmed participant: not pending, not withdrawn, not erased."""
    participant = active_participant_of(user)
    return participant is not None and participant.id in film.participant_ids


def surface_of(user: User, film: Film) -> Surface | None:
    """The surface a signed-in person sees this film on (publication decides what it shows):
    staff, its team, the jury once staff retained it; None for anyone else."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return Surface.STAFF
    if is_team_member(user, film):
        return Surface.TEAM
    if user.role == Role.JURY and publication.may_see(Surface.JURY, film):
        return Surface.JURY
    return None


def can_view(user: User, film: Film) -> bool:
    """Before publication: the team, staff, and the jury once the film is retained."""
    return surface_of(user, film) is not None


def media_file_for(user: User, film: Film, number: int, file_name: str | None) -> str | None:
    """A version's video (file_name None) or still file this person may have: the jury only
    what staff approved, never a later cut the team sent after the review."""
    surface = surface_of(user, film)
    if surface is None:
        return None
    return publication.media_file(surface, film, number, file_name)


def upload_deadline_passed(edition: Edition) -> bool:
    return local_now() > edition.upload_deadline


def can_edit(user: User, film: Film) -> bool:
    """Staff always; the team until the upload deadline."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return is_team_member(user, film) and not upload_deadline_passed(film.edition)


def require_edit(user: User, film: Film) -> None:
    if can_edit(user, film):
        return
    if is_team_member(user, film):
        raise PermissionDenied(
            _(
                "La date limite d'envoi est passée : seule l'équipe de la médiathèque peut encore "
                "modifier ce film."
            )
        )
    raise PermissionDenied(_("Seules les personnes de l'équipe du film peuvent le modifier."))
