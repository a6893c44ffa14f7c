"""Registration at the desk and online, the participants' records, and their own space."""

from __future__ import annotations

import json

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from festival.auth import services as auth_services
from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.clock import local_now, utcnow
from festival.editions.loader import staff_edition_or_404
from festival.editions.models import Edition
from festival.editions.services import current_edition
from festival.errors import ValidationError
from festival.extensions import db, limiter
from festival.forms import EmptyForm, form_action, show_validation_error
from festival.people import (
    accounts,
    addresses,
    age,
    consent_rules,
    consents,
    guardians,
    imports,
    privacy,
    queries,
    registration,
    retention,
    returning,
)
from festival.people.exports import participants_csv
from festival.people.forms import (
    ACCOUNT_CODE,
    ConsentsForm,
    DeskRegistrationForm,
    EraseForm,
    ImportConfirmForm,
    ImportFileForm,
    ParticipantEditForm,
    PublicRegistrationForm,
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
from festival.responses import absolute_url, download
from festival.spreadsheets import read_table

bp = Blueprint("people", __name__)


def _participant_or_404(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    return participant


# ---------------------------------------------------------------- public registration


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    edition = current_edition()
    if edition is None or edition.ceremony_is_over(local_now()):
        return render_template("people/registration_closed.html", edition=edition), 200
    form = PublicRegistrationForm()
    if form.validate_on_submit():
        data = form.registration_data()
        try:
            participant = registration.register_participant(
                edition, data, recorded_by=None, online=True
            )
        except registration.AlreadyRegistered:
            db.session.commit()  # staff see it on the person's page; the form says the same
            return _registration_received(edition, data)
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            return _registration_received(edition, data, participant)
    return render_template(
        "people/register.html", form=form, edition=edition, full=queries.is_full(edition)
    )


@bp.route("/inscription/adresse/<token>")
@limiter.limit("30 per hour")
def confirm_email(token: str):
    participant = addresses.confirm_address(token)
    if participant is None:
        db.session.rollback()
        return render_template("people/email_confirmed.html", participant=None), 404
    db.session.commit()
    return render_template("people/email_confirmed.html", participant=participant)


def _registration_received(edition, data, participant=None):
    """The same page whether the registration is new or repeats one already there."""
    return render_template(
        "people/registration_done.html",
        first_name=data.first_name.strip(),
        with_account=data.password is not None,
        edition=edition,
        waiting_position=queries.waiting_position(participant)
        if participant is not None
        else queries.next_waiting_position(edition),
    )


# ---------------------------------------------------------------- staff


@bp.route("/equipe/participants")
@staff_required
def participant_list():
    edition = staff_edition_or_404()
    status = request.args.get("statut")
    status = ParticipantStatus(status) if status in set(ParticipantStatus) else None
    query = request.args.get("q", "").strip()
    participants = queries.edition_participants(
        edition, status=status, text=query, options=(selectinload(Participant.consents),)
    )
    counts = queries.status_counts(edition)
    return render_template(
        "people/list.html",
        edition=edition,
        participants=participants,
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


@bp.route("/equipe/participants.csv")
@staff_required
def participant_list_csv():
    edition = staff_edition_or_404()
    participants = queries.edition_participants(edition)
    return download(participants_csv(participants), f"participants-{edition.year}.csv", "text/csv")


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


@bp.route("/equipe/participants/import", methods=["GET", "POST"])
@staff_required
def participant_import():
    """Step 1: the file, read and shown row by row with its problems; nothing saved."""
    edition = staff_edition_or_404()
    form = ImportFileForm()
    preview = sealed = None
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        try:
            table = read_table(upload.filename or "", upload.read())
            preview = imports.preview_import(edition, table)
            sealed = imports.seal_table(edition, table)
        except ValidationError as error:
            show_validation_error(form, ValidationError(error.message, field="spreadsheet"))
    return render_template(
        "people/import.html",
        edition=edition,
        form=form,
        preview=preview,
        confirm_form=ImportConfirmForm(sealed_table=sealed),
        column_labels=dict(imports.TEMPLATE_COLUMNS),
        CONSENT_SHORT_LABELS=CONSENT_SHORT_LABELS,
    )


@bp.route("/equipe/participants/import/confirmer", methods=["POST"])
@staff_required
def participant_import_confirm():
    """Step 2: the rows read again (someone may have registered meanwhile) and the good ones
    registered as at the desk, in one transaction."""
    edition = staff_edition_or_404()
    form = ImportConfirmForm()
    back = redirect(url_for("people.participant_import"))
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré : choisissez de nouveau le fichier de la liste."), "error")
        return back
    try:
        table = imports.open_sealed_table(edition, form.sealed_table.data)
        preview = imports.preview_import(edition, table)
        registered = imports.apply_import(edition, preview, recorded_by=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    flash(
        ngettext(
            "%(num)s personne inscrite depuis la liste.",
            "%(num)s personnes inscrites depuis la liste.",
            len(registered),
        ),
        "success",
    )
    if preview.bad_rows:
        flash(
            _(
                "Lignes laissées de côté, à corriger puis importer à nouveau : %(lines)s.",
                lines=", ".join(str(row.line) for row in preview.bad_rows),
            ),
            "warning",
        )
    return redirect(url_for("people.participant_list"))


@bp.route("/equipe/participants/import/modele.csv")
@staff_required
def participant_import_template():
    return download(imports.import_template_csv(), "liste-participants-modele.csv", "text/csv")


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
    participant = _participant_or_404(participant_id)
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
    participant = _participant_or_404(participant_id)
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
    participant = _participant_or_404(participant_id)
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
    participant = _participant_or_404(participant_id)
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
    participant = _participant_or_404(participant_id)
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
    participant = _participant_or_404(participant_id)
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


@bp.route("/equipe/participants/<int:participant_id>/export.json")
@staff_required
def participant_export(participant_id: int):
    return _export_json(_participant_or_404(participant_id))


@bp.route("/equipe/participants/<int:participant_id>/donnees")
@staff_required
def participant_export_page(participant_id: int):
    participant = _participant_or_404(participant_id)
    return _export_page(
        participant, url_for("people.participant_export", participant_id=participant.id)
    )


@bp.route("/mon-espace/mes-donnees")
@roles_required(Role.PARTICIPANT)
def my_data():
    return _export_page(_my_participant(), url_for("people.my_data_json"))


@bp.route("/mon-espace/mes-donnees.json")
@roles_required(Role.PARTICIPANT)
def my_data_json():
    return _export_json(_my_participant())


def _my_participant():
    """The signed-in teen's own registration: the only one these pages ever show."""
    participant = current_user.participant
    if participant is None:
        abort(404)
    return participant


def _export_json(participant):
    body = json.dumps(privacy.export_participant(participant), ensure_ascii=False, indent=2)
    return download(body.encode("utf-8"), f"participant-{participant.id}.json", "application/json")


def _export_page(participant, json_url: str):
    """The same export, readable by a person: French labels, printable."""
    data = privacy.export_participant(participant)
    response = Response(
        render_template(
            "people/data_export.html",
            data=data,
            json_url=json_url,
            exported_at=utcnow(),
            status_label=STATUS_LABELS[participant.status],
            consent_labels={k.value: v for k, v in CONSENT_LABELS.items()},
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/equipe/participants/<int:participant_id>/effacer", methods=["POST"])
@staff_required
def participant_erase(participant_id: int):
    participant = _participant_or_404(participant_id)
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


# ---------------------------------------------------------------- the participant's own space


@bp.route("/mon-espace")
@roles_required(Role.PARTICIPANT)
def my_space():
    participant = _my_participant()
    return render_template(
        "people/my_space.html",
        participant=participant,
        **participant_page_context(participant),
        age=age.participant_age(participant),
        consent_states=consent_rules.consent_states(participant),
        waiting_position=queries.waiting_position(participant),
        STATUS_LABELS=STATUS_LABELS,
        CONSENT_LABELS=CONSENT_LABELS,
        action_form=EmptyForm(),
        next_edition=_edition_to_join(participant),
    )


def _edition_to_join(participant: Participant):
    edition = current_edition()
    return edition if returning.can_register_again(participant, edition) else None


@bp.route("/mon-espace/reinscription", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
def my_registration_again():
    """A teen of an earlier season registers for the new one: her details carry over, she
    answers the consents again (and her guardian is asked online when she is a minor)."""
    previous = _my_participant()
    edition = _edition_to_join(previous)
    if edition is None:
        flash(
            _("Il n'y a pas de nouvelle édition à laquelle vous inscrire pour l'instant."), "info"
        )
        return redirect(url_for("people.my_space"))
    form = ConsentsForm()
    if form.validate_on_submit():
        try:
            returning.register_again(
                previous, edition, recorded_by=None, consents=form.consent_decisions()
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(
                _("C'est noté : votre inscription à %(title)s est envoyée.", title=edition.title),
                "success",
            )
            return redirect(url_for("people.my_space"))
    return render_template(
        "people/register_again.html",
        form=form,
        previous=previous,
        edition=edition,
        minor=age.is_minor(previous.birth_date),
    )


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
    previous = _participant_or_404(participant_id)
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


# ---------------------------------------------------------------- retention


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


# ---------------------------------------------------------------- the guardian's consent, online


@bp.route("/equipe/participants/<int:participant_id>/lien-responsable", methods=["POST"])
@staff_required
def guardian_link_send(participant_id: int):
    participant = _participant_or_404(participant_id)
    if EmptyForm().validate_on_submit():
        try:
            guardians.send_guardian_link(participant)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Le lien est envoyé à %(email)s.", email=participant.guardian_email), "success")
    return redirect(url_for("people.participant_detail", participant_id=participant.id))


@bp.route("/autorisation/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def guardian_consents(token: str):
    """The guardian's page: the three consents in plain words, each granted or refused."""
    link = guardians.link_for(token)
    if link is None:
        return render_template("people/guardian_link_gone.html"), 410
    participant = link.participant
    # Nothing is ticked in advance: a guardian's consent is given, never presumed from the
    # teen's form; a later link shows what the guardian answered before.
    current = participant.current_consents()
    chosen = {
        kind: (c.granted if c and c.guardian_link_id else None) for kind, c in current.items()
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        decisions = {
            kind: request.form[f"consent_{kind.value}"] == "yes"
            for kind in ConsentKind
            if request.form.get(f"consent_{kind.value}") in ("yes", "no")
        }
        chosen.update(decisions)
        try:
            guardians.answer(link, decisions)
        except ValidationError as error:
            db.session.rollback()
            errors = error.fields
        else:
            db.session.commit()
            return render_template(
                "people/guardian_done.html",
                participant=participant,
                waiting_position=queries.waiting_position(participant),
                decisions=decisions,
                CONSENT_LABELS=CONSENT_LABELS,
            )
    return (
        render_template(
            "people/guardian_consents.html",
            participant=participant,
            edition=participant.edition,
            waiting_position=queries.waiting_position(participant),
            chosen=chosen,
            errors=errors,
            ConsentKind=ConsentKind,
            CONSENT_LABELS=CONSENT_LABELS,
            form=EmptyForm(),
        ),
        422 if errors else 200,
    )


@bp.route("/mon-espace/rappels", methods=["POST"])
@roles_required(Role.PARTICIPANT)
def my_reminders():
    participant = _my_participant()
    wanted = request.form.get("wanted") == "1"
    return form_action(
        lambda: registration.set_workshop_reminders(participant, wanted),
        success=_("Vous recevrez un rappel deux jours avant chaque atelier.")
        if wanted
        else _("Les rappels sont arrêtés."),
        back=url_for("people.my_space"),
    )
