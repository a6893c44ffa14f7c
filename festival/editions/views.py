"""Editions for staff: the list, a new edition, its settings, the edition this browser works
on, and the switch of the current edition (with what it changes, before it changes)."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from festival.auth.decorators import staff_required
from festival.caching import forget_public_pages_after_commit
from festival.clock import local_now
from festival.editions.forms import ConfirmSwitchForm, EditionForm, NewEditionForm, VenueForm
from festival.editions.loader import edition_or_404
from festival.editions.models import Edition
from festival.editions.services import (
    all_editions,
    create_edition,
    current_edition,
    date_problems,
    set_current_edition,
    switch_preview,
    validate_edition,
    work_on,
    working_edition,
)
from festival.editions.venue import VENUE_FIELDS, copy_venue, set_venue, venue_of
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, show_validation_error
from festival.responses import safe_next_url

bp = Blueprint("editions", __name__)
# Public pages, calendars and messages all describe the venue through it.
bp.add_app_template_global(venue_of, "venue_of")

# The pages whose content depends on the edition staff work on.
STAFF_PATHS = ("/equipe", "/films")


@bp.app_context_processor
def staff_edition_switcher():
    """Every staff page says which edition it shows, and offers the others."""
    if not has_request_context() or not request.path.startswith(STAFF_PATHS):
        return {}  # messages rendered by jobs, public and teens' pages
    if not (current_user and current_user.is_authenticated and current_user.is_staff):
        return {}
    return {
        "switcher_editions": all_editions(),
        "working_edition": working_edition(),
        "current_edition_for_staff": current_edition(),
    }


@bp.route("/equipe/editions")
@staff_required
def edition_list():
    return render_template(
        "editions/editions.html", editions=all_editions(), action_form=EmptyForm()
    )


@bp.route("/equipe/editions/nouvelle", methods=["GET", "POST"])
@staff_required
def edition_new():
    editions = all_editions()
    form = NewEditionForm()
    form.copy_workshops_from.choices = [
        SelectChoice(0, _("Les dix ateliers habituels, un par semaine"))
    ] + [SelectChoice(e.id, _("Reprendre les ateliers de %(year)s", year=e.year)) for e in editions]
    if request.method == "GET" and editions:
        form.copy_workshops_from.data = editions[0].id
    if form.validate_on_submit():
        source = db.session.get(Edition, form.copy_workshops_from.data or 0)
        try:
            edition = create_edition(
                year=form.year.data,
                title=form.title.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                ceremony_at=form.ceremony_at.data,
                ceremony_venue=form.ceremony_venue.data or "",
                mail_from=form.mail_from.data or "",
                upload_deadline=form.upload_deadline.data,
                age_min=form.age_min.data,
                age_max=form.age_max.data,
                reference_date=form.reference_date.data,
                capacity=form.capacity.data,
                behind_missed_threshold=form.behind_missed_threshold.data,
                # A live edition stays current until staff switch, knowing what changes.
                make_current=current_edition() is None,
                copy_workshops_from=source,
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            if source is not None:
                copy_venue(source, edition)
            db.session.commit()
            work_on(edition)
            flash(
                _(
                    "L'édition %(year)s est créée : vous la préparez, le public et les équipes "
                    "voient toujours l'édition en cours. Complétez les ateliers.",
                    year=edition.year,
                )
                if not edition.is_current
                else _("L'édition %(year)s est créée. Complétez ses ateliers.", year=edition.year),
                "success",
            )
            for problem in date_problems(edition).values():
                flash(problem, "warning")
            return redirect(url_for("workshops.workshop_admin_list"))
    return render_template("editions/edition_form.html", form=form, edition=None)


@bp.route("/equipe/editions/<int:edition_id>/modifier", methods=["GET", "POST"])
@staff_required
def edition_edit(edition_id: int):
    edition = edition_or_404(edition_id)
    form = EditionForm(obj=edition)
    if form.validate_on_submit():
        form.populate_obj(edition)
        try:
            validate_edition(edition)
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            forget_public_pages_after_commit()  # the ceremony's date and place are public
            db.session.commit()
            flash(_("L'édition %(year)s est enregistrée.", year=edition.year), "success")
            return redirect(url_for("editions.edition_list"))
    return render_template("editions/edition_form.html", form=form, edition=edition)


@bp.route("/equipe/editions/<int:edition_id>/lieu", methods=["GET", "POST"])
@staff_required
def edition_venue(edition_id: int):
    """Where the ceremony is, how to get in and what it costs: read by every public surface."""
    edition = edition_or_404(edition_id)
    form = VenueForm(obj=edition)
    if form.validate_on_submit():
        try:
            set_venue(edition, **{name: getattr(form, name).data for name in VENUE_FIELDS})
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("Le lieu de la cérémonie est enregistré."), "success")
            return redirect(url_for("editions.edition_list"))
    return render_template(
        "editions/venue.html", form=form, edition=edition, venue=venue_of(edition)
    )


@bp.route("/equipe/editions/<int:edition_id>/en-cours", methods=["GET", "POST"])
@staff_required
def edition_make_current(edition_id: int):
    """The switch: first what it changes for the public, teens and facilitators, then a
    confirmation; nothing changes before."""
    edition = edition_or_404(edition_id)
    if edition.is_current:
        flash(_("L'édition %(year)s est déjà l'édition en cours.", year=edition.year), "info")
        return redirect(url_for("editions.edition_list"))
    form = ConfirmSwitchForm()
    if form.validate_on_submit():
        set_current_edition(edition)
        db.session.commit()
        work_on(edition)
        flash(
            _("L'édition %(year)s est maintenant l'édition en cours.", year=edition.year),
            "success",
        )
        return redirect(url_for("editions.edition_list"))
    return render_template(
        "editions/switch.html", preview=switch_preview(edition, local_now()), form=form
    )


@bp.route("/equipe/editions/travail", methods=["POST"])
@staff_required
def work_on_edition():
    """The switcher: this browser's staff pages show the chosen edition; nothing else moves."""
    back = safe_next_url(request.form.get("next")) or url_for("workshops.dashboard")
    if not EmptyForm().validate_on_submit():
        flash(_("Le formulaire a expiré : rechargez la page et recommencez."), "error")
        return redirect(back)
    edition = db.session.get(Edition, request.form.get("edition_id", type=int) or 0)
    if edition is None:
        flash(_("Cette édition n'existe plus : choisissez-en une autre."), "error")
        return redirect(back)
    work_on(edition)
    return redirect(back)
