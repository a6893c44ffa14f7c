"""The public palmarès, and the certificates: an edition's, one participant's, the teen's own."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.awards import certificate_batches, certificate_rules, certificates, laurels, palmares
from festival.awards.labels import KIND_LABELS
from festival.awards.models import Award
from festival.awards.tasks import draw_edition_certificates
from festival.awards.views.blueprint import bp
from festival.caching import rendered
from festival.editions.loader import (
    edition_of_year_or_404,
    staff_edition_or_404,
)
from festival.extensions import db
from festival.forms import form_action
from festival.people.models import Participant
from festival.programme import lineup
from festival.responses import download, serve_media


@bp.route("/palmares/<int:year>")
def palmares_page(year: int):
    edition = edition_of_year_or_404(year)

    def page(*, preview: bool = False) -> str:
        return render_template(
            "awards/palmares.html",
            edition=edition,
            entries=palmares.palmares_entries(edition),
            KIND_LABELS=KIND_LABELS,
            is_public_film=lineup.is_public_film,
            preview=preview,
        )

    if not palmares.is_palmares_published(edition):
        if not (current_user.is_authenticated and current_user.is_staff):
            abort(404, _("Le palmarès de cette édition n'est pas encore publié."))
        return page(preview=True)  # what the public will see once published (never cached)
    return rendered("palmares", page)


@bp.route("/equipe/prix/attestations", methods=["POST"])
@staff_required
def certificates_request():
    """Every certificate of the edition, drawn by a job: staff follow it on the prizes page."""
    edition = staff_edition_or_404()

    def queue() -> None:
        batch = certificate_batches.request_batch(edition)
        db.session.commit()  # before the job: its worker reads the row
        draw_edition_certificates(batch.id)

    return form_action(
        queue,
        success=_("Les attestations se préparent : suivez leur progression ci-dessous."),
        back=url_for("awards.awards_admin") + "#attestations",
    )


@bp.route("/equipe/prix/attestations/etat.json")
@staff_required
def certificates_state():
    batch = certificate_batches.latest_batch(staff_edition_or_404())
    if batch is None:
        return jsonify(status=None)
    return jsonify(batch.state(url_for("awards.certificates_all")))


@bp.route("/equipe/prix/attestations.pdf")
@staff_required
def certificates_all():
    """The latest certificates drawn for the edition (a stable address to print from)."""
    edition = staff_edition_or_404()
    batch = certificate_batches.ready_batch(edition)
    if batch is None:
        flash(_("Les attestations ne sont pas encore prêtes : préparez-les ci-dessous."), "info")
        return redirect(url_for("awards.awards_admin") + "#attestations")
    response = serve_media(batch.path, "application/pdf")
    name = f"attestations-{edition.year}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/equipe/participants/<int:participant_id>/attestation.pdf")
@staff_required
def certificate_of(participant_id: int):
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.is_erased:
        abort(404)
    if not certificate_rules.may_have_certificate(participant):
        flash(_no_certificate_yet(participant, own=False), "warning")
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    # Staff print the award certificates before the ceremony, to hand them out on stage.
    pdf = certificates.participant_certificates_pdf(participant, with_unpublished=True)
    return download(pdf, f"attestation-{participant.id}.pdf", "application/pdf")


@bp.route("/mon-espace/attestation.pdf")
@roles_required(Role.PARTICIPANT)
def my_certificate():
    participant = current_user.participant
    if participant is None or participant.is_erased:
        abort(404)
    if not certificate_rules.may_have_certificate(participant):
        flash(_no_certificate_yet(participant, own=True), "info")
        return redirect(url_for("people.my_space"))
    return download(
        certificates.participant_certificates_pdf(participant),
        "attestation-un-trait-amateur.pdf",
        "application/pdf",
    )


def _no_certificate_yet(participant: Participant, *, own: bool) -> str:
    if own:
        return _(
            "Votre attestation sera prête dès votre premier atelier suivi, une fois votre "
            "inscription confirmée."
        )
    return _(
        "Pas d'attestation pour %(name)s : elle est réservée aux personnes inscrites qui ont "
        "suivi au moins un atelier.",
        name=participant.full_name,
    )


@bp.route("/equipe/identite/exemple.pdf")
@staff_required
def certificate_sample():
    """The design with this library's identity, on a made-up teen, before printing for real."""
    edition = staff_edition_or_404()
    pdf = certificates.sample_certificate_pdf(edition)
    return download(pdf, "attestation-exemple.pdf", "application/pdf")


@bp.route("/prix/<int:award_id>/laurier.<any(png, svg):extension>")
def award_laurel(award_id: int, extension: str):
    """The festival laurel of a prize, for the winning team's poster and posts: public once the
    palmarès is published (staff see it before)."""
    award = db.session.get(Award, award_id)
    if award is None or award.film_id is None:
        abort(404)
    edition = award.edition
    is_staff = current_user.is_authenticated and current_user.is_staff
    if not (is_staff or palmares.is_palmares_published(edition)):
        abort(404)
    name = f"laurier-{edition.year}-{award.id}.{extension}"
    if extension == "svg":
        body = laurels.laurel_svg(award.name, certificates.FESTIVAL_NAME, edition.year)
        response = Response(body, mimetype="image/svg+xml")
    else:
        body = laurels.laurel_png(award.name, certificates.FESTIVAL_NAME, edition.year)
        response = Response(body, mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store" if is_staff else "public, max-age=3600"
    return response
