"""The ceremony hall: the projection of the vote and the reveal, and the audience's ballot opened
from a printed card."""

from __future__ import annotations

import segno
from flask import (
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from festival.auth.decorators import staff_required
from festival.awards import palmares, prizes, vote
from festival.awards.labels import GRADE_LABELS
from festival.awards.models import Grade, VoteStatus
from festival.awards.queries import ceremony_films
from festival.awards.views.blueprint import bp
from festival.editions.loader import (
    staff_edition_or_404,
)
from festival.extensions import db
from festival.forms import EmptyForm
from festival.responses import absolute_url, address_to_type


@bp.route("/equipe/prix/projection")
@staff_required
def projection():
    """The room's screen: the big QR code while the vote is open, then results and reveal."""
    edition = staff_edition_or_404()
    progress = prizes.awards_progress(edition)
    vote_url = absolute_url("awards.ballot_start")
    return render_template(
        "awards/projection.html",
        edition=edition,
        progress=progress,
        VoteStatus=VoteStatus,
        qr_svg=segno.make(vote_url, error="m").svg_inline(scale=12, dark="#111", light="#fff"),
        vote_url=vote_url,
        vote_address=address_to_type(vote_url),
        results=vote.vote_results(edition),
        entries=palmares.palmares_entries(edition),
        GRADE_LABELS=GRADE_LABELS,
        Grade=Grade,
        form=EmptyForm(),
    )


@bp.route("/equipe/prix/projection/etat.json")
@staff_required
def projection_state():
    edition = staff_edition_or_404()
    progress = prizes.awards_progress(edition)
    response = jsonify(status=progress.vote_status.value, ballots=vote.ballots_count(edition))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/vote")
def ballot_start():
    """The address on the room's screen: type the code of your card."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("awards.ballot", code=vote.normalise_code(code)))
    return render_template("awards/ballot_start.html")


@bp.route("/vote/<code>", methods=["GET", "POST"])
def ballot(code: str):
    """The ballot a card's QR code opens, with the code filled in: every film, six grades."""
    edition = vote.edition_of_code(code)
    if edition is None:
        flash(_("Ce code n'existe pas : vérifiez-le sur votre carte."), "error")
        return redirect(url_for("awards.ballot_start"))
    progress = prizes.awards_progress(edition)
    films_to_grade = ceremony_films(edition)
    chosen: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
            return redirect(url_for("awards.ballot", code=code))
        chosen = {
            key.removeprefix("grade-"): value
            for key, value in request.form.items()
            if key.startswith("grade-")
        }
        try:
            vote.cast_ballot(code, chosen)
        except vote.VoteRefused as refusal:
            db.session.rollback()
            if refusal.code == "code_used":
                return render_template("awards/ballot_done.html", already=True), 409
            flash(refusal.message, "error")
            if refusal.field:
                errors[refusal.field.removeprefix("grades.")] = refusal.message
        else:
            return render_template("awards/ballot_done.html", already=False), 201
    else:
        db.session.commit()
    status = 200 if not errors else 422
    return (
        render_template(
            "awards/ballot.html",
            code=vote.normalise_code(code),
            shown_code=vote.format_code(vote.normalise_code(code)),
            progress=progress,
            films=films_to_grade,
            used=vote.code_is_used(code),
            chosen=chosen,
            errors=errors,
            Grade=Grade,
            GRADE_LABELS=GRADE_LABELS,
            VoteStatus=VoteStatus,
            form=EmptyForm(),
        ),
        status,
    )
