"""Helpers shared by every domain's forms."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from festival.errors import ValidationError
from festival.extensions import db

# What a browser's <input type="datetime-local"> sends, with or without seconds.
DATETIME_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

# Service field names that a form calls differently.
FIELD_ALIASES = {
    "consents.participation": "consent_participation",
    "consents.screening": "consent_screening",
    "consents.online": "consent_online",
}


def show_validation_error(form: FlaskForm, error: ValidationError) -> None:
    """Put a service's refusal next to the fields it names; what no field matches is flashed."""
    placed = False
    for name, message in error.fields.items():
        field = getattr(form, FIELD_ALIASES.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, tuple):
                field.errors = list(field.errors)
            field.errors.append(message)
            placed = True
    if not placed:
        flash(error.message, "error")


def flash_form_errors(form: FlaskForm) -> None:
    """A form posted from a page section (a file, a budget line) says what is wrong up top,
    since the redirect back to the page loses the form."""
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for action buttons."""


def form_action(action: Callable[[], object], *, success: str, back: str):
    """A button's operation: the form's token checked, a refusal said in its own words, one
    commit, and back to the page (`back`) either way."""
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(back)
    try:
        action()
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(back)
