"""Editions for staff: the list, a new edition, its settings, which one is current."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from festival.auth.decorators import staff_required
from festival.editions.forms import EditionForm
from festival.editions.models import Edition
from festival.editions.services import create_edition, set_current_edition, validate_edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, show_validation_error

bp = Blueprint("editions", __name__)


@bp.route("/equipe/editions")
@staff_required
def edition_list():
    editions = db.session.scalars(select(Edition).order_by(Edition.year.desc())).all()
    return render_template("editions/editions.html", editions=editions, action_form=EmptyForm())


@bp.route("/equipe/editions/nouvelle", methods=["GET", "POST"])
@staff_required
def edition_new():
    form = EditionForm()
    if form.validate_on_submit():
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
                make_current=form.is_current.data,
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "L'édition %(year)s est créée avec ses dix ateliers : complétez leurs "
                    "dates, salles et intervenant·es.",
                    year=edition.year,
                ),
                "success",
            )
            return redirect(url_for("workshops.workshop_admin_list"))
    return render_template("editions/edition_form.html", form=form, edition=None)


@bp.route("/equipe/editions/<int:edition_id>/modifier", methods=["GET", "POST"])
@staff_required
def edition_edit(edition_id: int):
    edition = db.session.get(Edition, edition_id) or abort(404)
    form = EditionForm(obj=edition)
    if form.validate_on_submit():
        make_current = form.is_current.data
        form.populate_obj(edition)
        edition.is_current = edition.is_current and make_current
        try:
            validate_edition(edition)
            if make_current:
                set_current_edition(edition)
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("L'édition %(year)s est enregistrée.", year=edition.year), "success")
            return redirect(url_for("editions.edition_list"))
    return render_template("editions/edition_form.html", form=form, edition=edition)


@bp.route("/equipe/editions/<int:edition_id>/en-cours", methods=["POST"])
@staff_required
def edition_make_current(edition_id: int):
    edition = db.session.get(Edition, edition_id) or abort(404)
    if EmptyForm().validate_on_submit():
        set_current_edition(edition)
        db.session.commit()
        flash(
            _("L'édition %(year)s est maintenant l'édition en cours.", year=edition.year), "success"
        )
    return redirect(url_for("editions.edition_list"))
