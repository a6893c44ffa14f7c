"""The awards' pages: the jury's films and scores, the staff's prizes and deliberation, the
audience's ballot, the projection's vote and reveal, the public palmarès, the certificates."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
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

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.awards import certificates, services
from festival.awards.labels import GRADE_LABELS, KIND_LABELS
from festival.awards.models import Award, AwardKind, Criterion, Grade, VoteStatus
from festival.awards.queries import ceremony_films
from festival.caching import rendered
from festival.editions.loader import (
    current_edition_or_404,
    edition_of_year_or_404,
    staff_edition_or_404,
)
from festival.error_handlers import wants_json
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import labels as film_labels
from festival.films import publication
from festival.films.models import Film
from festival.films.publication import Surface
from festival.forms import EmptyForm, form_action
from festival.people.models import Participant
from festival.programme import lineup
from festival.responses import absolute_url, address_to_type, download
from festival.text import whole_number

bp = Blueprint("awards", __name__)


# ---------------------------------------------------------------- the jury


@bp.route("/jury/films")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_film_list():
    edition = current_edition_or_404()
    if current_user.role == Role.JURY:
        listing = services.juror_films(current_user, edition)
    else:
        total = len(services.criteria_of(edition))
        listing = [services.JurorFilm(f, 0, total, None) for f in services.jury_films(edition)]
    db.session.commit()
    return render_template(
        "awards/jury_films.html",
        edition=edition,
        listing=listing,
        is_juror=current_user.role == Role.JURY,
        ceremony=services.ceremony_for(edition),
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
    review = services.review_of(current_user, film) if is_juror else None
    criteria = services.criteria_of(film.edition)
    db.session.commit()
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
        scores=services.scores_of(current_user, film) if is_juror else {},
        review=review,
        ceremony=services.ceremony_for(film.edition),
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
        services.save_review(
            current_user,
            film,
            scores=_scores_from(request.form, services.criteria_of(film.edition)),
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
    ceremony = services.ceremony_for(edition)
    if current_user.role == Role.JURY and ceremony.deliberation_closed_at is None:
        abort(403, _("Les notes des autres membres du jury seront visibles après la délibération."))
    db.session.commit()
    return render_template(
        "awards/deliberation_read.html",
        edition=edition,
        criteria=services.criteria_of(edition),
        results=services.deliberation(edition),
        awards=services.awards_of(edition),
    )


# ---------------------------------------------------------------- staff: prizes and deliberation


@bp.route("/equipe/prix")
@staff_required
def awards_admin():
    edition = staff_edition_or_404()
    ceremony = services.ceremony_for(edition)
    db.session.commit()
    results = services.deliberation(edition)
    return render_template(
        "awards/admin.html",
        edition=edition,
        ceremony=ceremony,
        awards=services.awards_of(edition),
        criteria=services.criteria_of(edition),
        results=results,
        jury_candidates=[r.film for r in results],
        jurors=services.jurors(),
        vote=services.vote_results(edition),
        ceremony_films=ceremony_films(edition),
        codes_count=services.codes_count(edition),
        palmares_may_be_published=services.palmares_may_be_published(edition),
        KIND_LABELS=KIND_LABELS,
        GRADE_LABELS=GRADE_LABELS,
        Grade=Grade,
        AwardKind=AwardKind,
        VoteStatus=VoteStatus,
        form=EmptyForm(),
    )


def _back_to_admin(anchor: str = ""):
    return redirect(url_for("awards.awards_admin") + (f"#{anchor}" if anchor else ""))


def _staff_action(action, success: str, anchor: str):
    return form_action(action, success=success, back=url_for("awards.awards_admin") + f"#{anchor}")


@bp.route("/equipe/prix/nouveau", methods=["POST"])
@staff_required
def award_add():
    edition = staff_edition_or_404()
    kind = request.form.get("kind")
    return _staff_action(
        lambda: services.add_award(
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
    return _staff_action(lambda: services.remove_award(award), _("Le prix est supprimé."), "prix")


@bp.route("/equipe/prix/<int:award_id>/attribuer", methods=["POST"])
@staff_required
def award_assign(award_id: int):
    award = _award_or_404(award_id)
    raw = request.form.get("film_id", "")
    film_id = whole_number(raw)
    film = db.session.get(Film, film_id) if film_id is not None else None
    return _staff_action(
        lambda: services.assign_award(award, film, mention=request.form.get("mention", "")),
        _("« %(award)s » est enregistré.", award=award.name),
        "deliberation",
    )


@bp.route("/equipe/prix/grille", methods=["POST"])
@staff_required
def criteria_save():
    edition = staff_edition_or_404()
    weights = {}
    for criterion in services.criteria_of(edition):
        raw = request.form.get(f"weight-{criterion.id}", "").replace(",", ".").strip()
        try:
            weights[criterion.id] = float(raw)
        except ValueError:
            weights[criterion.id] = None
    return _staff_action(
        lambda: services.set_criteria(edition, weights, new=request.form.get("new", "")),
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
        lambda: services.remove_criterion(criterion, edition),
        _("Le critère est retiré de la grille."),
        "grille",
    )


@bp.route("/equipe/prix/deliberation", methods=["POST"])
@staff_required
def deliberation_close():
    edition = staff_edition_or_404()
    closing = request.form.get("action") != "reopen"
    return _staff_action(
        lambda: services.close_deliberation(edition, closed=closing),
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
        lambda: services.publish_palmares(edition, published=publishing),
        _("Le palmarès est publié.") if publishing else _("Le palmarès n'est plus public."),
        "palmares",
    )


# ---------------------------------------------------------------- staff: the audience vote


@bp.route("/equipe/prix/vote", methods=["POST"])
@staff_required
def vote_status():
    edition = staff_edition_or_404()
    status = request.form.get("status")
    if status not in (VoteStatus.OPEN, VoteStatus.CLOSED):
        abort(400)
    back = request.form.get("back")
    response = _staff_action(
        lambda: services.set_vote_status(edition, VoteStatus(status)),
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
        codes = services.generate_codes(edition, whole_number(raw, digits=5) or 0)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _back_to_admin("vote")
    db.session.commit()
    pdf = certificates.ballot_cards_pdf(
        edition,
        codes,
        lambda code: absolute_url("awards.ballot", code=code),
        vote_address=address_to_type(absolute_url("awards.ballot_start")),
    )
    return download(pdf, f"cartes-de-vote-{edition.year}.pdf", "application/pdf")


@bp.route("/equipe/prix/projection")
@staff_required
def projection():
    """The room's screen: the big QR code while the vote is open, then results and reveal."""
    edition = staff_edition_or_404()
    ceremony = services.ceremony_for(edition)
    db.session.commit()
    vote_url = absolute_url("awards.ballot_start")
    return render_template(
        "awards/projection.html",
        edition=edition,
        ceremony=ceremony,
        VoteStatus=VoteStatus,
        qr_svg=segno.make(vote_url, error="m").svg_inline(scale=12, dark="#111", light="#fff"),
        vote_url=vote_url,
        vote_address=address_to_type(vote_url),
        results=services.vote_results(edition),
        entries=services.palmares_entries(edition),
        GRADE_LABELS=GRADE_LABELS,
        Grade=Grade,
        form=EmptyForm(),
    )


