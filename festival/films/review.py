"""Staff's review of a film: the decision, what it approves for every audience (version, title,
synopsis, still, subtitles), and the team's changes waiting for the next look.
"""

from __future__ import annotations

import contextlib

from flask_babel import gettext as _

from festival.auth.models import User
from festival.clock import utcnow
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import emails
from festival.films.models import (
    Film,
    FilmVersion,
    ReviewDecision,
    Subtitle,
)
from festival.films.services import chosen_thumbnail, withdraw_approval
from festival.storage import media_path


def decide(film: Film, decision: ReviewDecision, *, note: str, by: User) -> Film:
    """Staff retain a film for the screening, or not, with a note the team will read."""
    if not by.is_staff:
        raise PermissionDenied(_("Seule l'équipe de la médiathèque décide de la sélection."))
    if film.current_version is None:
        raise ValidationError(
            _("Ce film n'a pas encore de version valide à retenir."), field="decision"
        )
    if decision == ReviewDecision.NOT_SELECTED and not (note or "").strip():
        raise ValidationError(
            _("Expliquez en une phrase à l'équipe pourquoi le film n'est pas retenu."), field="note"
        )
    # The team hears a decision once: staff confirming it (a new cut approved) is no news,
    # unless they wrote something new to the team.
    news = (film.decision, film.decision_note) != (decision, (note or "").strip())
    film.decision, film.decision_note = decision, (note or "").strip()
    film.decided_by_id, film.decided_at = by.id, utcnow()
    if decision == ReviewDecision.SELECTED:
        _approve_what_the_public_sees(film)
    else:
        withdraw_approval(film)
    db.session.flush()
    if news:
        emails.tell_decision(film)
    return film


def _approve_what_the_public_sees(film: Film) -> None:
    film.approved_version = film.current_version
    film.approved_thumbnail = chosen_thumbnail(film)
    film.approved_title, film.approved_synopsis = film.title, film.synopsis
    review_subtitles(film, film.current_version)


def review_subtitles(film: Film, version: FilmVersion | None) -> None:
    """Staff approve the film as it is: the team's pending subtitle files and the tracks of
    `version` become what the public, the jury and the pack see; reviewed files they
    replace go."""
    now = utcnow()
    for subtitle in list(film.subtitles):
        if subtitle.is_reviewed:
            continue
        of_version = subtitle.version_id is not None
        if of_version and (version is None or subtitle.version_id != version.id):
            continue
        subtitle.reviewed_at = now
        if not of_version:
            for older in same_track(film, subtitle.language, subtitle.for_deaf):
                if older is not subtitle:
                    delete_subtitle(film, older)
    db.session.flush()


def same_track(film: Film, language: str, for_deaf: bool) -> list[Subtitle]:
    """The team's files for this language and audience."""
    return [
        s
        for s in film.subtitles
        if s.version_id is None and s.language == language and s.for_deaf == for_deaf
    ]


def delete_subtitle(film: Film, subtitle: Subtitle) -> None:
    path = media_path(subtitle.path)
    if subtitle in film.subtitles:
        film.subtitles.remove(subtitle)
    db.session.flush()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def changes_awaiting_approval(film: Film) -> list[str]:
    """What the team changed since staff retained the film: the public still sees the approved
    film until staff approve these (by retaining it again)."""
    if film.decision != ReviewDecision.SELECTED or film.approved_version_id is None:
        return []
    changes = []
    current = film.current_version
    if current is not None and current.id != film.approved_version_id:
        changes.append(_("une nouvelle version (n° %(n)s)", n=current.number))
    if film.title != film.approved_title:
        changes.append(_("le titre (« %(title)s »)", title=film.title))
    if film.synopsis != film.approved_synopsis:
        changes.append(_("le synopsis"))
    still = chosen_thumbnail(film)
    if still is not None and still.id != film.approved_thumbnail_id:
        changes.append(_("la vignette"))
    if pending_subtitles(film):
        changes.append(_("les sous-titres"))
    return changes


def pending_subtitles(film: Film) -> list[Subtitle]:
    """The team's subtitle files, and tracks of its latest version, staff have not reviewed."""
    current = film.current_version
    return [
        s
        for s in film.subtitles
        if not s.is_reviewed
        and (s.version_id is None or (current is not None and s.version_id == current.id))
    ]
