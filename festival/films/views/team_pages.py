"""The team's pages: its films, creating and editing one, the film's page with its versions, still
and subtitles."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from festival.auth.decorators import roles_required
from festival.auth.models import Role
from festival.editions.loader import current_edition_or_404, staff_edition_or_404
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import labels, rights, services, subtitles
from festival.films.forms import (
    TEAM_ROWS,
    FilmForm,
    StillForm,
    SubtitleForm,
    ThumbnailForm,
)
from festival.films.models import Film, FilmRole, MusicKind
from festival.films.views.blueprint import bp, film_context, film_or_404, problem_message, team_side
from festival.forms import EmptyForm, flash_form_errors, show_validation_error
from festival.workshops.services import roll_participants


def _team_choices(edition) -> list[SelectChoice]:
    """Staff pick from full names; teens see each other as first name and initial only."""
    people = roll_participants(edition)
    if current_user.is_staff:
        return [SelectChoice(0, "—")] + [SelectChoice(p.id, p.full_name) for p in people]
    seen: dict[str, int] = {}
    choices = [SelectChoice(0, "—")]
    for person in people:
        name = person.public_name
        seen[name] = seen.get(name, 0) + 1
        choices.append(
            SelectChoice(person.id, name if seen[name] == 1 else f"{name} ({seen[name]})")
        )
    return choices


def _team_from_form(form: FilmForm) -> list[services.TeamEntry]:
    return [
        services.TeamEntry(row.participant_id.data, FilmRole(row.role.data))
        for row in form.team
        if row.participant_id.data
    ]


def _film_fields(form: FilmForm) -> dict:
    """What the film form says, as the film services take it."""
    return {
        "title": form.title.data,
        "synopsis": form.synopsis.data or "",
        "team": _team_from_form(form),
        "music_kind": MusicKind(form.music_kind.data),
        "music_licence": form.music_licence.data or "",
        "music_credit": form.music_credit.data or "",
        "spoken_language": form.spoken_language.data or "fr",
    }


def _prepare_form(form: FilmForm, edition, film: Film | None = None) -> None:
    choices = _team_choices(edition)
    for row in form.team:
        row.participant_id.choices = choices
    if request.method == "GET":
        members = [(m.participant_id, m.role) for m in film.members] if film else []
        if not film:
            me = rights.participant_of(current_user)
            members = [(me.id, FilmRole.DIRECTION)] if me else []
        for row, (participant_id, role) in zip(form.team, members[:TEAM_ROWS], strict=False):
            row.participant_id.data = participant_id
            row.role.data = role.value


@bp.route("/mes-films")
@roles_required(Role.PARTICIPANT)
def my_films():
    participant = rights.participant_of(current_user)
    if participant is None:
        abort(404)
    films = services.films_of(participant)
    refusal = rights.why_no_film_rights(current_user)
    confirmed = refusal is None
    return render_template(
        "films/my_films.html",
        films=films if confirmed else [],
        edition=participant.edition,
        status_of=services.film_status,
        labels=labels.STATUS_LABELS,
        not_confirmed=refusal,
        can_create=confirmed and not rights.upload_deadline_passed(participant.edition),
    )


@bp.route("/films/nouveau", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT, Role.STAFF, Role.ADMIN)
def film_new():
    edition = staff_edition_or_404() if current_user.is_staff else current_edition_or_404()
    refusal = None if current_user.is_staff else rights.why_no_film_rights(current_user)
    if refusal is not None:
        flash(str(refusal), "warning")
        return redirect(url_for("films.my_films"))
    form = FilmForm()
    _prepare_form(form, edition)
    if form.validate_on_submit():
        try:
            film = services.create_film(edition, created_by=current_user, **_film_fields(form))
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        except PermissionDenied as denied:
            db.session.rollback()
            flash(denied.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Le film « %(title)s » est créé : envoyez maintenant son fichier.",
                    title=film.title,
                ),
                "success",
            )
            return redirect(url_for("films.film_detail", film_id=film.id))
    return render_template("films/film_form.html", form=form, film=None)


@bp.route("/films/<int:film_id>/modifier", methods=["GET", "POST"])
@login_required
def film_edit(film_id: int):
    film = film_or_404(film_id)
    if not rights.can_edit(current_user, film):
        abort(403)
    form = FilmForm(obj=film) if request.method == "GET" else FilmForm()
    if request.method == "GET":
        form.music_kind.data = film.music_kind.value
    _prepare_form(form, film.edition, film)
    if form.validate_on_submit():
        try:
            services.update_film(film, by=current_user, **_film_fields(form))
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("Le film est enregistré."), "success")
            return redirect(url_for("films.film_detail", film_id=film.id))
    return render_template("films/film_form.html", form=form, film=film)


@bp.route("/films/<int:film_id>")
@login_required
def film_detail(film_id: int):
    film = film_or_404(film_id)
    if current_user.role == Role.JURY:  # the team's page holds notes meant for the team only
        return redirect(url_for("awards.jury_film", film_id=film.id))
    return render_template("films/film_detail.html", **film_context(film))


@bp.route("/films/<int:film_id>/etat.json")
@login_required
def film_state(film_id: int):
    """What the film page polls while a version is being processed."""
    film = film_or_404(film_id)
    latest = film.latest_version
    return jsonify(
        status=services.film_status(film).value,
        label=str(labels.STATUS_LABELS[services.film_status(film)]),
        version=None
        if latest is None
        else {
            "number": latest.number,
            "status": latest.status.value,
            "step": latest.step,
            "progress": latest.progress,
            "rendition": {
                "ready": latest.rendition_ready_at is not None,
                "failed": latest.rendition_failed,
            },
            "problems": [problem_message(p) for p in latest.problems],
        },
    )


@bp.route("/films/<int:film_id>/vignette", methods=["POST"])
@login_required
def film_choose_thumbnail(film_id: int):
    film = film_or_404(film_id)
    form = ThumbnailForm()
    if form.validate_on_submit():
        try:
            services.choose_thumbnail(film, form.thumbnail_id.data, by=current_user)
        except (ValidationError, PermissionDenied) as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("La vignette du film est choisie."), "success")
    return redirect(url_for("films.film_detail", film_id=film.id) + "#vignettes")


@bp.route("/films/<int:film_id>/image", methods=["POST"])
@login_required
def film_upload_still(film_id: int):
    film = film_or_404(film_id)
    form = StillForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("films.film_detail", film_id=film.id) + "#vignettes")
    with tempfile.TemporaryDirectory(prefix="still-") as scratch:
        # Saved under our own name: the person's file name is never a path.
        path = Path(scratch) / "upload"
        form.still.data.save(path)
        try:
            services.add_still(film, path, by=current_user)
        except (ValidationError, PermissionDenied) as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Votre image est maintenant la vignette du film."), "success")
    return redirect(url_for("films.film_detail", film_id=film.id) + "#vignettes")


@bp.route("/films/<int:film_id>/sous-titres", methods=["POST"])
@login_required
def film_add_subtitles(film_id: int):
    film = film_or_404(film_id)
    form = SubtitleForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("films.film_detail", film_id=film.id) + "#sous-titres")
    # Read in memory (512 KiB at most, refused beyond): never stored under the person's name.
    data = form.file.data.stream.read(subtitles.MAX_READ_BYTES)
    try:
        subtitle, notes = subtitles.add_subtitles(
            film,
            data,
            filename=form.file.data.filename or "",
            language=form.language.data,
            for_deaf=form.for_deaf.data,
            by=current_user,
        )
    except (ValidationError, PermissionDenied) as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _(
                "Sous-titres en %(language)s ajoutés : %(n)s répliques.",
                language=subtitles.language_name(subtitle.language),
                n=subtitle.cue_count,
            ),
            "success",
        )
        for note in notes:
            flash(note, "warning")
    return redirect(url_for("films.film_detail", film_id=film.id) + "#sous-titres")


@bp.route("/films/<int:film_id>/sous-titres/<int:subtitle_id>/retirer", methods=["POST"])
@login_required
def film_remove_subtitles(film_id: int, subtitle_id: int):
    film = film_or_404(film_id)
    subtitle = next((s for s in film.subtitles if s.id == subtitle_id), None)
    if subtitle is None or not (subtitle.is_reviewed or team_side(film)):
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            subtitles.remove_subtitles(film, subtitle, by=current_user)
        except PermissionDenied as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Sous-titres retirés."), "success")
    return redirect(url_for("films.film_detail", film_id=film.id) + "#sous-titres")
