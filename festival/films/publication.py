"""Who sees what of a film, on which surface: the one home of the publication rule.

Three facts decide, read at the moment of asking (never frozen at release time):
- staff's review: a film retained for the ceremony (`SELECTED`) is shown as staff approved it
  (version, title, synopsis, still, subtitles); a team's later change waits for review;
- the consents of everyone the film binds (its credits, and whoever was taken off them after
  the review until staff release them): screening for the ceremony, online for the web;
- the version's state: valid, its clean rendition ready.

The surfaces:
- TEAM and STAFF see the latest valid cut and everything waiting for review (whether a person
  may open the film at all is `films.services.can_view`);
- JURY sees retained films only, as staff approved them, never staff's private fields, and
  streams the clean rendition only;
- CEREMONY is the screen and the screening pack: retained films whose every bound person
  agreed to be screened;
- PUBLIC is every visitor's surface (pages, API, calendar, link previews, printed programme,
  palmarès): what CEREMONY shows, on the published programme (programme.lineup asks that), and
  the video and a still only when every bound person agreed to online publication;
- OPEN_DATA publishes counts only: never a film's title, names, picture or video.

Every surface asks these functions; `tests/films/test_publication.py` is their table.
"""

from __future__ import annotations

import enum

from festival.films.models import Film, FilmRole, FilmVersion, ReviewDecision, Subtitle, Thumbnail
from festival.people.models import ConsentKind, Participant


class Surface(enum.StrEnum):
    TEAM = "team"
    STAFF = "staff"
    JURY = "jury"
    CEREMONY = "ceremony"
    PUBLIC = "public"
    OPEN_DATA = "open_data"


AUDIENCES = (Surface.JURY, Surface.CEREMONY, Surface.PUBLIC)


# ---------------------------------------------------------------- the facts


def shown_title(film: Film) -> str:
    """The title every audience reads: as staff approved it, the team's own before a review."""
    return film.approved_title or film.title


def shown_synopsis(film: Film) -> str:
    return film.approved_synopsis if film.approved_synopsis is not None else film.synopsis


def is_retained(film: Film) -> bool:
    """Retained by staff, with the version they approved still valid."""
    return film.decision == ReviewDecision.SELECTED and film.screened_version is not None


def lacks_screening_consent(film: Film) -> list[Participant]:
    """Bound people (not erased) without the consent to be seen on screen at the ceremony."""
    return [
        p
        for p in film.bound_participants
        if not p.is_erased and not p.has_consent(ConsentKind.SCREENING)
    ]


def is_screenable(film: Film) -> bool:
    """Shown at the ceremony, in the public programme and the pack."""
    return is_retained(film) and not lacks_screening_consent(film)


def plays_online(film: Film) -> bool:
    """Online only when every person bound to the film agreed to online publication."""
    people = film.bound_participants
    return bool(people) and all(
        not p.is_erased and p.has_consent(ConsentKind.ONLINE) for p in people
    )


def tracks_for(
    film: Film, version: FilmVersion | None, *, reviewed_only: bool = True
) -> list[Subtitle]:
    """What a player of this version offers: the team's files, and the tracks of the version.

    Visitors, the jury and the pack get only what staff reviewed (`reviewed_only`); the team
    and staff also see what waits for review. A reviewed track that a newer file for the same
    language replaces stays until staff review the newer one."""
    tracks = [
        s
        for s in film.subtitles
        if s.version_id is None or (version is not None and s.version_id == version.id)
    ]
    if reviewed_only:
        return [s for s in tracks if s.is_reviewed]
    return tracks


# ---------------------------------------------------------------- per surface


def may_see(surface: Surface, film: Film) -> bool:
    """Whether the film exists at all on this surface."""
    if surface in (Surface.TEAM, Surface.STAFF):
        return True
    if surface == Surface.JURY:
        return is_retained(film)
    if surface in (Surface.CEREMONY, Surface.PUBLIC):
        return is_screenable(film)
    return False


def version_for(surface: Surface, film: Film) -> FilmVersion | None:
    """The cut this surface shows: the latest valid one for the team and staff, the one staff
    approved for every audience."""
    if not may_see(surface, film):
        return None
    if surface in (Surface.TEAM, Surface.STAFF):
        return film.current_version
    return film.screened_version


