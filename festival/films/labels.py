"""How films' roles, music, statuses and versions are named to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.films.models import FilmRole, FilmStatus, MusicKind, VersionStatus

ROLE_LABELS = {
    FilmRole.DIRECTION: _l("Réalisation"),
    FilmRole.SCRIPT: _l("Scénario"),
    FilmRole.CAMERA: _l("Image"),
    FilmRole.SOUND: _l("Son"),
    FilmRole.EDITING: _l("Montage"),
    FilmRole.ACTING: _l("Interprétation"),
    FilmRole.MUSIC: _l("Musique"),
    FilmRole.OTHER: _l("Autre"),
}

MUSIC_LABELS = {
    MusicKind.NONE: _l("Pas de musique"),
    MusicKind.ORIGINAL: _l("Musique originale, composée pour le film"),
    MusicKind.FREE_LICENCE: _l("Musique sous licence libre"),
    MusicKind.AUTHORISED: _l("Musique utilisée avec l'autorisation de ses auteurs"),
}

STATUS_LABELS = {
    FilmStatus.DRAFT: _l("Brouillon"),
    FilmStatus.UPLOADING: _l("En cours d'envoi"),
    FilmStatus.PROCESSING: _l("En traitement"),
    FilmStatus.REFUSED: _l("Refusé"),
    FilmStatus.VALID: _l("Valide"),
    FilmStatus.SELECTED: _l("Retenu pour la projection"),
    FilmStatus.NOT_SELECTED: _l("Non retenu"),
}


VERSION_STATUS_LABELS = {
    VersionStatus.PROCESSING: _l("en traitement"),
    VersionStatus.REFUSED: _l("refusée"),
    VersionStatus.VALID: _l("valide"),
    VersionStatus.FAILED: _l("échec du traitement"),
}

# The languages teams film and subtitle in, most frequent first; a select, never free text.
LANGUAGES = {
    "fr": _l("français"),
    "en": _l("anglais"),
    "es": _l("espagnol"),
    "de": _l("allemand"),
    "it": _l("italien"),
    "pt": _l("portugais"),
    "ar": _l("arabe"),
    "tr": _l("turc"),
    "uk": _l("ukrainien"),
    "br": _l("breton"),
}
