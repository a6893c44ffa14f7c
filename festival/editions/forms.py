"""The edition's settings form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

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


def _web_link() -> list:
    """An optional https link someone pastes: the place's map, the booking page."""
    return [
        Optional(),
        URL(require_tld=True, message=_l("Ce lien n'a pas l'air valide : collez-le en entier.")),
        Regexp(r"^https?://", message=_l("Le lien doit commencer par https://.")),
        Length(max=300),
    ]


def _yes_no_unsaid(value):
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else value


class PlaceForm(FlaskForm):
    """A place of the festival: what visitors read on the public pages and in calendars."""

    name = StringField(
        _l("Nom du lieu"),
        validators=[DataRequired(_l("Donnez un nom au lieu.")), Length(max=200)],
        description=_l("Par exemple « Médiathèque Louise-Michel, auditorium »."),
    )
    street = StringField(_l("Adresse"), validators=[Optional(), Length(max=200)])
    postcode = StringField(
        _l("Code postal"),
        validators=[
            Optional(),
            Regexp(r"^\d{5}$", message=_l("Un code postal s'écrit en cinq chiffres.")),
        ],
    )
    town = StringField(_l("Commune"), validators=[Optional(), Length(max=100)])
    latitude = FloatField(
        _l("Latitude (facultatif)"),
        validators=[Optional(), NumberRange(-90, 90, _l("Une latitude va de -90 à 90."))],
        description=_l(
            "Sur openstreetmap.org, clic droit sur l'entrée → « Afficher l'adresse » : les deux "
            "nombres affichés. Sans eux, le lien de la carte cherche l'adresse."
        ),
    )
    longitude = FloatField(
        _l("Longitude (facultatif)"),
        validators=[Optional(), NumberRange(-180, 180, _l("Une longitude va de -180 à 180."))],
    )
    step_free = RadioField(
        _l("Accès pour les personnes à mobilité réduite"),
        choices=[
            SelectChoice("yes", _l("Oui : entrée et salle accessibles en fauteuil roulant")),
            SelectChoice("no", _l("Non, ou en partie (précisez ci-dessous)")),
            SelectChoice("", _l("Non précisé")),
        ],
        coerce=_yes_no_unsaid,
        default="",
        validators=[Optional()],
    )
    access_notes = TextAreaField(
        _l("Précisions sur l'accès"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Ascenseur, places réservées, boucle magnétique, entrée à utiliser…"),
    )
    capacity = IntegerField(
        _l("Jauge (facultatif)"),
        validators=[
            Optional(),
            NumberRange(1, 100000, _l("La jauge est un nombre de places, au moins 1.")),
        ],
        description=_l("Le nombre de places assises : il s'affiche pour le public."),
    )
    map_link = URLField(
        _l("Lien du plan (facultatif)"),
        validators=_web_link(),
        description=_l("Vide : un lien vers OpenStreetMap est fait à partir de l'adresse."),
    )


class CeremonyPlaceForm(PlaceForm):
    """Where the ceremony is (a place of the list, or this one edited) and how to get in."""

    other_venue = SelectField(
        _l("Ou choisir un autre lieu déjà saisi"), coerce=int, default=0, validators=[Optional()]
    )

    entry_free = BooleanField(_l("Entrée gratuite"), default=True)
    entry_booking = StringField(
        _l("Réservation"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Par exemple « Sans réservation, dans la limite des places » ou « Réservation "
            "conseillée à l'accueil ou au 01 23 45 67 89 »."
        ),
    )
    booking_url = URLField(
        _l("Lien de réservation (facultatif)"),
        validators=_web_link(),
    )


PICTURE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]


class IdentityForm(FlaskForm):
    library_name = StringField(
        _l("Nom de la médiathèque"),
        validators=[Optional(), Length(max=200)],
        description=_l("Tel qu'il figure sur les attestations et le bilan."),
    )
    town = StringField(_l("Commune"), validators=[Optional(), Length(max=100)])
    signatory_name = StringField(
        _l("Qui signe les attestations"), validators=[Optional(), Length(max=200)]
    )
    signatory_title = StringField(
        _l("Sa fonction"),
        validators=[Optional(), Length(max=200)],
        description=_l("Par exemple : Directrice de la médiathèque."),
    )
    logo = FileField(
        _l("Logo (PNG, JPEG ou WebP)"),
        validators=[FileAllowed(PICTURE_EXTENSIONS, _l("Choisissez une image PNG, JPEG ou WebP."))],
    )
    remove_logo = BooleanField(_l("Retirer le logo"))
    signature = FileField(
        _l("Signature scannée (PNG sur fond transparent de préférence)"),
        validators=[FileAllowed(PICTURE_EXTENSIONS, _l("Choisissez une image PNG, JPEG ou WebP."))],
    )
    remove_signature = BooleanField(_l("Retirer la signature"))
    school_zone = SelectField(
        _l("Zone de vacances scolaires"),
        choices=[
            SelectChoice("", _l("Ne pas vérifier les vacances scolaires")),
            SelectChoice("A", _l("Zone A (Lyon, Bordeaux, Grenoble…)")),
            SelectChoice("B", _l("Zone B (Lille, Marseille, Nantes…)")),
            SelectChoice("C", _l("Zone C (Paris, Créteil, Montpellier, Toulouse…)")),
        ],
        description=_l("Les ateliers tombant pendant les vacances de la zone sont signalés."),
    )
    closed_weekdays = SelectMultipleField(
        _l("Jours de fermeture chaque semaine"),
        choices=[
            SelectChoice(0, _l("lundi")),
            SelectChoice(1, _l("mardi")),
            SelectChoice(2, _l("mercredi")),
            SelectChoice(3, _l("jeudi")),
            SelectChoice(4, _l("vendredi")),
            SelectChoice(5, _l("samedi")),
            SelectChoice(6, _l("dimanche")),
        ],
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )
    closed_dates = TextAreaField(
        _l("Autres fermetures"),
        validators=[Optional(), Length(max=4000)],
        description=_l(
            "Une par ligne : « 07/05/2027 pont de l'Ascension » ou « 01/08/2027 au 20/08/2027 "
            "congés d'été »."
        ),
        render_kw={"rows": 4},
    )
