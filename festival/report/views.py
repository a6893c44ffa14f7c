"""The report for staff (« Bilan de l'édition »), the budget and the hall's count they type in,
and the open data anyone may download."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DecimalField, IntegerField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from festival.auth.decorators import staff_required
from festival.clock import local_now
from festival.editions.identity import library_identity
from festival.editions.loader import edition_of_year_or_404, staff_edition_or_404
from festival.editions.models import BudgetKind, BudgetLine, Edition
from festival.editions.services import all_editions
from festival.extensions import db
from festival.forms import EmptyForm, flash_form_errors, form_action
from festival.report import charts, tables
from festival.report.figures import (
    COMPLETION_THRESHOLD,
    Report,
    comparison,
    figures_are_public,
    loans_to_date,
    previous_report,
    report_for,
    screened_films,
    year_over_year,
)
from festival.report.printing import (
    headline_labels,
    report_pdf,
    running_note,
    shown_change,
    shown_figure,
)
from festival.report.tables import figure_rows
from festival.responses import download
from festival.spreadsheets import excel_csv

bp = Blueprint("report", __name__)


class BudgetLineForm(FlaskForm):
    kind = RadioField(
        _l("Type"),
        choices=[
            SelectChoice(BudgetKind.COST.value, _l("Dépense")),
            SelectChoice(BudgetKind.PARTNER.value, _l("Apport d'un partenaire")),
        ],
        default=BudgetKind.COST.value,
    )
    label = StringField(
        _l("Intitulé"),
        validators=[DataRequired(_l("Donnez un intitulé à la ligne.")), Length(max=200)],
    )
    partner_role = StringField(
        _l("Rôle du partenaire (facultatif)"),
        description=_l("Par exemple : « prêt de matériel », « membre du jury », « subvention »."),
        validators=[Optional(), Length(max=200)],
    )
    in_kind = BooleanField(_l("Apport en nature (matériel, salle, temps), valorisé en euros"))
    amount = DecimalField(
        _l("Montant (€)"),
        places=2,
        validators=[
            DataRequired(_l("Indiquez le montant en euros.")),
            NumberRange(min=0, max=10**7, message=_l("Un montant entre 0 et 10 000 000 €.")),
        ],
    )


class AudienceForm(FlaskForm):
    audience = IntegerField(
        _l("Personnes comptées dans la salle"),
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Un nombre positif."))],
    )


@bp.route("/equipe/bilan")
@staff_required
def report_page():
    edition, yoy, report, previous = _staff_reports()
    labels = headline_labels()
    return render_template(
        "report/report.html",
        report=report,
        previous=previous,
        running_note=running_note(report) if previous and loans_to_date(report) else "",
        compared=[
            (labels[key], shown_figure(key, now), shown_figure(key, before), shown_change(delta))
            for key, now, before, delta in comparison(report, previous)
        ],
        figures_public=figures_are_public(edition, local_now()),
        yoy=yoy,
        charts=charts,
        budget_form=BudgetLineForm(),
        audience_form=AudienceForm(audience=edition.ceremony_audience),
        action_form=EmptyForm(),
        lines=db.session.scalars(
            select(BudgetLine).where(BudgetLine.edition_id == edition.id).order_by(BudgetLine.id)
        ).all(),
        town=current_app.config.get("FESTIVAL_TOWN"),
        completion_threshold=COMPLETION_THRESHOLD,
        rows={
            "attendance": [(_attendance_label(n), count) for n, _t, count in report.attendance],
            "followed": [(str(n), count) for n, count in report.workshops_followed],
            "dropped": [(_dropped_label(n), count) for n, count in report.dropped_out_after],
        },
    )


def _staff_reports() -> tuple[Edition, list[Report], Report, Report | None]:
    """The working edition, every edition's report (oldest first), its own among them
    (computed once, not twice) and the one before it, for the page, the PDF and the tables."""
    edition = staff_edition_or_404()
    yoy = year_over_year(all_editions())
    report = next(r for r in yoy if r.edition.id == edition.id)
    return edition, yoy, report, previous_report(report, yoy)


def _attendance_label(number: int) -> str:
    return _("Atelier %(n)s", n=number)


def _dropped_label(number: int) -> str:
    return _("après l'atelier %(n)s", n=number)


@bp.route("/equipe/bilan.pdf")
@staff_required
def report_pdf_view():
    edition, yoy, report, previous = _staff_reports()
    body = report_pdf(
        report,
        yoy,
        attendance_label=_attendance_label,
        dropped_label=_dropped_label,
        identity=library_identity(),
        prepared_by=current_user.display_name or "",
        previous=previous,
        films=screened_films(edition),
    )
    return download(body, f"bilan-{edition.year}.pdf", "application/pdf")


REPORT_TABLES = {
    "csv": (tables.report_csv, "text/csv"),
    "ods": (tables.report_ods, "application/vnd.oasis.opendocument.spreadsheet"),
    "json": (tables.report_json, "application/json"),
}


@bp.route("/equipe/bilan.<any(csv, ods, json):kind>")
@staff_required
def report_table(kind: str):
    """The same figures as the PDF, for a spreadsheet or a screen reader; staff may take
    them at any time (the open data waits for the ceremony)."""
    edition, _yoy, report, previous = _staff_reports()
    make, mimetype = REPORT_TABLES[kind]
    return download(make(report, previous), f"bilan-{edition.year}.{kind}", mimetype)


@bp.route("/equipe/bilan/budget", methods=["POST"])
@staff_required
def budget_add():
    edition = staff_edition_or_404()
    form = BudgetLineForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("report.report_page") + "#budget")
    db.session.add(
        BudgetLine(
            edition_id=edition.id,
            kind=BudgetKind(form.kind.data),
            label=form.label.data.strip(),
            amount_cents=round(form.amount.data * 100),
            partner_role=(form.partner_role.data or "").strip()
            if form.kind.data == BudgetKind.PARTNER.value
            else "",
            in_kind=bool(form.in_kind.data) and form.kind.data == BudgetKind.PARTNER.value,
        )
    )
    db.session.commit()
    flash(_("Ligne ajoutée au budget."), "success")
    return redirect(url_for("report.report_page") + "#budget")


@bp.route("/equipe/bilan/budget/<int:line_id>/supprimer", methods=["POST"])
@staff_required
def budget_remove(line_id: int):
    line = db.session.get(BudgetLine, line_id) or abort(404)
    return form_action(
        lambda: db.session.delete(line),
        success=_("Ligne retirée du budget."),
        back=url_for("report.report_page") + "#budget",
    )


@bp.route("/equipe/bilan/public", methods=["POST"])
@staff_required
def audience_save():
    edition = staff_edition_or_404()
    form = AudienceForm()
    if form.validate_on_submit():
        edition.ceremony_audience = form.audience.data
        db.session.commit()
        flash(_("Le nombre de spectateurs est enregistré."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("report.report_page") + "#ceremonie")


# ---------------------------------------------------------------- open data


def _edition_by_year(year: int) -> Edition:
    """An edition whose figures are public: closed (its ceremony over)."""
    edition = edition_of_year_or_404(year)
    if not figures_are_public(edition, local_now()):
        abort(404, _("Les chiffres de cette édition seront publiés après sa cérémonie."))
    return edition


@bp.route("/bilan/<int:year>.json")
def open_data_json(year: int):
    data = report_for(_edition_by_year(year)).as_data()
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return download(body, f"bilan-{year}.json", "application/json", private=False)


@bp.route("/bilan/<int:year>.csv")
def open_data_csv(year: int):
    data = report_for(_edition_by_year(year)).as_data()
    return download(
        excel_csv(["section", "key", "value"], figure_rows(data)),
        f"bilan-{year}.csv",
        "text/csv",
        private=False,
    )
