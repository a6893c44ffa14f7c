"""The teen's own space: her registration, films and workshops at a glance, registering again next
season, her reminders."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from festival.auth.decorators import roles_required
from festival.auth.models import Role
from festival.editions.services import current_edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, form_action, show_validation_error
from festival.people import (
    age,
    consent_rules,
    queries,
    registration,
    returning,
)
from festival.people.forms import (
    ConsentsForm,
)
from festival.people.labels import (
    CONSENT_LABELS,
    STATUS_LABELS,
)
from festival.people.models import (
    Participant,
)
from festival.people.pages import participant_page_context
from festival.people.views.blueprint import bp, my_participant


@bp.route("/mon-espace")
@roles_required(Role.PARTICIPANT)
def my_space():
    participant = my_participant()
    return render_template(
        "people/my_space.html",
        participant=participant,
        **participant_page_context(participant),
        age=age.participant_age(participant),
        consent_states=consent_rules.consent_states(participant),
        waiting_position=queries.waiting_position(participant),
        STATUS_LABELS=STATUS_LABELS,
        CONSENT_LABELS=CONSENT_LABELS,
        action_form=EmptyForm(),
        next_edition=_edition_to_join(participant),
    )


def _edition_to_join(participant: Participant):
    edition = current_edition()
    return edition if returning.can_register_again(participant, edition) else None


@bp.route("/mon-espace/reinscription", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
def my_registration_again():
    """A teen of an earlier season registers for the new one: her details carry over, she
    answers the consents again (and her guardian is asked online when she is a minor)."""
    previous = my_participant()
    edition = _edition_to_join(previous)
    if edition is None:
        flash(
            _("Il n'y a pas de nouvelle édition à laquelle vous inscrire pour l'instant."), "info"
        )
        return redirect(url_for("people.my_space"))
    form = ConsentsForm()
    if form.validate_on_submit():
        try:
            returning.register_again(
                previous, edition, recorded_by=None, consents=form.consent_decisions()
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(
                _("C'est noté : votre inscription à %(title)s est envoyée.", title=edition.title),
                "success",
            )
            return redirect(url_for("people.my_space"))
    return render_template(
        "people/register_again.html",
        form=form,
        previous=previous,
        edition=edition,
        minor=age.is_minor(previous.birth_date),
    )


@bp.route("/mon-espace/rappels", methods=["POST"])
@roles_required(Role.PARTICIPANT)
def my_reminders():
    participant = my_participant()
    wanted = request.form.get("wanted") == "1"
    return form_action(
        lambda: registration.set_workshop_reminders(participant, wanted),
        success=_("Vous recevrez un rappel deux jours avant chaque atelier.")
        if wanted
        else _("Les rappels sont arrêtés."),
        back=url_for("people.my_space"),
    )