@bp.route("/equipe/prix/projection/etat.json")
@staff_required
def projection_state():
    edition = staff_edition_or_404()
    ceremony = services.ceremony_for(edition)
    db.session.commit()
    response = jsonify(status=ceremony.vote_status.value, ballots=services.ballots_count(edition))
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- the audience's ballot


@bp.route("/vote")
def ballot_start():
    """The address on the room's screen: type the code of your card."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("awards.ballot", code=services.normalise_code(code)))
    return render_template("awards/ballot_start.html")


@bp.route("/vote/<code>", methods=["GET", "POST"])
def ballot(code: str):
    """The ballot a card's QR code opens, with the code filled in: every film, six grades."""
    edition = services.edition_of_code(code)
    if edition is None:
        flash(_("Ce code n'existe pas : vérifiez-le sur votre carte."), "error")
        return redirect(url_for("awards.ballot_start"))
    ceremony = services.ceremony_for(edition)
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
            services.cast_ballot(code, chosen)
        except services.VoteRefused as refusal:
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
            code=services.normalise_code(code),
            shown_code=services.format_code(services.normalise_code(code)),
            ceremony=ceremony,
            films=films_to_grade,
            used=services.code_is_used(code),
            chosen=chosen,
            errors=errors,
            Grade=Grade,
            GRADE_LABELS=GRADE_LABELS,
            VoteStatus=VoteStatus,
            form=EmptyForm(),
        ),
        status,
    )


# ---------------------------------------------------------------- the public palmarès


@bp.route("/palmares/<int:year>")
def palmares_page(year: int):
    edition = edition_of_year_or_404(year)

    def page(*, preview: bool = False) -> str:
        return render_template(
            "awards/palmares.html",
            edition=edition,
            entries=services.palmares_entries(edition),
            KIND_LABELS=KIND_LABELS,
            is_public_film=lineup.is_public_film,
            preview=preview,
        )

    if not services.is_palmares_published(edition):
        if not (current_user.is_authenticated and current_user.is_staff):
            abort(404, _("Le palmarès de cette édition n'est pas encore publié."))
        return page(preview=True)  # what the public will see once published (never cached)
    return rendered("palmares", page)


# ---------------------------------------------------------------- certificates


@bp.route("/equipe/prix/attestations.pdf")
@staff_required
def certificates_all():
    edition = staff_edition_or_404()
    pdf = certificates.edition_certificates_pdf(edition)
    return download(pdf, f"attestations-{edition.year}.pdf", "application/pdf")


@bp.route("/equipe/participants/<int:participant_id>/attestation.pdf")
@staff_required
def certificate_of(participant_id: int):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.is_erased:
        abort(404)
    # Staff print the award certificates before the ceremony, to hand them out on stage.
    pdf = certificates.participant_certificates_pdf(participant, with_unpublished=True)
    return download(pdf, f"attestation-{participant.id}.pdf", "application/pdf")


@bp.route("/mon-espace/attestation.pdf")
@roles_required(Role.PARTICIPANT)
def my_certificate():
    participant = current_user.participant
    if participant is None or participant.is_erased:
        abort(404)
    return download(
        certificates.participant_certificates_pdf(participant),
        "attestation-un-trait-amateur.pdf",
        "application/pdf",
    )
