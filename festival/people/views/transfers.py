"""Spreadsheets and data going in and out: the participants' CSV, the import of a librarian's list,
and a person's data export (staff's copy and the teen's own)."""

from __future__ import annotations

import json

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
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
    import_columns,
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
    """Step 1: the file, its columns matched by meaning, and each row shown with what will
    become of it; nothing saved."""
    edition = staff_edition_or_404()
    form = ImportFileForm()
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        try:
            table = read_table(upload.filename or "", upload.read())
            preview = imports.preview_import(edition, table)
        except ValidationError as error:
            show_validation_error(form, ValidationError(error.message, field="spreadsheet"))
        else:
            return _import_preview_page(edition, table, preview)
    return render_template(
        "people/import.html",
        edition=edition,
        form=form,
        preview=None,
        column_labels=dict(import_columns.TEMPLATE_COLUMNS),
    )


@bp.route("/equipe/participants/import/colonnes", methods=["POST"])
@staff_required
def participant_import_columns():
    """Step 2, when staff correct a column: the same list read again with their choice."""
    edition = staff_edition_or_404()
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré : choisissez de nouveau le fichier de la liste."), "error")
        return redirect(url_for("people.participant_import"))
    try:
        table = imports.open_sealed_table(edition, form.sealed_table.data)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for("people.participant_import"))
    try:
        columns = import_columns.chosen_columns(table[0], request.form)
    except ValidationError as error:
        flash(error.message, "error")
        columns = None
    return _import_preview_page(edition, table, imports.preview_import(edition, table, columns))


def _import_preview_page(edition, table, preview):
    fields = import_columns.FIELDS
    return render_template(
        "people/import.html",
        edition=edition,
        preview=preview,
        confirm_form=ImportConfirmForm(sealed_table=imports.seal_table(edition, table)),
        fields=fields,
        examples=import_columns.column_examples(table),
        summary=_outcomes_sentence(preview.counts()).capitalize() + ".",
        missing_names=", ".join(str(fields[name]) for name in preview.columns.missing),
        Outcome=imports.Outcome,
        ConsentState=imports.ConsentState,
        CONSENT_SHORT_LABELS=CONSENT_SHORT_LABELS,
    )


@bp.route("/equipe/participants/import/confirmer", methods=["POST"])
@staff_required
def participant_import_confirm():
    """Step 3: the rows read again (someone may have registered meanwhile) with the columns
    shown, and the new good ones registered as at the desk, in one transaction."""
    edition = staff_edition_or_404()
    form = ImportConfirmForm()
    back = redirect(url_for("people.participant_import"))
    if not form.validate_on_submit():
        flash(_("Le formulaire a expiré : choisissez de nouveau le fichier de la liste."), "error")
        return back
    try:
        table = imports.open_sealed_table(edition, form.sealed_table.data)
        columns = import_columns.chosen_columns(table[0], request.form)
        preview = imports.preview_import(edition, table, columns)
        if columns.missing:
            raise ValidationError(_("Choisissez d'abord les colonnes obligatoires."))
        result = imports.apply_import(edition, preview, recorded_by=current_user)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    outcomes = _outcomes_sentence(result.counts())
    flash(_("Liste importée : %(outcomes)s.", outcomes=outcomes), "success")
    if result.refused_lines:
        flash(
            _(
                "Lignes laissées de côté, à corriger puis importer à nouveau : %(lines)s. Les "
                "personnes déjà inscrites seront reconnues et laissées telles quelles.",
                lines=", ".join(str(line) for line in result.refused_lines),
            ),
            "warning",
        )
    return redirect(url_for("people.participant_list"))


def _outcomes_sentence(counts: dict[imports.Outcome, int]) -> str:
    """« 12 inscrites, 24 en liste d'attente… »: the preview's forecast and the result alike."""
    wordings = {
        imports.Outcome.CONFIRMED: lambda n: ngettext("%(num)s inscrite", "%(num)s inscrites", n),
        imports.Outcome.WAITLISTED: lambda n: ngettext(
            "%(num)s en liste d'attente", "%(num)s en liste d'attente", n
        ),
        imports.Outcome.AWAITING_GUARDIAN: lambda n: ngettext(
            "%(num)s en attente de l'autorisation parentale",
            "%(num)s en attente de l'autorisation parentale",
            n,
        ),
        imports.Outcome.ALREADY_REGISTERED: lambda n: ngettext(
            "%(num)s déjà inscrite, laissée telle quelle",
            "%(num)s déjà inscrites, laissées telles quelles",
            n,
        ),
        imports.Outcome.REFUSED: lambda n: ngettext(
            "%(num)s ligne à corriger", "%(num)s lignes à corriger", n
        ),
    }
    parts = [wording(n) for outcome, wording in wordings.items() if (n := counts.get(outcome))]
    return ", ".join(parts) or _("aucune ligne")


@bp.route("/equipe/participants/import/modele.csv")
@staff_required
def participant_import_template():
    sheet = import_columns.import_template_csv()
    return download(sheet, "liste-participants-modele.csv", "text/csv")


@bp.route("/equipe/participants/import/modele.xlsx")
@staff_required
def participant_import_template_xlsx():
    return download(
        import_columns.import_template_xlsx(),
        "liste-participants-modele.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


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
