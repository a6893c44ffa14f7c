"""Editions for staff: the list, a new edition, its settings, the edition this browser works
on, and the switch of the current edition (with what it changes, before it changes)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from festival.auth.decorators import staff_required
from festival.caching import forget_public_pages_after_commit
from festival.clock import local_now
from festival.editions import identity
from festival.editions.forms import (
    CeremonyPlaceForm,
    ConfirmSwitchForm,
    EditionForm,
    IdentityForm,
    NewEditionForm,
    PlaceForm,
)
from festival.editions.loader import edition_or_404
from festival.editions.models import Edition, Venue
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
from festival.editions.venue import (
    ENTRY_FIELDS,
    PLACE_FIELDS,
    all_venues,
    copy_venue,
    save_venue,
    set_entry,
    venue_of,
    venue_uses,
)
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


def _place_data(form) -> dict:
    return {name: getattr(form, name).data for name in PLACE_FIELDS}


@bp.route("/equipe/editions/<int:edition_id>/lieu", methods=["GET", "POST"])
@staff_required
def edition_venue(edition_id: int):
    """Where the ceremony is (a place of the list, edited here or chosen), how to get in and
    what it costs: read by every public surface."""
    edition = edition_or_404(edition_id)
    place = edition.ceremony_place
    form = CeremonyPlaceForm(obj=place)
    if request.method == "GET":
        for name in ENTRY_FIELDS:
            getattr(form, name).data = getattr(edition, name)
    others = [v for v in all_venues() if place is None or v.id != place.id]
    form.other_venue.choices = [SelectChoice(0, _("— garder le lieu ci-dessus —"))] + [
        SelectChoice(v.id, v.one_line) for v in others
    ]
    if form.validate_on_submit():
        chosen = next((v for v in others if v.id == form.other_venue.data), None)
        try:
            if chosen is not None:
                edition.ceremony_place = chosen
            else:
                edition.ceremony_place = save_venue(place or Venue(), **_place_data(form))
            set_entry(edition, **{name: getattr(form, name).data for name in ENTRY_FIELDS})
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


@bp.route("/equipe/lieux")
@staff_required
def venue_list():
    """The festival's places: the ceremony's hall, a second room, a partner cinema."""
    return render_template("editions/venues.html", venues=venue_uses())


@bp.route("/equipe/lieux/nouveau", methods=["GET", "POST"])
@bp.route("/equipe/lieux/<int:venue_id>", methods=["GET", "POST"])
@staff_required
def venue_edit(venue_id: int | None = None):
    venue = db.session.get(Venue, venue_id) if venue_id is not None else Venue()
    if venue is None:
        abort(404)
    form = PlaceForm(obj=venue)
    if form.validate_on_submit():
        try:
            save_venue(venue, **_place_data(form))
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("Le lieu « %(name)s » est enregistré.", name=venue.name), "success")
            return redirect(url_for("editions.venue_list"))
    return render_template("editions/venue_form.html", form=form, venue=venue)


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


@bp.route("/equipe/identite", methods=["GET", "POST"])
@staff_required
def identity_page():
    """The médiathèque on its certificates and report: name, town, signatory, logo, signature."""
    current = identity.library_identity()
    form = IdentityForm(
        data={
            "library_name": current.library_name,
            "town": current.town,
            "signatory_name": current.signatory_name,
            "signatory_title": current.signatory_title,
            "school_zone": current.closures.school_zone,
            "closed_weekdays": sorted(current.closures.closed_weekdays),
            "closed_dates": identity.closed_dates_text(),
        }
    )
    if form.validate_on_submit():
        try:
            identity.save_identity(
                library_name=form.library_name.data or "",
                town=form.town.data or "",
                signatory_name=form.signatory_name.data or "",
                signatory_title=form.signatory_title.data or "",
                logo=form.logo.data.read() if form.logo.data else None,
                signature=form.signature.data.read() if form.signature.data else None,
                remove_logo=form.remove_logo.data,
                remove_signature=form.remove_signature.data,
                school_zone=form.school_zone.data or "",
                closed_weekdays=form.closed_weekdays.data or [],
                closed_dates=form.closed_dates.data or "",
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("C'est enregistré : les prochaines attestations l'afficheront."), "success")
            return redirect(url_for("editions.identity_page"))
    return render_template("editions/identity.html", form=form, identity=current)


@bp.route("/equipe/identite/<any(logo, signature):picture>.png")
@staff_required
def identity_picture(picture: str):
    """The stored logo or signature, for staff only: a signature is not for the public."""
    current = identity.library_identity()
    path = current.logo if picture == "logo" else current.signature
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
