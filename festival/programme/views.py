"""The staff's programme builder: blocks, order by drag and drop or keyboard, publication."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from festival.auth.decorators import staff_required
from festival.caching import forget_public_pages
from festival.editions.loader import staff_edition_or_404
from festival.editions.models import Venue
from festival.editions.venue import all_venues
from festival.errors import ValidationError
from festival.extensions import db
from festival.films.models import Film
from festival.films.publication import Surface, credits_line, is_screenable
from festival.forms import EmptyForm, flash_form_errors, form_action
from festival.programme import emails, labels, releases, services
from festival.programme import pack as pack_service
from festival.programme.forms import AddFilmForm, AddMomentForm, BlockForm
from festival.programme.models import ItemKind, ProgrammeItem, ScreeningBlock, ScreeningPack
from festival.programme.printing import edition_programme_pdf
from festival.programme.signals import film_added_to_ceremony
from festival.programme.tasks import build_screening_pack
from festival.responses import serve_media

bp = Blueprint("programme", __name__, url_prefix="/equipe/programme")


def _block_or_404(block_id: int) -> ScreeningBlock:
    block = db.session.get(ScreeningBlock, block_id)
    if block is None or block.edition_id != staff_edition_or_404().id:
        abort(404)
    return block


def _item_or_404(item_id: int) -> ProgrammeItem:
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.block.edition_id != staff_edition_or_404().id:
        abort(404)
    return item


def _back(block_id: int | None = None, *, focus: str | None = None):
    """To the builder, at the block; `focus` names the button the keyboard was on, so that
    ↑ pressed three times moves the film three places without hunting for it again."""
    address = url_for("programme.builder", focus=focus) if focus else url_for("programme.builder")
    return redirect(address + (f"#block-{block_id}" if block_id else ""))


@bp.route("")
@staff_required
def builder():
    edition = staff_edition_or_404()
    add_film = AddFilmForm()
    add_film.film_id.choices = [
        SelectChoice(
            f.id,
            f"{f.title}"
            + ("" if f.decision and f.decision.value == "selected" else " " + _("(non retenu)")),
        )
        for f in services.selectable_films(edition)
    ]
    default_start = edition.ceremony_at
    schedules = services.edition_schedule(edition)
    release = releases.latest_release(edition)
    draft_changes = releases.changes_between(
        release.plan if release else None, releases.plan_of(schedules)
    )
    return render_template(
        "programme/builder.html",
        edition=edition,
        schedules=schedules,
        block_form=_block_form(edition, starts_at=default_start),
        venues=all_venues(),
        add_film=add_film,
        add_moment=AddMomentForm(),
        action_form=EmptyForm(),
        kind_labels=labels.KIND_LABELS,
        published=edition.programme_published_at is not None,
        pack=pack_service.latest_pack(edition),
        invitations=emails.invitations_sent(edition),
        release=release,
        draft_changes=[releases.describe(c) for c in draft_changes],
        release_warnings=releases.release_warnings(schedules, edition),
        history=[
            (r, [releases.describe(c) for c in r.changes]) for r in releases.releases_of(edition)
        ],
    )


def _block_form(edition, **defaults) -> BlockForm:
    """The séance form, its places those of the festival (the ceremony's by default)."""
    form = BlockForm(**defaults)
    ceremony = edition.ceremony_venue or _("non précisé")
    form.venue_id.choices = [SelectChoice(0, _("Lieu de la cérémonie (%(name)s)", name=ceremony))]
    form.venue_id.choices += [SelectChoice(v.id, v.name) for v in all_venues()]
    return form


def _chosen_venue(form: BlockForm) -> Venue | None:
    return db.session.get(Venue, form.venue_id.data) if form.venue_id.data else None


@bp.route("/seances", methods=["POST"])
@staff_required
def block_new():
    edition = staff_edition_or_404()
    form = _block_form(edition)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back()
    block = services.add_block(
        edition,
        title=form.title.data,
        venue=_chosen_venue(form),
        starts_at=form.starts_at.data,
        planned_minutes=form.planned_minutes.data,
    )
    db.session.commit()
    flash(_("La séance « %(title)s » est ajoutée.", title=block.title), "success")
    return _back(block.id)


@bp.route("/seances/<int:block_id>", methods=["POST"])
@staff_required
def block_edit(block_id: int):
    block = _block_or_404(block_id)
    form = _block_form(block.edition)
    if form.validate_on_submit():
        services.update_block(
            block,
            title=form.title.data,
            venue=_chosen_venue(form),
            starts_at=form.starts_at.data,
            planned_minutes=form.planned_minutes.data,
        )
        db.session.commit()
        flash(_("La séance est enregistrée."), "success")
    else:
        flash(
            _("La séance n'a pas été enregistrée : vérifiez le titre, l'heure et la durée."),
            "error",
        )
    return _back(block.id)


@bp.route("/seances/<int:block_id>/supprimer", methods=["POST"])
@staff_required
def block_delete(block_id: int):
    block = _block_or_404(block_id)
    if EmptyForm().validate_on_submit():
        db.session.delete(block)
        db.session.commit()
        flash(_("La séance est supprimée."), "success")
    return _back()


@bp.route("/seances/<int:block_id>/films", methods=["POST"])
@staff_required
def block_add_film(block_id: int):
    block = _block_or_404(block_id)
    form = AddFilmForm()
    film = db.session.get(Film, form.film_id.data or 0) if form.validate_on_submit() else None
    if film is None:
        flash(_("Choisissez un film à ajouter."), "error")
        return _back(block.id)
    try:
        services.add_film(block, film)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        for _listener, warning in film_added_to_ceremony.send(block.edition, film=film):
            if warning:
                flash(warning, "warning")
    return _back(block.id)


@bp.route("/seances/<int:block_id>/moments", methods=["POST"])
@staff_required
def block_add_moment(block_id: int):
    block = _block_or_404(block_id)
    form = AddMomentForm()
    if form.validate_on_submit():
        services.add_moment(
            block,
            kind=ItemKind(form.kind.data),
            title=form.title.data or "",
            duration_seconds=form.minutes.data * 60,
        )
        db.session.commit()
    else:
        flash(_("Indiquez une durée en minutes."), "error")
    return _back(block.id)


@bp.route("/elements/<int:item_id>/deplacer/<direction>", methods=["POST"])
@staff_required
def item_move(item_id: int, direction: str):
    item = _item_or_404(item_id)
    if direction not in ("haut", "bas"):
        abort(404)
    if EmptyForm().validate_on_submit():
        services.move_item(item, -1 if direction == "haut" else 1)
        db.session.commit()
    return _back(item.block_id, focus=f"move-{item.id}-{direction}")


@bp.route("/elements/<int:item_id>/retirer", methods=["POST"])
@staff_required
def item_remove(item_id: int):
    item = _item_or_404(item_id)
    block_id = item.block_id
    if EmptyForm().validate_on_submit():
        services.remove_item(item)
        db.session.commit()
    return _back(block_id)


@bp.route("/seances/<int:block_id>/ordre", methods=["POST"])
@staff_required
def block_order(block_id: int):
    """The drag-and-drop script sends the block's new order here (JSON, CSRF header)."""
    block = _block_or_404(block_id)
    payload = request.get_json(silent=True) or {}
    ids = payload.get("items")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return jsonify(
            error={"code": "invalid", "message": _("Ordre illisible : rechargez la page.")}
        ), 400
    try:
        services.set_order(block, ids)
    except ValidationError as error:
        db.session.rollback()
        return jsonify(error={"code": "invalid", "message": error.message}), 422
    db.session.commit()
    return jsonify(ok=True)


@bp.route("/publication", methods=["POST"])
@staff_required
def publication():
    edition = staff_edition_or_404()
    if EmptyForm().validate_on_submit():
        if request.form.get("action") == "unpublish":
            services.unpublish(edition)
            flash(_("Le programme n'est plus public."), "success")
        else:
            release = services.publish(edition, by=current_user)
            flash(
                _(
                    "Version %(n)s publiée : le public la voit maintenant.",
                    n=release.number,
                ),
                "success",
            )
        db.session.commit()
        forget_public_pages()
    return _back()


@bp.route("/invitations", methods=["POST"])
@staff_required
def invitations():
    """Invite every confirmed participant (and the guardian of a minor) to the ceremony."""
    edition = staff_edition_or_404()
    return form_action(
        lambda: emails.invite_to_ceremony(edition, again=bool(request.form.get("again"))),
        success=_("Les invitations partent : elles apparaissent dans les courriels envoyés."),
        back=url_for("programme.builder") + "#invitations",
    )


@bp.route("/programme.pdf")
@staff_required
def draft_pdf():
    """The programme as it will print, published or not."""
    edition = staff_edition_or_404()
    response = Response(edition_programme_pdf(edition, draft=True), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="programme-{edition.year}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- the screening pack


@bp.route("/pack", methods=["POST"])
@staff_required
def pack_request():
    edition = staff_edition_or_404()
    if EmptyForm().validate_on_submit():
        pack = pack_service.request_pack(
            edition, burn_subtitles=request.form.get("burn_subtitles") == "1"
        )
        db.session.commit()
        build_screening_pack(pack.id)
        flash(_("Le pack de projection se prépare : suivez sa progression ci-dessous."), "success")
    return redirect(url_for("programme.builder") + "#pack")


@bp.route("/pack/etat.json")
@staff_required
def pack_state():
    pack = pack_service.latest_pack(staff_edition_or_404())
    if pack is None:
        return jsonify(status=None)
    return jsonify(pack.state(url_for("programme.pack_download", pack_id=pack.id)))


@bp.route("/pack/<int:pack_id>/projection.zip")
@staff_required
def pack_download(pack_id: int):
    pack = db.session.get(ScreeningPack, pack_id)
    if pack is None or pack.edition_id != staff_edition_or_404().id or pack.status.value != "done":
        abort(404)
    response = serve_media(pack.archive_path, "application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="projection-{pack.edition.year}.zip"'
    )
    return response


@bp.route("/projection")
@staff_required
def projection():
    """Full-screen projection: the programme in order, a title card before each film."""
    edition = staff_edition_or_404()
    return render_template(
        "programme/projection.html",
        edition=edition,
        schedules=services.edition_schedule(edition, with_warnings=False),
        is_screenable=is_screenable,
        # The hall sees the team as the public does: first names and initials.
        ceremony_team=lambda film: credits_line(Surface.CEREMONY, film),
    )
