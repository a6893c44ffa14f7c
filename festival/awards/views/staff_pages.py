"""Staff's awards page: the prizes and the jury's grid, the deliberation, the palmarès'
publication, the audience vote's opening and its printed cards."""

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
from festival.awards import ballot_cards, certificate_batches, jury, palmares, prizes, vote
from festival.awards.labels import GRADE_LABELS, KIND_LABELS
from festival.awards.models import Award, AwardKind, Criterion, Grade, VoteStatus
from festival.awards.queries import ceremony_films
from festival.awards.views.blueprint import bp
from festival.editions.loader import (
    staff_edition_or_404,
)
from festival.errors import ValidationError
from festival.extensions import db
from festival.films.models import Film
from festival.forms import EmptyForm, form_action
from festival.responses import absolute_url, address_to_type, download
from festival.text import whole_number


def _back_to_admin(anchor: str = ""):
    return redirect(url_for("awards.awards_admin") + (f"#{anchor}" if anchor else ""))


def _staff_action(action, success: str, anchor: str):
    return form_action(action, success=success, back=url_for("awards.awards_admin") + f"#{anchor}")


@bp.route("/equipe/prix")
@staff_required
def awards_admin():
    edition = staff_edition_or_404()
    progress = prizes.awards_progress(edition)
    results = jury.deliberation(edition)
    return render_template(
        "awards/admin.html",
        edition=edition,
        progress=progress,
        awards=prizes.awards_of(edition),
        criteria=prizes.criteria_of(edition),
        results=results,
        jury_candidates=[r.film for r in results],
        jurors=jury.jurors(),
        vote=vote.vote_results(edition),
        ceremony_films=ceremony_films(edition),
        codes_count=vote.codes_count(edition),
        palmares_may_be_published=palmares.palmares_may_be_published(edition),
        KIND_LABELS=KIND_LABELS,
        GRADE_LABELS=GRADE_LABELS,
        Grade=Grade,
        AwardKind=AwardKind,
        VoteStatus=VoteStatus,
        certificate_batch=certificate_batches.latest_batch(edition),
        form=EmptyForm(),
    )


@bp.route("/equipe/prix/nouveau", methods=["POST"])
@staff_required
def award_add():
    edition = staff_edition_or_404()
    kind = request.form.get("kind")
    return _staff_action(
        lambda: prizes.add_award(
            edition,
            name=request.form.get("name", ""),
            kind=AwardKind(kind) if kind in set(AwardKind) else AwardKind.JURY,
        ),
        _("Le prix est ajouté."),
        "prix",
    )


def _award_or_404(award_id: int) -> Award:
    award = db.session.get(Award, award_id)
    edition = staff_edition_or_404()
    if award is None or award.edition_id != edition.id:
        abort(404)
    return award


@bp.route("/equipe/prix/<int:award_id>/supprimer", methods=["POST"])
@staff_required
def award_remove(award_id: int):
    award = _award_or_404(award_id)
    return _staff_action(lambda: prizes.remove_award(award), _("Le prix est supprimé."), "prix")


@bp.route("/equipe/prix/<int:award_id>/attribuer", methods=["POST"])
@staff_required
def award_assign(award_id: int):
    award = _award_or_404(award_id)
    raw = request.form.get("film_id", "")
    film_id = whole_number(raw)
    film = db.session.get(Film, film_id) if film_id is not None else None
    return _staff_action(
        lambda: jury.assign_award(award, film, mention=request.form.get("mention", "")),
        _("« %(award)s » est enregistré.", award=award.name),
        "deliberation",
    )


@bp.route("/equipe/prix/grille", methods=["POST"])
@staff_required
def criteria_save():
    edition = staff_edition_or_404()
    weights = {}
    for criterion in prizes.criteria_of(edition):
        raw = request.form.get(f"weight-{criterion.id}", "").replace(",", ".").strip()
        try:
            weights[criterion.id] = float(raw)
        except ValueError:
            weights[criterion.id] = None
    return _staff_action(
        lambda: prizes.set_criteria(edition, weights, new=request.form.get("new", "")),
        _("La grille est enregistrée."),
        "grille",
    )


@bp.route("/equipe/prix/grille/<int:criterion_id>/supprimer", methods=["POST"])
@staff_required
def criterion_remove(criterion_id: int):
    edition = staff_edition_or_404()
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None or criterion.edition_id != edition.id:
        abort(404)
    return _staff_action(
        lambda: prizes.remove_criterion(criterion, edition),
        _("Le critère est retiré de la grille."),
        "grille",
    )


@bp.route("/equipe/prix/deliberation", methods=["POST"])
@staff_required
def deliberation_close():
    edition = staff_edition_or_404()
    closing = request.form.get("action") != "reopen"
    return _staff_action(
        lambda: jury.close_deliberation(edition, closed=closing),
        _("La délibération est close : le jury voit maintenant toutes les notes.")
        if closing
        else _("La délibération est rouverte."),
        "deliberation",
    )


@bp.route("/equipe/prix/palmares", methods=["POST"])
@staff_required
def palmares_publish():
    edition = staff_edition_or_404()
    publishing = request.form.get("action") != "unpublish"
    return _staff_action(
        lambda: palmares.publish_palmares(edition, published=publishing),
        _("Le palmarès est publié.") if publishing else _("Le palmarès n'est plus public."),
        "palmares",
    )


@bp.route("/equipe/prix/vote", methods=["POST"])
@staff_required
def vote_status():
    edition = staff_edition_or_404()
    status = request.form.get("status")
    if status not in (VoteStatus.OPEN, VoteStatus.CLOSED):
        abort(400)
    back = request.form.get("back")
    response = _staff_action(
        lambda: vote.set_vote_status(edition, VoteStatus(status)),
        _("Le vote est ouvert.") if status == VoteStatus.OPEN else _("Le vote est clos."),
        "vote",
    )
    return redirect(url_for("awards.projection")) if back == "projection" else response


@bp.route("/equipe/prix/cartes", methods=["POST"])
@staff_required
def vote_cards():
    """New codes, printed at once as cards with their QR code (the codes exist only there)."""
    edition = staff_edition_or_404()
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return _back_to_admin("vote")
    raw = request.form.get("count", "").strip()
    try:
        codes = vote.generate_codes(edition, whole_number(raw, digits=5) or 0)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to_admin("vote")
    db.session.commit()
    pdf = ballot_cards.ballot_cards_pdf(
        edition,
        codes,
        lambda code: absolute_url("awards.ballot", code=code),
        vote_address=address_to_type(absolute_url("awards.ballot_start")),
    )
    return download(pdf, f"cartes-de-vote-{edition.year}.pdf", "application/pdf")
