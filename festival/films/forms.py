from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Length, Optional

from festival.films.labels import LANGUAGES, MUSIC_LABELS, ROLE_LABELS
from festival.films.models import FilmRole, MusicKind, ReviewDecision

TEAM_ROWS = 8


class TeamRowForm(PlainForm):
    participant_id = SelectField(_l("Personne"), coerce=int, choices=[], validate_choice=False)
    role = SelectField(
        _l("Rôle"),
        choices=[SelectChoice(r.value, ROLE_LABELS[r]) for r in FilmRole],
        default=FilmRole.DIRECTION.value,
    )


class FilmForm(FlaskForm):
    title = StringField(
        _l("Titre du film"),
        validators=[DataRequired(_l("Donnez un titre au film.")), Length(max=200)],
    )
    synopsis = TextAreaField(
        _l("Synopsis"),
        validators=[Optional(), Length(max=4000)],
        description=_l("Deux ou trois phrases qui donnent envie de voir le film."),
    )
    team = FieldList(FormField(TeamRowForm), min_entries=TEAM_ROWS, max_entries=TEAM_ROWS)
    music_kind = RadioField(
        _l("Musique"),
        choices=[SelectChoice(k.value, MUSIC_LABELS[k]) for k in MusicKind],
        default=MusicKind.NONE.value,
    )
    music_licence = StringField(
        _l("Licence de la musique"),
        validators=[Optional(), Length(max=200)],
        description=_l("Par exemple : CC BY 4.0."),
    )
    music_credit = TextAreaField(
        _l("Crédit de la musique"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Titre, auteur·e et source, tels qu'ils apparaîtront au générique."),
    )
    spoken_language = SelectField(
        _l("Langue parlée dans le film"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()]
        + [SelectChoice("zxx", _l("sans paroles"))],
        default="fr",
        description=_l(
            "Les spectateurs qui lisent une autre langue voient vos sous-titres dans leur "
            "langue sans rien faire."
        ),
    )


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Décision"),
        choices=[
            SelectChoice(ReviewDecision.SELECTED.value, _l("Retenu pour la projection")),
            SelectChoice(ReviewDecision.NOT_SELECTED.value, _l("Non retenu")),
        ],
        validators=[DataRequired(_l("Choisissez une décision."))],
    )
    note = TextAreaField(
        _l("Note pour l'équipe du film"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Elle est visible par l'équipe du film."),
    )


class ThumbnailForm(FlaskForm):
    thumbnail_id = RadioField(_l("Vignette"), coerce=int, choices=[], validate_choice=False)


class StillForm(FlaskForm):
    still = FileField(
        _l("Votre propre image (JPEG, PNG ou WebP)"),
        validators=[
            FileRequired(_l("Choisissez une image.")),
            FileAllowed(
                ["jpg", "jpeg", "png", "webp"],
                _l("Seules les images JPEG, PNG ou WebP sont acceptées."),
            ),
        ],
    )


class SubtitleForm(FlaskForm):
    file = FileField(
        _l("Fichier de sous-titres (.srt ou .vtt)"),
        validators=[
            FileRequired(_l("Choisissez un fichier de sous-titres.")),
            FileAllowed(["srt", "vtt"], _l("Seuls les fichiers .srt et .vtt sont acceptés.")),
        ],
    )
    language = SelectField(
        _l("Langue des sous-titres"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="fr",
    )
    for_deaf = BooleanField(
        _l("Pour les personnes sourdes ou malentendantes (bruits et musiques décrits)"),
    )
