"""The edition's settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from festival.forms import DATETIME_FORMAT


class EditionForm(FlaskForm):
    year = IntegerField(
        _l("Année"),
        validators=[DataRequired(_l("Indiquez l'année.")), NumberRange(2000, 2100)],
    )
    title = StringField(
        _l("Titre"), validators=[DataRequired(_l("Donnez un titre à l'édition.")), Length(max=200)]
    )
    starts_on = DateField(
        _l("Début des ateliers"), validators=[DataRequired(_l("Indiquez une date."))]
    )
    ends_on = DateField(_l("Fin de l'édition"), validators=[DataRequired(_l("Indiquez une date."))])
    ceremony_at = DateTimeLocalField(
        _l("Cérémonie : date et heure"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Indiquez la date et l'heure de la cérémonie."))],
    )
    ceremony_venue = StringField(_l("Cérémonie : lieu"), validators=[Optional(), Length(max=200)])
    mail_from = EmailField(
        _l("Adresse d'expédition des messages (facultatif)"),
        validators=[
            Optional(),
            Email(_l("Cette adresse e-mail n'a pas l'air valide : vérifiez-la.")),
            Length(max=254),
        ],
        description=_l(
            "Par exemple festival@mediatheque.fr. Le serveur de messagerie de la médiathèque "
            "doit accepter d'envoyer depuis cette adresse. Vide : l'adresse par défaut du site."
        ),
    )
    upload_deadline = DateTimeLocalField(
        _l("Date limite d'envoi des films"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Indiquez la date limite d'envoi des films."))],
    )
    age_min = IntegerField(
        _l("Âge minimum"), default=14, validators=[DataRequired(), NumberRange(0, 99)]
    )
    age_max = IntegerField(
        _l("Âge maximum"), default=19, validators=[DataRequired(), NumberRange(0, 99)]
    )
    reference_date = DateField(
        _l("Date de référence pour l'âge"),
        validators=[Optional()],
        description=_l("Laissez vide pour calculer l'âge au jour de la cérémonie."),
    )
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[Optional(), NumberRange(min=1, message=_l("Au moins une place."))],
        description=_l("Au-delà, les inscriptions vont sur liste d'attente. Vide : sans limite."),
    )
    behind_missed_threshold = IntegerField(
        _l("Signaler en retard à partir de … ateliers manqués"),
        default=3,
        validators=[DataRequired(), NumberRange(min=1, max=10)],
    )


class NewEditionForm(EditionForm):
    copy_workshops_from = SelectField(
        _l("Ateliers"),
        coerce=int,
        choices=[],
        validate_choice=False,
        description=_l(
            "Reprendre les ateliers d'une édition passée : titres, salles et intervenant·es, "
            "aux mêmes jours de la semaine dans la nouvelle saison. À ajuster ensuite."
        ),
    )


class ConfirmSwitchForm(FlaskForm):
    confirm = BooleanField(
        _l("J'ai lu ce qui va changer."),
        validators=[DataRequired(_l("Cochez la case pour confirmer le changement d'édition."))],
    )
