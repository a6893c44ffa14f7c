"""A film's subtitles: files the team adds, tracks found inside an upload, and which one a
player turns on by itself."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from festival.auth.models import User
from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db
from festival.films.labels import LANGUAGES
from festival.films.models import Film, FilmVersion, Subtitle
from festival.films.publication import tracks_for
from festival.films.review import delete_subtitle, same_track
from festival.films.rights import require_edit
from festival.formatting import human_duration
from festival.processing.probe import Probe
from festival.processing.subtitles import (
    MAX_SUBTITLE_BYTES,
    CleanSubtitles,
    SubtitleError,
    embedded_tracks,
    read_subtitles,
    write_webvtt,
)
from festival.storage import media_path

# One byte more than allowed is read, so that a file too large is told as such.
MAX_READ_BYTES = MAX_SUBTITLE_BYTES + 1

SUBTITLE_PROBLEMS = {
    "empty": _l("Le fichier de sous-titres est vide."),
    "too_large": _l(
        "Le fichier de sous-titres dépasse %(max_kib)s Ko : est-ce bien un fichier .srt ou .vtt ?"
    ),
    "unreadable": _l(
        "Le fichier de sous-titres n'est pas lisible : enregistrez-le en UTF-8 depuis votre "
        "logiciel (SRT ou WebVTT), puis envoyez-le à nouveau."
    ),
    "not_subtitles": _l(
        "Aucun sous-titre trouvé dans ce fichier. Exportez-le au format SRT (.srt) ou WebVTT "
        "(.vtt) depuis votre logiciel de montage ou de sous-titrage."
    ),
    "too_many": _l("Ce fichier contient plus de %(max)s sous-titres : il n'est pas pour ce film."),
}


def language_name(code: str) -> str:
    return str(LANGUAGES.get(code, code or _("langue non précisée")))


def default_track(tracks: list[Subtitle], film: Film, viewer_language: str) -> Subtitle | None:
    """The track a player turns on by itself: one for the deaf and hard of hearing in the
    viewer's language, else the viewer's language when the film speaks another one."""
    in_viewer_language = [t for t in tracks if t.language == viewer_language]
    for track in in_viewer_language:
        if track.for_deaf:
            return track
    if film.spoken_language != viewer_language and in_viewer_language:
        return in_viewer_language[0]
    return None


@dataclass(frozen=True)
class Track:
    """A <track> of a player: the address is the caller's (team's or visitors')."""

    subtitle_id: int
    kind: str  # captions (for the deaf and hard of hearing) or subtitles
    srclang: str
    label: str
    default: bool


def player_tracks(
    film: Film, version: FilmVersion | None, viewer_language: str, *, reviewed_only: bool = True
) -> list[Track]:
    tracks = tracks_for(film, version, reviewed_only=reviewed_only)
    chosen = default_track(tracks, film, viewer_language)
    return [
        Track(
            subtitle_id=t.id,
            kind=t.kind,
            srclang=t.language or "und",
            label=track_label(t),
            default=chosen is not None and t.id == chosen.id,
        )
        for t in tracks
    ]


def track_label(subtitle: Subtitle) -> str:
    name = language_name(subtitle.language)
    return _("%(language)s (sourds et malentendants)", language=name) if subtitle.for_deaf else name


def hall_track(film: Film, version: FilmVersion | None, language: str = "fr") -> Subtitle | None:
    """The track the ceremony hall shows: for the deaf and hard of hearing in the hall's
    language first, then any in that language, then the first there is."""
    tracks = tracks_for(film, version)
    ranked = sorted(tracks, key=lambda t: (t.language != language, not t.for_deaf, t.id))
    return ranked[0] if ranked else None


def _store(subtitle: Subtitle, cleaned: CleanSubtitles) -> None:
    subtitle.cue_count, subtitle.last_cue_end = len(cleaned.cues), cleaned.last_end
    db.session.flush()  # the id names the file
    write_webvtt(cleaned.cues, media_path(subtitle.path))


def add_subtitles(
    film: Film, data: bytes, *, filename: str, language: str, for_deaf: bool, by: User
) -> tuple[Subtitle, list[str]]:
    """Check, clean and keep a subtitle file; returns it with notes for the team."""
    require_edit(by, film)
    if language not in LANGUAGES:
        raise ValidationError(_("Choisissez la langue des sous-titres."), field="language")
    try:
        cleaned = read_subtitles(data)
    except SubtitleError as error:
        raise ValidationError(
            str(SUBTITLE_PROBLEMS[error.code]) % error.params, field="file"
        ) from None
    # Staff adding a file have looked at it; the team's waits for their review.
    reviewed_at = utcnow() if by.is_staff else None
    # A new file for the same language replaces the old one: at once when staff add it or
    # the old one was never reviewed; a reviewed one stays public until staff review this.
    for replaced in same_track(film, language, for_deaf):
        if reviewed_at is not None or not replaced.is_reviewed:
            remove_subtitles(film, replaced, by=by)
    subtitle = Subtitle(
        film=film,
        language=language,
        for_deaf=for_deaf,
        original_filename=(filename or "")[:255],
        added_by_id=by.id,
        reviewed_at=reviewed_at,
    )
    db.session.add(subtitle)
    _store(subtitle, cleaned)
    notes = []
    if cleaned.skipped:
        notes.append(
            _(
                "%(n)s sous-titres sans texte ou sans durée ont été laissés de côté.",
                n=cleaned.skipped,
            )
        )
    current = film.current_version
    if current is not None and current.duration and cleaned.last_end > current.duration + 1:
        notes.append(
            _(
                "Le dernier sous-titre s'affiche jusqu'à %(end)s, après la fin du film "
                "(%(length)s) : ce fichier est-il pour cette version du film ?",
                end=human_duration(cleaned.last_end),
                length=human_duration(current.duration),
            )
        )
    return subtitle, notes


def remove_subtitles(film: Film, subtitle: Subtitle, *, by: User) -> None:
    require_edit(by, film)
    delete_subtitle(film, subtitle)


def keep_embedded_tracks(version: FilmVersion, original, probe: Probe) -> int:
    """The text subtitle streams of an upload become the version's tracks (run again, the
    same tracks replace the earlier ones). ffmpeg reads them first, with nothing written to
    the database yet: no write lock is held while it runs."""
    tracks = embedded_tracks(original, probe)
    for old in [s for s in version.film.subtitles if s.version_id == version.id]:
        with contextlib.suppress(FileNotFoundError):
            media_path(old.path).unlink()
    db.session.execute(delete(Subtitle).where(Subtitle.version_id == version.id))
    db.session.expire(version.film, ["subtitles"])
    kept = 0
    for track in tracks:
        subtitle = Subtitle(
            film_id=version.film_id,
            version_id=version.id,
            language=track.language if track.language in LANGUAGES else "",
            for_deaf=track.hearing_impaired,
            original_filename=f"{version.original_filename} #{track.stream_index}"[:255],
        )
        db.session.add(subtitle)
        _store(subtitle, track.subtitles)
        kept += 1
    return kept
