"""Staff's page of the film collection (« Fonds cinéma »): import the catalogue, link it, find
titles and recommend them for a workshop or the ceremony, count the festival's loans."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from festival.auth.decorators import staff_required
from festival.caching import forget_public_pages_after_commit
from festival.collection import services
from festival.collection.forms import (
    CEREMONY,
    AttachForm,
    CatalogueFileForm,
    LoanEntryForm,
    LoansFileForm,
    PermalinkForm,
    target_choices,
)
from festival.collection.models import CollectionTitle, TitleAttachment
from festival.collection.records import read_catalogue_file
from festival.editions.identity import catalogue_permalink
from festival.editions.loader import staff_edition_or_404
from festival.errors import ValidationError
from festival.extensions import db
from festival.forms import EmptyForm, flash_form_errors, form_action
from festival.responses import absolute_url, download
from festival.workshops.models import Workshop

bp = Blueprint("collection", __name__)

PAGE = "collection.collection_page"


def _back(anchor: str = "") -> str:
    query = request.form.get("q") or request.args.get("q")
    return url_for(PAGE, q=query or None) + anchor


@bp.route("/equipe/fonds")
@staff_required
def collection_page():
    edition = staff_edition_or_404()
    query = (request.args.get("q") or "").strip()
    attach_form = AttachForm()
    attach_form.target.choices = target_choices(edition)
    pattern = catalogue_permalink()
    return render_template(
        "collection/collection.html",
        edition=edition,
        query=query,
        found=[services.shown(t, pattern) for t in services.search_titles(query)] if query else [],
        size=services.collection_size(),
        titles=services.edition_titles(edition),
        loans=services.festival_loans(edition),
        catalogue_form=CatalogueFileForm(),
        permalink_form=PermalinkForm(permalink=pattern),
        attach_form=attach_form,
        loans_form=LoansFileForm(),
        loan_form=LoanEntryForm(),
        action_form=EmptyForm(),
        CEREMONY=CEREMONY,
    )


@bp.route("/equipe/fonds/import", methods=["POST"])
@staff_required
def collection_import():
    form = CatalogueFileForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back())
    upload = form.catalogue_file.data
    try:
        read = read_catalogue_file(upload.filename or "", upload.read())
        outcome = services.import_holdings(read.records, read.format.split("+")[0])
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back())
    forget_public_pages_after_commit()  # attached titles show on public pages
    db.session.commit()
    flash(
        _(
            "Catalogue importé : %(added)s titres ajoutés, %(updated)s mis à jour, "
            "%(unchanged)s déjà à jour.",
            added=outcome.added,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
        ),
        "success",
    )
    for line in read.skipped[:20]:
        flash(line, "warning")
    if len(read.skipped) > 20:
        flash(_("… et %(n)s autres notices laissées de côté.", n=len(read.skipped) - 20), "warning")
    return redirect(_back())


@bp.route("/equipe/fonds/catalogue", methods=["POST"])
@staff_required
def collection_permalink():
    form = PermalinkForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back("#catalogue"))

    def save():
        services.save_permalink(form.permalink.data or "")
        forget_public_pages_after_commit()

    return form_action(
        save,
        success=_("L'adresse du catalogue est enregistrée : chaque titre y renvoie."),
        back=_back("#catalogue"),
    )


@bp.route("/equipe/fonds/conseils", methods=["POST"])
@staff_required
def collection_attach():
    edition = staff_edition_or_404()
    form = AttachForm()
    form.target.choices = target_choices(edition)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back())
    title_id = form.title_id.data or ""
    title = db.session.get(CollectionTitle, int(title_id)) if title_id.isdigit() else None
    if title is None:
        flash(_("Ce titre n'est plus dans le fonds : cherchez-le à nouveau."), "error")
        return redirect(_back())
    workshop = None
    if form.target.data != CEREMONY:
        workshop = db.session.get(Workshop, int(form.target.data))
    try:
        services.attach(title, edition, workshop, form.note.data or "")
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back())
    forget_public_pages_after_commit()
    db.session.commit()
    flash(
        _(
            "« %(title)s » est conseillé pour %(where)s.",
            title=title.title,
            where=_("l'atelier %(n)s", n=workshop.number) if workshop else _("la cérémonie"),
        ),
        "success",
    )
    return redirect(_back("#conseils"))


@bp.route("/equipe/fonds/conseils/<int:attachment_id>/retirer", methods=["POST"])
@staff_required
def collection_detach(attachment_id: int):
    attachment = db.session.get(TitleAttachment, attachment_id) or abort(404)
    if attachment.edition_id != staff_edition_or_404().id:
        abort(404)

    def remove():
        db.session.delete(attachment)
        forget_public_pages_after_commit()

    return form_action(remove, success=_("Le titre n'est plus conseillé."), back=_back("#conseils"))


@bp.route("/equipe/fonds/prets", methods=["POST"])
@staff_required
def collection_loans_import():
    form = LoansFileForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back("#prets"))
    upload = form.loans_file.data
    try:
        outcome = services.import_loans(upload.filename or "", upload.read())
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back("#prets"))
    db.session.commit()
    flash(
        _("Prêts importés : %(loans)s prêts.", loans=outcome.loans),
        "success",
    )
    if outcome.unknown_titles:
        flash(
            _(
                "%(n)s n° de notice ne sont pas dans le fonds importé : importez d'abord "
                "l'export du catalogue, puis les prêts à nouveau.",
                n=outcome.unknown_titles,
            ),
            "warning",
        )
    for line in outcome.skipped[:10]:
        flash(line, "warning")
    return redirect(_back("#prets"))


@bp.route("/equipe/fonds/prets/saisie", methods=["POST"])
@staff_required
def collection_loan_entry():
    form = LoanEntryForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back("#prets"))
    title = db.session.scalar(
        db.select(CollectionTitle).where(CollectionTitle.record_id == form.record_id.data.strip())
    )
    if title is None:
        flash(
            _("Aucun titre du fonds n'a ce n° de notice : vérifiez-le dans le catalogue."), "error"
        )
        return redirect(_back("#prets"))
    return form_action(
        lambda: services.record_loans(title, form.day.data, form.loans.data),
        success=_("Prêts enregistrés pour « %(title)s ».", title=title.title),
        back=_back("#prets"),
    )


@bp.route("/equipe/fonds/conseils.csv")
@staff_required
def attached_titles_csv():
    edition = staff_edition_or_404()
    return download(
        services.attached_csv(edition), f"fonds-conseils-{edition.year}.csv", "text/csv"
    )


@bp.route("/equipe/fonds/conseils.xml")
@staff_required
def attached_titles_marcxml():
    edition = staff_edition_or_404()
    body = services.attached_marcxml(edition, absolute_url("public.home"))
    return download(body, f"fonds-conseils-{edition.year}.xml", "application/marcxml+xml")
