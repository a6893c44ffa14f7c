"""Films and their teams: who may see and change what, the review, thumbnails.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from festival.auth.models import User
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films.labels import STATUS_LABELS
from festival.films.models import (
    ConsentHold,
    Film,
    FilmMember,
    FilmRole,
    FilmStatus,
    FilmVersion,
    MusicKind,
    ReviewDecision,
    Thumbnail,
    Upload,
    VersionStatus,
)
from festival.films.rights import (
    active_participant_of,
    participant_of,
    require_edit,
    upload_deadline_passed,
    why_no_film_rights,
)
from festival.people.models import Participant, ParticipantStatus
from festival.people.signals import participant_page_requested
from festival.processing import Rules
from festival.processing.thumbnails import thumbnails_from_still
from festival.storage import media_path, media_root
from festival.text import single_line


def rules_for(edition: Edition) -> Rules:
    return Rules(
        max_duration=edition.max_film_seconds,
        duration_tolerance=edition.film_duration_tolerance,
        max_side=current_app.config["MAX_VIDEO_SIDE"],
    )


def film_status(film: Film) -> FilmStatus:
    latest = film.latest_version
    if latest is not None and latest.status == VersionStatus.PROCESSING:
        return FilmStatus.PROCESSING
    now = utcnow()
    if any(u.is_active(now) for u in film.uploads):
        return FilmStatus.UPLOADING
    if film.current_version is not None:
        if film.decision == ReviewDecision.SELECTED:
            return FilmStatus.SELECTED
        if film.decision == ReviewDecision.NOT_SELECTED:
            return FilmStatus.NOT_SELECTED
        return FilmStatus.VALID
    if latest is not None:
        return FilmStatus.REFUSED
    return FilmStatus.DRAFT


@dataclass
class TeamEntry:
    participant_id: int
    role: FilmRole


def _validate_team(edition: Edition, team: list[TeamEntry], acting: User) -> None:
    if not team:
        raise ValidationError(_("Ajoutez au moins une personne à l'équipe du film."), field="team")
    ids = {entry.participant_id for entry in team}
    members = db.session.scalars(select(Participant).where(Participant.id.in_(ids))).all()
    found = {p.id: p for p in members}
    for participant_id in ids:
        participant = found.get(participant_id)
        if (
            participant is None
            or participant.edition_id != edition.id
            or participant.status != ParticipantStatus.CONFIRMED
            or participant.is_erased
        ):
            raise ValidationError(
                _(
                    "La personne n° %(id)s n'est pas inscrite à cette édition : choisissez "
                    "l'équipe parmi les participant·es inscrit·es.",
                    id=participant_id,
                ),
                field="team",
            )
    me = active_participant_of(acting)
    if not acting.is_staff and (me is None or me.id not in ids):
        raise ValidationError(
            _("Vous devez faire partie de l'équipe du film que vous créez."), field="team"
        )


def _validate_music(kind: MusicKind, licence: str, credit: str) -> None:
    if kind == MusicKind.FREE_LICENCE and not licence.strip():
        raise ValidationError(
            _("Indiquez la licence libre de la musique (par exemple CC BY)."), field="music_licence"
        )
    if kind in (MusicKind.FREE_LICENCE, MusicKind.AUTHORISED) and not credit.strip():
        raise ValidationError(
            _("Indiquez la ligne de crédit de la musique (titre, auteur) pour le générique."),
            field="music_credit",
        )


def _set_team(film: Film, team: list[TeamEntry]) -> None:
    wanted = {(e.participant_id, FilmRole(e.role)) for e in team}
    for member in list(film.members):
        if (member.participant_id, member.role) not in wanted:
            film.members.remove(member)
    existing = {(m.participant_id, m.role) for m in film.members}
    for participant_id, role in sorted(wanted - existing):
        film.members.append(FilmMember(participant_id=participant_id, role=role))


def _check_film_counts(edition: Edition, created_by: User) -> None:
    """A teen makes a film or two, not sixty: bounded per person and per edition."""
    config = current_app.config
    in_edition = db.session.scalar(select(func.count(Film.id)).where(Film.edition_id == edition.id))
    if in_edition >= config["MAX_FILMS_PER_EDITION"]:
        raise ValidationError(
            _(
                "Cette édition compte déjà %(n)s films, le nombre prévu : parlez-en à l'équipe "
                "de la médiathèque.",
                n=in_edition,
            ),
            field="title",
        )
    participant = participant_of(created_by)
    if participant is None:
        return
    own = db.session.scalar(
        select(func.count(func.distinct(Film.id)))
        .join(FilmMember)
        .where(Film.edition_id == edition.id, FilmMember.participant_id == participant.id)
    )
    if own >= config["MAX_FILMS_PER_PARTICIPANT"]:
        raise ValidationError(
            _(
                "Vous faites déjà partie de %(n)s films, le plus que l'on puisse créer : "
                "continuez l'un d'eux, ou demandez à l'équipe de la médiathèque d'en retirer un.",
                n=own,
            ),
            field="title",
        )


def create_film(
    edition: Edition,
    *,
    title: str,
    synopsis: str = "",
    team: list[TeamEntry],
    created_by: User,
    music_kind: MusicKind = MusicKind.NONE,
    music_licence: str = "",
    music_credit: str = "",
    spoken_language: str = "fr",
) -> Film:
    """Create a film of the edition; a participant creates one for a team they belong to."""
    if not created_by.is_staff:
        if participant_of(created_by) is None:
            raise PermissionDenied(_("Seul·es les participant·es et l'équipe créent des films."))
        if active_participant_of(created_by) is None:
            raise PermissionDenied(str(why_no_film_rights(created_by)))
        if upload_deadline_passed(edition):
            raise PermissionDenied(_("La date limite d'envoi des films est passée."))
    title = single_line(title, field="title")
    music_licence = single_line(music_licence, field="music_licence")
    if not title:
        raise ValidationError(_("Donnez un titre au film."), field="title")
    _check_film_counts(edition, created_by)
    _validate_team(edition, team, created_by)
    _validate_music(music_kind, music_licence, music_credit)
    film = Film(
        edition=edition,
        title=title.strip(),
        synopsis=(synopsis or "").strip(),
        music_kind=music_kind,
        music_licence=music_licence.strip(),
        music_credit=music_credit.strip(),
        spoken_language=spoken_language,
        created_by_id=created_by.id,
    )
    db.session.add(film)
    _set_team(film, team)
    db.session.flush()
    return film


def update_film(
    film: Film,
    *,
    by: User,
    title: str,
    synopsis: str,
    team: list[TeamEntry],
    music_kind: MusicKind,
    music_licence: str = "",
    music_credit: str = "",
    spoken_language: str | None = None,
) -> Film:
    require_edit(by, film)
    title = single_line(title, field="title")
    music_licence = single_line(music_licence, field="music_licence")
    if not title:
        raise ValidationError(_("Donnez un titre au film."), field="title")
    _validate_team(film.edition, team, by)
    _validate_music(music_kind, music_licence, music_credit)
    film.title, film.synopsis = title.strip(), (synopsis or "").strip()
    film.music_kind, film.music_licence = music_kind, (music_licence or "").strip()
    film.music_credit = (music_credit or "").strip()
    if spoken_language:
        film.spoken_language = spoken_language
    before = film.participant_ids
    _set_team(film, team)
    db.session.flush()
    if not by.is_staff and film.decision is not None and film.participant_ids != before:
        _credits_changed_after_review(film, removed=before - film.participant_ids)
    return film


def _credits_changed_after_review(film: Film, *, removed: set[int]) -> None:
    """The team changed its credits after staff reviewed the film: staff look again, and
    whoever left the credits stays bound by their consent (they may still be in the film)."""
    held = {hold.participant_id for hold in film.consent_holds}
    for participant_id in sorted(removed - held):
        film.consent_holds.append(ConsentHold(participant_id=participant_id))
    film.decision, film.decided_at = None, None
    withdraw_approval(film)
    db.session.flush()


def release_consent_hold(film: Film, participant_id: int, *, by: User) -> None:
    """Staff checked that a person taken off the credits is not in the film any more."""
    if not by.is_staff:
        raise PermissionDenied(_("Seule l'équipe de la médiathèque peut lever cette réserve."))
    for hold in list(film.consent_holds):
        if hold.participant_id == participant_id:
            film.consent_holds.remove(hold)
    db.session.flush()


def films_of(participant: Participant) -> list[Film]:
    return list(
        db.session.scalars(
            select(Film)
            .join(FilmMember)
            .where(FilmMember.participant_id == participant.id)
            .distinct()
            .order_by(Film.created_at)
        )
    )


def _film_list_options(*, with_consents: bool) -> tuple:
    """Everything a page listing films reads of each (versions and stills, credits, subtitles):
    a fixed few queries for the whole list, however many films. Public lists read the credits'
    consents too (who may be named); staff see the whole team whatever was agreed."""
    team = selectinload(Film.members).selectinload(FilmMember.participant)
    holds = selectinload(Film.consent_holds).selectinload(ConsentHold.participant)
    if with_consents:
        team = team.selectinload(Participant.consents)
        holds = holds.selectinload(Participant.consents)
    return (
        selectinload(Film.versions).selectinload(FilmVersion.thumbnails),
        team,
        selectinload(Film.chosen_thumbnail),
        selectinload(Film.approved_version).selectinload(FilmVersion.thumbnails),
        selectinload(Film.approved_thumbnail),
        holds,
        selectinload(Film.subtitles),
    )


FILM_LIST_OPTIONS = _film_list_options(with_consents=True)
# Staff's list and the films API: 3,600 consent rows fewer at 400 films; uploads in progress.
STAFF_FILM_LIST_OPTIONS = (*_film_list_options(with_consents=False), selectinload(Film.uploads))


def edition_films(edition: Edition) -> list[Film]:
    """The edition's films as staff lists them, with their uploads in progress."""
    return list(
        db.session.scalars(
            select(Film)
            .where(Film.edition_id == edition.id)
            .order_by(Film.title)
            .options(*STAFF_FILM_LIST_OPTIONS)
        )
    )


