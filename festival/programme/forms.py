from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from festival.forms import DATETIME_FORMAT
from festival.programme.labels import KIND_LABELS
from festival.programme.models import ItemKind
from festival.programme.services import MAX_BLOCK_MINUTES, MAX_MOMENT_SECONDS


class BlockForm(FlaskForm):
    title = StringField(
        _l("Titre de la séance"),
        validators=[DataRequired(_l("Donnez un titre à la séance.")), Length(max=200)],
    )
    # 0: where the ceremony is; the choices are the festival's places (editions.venue).
    venue_id = SelectField(_l("Lieu"), coerce=int, default=0, validators=[Optional()])
    starts_at = DateTimeLocalField(
        _l("Début"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Indiquez l'heure de début."))],
    )
    planned_minutes = IntegerField(
        _l("Durée prévue (minutes)"),
        default=60,
        validators=[DataRequired(), NumberRange(min=1, max=MAX_BLOCK_MINUTES)],
    )


class AddFilmForm(FlaskForm):
    film_id = SelectField(_l("Film"), coerce=int, choices=[], validate_choice=False)


class AddMomentForm(FlaskForm):
    kind = SelectField(
        _l("Moment"),
        choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in ItemKind if k != ItemKind.FILM],
    )
    title = StringField(_l("Intitulé"), validators=[Optional(), Length(max=200)])
    minutes = IntegerField(
        _l("Durée (minutes)"),
        default=10,
        validators=[DataRequired(), NumberRange(min=0, max=MAX_MOMENT_SECONDS // 60)],
    )
