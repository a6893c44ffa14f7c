"""The guardian's link: staff send it, she opens it from her email and answers for her child."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from festival.auth.decorators import staff_required
from festival.errors import ValidationError
from festival.extensions import db, limiter
from festival.forms import EmptyForm
from festival.people import (
    guardians,
    queries,
)
from festival.people.labels import (
    CONSENT_LABELS,
)
from festival.people.models import (
    ConsentKind,
)
from festival.people.views.blueprint import bp, participant_or_404


@bp.route("/autorisation/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def guardian_consents(token: str):
    """The guardian's page: the three consents in plain words, each granted or refused."""
    link = guardians.link_for(token)
    if link is None:
        return render_template("people/guardian_link_gone.html"), 410
    participant = link.participant
    # Nothing is ticked in advance: a guardian's consent is given, never presumed from the
    # teen's form; a later link shows what the guardian answered before.
    current = participant.current_consents()
    chosen = {
        kind: (c.granted if c and c.guardian_link_id else None) for kind, c in current.items()
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        decisions = {
            kind: request.form[f"consent_{kind.value}"] == "yes"
            for kind in ConsentKind
            if request.form.get(f"consent_{kind.value}") in ("yes", "no")
        }
        chosen.update(decisions)
        try:
            guardians.answer(link, decisions)
        except ValidationError as error:
            db.session.rollback()
            errors = error.fields
        else:
            db.session.commit()
            return render_template(
                "people/guardian_done.html",
                participant=participant,
                waiting_position=queries.waiting_position(participant),
                decisions=decisions,
                CONSENT_LABELS=CONSENT_LABELS,
            )
    return (
        render_template(
            "people/guardian_consents.html",
            participant=participant,
            edition=participant.edition,
            waiting_position=queries.waiting_position(participant),
            chosen=chosen,
            errors=errors,
            ConsentKind=ConsentKind,
            CONSENT_LABELS=CONSENT_LABELS,
            form=EmptyForm(),
        ),
        422 if errors else 200,
    )


@bp.route("/equipe/participants/<int:participant_id>/lien-responsable", methods=["POST"])
@staff_required
def guardian_link_send(participant_id: int):
    participant = participant_or_404(participant_id)
    if EmptyForm().validate_on_submit():
        try:
            guardians.send_guardian_link(participant)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Le lien est envoyé à %(email)s.", email=participant.guardian_email), "success")
    return redirect(url_for("people.participant_detail", participant_id=participant.id))
