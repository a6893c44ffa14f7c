"""Staff register last seasons' participants again from a list."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from festival.auth.decorators import staff_required
from festival.editions.loader import staff_edition_or_404
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm
from festival.people import (
    guardians,
    returning,
)
from festival.people.labels import (
    STATUS_LABELS,
)
from festival.people.views.blueprint import bp, participant_or_404


@bp.route("/equipe/participants/anciens")
@staff_required
def returning_list():
    edition = staff_edition_or_404()
    query = request.args.get("q", "").strip().lower()
    candidates, too_old = returning.returning_candidates(edition)
    if query:
        candidates = [c for c in candidates if query in c.previous.full_name.lower()]
    return render_template(
        "people/returning.html",
        edition=edition,
        candidates=candidates,
        too_old=too_old,
        has_earlier=returning.has_earlier_editions(edition),
        query=query,
        action_form=EmptyForm(),
        STATUS_LABELS=STATUS_LABELS,
    )


@bp.route("/equipe/participants/anciens/<int:participant_id>/reinscrire", methods=["POST"])
@staff_required
def returning_register(participant_id: int):
    previous = participant_or_404(participant_id)
    edition = staff_edition_or_404()
    back = url_for("people.returning_list", q=request.form.get("q") or None)
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(back)
    try:
        participant = returning.register_again(previous, edition, recorded_by=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    if guardians.waiting_for_guardian(participant) and participant.guardian_email:
        flash(
            _(
                "%(name)s est réinscrit·e. Le lien des autorisations est envoyé à %(email)s ; "
                "confirmez l'inscription une fois la réponse reçue.",
                name=participant.full_name,
                email=participant.guardian_email,
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(name)s est réinscrit·e. Recueillez les autorisations de cette saison, puis "
                "confirmez l'inscription.",
                name=participant.full_name,
            ),
            "success",
        )
    return redirect(back)
