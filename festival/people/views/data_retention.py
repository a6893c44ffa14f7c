"""Personal data's end: how long it is kept, the purge of an edition, and erasing one person."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from festival.auth.decorators import staff_required
from festival.clock import local_now
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm
from festival.people import (
    privacy,
    retention,
)
from festival.people.forms import (
    EraseForm,
)
from festival.people.views.blueprint import bp, participant_or_404


@bp.route("/equipe/donnees")
@staff_required
def retention_page():
    months = current_app.config["PERSONAL_DATA_RETENTION_MONTHS"]
    return render_template(
        "people/retention.html",
        rows=retention.retention_schedule(months),
        months=months,
        now=local_now(),
        action_form=EmptyForm(),
    )


@bp.route("/equipe/donnees/<int:edition_id>/effacer", methods=["POST"])
@staff_required
def retention_purge(edition_id: int):
    edition = db.session.get(Edition, edition_id) or abort(404)
    back = redirect(url_for("people.retention_page"))
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return back
    if request.form.get("confirm") != str(edition.year):
        flash(
            _(
                "Pour effacer, tapez l'année de l'édition (%(year)s) dans la case.",
                year=edition.year,
            ),
            "error",
        )
        return back
    try:
        count = retention.purge_early(edition, local_now())
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    flash(
        _(
            "Les données personnelles de %(n)s participant·es de %(year)s sont effacées.",
            n=count,
            year=edition.year,
        ),
        "success",
    )
    return back


@bp.route("/equipe/participants/<int:participant_id>/effacer", methods=["POST"])
@staff_required
def participant_erase(participant_id: int):
    participant = participant_or_404(participant_id)
    form = EraseForm()
    if not form.validate_on_submit():
        flash(_("Cochez la case de confirmation pour effacer les données."), "error")
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    erased = privacy.erase_person(participant)
    db.session.commit()
    flash(
        _(
            "Les données personnelles ont été effacées (%(n)s inscription(s), toutes éditions "
            "confondues). Les statistiques de présence restent, anonymes.",
            n=len(erased),
        ),
        "success",
    )
    return redirect(url_for("people.participant_list"))