def team_by_person(film: Film) -> list[tuple[Participant, list[FilmRole]]]:
    people: dict[int, tuple[Participant, list[FilmRole]]] = {}
    for member in film.members:
        people.setdefault(member.participant_id, (member.participant, []))[1].append(member.role)
    return list(people.values())


def chosen_thumbnail(film: Film) -> Thumbnail | None:
    current = film.current_version
    if film.chosen_thumbnail is not None and (
        current is None or film.chosen_thumbnail.version_id == current.id
    ):
        return film.chosen_thumbnail
    if current is not None and current.thumbnails:
        return current.thumbnails[0]
    return None


def choose_thumbnail(film: Film, thumbnail_id: int, *, by: User) -> Thumbnail:
    require_edit(by, film)
    thumbnail = db.session.get(Thumbnail, thumbnail_id)
    if thumbnail is None or thumbnail.version.film_id != film.id:
        raise ValidationError(_("Cette image n'appartient pas à ce film."), field="thumbnail")
    film.chosen_thumbnail = thumbnail
    db.session.flush()
    return thumbnail


def stored_bytes_of(user: User, edition: Edition) -> int:
    """What a person has sent for an edition: versions kept plus uploads in progress."""
    versions = db.session.scalar(
        select(func.coalesce(func.sum(FilmVersion.size), 0))
        .join(Film, FilmVersion.film_id == Film.id)
        .where(FilmVersion.uploaded_by_id == user.id, Film.edition_id == edition.id)
    )
    pending = db.session.scalar(
        select(func.coalesce(func.sum(Upload.length), 0))
        .join(Film)
        .where(
            Upload.user_id == user.id, Upload.completed_at.is_(None), Film.edition_id == edition.id
        )
    )
    return int(versions or 0) + int(pending or 0)


