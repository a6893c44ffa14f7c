"""Staff's desk: the participants' list and records, registration at the desk, consents on paper,
confirmation, withdrawal and sign-in codes."""

from __future__ import annotations

import segno
from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from festival.auth import services as auth_services
from festival.auth.decorators import staff_required
from festival.editions.loader import staff_edition_or_404
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, show_validation_error
from festival.people import (
    accounts,
    age,
    consent_rules,
    consents,
    guardians,
    queries,
    registration,
)
from festival.people.forms import (
    ACCOUNT_CODE,
    ConsentsForm,
    DeskRegistrationForm,
    EraseForm,
    ParticipantEditForm,
    card_answer,
)
from festival.people.labels import (
    CHANNEL_LABELS,
    CONSENT_LABELS,
    CONSENT_SHORT_LABELS,
    GIVER_LABELS,
    STATUS_LABELS,
)
from festival.people.models import (
    PERSONAL_FIELDS,
    ConsentKind,
    Participant,
    ParticipantStatus,
)
from festival.people.pages import participant_page_context
from festival.people.views.blueprint import bp, participant_or_404
from festival.responses import absolute_url


@bp.route("/equipe/participants")
@staff_required
def participant_list():
    edition = staff_edition_or_404()
    status = request.args.get("statut")
    status = ParticipantStatus(status) if status in set(ParticipantStatus) else None
    query = request.args.get("q", "").strip()
    listed = queries.edition_participants_page(
        edition, page=request.args.get("page", 1, type=int), status=status, text=query
    )
    counts = queries.status_counts(edition)
    return render_template(
        "people/list.html",
        edition=edition,
        participants=listed.items,
        listed=listed,
        counts=counts,
        confirmed=counts[ParticipantStatus.CONFIRMED],
        CONSENT_SHORT_LABELS=CONSENT_SHORT_LABELS,
        status=status.value if status else None,
        query=query,
        STATUS_LABELS=STATUS_LABELS,
        ConsentKind=ConsentKind,
        age=age.participant_age,
        action_form=EmptyForm(),
        repeats=registration.unseen_repeat_registrations(edition),
        waiting_for_guardian=guardians.waiting_for_guardian,
    )


@bp.route("/equipe/participants/nouveau", methods=["GET", "POST"])
@staff_required
def register_at_desk():
    edition = staff_edition_or_404()
    form = DeskRegistrationForm()
    if form.validate_on_submit():
        try:
            participant = registration.register_participant(
                edition, form.registration_data(), recorded_by=current_user, online=False
            )
            code = None
            if form.account.data == ACCOUNT_CODE:
                user = accounts.open_account(participant)
                code = auth_services.issue_login_code(user, created_by=current_user)
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            _flash_registration(participant)
            if code:
                return _render_code_sheet(participant, code)
            return redirect(url_for("people.participant_detail", participant_id=participant.id))
    return render_template("people/desk_register.html", form=form, edition=edition)


def _flash_registration(participant: Participant) -> None:
    if participant.status == ParticipantStatus.WAITLISTED:
        flash(
            _(
                "L'édition est complète : %(name)s est en position %(n)s sur la liste d'attente.",
                name=participant.full_name,
                n=queries.waiting_position(participant),
            ),
            "warning",
        )
    else:
        flash(_("%(name)s est inscrit·e.", name=participant.full_name), "success")


@bp.route("/equipe/participants/<int:participant_id>")
@staff_required
def participant_detail(participant_id: int):
    participant = participant_or_404(participant_id)
    repeats = registration.repeat_registrations_seen(participant)
    db.session.commit()
    return render_template(
        "people/detail.html",
        participant=participant,
        repeats=repeats,
        **participant_page_context(participant),
        waiting_for_guardian=guardians.waiting_for_guardian(participant),
        can_send_guardian_link=guardians.can_send_link(participant) and not participant.is_erased,
        age=age.participant_age(participant),
        minor=participant.birth_date is not None and age.is_minor(participant.birth_date),
        waiting_position=queries.waiting_position(participant),
        consent_states=consent_rules.consent_states(participant),
        consents_form=_paper_consents_form(participant),
        action_form=EmptyForm(),
        erase_form=EraseForm(),
        STATUS_LABELS=STATUS_LABELS,
        CONSENT_LABELS=CONSENT_LABELS,
        CHANNEL_LABELS=CHANNEL_LABELS,
        GIVER_LABELS=GIVER_LABELS,
    )