def still_for(surface: Surface, film: Film) -> Thumbnail | None:
    """The one image of the film this surface shows. Visitors see one only when the film plays
    online; otherwise a title card, never a frame of a minor who did not agree."""
    version = version_for(surface, film)
    if version is None:
        return None
    if surface in (Surface.TEAM, Surface.STAFF):
        chosen = film.chosen_thumbnail
        if chosen is not None and chosen.version_id == version.id:
            return chosen
        return version.thumbnails[0] if version.thumbnails else None
    if surface == Surface.PUBLIC and not plays_online(film):
        return None
    approved = film.approved_thumbnail
    if approved is not None and approved.version_id == version.id:
        return approved
    return version.thumbnails[0] if version.thumbnails else None


def video_for(surface: Surface, film: Film) -> str | None:
    """The stored file this surface plays, relative to the media folder. The jury and visitors
    get the clean rendition only; the screening pack reads the original while the rendition is
    made, and writes its own copy without the phone's tags (programme.pack)."""
    version = version_for(surface, film)
    if version is None:
        return None
    if surface in (Surface.TEAM, Surface.STAFF):
        return version.playable_path
    if surface == Surface.PUBLIC and not plays_online(film):
        return None
    if version.rendition_ready_at is not None:
        return version.rendition_path
    return version.original_path if surface == Surface.CEREMONY else None


def subtitles_for(surface: Surface, film: Film) -> list[Subtitle]:
    """The tracks a player offers: staff-reviewed ones for every audience, all for the team."""
    version = version_for(surface, film)
    if version is None:
        return []
    if surface == Surface.PUBLIC and not plays_online(film):
        return []
    return tracks_for(film, version, reviewed_only=surface in AUDIENCES)


def credits_for(surface: Surface, film: Film) -> list[tuple[Participant, list[FilmRole]]]:
    """Who made the film, each with their roles, in credit order; an erased person is left
    out everywhere but on staff's and the team's pages (where they read « anonyme »)."""
    if not may_see(surface, film):
        return []
    people: dict[int, tuple[Participant, list[FilmRole]]] = {}
    for member in film.members:
        people.setdefault(member.participant_id, (member.participant, []))[1].append(member.role)
    credits = list(people.values())
    if surface in AUDIENCES:
        credits = [(person, roles) for person, roles in credits if not person.is_erased]
    return credits


def credit_name(surface: Surface, person: Participant) -> str:
    """Staff read full names; every other surface the first name and initial."""
    return person.full_name if surface == Surface.STAFF else person.public_name


def credits_line(surface: Surface, film: Film) -> str:
    """The team in one line, as this surface may name them (« Léa M., Hugo B. »)."""
    return ", ".join(credit_name(surface, person) for person, _roles in credits_for(surface, film))


def media_file(surface: Surface, film: Film, number: int, name: str | None) -> str | None:
    """The stored file at a media address, when this surface may have it: the video (name
    None) or a file of a still. The team and staff reach every version and every candidate
    still (to compare and choose); audiences only the approved version and its one still."""
    if surface in (Surface.TEAM, Surface.STAFF):
        version = next((v for v in film.versions if v.number == number), None)
        if version is None:
            return None
        if name is None:
            return version.playable_path
        thumbnails = version.thumbnails
    else:
        version = version_for(surface, film)
        if version is None or version.number != number:
            return None
        if name is None:
            return video_for(surface, film)
        still = still_for(surface, film)
        thumbnails = [still] if still is not None else []
    for thumbnail in thumbnails:
        for relative in thumbnail.files.values():
            if relative.rsplit("/", 1)[-1] == name:
                return relative
    return None


def subtitle_file(surface: Surface, film: Film, number: int, subtitle_id: int) -> str | None:
    """A subtitle track at its address, under the same rule as the video it goes with."""
    version = version_for(surface, film)
    if version is None or version.number != number or video_for(surface, film) is None:
        return None
    track = next((t for t in subtitles_for(surface, film) if t.id == subtitle_id), None)
    return track.path if track is not None else None