def add_still(film: Film, image_path, *, by: User) -> Thumbnail:
    """A picture of the team's own as the film's thumbnail (on its current version)."""
    require_edit(by, film)
    version = film.current_version
    if version is None:
        raise ValidationError(
            _("Envoyez d'abord le film : l'image s'ajoute à sa version valide."), field="still"
        )
    index = max([t.index for t in version.thumbnails] + [99]) + 1
    try:
        made = thumbnails_from_still(image_path, media_path(f"{version.directory}/thumbs"), index)
    except OSError:
        raise ValidationError(
            _(
                "Cette image ne s'ouvre pas : envoyez un JPEG, un PNG ou un WebP "
                "de moins de 40 mégapixels."
            ),
            field="still",
        ) from None
    root = media_root()
    thumbnail = Thumbnail(
        version_id=version.id,
        index=index,
        width=made.width,
        height=made.height,
        is_still=True,
        files={key: str(path.relative_to(root)) for key, path in made.files.items()},
    )
    db.session.add(thumbnail)
    db.session.flush()
    film.chosen_thumbnail = thumbnail
    db.session.flush()
    return thumbnail


def withdraw_approval(film: Film) -> None:
    film.approved_version = film.approved_thumbnail = None
    film.approved_title = film.approved_synopsis = None


@participant_page_requested.connect
def films_on_participant_pages(participant: Participant, **_kwargs) -> dict:
    """The teen's space names her films and where each stands (it invited her to create one
    even when her team had sent it)."""
    return {
        "my_films": [(film, film_status(film)) for film in films_of(participant)],
        "film_status_labels": STATUS_LABELS,
    }
