from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from festival.auth.passwords import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    login = StringField(
        _l("E-mail ou identifiant"),
        validators=[DataRequired(_l("Indiquez votre e-mail ou votre identifiant."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[DataRequired(_l("Indiquez votre mot de passe."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Rester connecté·e sur cet appareil"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code de connexion"),
        validators=[DataRequired(_l("Recopiez le code imprimé sur votre fiche."))],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "placeholder": "ABCD-2345",
            "spellcheck": "false",
        },
    )


class ConfirmCodeForm(FlaskForm):
    """Signing in from a QR code takes a button press, so link previewers cannot use it up."""


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[
            DataRequired(_l("Choisissez un mot de passe.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=_l("Au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Le même, une seconde fois"),
        validators=[EqualTo("password", _l("Les deux mots de passe ne sont pas identiques."))],
        render_kw={"autocomplete": "new-password"},
    )


class ForgottenPasswordForm(FlaskForm):
    email = StringField(
        _l("Votre adresse e-mail"),
        validators=[DataRequired(_l("Indiquez l'adresse e-mail de votre compte."))],
        render_kw={"autocomplete": "email", "inputmode": "email", "autocapitalize": "none"},
    )


class LogoutForm(FlaskForm):
    pass
