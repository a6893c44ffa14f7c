"""Staff's review: the edition's films, the decision, consent holds, a web version made again."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from festival.auth.decorators import staff_required
from festival.editions.loader import staff_edition_or_404
from festival.errors import ValidationError
from festival.extensions import db
from festival.films import labels, pipeline, review, services, tasks
from festival.films.forms import (
    DecisionForm,
)
from festival.films.models import ReviewDecision
from festival.films.views.blueprint import bp, film_context, film_or_404, problem_message
from festival.forms import EmptyForm, show_validation_error


@bp.route("/equipe/films")
@staff_required
def film_list():
    edition = staff_edition_or_404()
    films = services.edition_films(edition)
    return render_template(
        "films/staff_list.html",
        edition=edition,
        films=films,
        status_of=services.film_status,
        labels=labels.STATUS_LABELS,
        team_of=services.team_by_person,
        thumbnail_of=services.chosen_thumbnail,
        awaiting_of=review.changes_awaiting_approval,
        problem_message=problem_message,
    )


@bp.route("/equipe/films/<int:film_id>", methods=["GET", "POST"])
@staff_required
def film_review(film_id: int):
    film = film_or_404(film_id)
    form = DecisionForm(
        decision=film.decision.value if film.decision else None, note=film.decision_note
    )
    if form.validate_on_submit():
        try:
            review.decide(
                film, ReviewDecision(form.decision.data), note=form.note.data or "", by=current_user
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("Décision enregistrée : l'équipe du film la verra sur sa page."), "success")
            return redirect(url_for("films.film_list"))
    return render_template("films/review.html", form=form, **film_context(film))


@bp.route("/equipe/films/<int:film_id>/reserves/<int:participant_id>", methods=["POST"])
@staff_required
def film_release_hold(film_id: int, participant_id: int):
    film = film_or_404(film_id)
    if EmptyForm().validate_on_submit():
        services.release_consent_hold(film, participant_id, by=current_user)
        db.session.commit()
        flash(_("Réserve levée : ses autorisations ne s'appliquent plus à ce film."), "success")
    return redirect(url_for("films.film_review", film_id=film.id))


@bp.route("/equipe/films/<int:film_id>/v<int:number>/version-web", methods=["POST"])
@staff_required
def film_retry_rendition(film_id: int, number: int):
    """A rendition that failed (a full disk, a killed worker) is made again from the original."""
    film = film_or_404(film_id)
    version = next((v for v in film.versions if v.number == number), None)
    if version is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        if pipeline.prepare_rendition_again(version):
            db.session.commit()
            tasks.process_version(version.id)
            flash(_("La version web est de nouveau en préparation."), "success")
        else:
            flash(_("La version web de cette version n'est pas à refaire."), "info")
    return redirect(url_for("films.film_review", film_id=film.id))
