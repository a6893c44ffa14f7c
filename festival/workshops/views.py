"""Editions and workshops for staff, the roll call, the dashboard and the exports."""

from __future__ import annotations

from datetime import timedelta

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
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role, User
from festival.caching import rendered_file
from festival.clock import local_now
from festival.editions.identity import library_identity
from festival.editions.loader import current_edition_or_404, staff_edition_or_404
from festival.editions.services import current_edition, working_edition
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, show_validation_error
from festival.paging import ListPage
from festival.people.models import Participant
from festival.responses import download, public_host
from festival.text import whole_number
from festival.transactions import commit_retrying
from festival.workshops import calendar_checks, emails, exports, labels, services
from festival.workshops import privacy as _privacy  # noqa: F401 - answers data exports
from festival.workshops.forms import WorkshopForm
from festival.workshops.models import AttendanceStatus, Workshop

bp = Blueprint("workshops", __name__)


@bp.app_context_processor
def attendance_labels():
    """Attendance marks, on the workshops' pages and the sections they add to others'."""
    return {"ATTENDANCE_LABELS": labels.ATTENDANCE_LABELS}


ROLL_ROLES = (Role.ADMIN, Role.STAFF, Role.FACILITATOR)


def _workshop_or_404(workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


# ---------------------------------------------------------------- dashboard


# The dashboard names the people furthest behind; the journeys page lists everyone, a page of
# this many at a time (at 2,000 participants, one page of all was 5 MB of HTML).
BEHIND_ON_DASHBOARD = 25
JOURNEYS_PER_PAGE = 100


@bp.route("/equipe")
@staff_required
def dashboard():
    edition = working_edition()
    if edition is None:
        flash(_("Commencez par créer l'édition de cette année."), "info")
        return redirect(url_for("editions.edition_new"))
    board = services.edition_dashboard(edition, local_now())
    behind_shown = board.behind[:BEHIND_ON_DASHBOARD]
    return render_template(
        "workshops/dashboard.html",
        board=board,
        behind_shown=behind_shown,
        followed_up=emails.last_follow_ups([p.participant for p in behind_shown]),
        action_form=EmptyForm(),
        now=local_now(),
    )


@bp.route("/equipe/parcours")
@staff_required
def journeys():
    edition = staff_edition_or_404()
    board = services.edition_dashboard(edition, local_now())
    only_behind = request.args.get("decrochage") == "1"
    listed = ListPage(
        board.behind if only_behind else board.progress,
        page=request.args.get("page", 1, type=int),
        per_page=JOURNEYS_PER_PAGE,
    )
    return render_template(
        "workshops/journeys.html",
        board=board,
        listed=listed,
        only_behind=only_behind,
        followed_up=emails.last_follow_ups([p.participant for p in listed.items]),
        action_form=EmptyForm(),
    )


# ---------------------------------------------------------------- workshops (staff)


def _facilitator_choices() -> list[SelectChoice]:
    people = db.session.scalars(
        select(User)
        .where(User.role.in_([Role.FACILITATOR, Role.STAFF, Role.ADMIN]), User.is_enabled)
        .order_by(User.display_name)
    )
    return [SelectChoice(0, _("— à désigner —"))] + [
        SelectChoice(u.id, u.display_name) for u in people
    ]


@bp.route("/equipe/ateliers")
@staff_required
def workshop_admin_list():
    edition = staff_edition_or_404()
    closures = library_identity().closures
    return render_template(
        "workshops/admin_list.html",
        edition=edition,
        marks=services.marks_count(edition),
        now=local_now(),
        action_form=EmptyForm(),
        conflicts=_day_conflicts(edition, closures),
        zone=closures.school_zone,
    )


def _day_conflicts(edition, closures):
    """The workshops to come that fall on a day nobody can come (a workshop already held is
    never moved)."""
    now = local_now()
    to_come = [w for w in edition.workshops if w.starts_at > now]
    last_day = min(edition.ends_on, edition.ceremony_at.date() - timedelta(days=1))
    return calendar_checks.day_conflicts(to_come, closures, last_day=last_day)


@bp.route("/equipe/ateliers/decaler", methods=["POST"])
@staff_required
def workshops_shift():
    """One click: every workshop to come on a closed day moves to its proposed day."""
    edition = staff_edition_or_404()
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(url_for("workshops.workshop_admin_list"))
    moved = calendar_checks.shift_to_proposed(_day_conflicts(edition, library_identity().closures))
    db.session.commit()
    flash(
        ngettext(
            "%(num)s atelier décalé. Prévenez son intervenant·e du changement de date.",
            "%(num)s ateliers décalés. Prévenez les intervenant·es dont la date a changé.",
            len(moved),
        ),
        "success",
    )
    return redirect(url_for("workshops.workshop_admin_list"))


def _save_workshop(form: WorkshopForm, workshop: Workshop, *, is_new: bool):
    form.populate_obj(workshop)
    workshop.facilitator_id = form.facilitator_id.data or None
    workshop.facilitator = (
        db.session.get(User, workshop.facilitator_id) if workshop.facilitator_id else None
    )
    workshop.theme = workshop.theme or ""
    workshop.room = workshop.room or ""
    workshop.description = workshop.description or ""
    try:
        services.validate_workshop(workshop)
    except ValidationError as error:
        db.session.rollback()
        show_validation_error(form, error)
        return None
    if is_new:
        db.session.add(workshop)
    db.session.commit()
    flash(_("L'atelier « %(title)s » est enregistré.", title=workshop.title), "success")
    return redirect(url_for("workshops.workshop_admin_list"))


@bp.route("/equipe/ateliers/nouveau", methods=["GET", "POST"])
@staff_required
def workshop_new():
    edition = staff_edition_or_404()
    form = WorkshopForm(number=services.next_workshop_number(edition))
    form.facilitator_id.choices = _facilitator_choices()
    if form.validate_on_submit():
        workshop = Workshop(edition_id=edition.id)
        response = _save_workshop(form, workshop, is_new=True)
        if response is not None:
            return response
    return render_template(
        "workshops/workshop_form.html", form=form, workshop=None, edition=edition
    )


@bp.route("/equipe/ateliers/<int:workshop_id>/modifier", methods=["GET", "POST"])
@staff_required
def workshop_edit(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    form = WorkshopForm(obj=workshop)
    form.facilitator_id.choices = _facilitator_choices()
    if request.method == "GET":
        form.facilitator_id.data = workshop.facilitator_id or 0
    if form.validate_on_submit():
        response = _save_workshop(form, workshop, is_new=False)
        if response is not None:
            return response
    return render_template(
        "workshops/workshop_form.html", form=form, workshop=workshop, edition=workshop.edition
    )


@bp.route("/equipe/ateliers/<int:workshop_id>/supprimer", methods=["POST"])
@staff_required
def workshop_delete(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    if EmptyForm().validate_on_submit():
        try:
            services.delete_workshop(workshop)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("L'atelier est supprimé."), "success")
    return redirect(url_for("workshops.workshop_admin_list"))


# ---------------------------------------------------------------- roll call


@bp.route("/ateliers")
@roles_required(*ROLL_ROLES)
def my_workshops():
    edition = current_edition()
    workshops = []
    if edition is not None:
        workshops = [w for w in edition.workshops if services.can_take_roll(current_user, w)]
    return render_template(
        "workshops/my_workshops.html",
        edition=edition,
        workshops=workshops,
        marks=services.marks_count(edition) if edition is not None else {},
        now=local_now(),
    )


def _marks_from_request() -> dict[int, AttendanceStatus]:
    """The sheet as sent by the roll-call page: fields named `status-<participant id>`."""
    marks = {}
    for key, value in request.form.items():
        if not key.startswith("status-") or not value:
            continue
        try:
            marks[int(key.removeprefix("status-"))] = AttendanceStatus(value)
        except ValueError:
            raise ValidationError(
                _("La feuille d'appel contient une valeur inconnue : rechargez la page.")
            ) from None
    return marks


@bp.route("/ateliers/<int:workshop_id>/appel", methods=["GET", "POST"])
@roles_required(*ROLL_ROLES)
def roll_call(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    if not services.can_take_roll(current_user, workshop):
        abort(403)
    wants_json = request.accept_mimetypes.best == "application/json"
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            message = _("La session a expiré : rechargez la page, vos coches seront conservées.")
            if wants_json:
                return jsonify(error={"code": "csrf", "message": message}), 400
            flash(message, "error")
            return redirect(url_for("workshops.roll_call", workshop_id=workshop.id))
        try:
            marks = _marks_from_request()
            sheet = commit_retrying(
                lambda: services.save_attendance(workshop, marks, recorded_by=current_user)
            )
        except (ValidationError, PermissionDenied) as error:
            db.session.rollback()
            if wants_json:
                return jsonify(error={"code": "invalid", "message": error.message}), 422
            flash(error.message, "error")
        else:
            message = _(
                "Appel enregistré : %(n)s présent·es sur %(total)s.",
                n=sum(1 for s in sheet.values() if s.attended),
                total=len(sheet),
            )
            if wants_json:
                return jsonify(saved=len(sheet), message=message)
            flash(message, "success")
            return redirect(url_for("workshops.roll_call", workshop_id=workshop.id))
    return render_template(
        "workshops/roll_call.html",
        workshop=workshop,
        is_open=services.roll_is_open(workshop),
        opens_at=services.roll_opens_at(workshop),
        workshop_held=workshop.has_started(local_now()),
        participants=services.roll_participants(workshop.edition),
        sheet=services.attendance_sheet(workshop),
        statuses=list(AttendanceStatus),
        # Translated once for the page, not once per radio button (8,000 at 2,000 people).
        labels={status: str(label) for status, label in labels.ATTENDANCE_LABELS.items()},
        form=form,
    )


# ---------------------------------------------------------------- exports


@bp.route("/ateliers/<int:workshop_id>/presences.csv")
@roles_required(*ROLL_ROLES)
def attendance_csv(workshop_id: int):
    workshop = _workshop_or_404(workshop_id)
    if not services.can_take_roll(current_user, workshop):
        abort(403)
    return download(
        exports.attendance_csv(workshop),
        f"presences-atelier-{workshop.number}-{workshop.edition.year}.csv",
        "text/csv",
    )


@bp.route("/equipe/presences.csv")
@staff_required
def attendance_matrix_csv():
    edition = staff_edition_or_404()
    return download(
        exports.attendance_matrix_csv(edition), f"presences-{edition.year}.csv", "text/csv"
    )


@bp.route("/ateliers/calendrier.ics")
def calendar_ics():
    name, body = rendered_file("workshops-calendar", _workshops_calendar_file)
    return download(body, name, "text/calendar", private=False)


def _workshops_calendar_file() -> tuple[str, bytes]:
    edition = current_edition_or_404()
    return f"ateliers-{edition.year}.ics", exports.workshops_ics(edition, host=public_host())


@bp.route("/equipe/participants/<int:participant_id>/relance", methods=["POST"])
@staff_required
def absence_follow_up(participant_id: int):
    """« Qui décroche ? »: a word to the teen, and to the guardian of a minor."""
    participant = db.session.get(Participant, participant_id) or abort(404)
    if EmptyForm().validate_on_submit():
        try:
            sent = emails.send_absence_follow_up(participant, signed=current_user.display_name)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if sent:
                flash(_("Le message part vers %(n)s adresse(s).", n=sent), "success")
            else:
                flash(
                    _(
                        "Pas d'adresse e-mail pour %(name)s : appelez plutôt.",
                        name=participant.full_name,
                    ),
                    "warning",
                )
    return redirect(url_for("workshops.dashboard"))


@bp.route("/equipe/ecrire", methods=["GET", "POST"])
@staff_required
def write_to_participants():
    """Staff write to all the edition's participants, or to those who came to one workshop."""
    edition = staff_edition_or_404()
    audience = request.values.get("audience", "edition")
    workshop = None
    if audience.startswith("workshop-"):
        workshop_id = whole_number(audience[9:])
        workshop = db.session.get(Workshop, workshop_id) if workshop_id is not None else None
        if workshop is None or workshop.edition_id != edition.id:
            abort(404)
    include_guardians = request.form.get("guardians", "1") == "1"
    errors: dict[str, str] = {}
    if request.method == "POST" and EmptyForm().validate_on_submit():
        try:
            sent = emails.send_staff_message(
                edition,
                subject=request.form.get("subject", ""),
                body=request.form.get("body", ""),
                signed=current_user.display_name,
                workshop=workshop,
                include_guardians=include_guardians,
                important=request.form.get("important") == "1",
            )
        except ValidationError as error:
            db.session.rollback()
            errors = error.fields
        else:
            db.session.commit()
            flash(_("Le message part vers %(n)s adresse(s).", n=sent), "success")
            return redirect(url_for("mail.outbox"))
    recipients = emails.staff_message_recipients(
        edition, workshop=workshop, include_guardians=include_guardians
    )
    return render_template(
        "workshops/write.html",
        edition=edition,
        audience=audience,
        workshops=[w for w in edition.workshops if w.has_started(local_now())],
        recipients=recipients,
        errors=errors,
        form=EmptyForm(),
    )
