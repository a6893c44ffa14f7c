from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from festival.auth.passwords import MIN_PASSWORD_LENGTH
from festival.people.labels import CONSENT_LABELS
from festival.people.models import ConsentKind
from festival.people.registration import RegistrationData

optional_email = [Optional(), Email(_l("Cette adresse e-mail n'a pas l'air valide : vérifiez-la."))]


class ParticipantDetailsForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[DataRequired(_l("Indiquez le prénom.")), Length(max=100)],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Nom"),
        validators=[DataRequired(_l("Indiquez le nom.")), Length(max=100)],
        render_kw={"autocomplete": "family-name"},
    )
    birth_date = DateField(
        _l("Date de naissance"),
        validators=[DataRequired(_l("Indiquez la date de naissance (jour, mois, année)."))],
        render_kw={"autocomplete": "bday"},
    )
    email = EmailField(_l("E-mail"), validators=optional_email, render_kw={"autocomplete": "email"})
    phone = StringField(
        _l("Téléphone"), validators=[Optional(), Length(max=40)], render_kw={"autocomplete": "tel"}
    )
    guardian_name = StringField(
        _l("Nom du ou de la responsable légal·e"), validators=[Optional(), Length(max=200)]
    )
    guardian_email = EmailField(_l("E-mail du ou de la responsable"), validators=optional_email)
    guardian_phone = StringField(
        _l("Téléphone du ou de la responsable"), validators=[Optional(), Length(max=40)]
    )


LIBRARY_CARD_CHOICES = [
    SelectChoice("", _l("Je ne sais pas")),
    SelectChoice("yes", _l("Oui")),
    SelectChoice("no", _l("Non")),
]


def card_answer(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class ReportFields:
    """Optional, for the report the library owes its town council: nothing else uses them."""

    commune = StringField(
        _l("Commune de résidence (facultatif)"),
        validators=[Optional(), Length(max=100)],
        render_kw={"autocomplete": "address-level2"},
    )
    had_library_card = RadioField(
        _l("Avez-vous déjà une carte de la médiathèque ? (facultatif)"),
        choices=LIBRARY_CARD_CHOICES,
        default="",
        validate_choice=False,
    )


class ConsentFields:
    consent_participation = BooleanField(CONSENT_LABELS[ConsentKind.PARTICIPATION])
    consent_screening = BooleanField(CONSENT_LABELS[ConsentKind.SCREENING])
    consent_online = BooleanField(CONSENT_LABELS[ConsentKind.ONLINE])

    def consent_decisions(self) -> dict[ConsentKind, bool]:
        return {
            ConsentKind.PARTICIPATION: bool(self.consent_participation.data),
            ConsentKind.SCREENING: bool(self.consent_screening.data),
            ConsentKind.ONLINE: bool(self.consent_online.data),
        }


class PublicRegistrationForm(ConsentFields, ReportFields, ParticipantDetailsForm):
    workshop_reminders = BooleanField(
        _l("M'envoyer un rappel par e-mail deux jours avant chaque atelier")
    )
    password = PasswordField(
        _l("Mot de passe (facultatif)"),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
        description=_l(
            "Pour suivre votre inscription et envoyer votre film depuis votre téléphone."
            " Votre identifiant sera votre e-mail."
        ),
        render_kw={"autocomplete": "new-password"},
    )

    def registration_data(self) -> RegistrationData:
        return RegistrationData(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            birth_date=self.birth_date.data,
            email=self.email.data,
            phone=self.phone.data,
            guardian_name=self.guardian_name.data,
            guardian_email=self.guardian_email.data,
            guardian_phone=self.guardian_phone.data,
            consents=self.consent_decisions(),
            password=self.password.data or None,
            # Messages are written in the language the form was filled in.
            language=str(get_locale() or "fr"),
            workshop_reminders=bool(self.workshop_reminders.data),
            commune=(self.commune.data or "").strip() or None,
            had_library_card=card_answer(self.had_library_card.data),
        )


ACCOUNT_NONE, ACCOUNT_PASSWORD, ACCOUNT_CODE = "none", "password", "code"


class DeskRegistrationForm(PublicRegistrationForm):
    account = RadioField(
        _l("Compte personnel"),
        choices=[
            SelectChoice(ACCOUNT_NONE, _l("Pas de compte pour l'instant")),
            SelectChoice(ACCOUNT_PASSWORD, _l("Avec un mot de passe (identifiant : l'e-mail)")),
            SelectChoice(ACCOUNT_CODE, _l("Avec un code de connexion à imprimer (sans e-mail)")),
        ],
        default=ACCOUNT_NONE,
    )

    def registration_data(self) -> RegistrationData:
        data = super().registration_data()
        if self.account.data != ACCOUNT_PASSWORD:
            data.password = None
        return data


class ParticipantEditForm(ReportFields, ParticipantDetailsForm):
    library_card_during_festival = BooleanField(
        _l("A pris sa carte de la médiathèque pendant le festival")
    )


class ConsentsForm(ConsentFields, FlaskForm):
    pass


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("Je confirme l'effacement définitif des données personnelles."),
        validators=[DataRequired(_l("Cochez la case pour confirmer l'effacement."))],
    )


class ImportFileForm(FlaskForm):
    spreadsheet = FileField(
        _l("Fichier de la liste (.xlsx, .ods, .xls ou .csv)"),
        validators=[
            FileRequired(_l("Choisissez le fichier de la liste.")),
            FileAllowed(
                ["csv", "txt", "xlsx", "xls", "ods", "numbers"],  # Numbers gets a way out
                _l(
                    "Choisissez un fichier .xlsx, .ods, .xls ou .csv (enregistrez-le ainsi depuis "
                    "le tableur)."
                ),
            ),
        ],
    )


class ImportConfirmForm(FlaskForm):
    sealed_table = HiddenField()
