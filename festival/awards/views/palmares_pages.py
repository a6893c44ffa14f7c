"""The public palmarès, and the certificates: an edition's, one participant's, the teen's own."""

from __future__ import annotations

from flask import (
    abort,
    render_template,
)
from flask_babel import gettext as _
from flask_login import current_user

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.awards import certificates, palmares
from festival.awards.labels import KIND_LABELS
from festival.awards.views.blueprint import bp
from festival.caching import rendered
from festival.editions.loader import (
    edition_of_year_or_404,
    staff_edition_or_404,
)
from festival.extensions import db
from festival.people.models import Participant
from festival.programme import lineup
from festival.responses import download


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