@bp.route("/equipe/participants/<int:participant_id>/modifier", methods=["GET", "POST"])
@staff_required
def participant_edit(participant_id: int):
    participant = participant_or_404(participant_id)
    try:
        participant.ensure_not_erased()
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    form = ParticipantEditForm(obj=participant)
    if request.method == "GET":
        form.had_library_card.data = {True: "yes", False: "no"}.get(
            participant.had_library_card, ""
        )
    if form.validate_on_submit():
        try:
            registration.update_participant(
                participant,
                {
                    **{name: getattr(form, name).data for name in PERSONAL_FIELDS},
                    "commune": form.commune.data,
                    "had_library_card": card_answer(form.had_library_card.data),
                    "library_card_during_festival": bool(form.library_card_during_festival.data),
                },
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(
                _("Les informations de %(name)s sont enregistrées.", name=participant.full_name),
                "success",
            )
            return redirect(url_for("people.participant_detail", participant_id=participant.id))
    return render_template("people/edit.html", form=form, participant=participant)


def _paper_consents_form(participant: Participant) -> ConsentsForm:
    """The boxes staff tick from a signed paper form: the guardian's decisions for a minor,
    the person's own for an adult, as last recorded (never the teen's online ticks)."""
    paper = participant.decisions_of(consents.paper_giver(participant))
    return ConsentsForm(
        **{
            f"consent_{kind.value}": bool(paper[kind] and paper[kind].granted)
            for kind in ConsentKind
        }
    )


@bp.route("/equipe/participants/<int:participant_id>/consentements", methods=["POST"])
@staff_required
def participant_consents(participant_id: int):
    participant = participant_or_404(participant_id)
    form = ConsentsForm()
    if not form.validate_on_submit():
        flash(
            _("Les autorisations n'ont pas été enregistrées : rechargez la page et recommencez."),
            "error",
        )
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    try:
        changed = consents.record_consents(
            participant, form.consent_decisions(), recorded_by=current_user
        )
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if changed:
            flash(_("Autorisations mises à jour (%(n)s changement(s)).", n=len(changed)), "success")
        else:
            flash(_("Aucune autorisation n'a changé."), "info")
    return redirect(url_for("people.participant_detail", participant_id=participant.id))


def _list_filters(form) -> dict[str, str]:
    """The participant list's own filters, carried through a confirmation."""
    return {key: form[key] for key in ("q", "statut") if form.get(key)}


@bp.route("/equipe/participants/<int:participant_id>/confirmer", methods=["POST"])
@staff_required
def participant_confirm(participant_id: int):
    participant = participant_or_404(participant_id)
    if EmptyForm().validate_on_submit():
        try:
            registration.confirm_participant(participant, confirmed_by=current_user)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            _flash_registration(participant)
    # Back where staff clicked (the list keeps its filters), but only to a page of this site
    # named by the form, never to whatever the Referer header says.
    back = request.form.get("back") == "detail"
    if back:
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    return redirect(url_for("people.participant_list", **_list_filters(request.form)))


@bp.route("/equipe/participants/<int:participant_id>/desinscrire", methods=["POST"])
@staff_required
def participant_withdraw(participant_id: int):
    participant = participant_or_404(participant_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    try:
        promoted = registration.withdraw_participant(participant)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s est désinscrit·e.", name=participant.full_name), "success")
        for other in promoted:
            flash(
                _(
                    "%(name)s quitte la liste d'attente et obtient la place libérée.",
                    name=other.full_name,
                ),
                "info",
            )
    return redirect(url_for("people.participant_detail", participant_id=participant.id))


@bp.route("/equipe/participants/<int:participant_id>/code", methods=["POST"])
@staff_required
def participant_login_code(participant_id: int):
    participant = participant_or_404(participant_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    try:
        user = accounts.open_account(participant)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("people.participant_detail", participant_id=participant.id))
    code = auth_services.issue_login_code(user, created_by=current_user)
    db.session.commit()
    return _render_code_sheet(participant, code)


def _render_code_sheet(participant: Participant, code: str):
    """The printable sheet; the code is shown this once and stored only as a hash."""
    url = absolute_url("auth.login_with_qr", code=code)
    qr_svg = segno.make(url, error="m").svg_inline(scale=6, dark="#111", light="#fff")
    response = Response(
        render_template(
            "people/code_sheet.html",
            participant=participant,
            code=auth_services.format_login_code(code),
            url=url,
            qr_svg=Markup(qr_svg),  # noqa: S704 - SVG made by segno from our own URL
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
