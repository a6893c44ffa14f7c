"""Spreadsheets and data going in and out: the participants' CSV, the import of a librarian's list,
and a person's data export (staff's copy and the teen's own)."""

from __future__ import annotations

import json

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.clock import utcnow
from festival.editions.loader import staff_edition_or_404
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import show_validation_error
from festival.people import (
    imports,
    privacy,
    queries,
)
from festival.people.exports import participants_csv
from festival.people.forms import (
    ImportConfirmForm,
    ImportFileForm,
)
from festival.people.labels import (
    CONSENT_LABELS,
    CONSENT_SHORT_LABELS,
    STATUS_LABELS,
)
from festival.people.views.blueprint import bp, my_participant, participant_or_404
from festival.responses import download
from festival.spreadsheets import read_table


@bp.route("/equipe/participants.csv")
@staff_required
def participant_list_csv():
    edition = staff_edition_or_404()
    participants = queries.edition_participants(edition)
    return download(participants_csv(participants), f"participants-{edition.year}.csv", "text/csv")


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


@bp.route("/equipe/participants/<int:participant_id>/export.json")
@staff_required
def participant_export(participant_id: int):
    return _export_json(participant_or_404(participant_id))


@bp.route("/equipe/participants/<int:participant_id>/donnees")
@staff_required
def participant_export_page(participant_id: int):
    participant = participant_or_404(participant_id)
    return _export_page(
        participant, url_for("people.participant_export", participant_id=participant.id)
    )


@bp.route("/mon-espace/mes-donnees")
@roles_required(Role.PARTICIPANT)
def my_data():
    return _export_page(my_participant(), url_for("people.my_data_json"))


@bp.route("/mon-espace/mes-donnees.json")
@roles_required(Role.PARTICIPANT)
def my_data_json():
    return _export_json(my_participant())


def _export_json(participant):
    body = json.dumps(privacy.export_participant(participant), ensure_ascii=False, indent=2)
    return download(body.encode("utf-8"), f"participant-{participant.id}.json", "application/json")


def _export_page(participant, json_url: str):
    """The same export, readable by a person: French labels, printable."""
    sections = privacy.other_domains_sections(participant)
    data = privacy.export_participant(participant, sections)
    response = Response(
        render_template(
            "people/data_export.html",
            data=data,
            sections=sections,
            json_url=json_url,
            exported_at=utcnow(),
            status_label=STATUS_LABELS[participant.status],
            consent_labels={k.value: v for k, v in CONSENT_LABELS.items()},
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
