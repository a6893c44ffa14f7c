"""The jury's pages: the retained films as staff approved them, each juror's scores and comments,
the deliberation's table."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from festival.auth.decorators import roles_required
from festival.auth.models import Role
from festival.awards import jury, prizes
from festival.awards.models import Criterion
from festival.awards.queries import jury_films
from festival.awards.views.blueprint import bp
from festival.editions.loader import (
    current_edition_or_404,
)
from festival.error_handlers import wants_json
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import labels as film_labels
from festival.films import publication
from festival.films.models import Film
from festival.films.publication import Surface
from festival.forms import EmptyForm
from festival.text import whole_number


@bp.route("/jury/films")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_film_list():
    edition = current_edition_or_404()
    if current_user.role == Role.JURY:
        listing = jury.juror_films(current_user, edition)
    else:
        total = len(prizes.criteria_of(edition))
        listing = [jury.JurorFilm(f, 0, total, None) for f in jury_films(edition)]
    return render_template(
        "awards/jury_films.html",
        edition=edition,
        listing=listing,
        is_juror=current_user.role == Role.JURY,
        progress=prizes.awards_progress(edition),
        team_of=lambda film: publication.credits_for(Surface.JURY, film),
        thumbnail_of=lambda film: publication.still_for(Surface.JURY, film),
    )


def _jury_film_or_404(film_id: int) -> Film:
    film = db.session.get(Film, film_id)
    if film is None or not publication.may_see(Surface.JURY, film):
        abort(404)
    return film


@bp.route("/jury/films/<int:film_id>")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_film(film_id: int):
    film = _jury_film_or_404(film_id)
    is_juror = current_user.role == Role.JURY
    review = jury.review_of(current_user, film) if is_juror else None
    criteria = prizes.criteria_of(film.edition)
    return render_template(
        "awards/jury_film.html",
        film=film,
        player_title=publication.shown_title(film),
        current=film.screened_version,
        chosen=publication.still_for(Surface.JURY, film),
        team=publication.credits_for(Surface.JURY, film),
        role_labels=film_labels.ROLE_LABELS,
        music_labels=film_labels.MUSIC_LABELS,
        is_juror=is_juror,
        criteria=criteria,
        scores=jury.scores_of(current_user, film) if is_juror else {},
        review=review,
        progress=prizes.awards_progress(film.edition),
        form=EmptyForm(),
    )


def _scores_from(form, criteria: list[Criterion]) -> dict[int, int | None]:
    scores: dict[int, int | None] = {}
    for criterion in criteria:
        name = f"score-{criterion.id}"
        if name not in form:
            continue
        raw = form.get(name, "").strip()
        scores[criterion.id] = whole_number(raw, digits=2)
    return scores


@bp.route("/jury/films/<int:film_id>/notes", methods=["POST"])
@roles_required(Role.JURY)
def jury_save(film_id: int):
    """Saved as the juror goes (the page's script sends each change; without it, the button)."""
    film = _jury_film_or_404(film_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    declared = request.form.get("conflict_declared") == "1"
    try:
        jury.save_review(
            current_user,
            film,
            scores=_scores_from(request.form, prizes.criteria_of(film.edition)),
            comment=request.form.get("comment"),
            conflict=(request.form.get("conflict") or _("lien déclaré")) if declared else "",
        )
    except (ValidationError, PermissionDenied) as error:
        db.session.rollback()
        if wants_json():
            fields = getattr(error, "fields", {})
            return jsonify(error={"message": error.message, "fields": fields}), 422
        flash(error.message, "error")
        return redirect(url_for("awards.jury_film", film_id=film.id))
    db.session.commit()
    if wants_json():
        return jsonify(message=_("Enregistré."))
    flash(_("Vos notes sont enregistrées."), "success")
    return redirect(url_for("awards.jury_film", film_id=film.id))


@bp.route("/jury/deliberation")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_deliberation():
    """The jurors see everyone's scores once the deliberation is closed, not before."""
    edition = current_edition_or_404()
    progress = prizes.awards_progress(edition)
    if current_user.role == Role.JURY and progress.deliberation_closed_at is None:
        abort(403, _("Les notes des autres membres du jury seront visibles après la délibération."))
    return render_template(
        "awards/deliberation_read.html",
        edition=edition,
        criteria=prizes.criteria_of(edition),
        results=jury.deliberation(edition),
        awards=prizes.awards_of(edition),
    )
