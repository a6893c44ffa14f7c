"""Online registration: the public's form, and the link that confirms the teen's address."""

from __future__ import annotations

from flask import (
    render_template,
)

from festival.clock import local_now
from festival.editions.services import current_edition
from festival.errors import ValidationError
from festival.extensions import db, limiter
from festival.forms import show_validation_error
from festival.people import (
    addresses,
    queries,
    registration,
)
from festival.people.forms import (
    PublicRegistrationForm,
)
from festival.people.views.blueprint import bp


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    edition = current_edition()
    if edition is None or edition.ceremony_is_over(local_now()):
        return render_template("people/registration_closed.html", edition=edition), 200
    form = PublicRegistrationForm()
    if form.validate_on_submit():
        data = form.registration_data()
        try:
            participant = registration.register_participant(
                edition, data, recorded_by=None, online=True
            )
        except registration.AlreadyRegistered:
            db.session.commit()  # staff see it on the person's page; the form says the same
            return _registration_received(edition, data)
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            return _registration_received(edition, data, participant)
    return render_template(
        "people/register.html", form=form, edition=edition, full=queries.is_full(edition)
    )


@bp.route("/inscription/adresse/<token>")
@limiter.limit("30 per hour")
def confirm_email(token: str):
    participant = addresses.confirm_address(token)
    if participant is None:
        db.session.rollback()
        return render_template("people/email_confirmed.html", participant=None), 404
    db.session.commit()
    return render_template("people/email_confirmed.html", participant=participant)


def _registration_received(edition, data, participant=None):
    """The same page whether the registration is new or repeats one already there."""
    return render_template(
        "people/registration_done.html",
        first_name=data.first_name.strip(),
        with_account=data.password is not None,
        edition=edition,
        waiting_position=queries.waiting_position(participant)
        if participant is not None
        else queries.next_waiting_position(edition),
    )
