from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from festival.forms import DATETIME_FORMAT


class WorkshopForm(FlaskForm):
    number = IntegerField(_l("Numéro"), validators=[DataRequired(), NumberRange(min=1, max=99)])
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Donnez un titre à l'atelier.")), Length(max=200)]
    )
    theme = StringField(
        _l("Thème"),
        validators=[Optional(), Length(max=100)],
        description=_l("Par exemple : scénario, storyboard, prise de vue, son, montage."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    starts_at = DateTimeLocalField(
        _l("Début"), format=DATETIME_FORMAT, validators=[DataRequired(_l("Indiquez le début."))]
    )
    ends_at = DateTimeLocalField(
        _l("Fin"), format=DATETIME_FORMAT, validators=[DataRequired(_l("Indiquez la fin."))]
    )
    room = StringField(_l("Salle"), validators=[Optional(), Length(max=120)])
    facilitator_id = SelectField(_l("Intervenant·e"), coerce=int, choices=[], validate_choice=True)
