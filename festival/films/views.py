"""The teams' film pages, the staff's review, and media files behind access checks."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from festival.auth.decorators import roles_required, staff_required
from festival.auth.models import Role
from festival.editions.loader import current_edition_or_404, staff_edition_or_404
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import labels, pipeline, publication, services, subtitles, tasks
from festival.films import privacy as _privacy  # noqa: F401 - answers personal data exports
from festival.films.forms import (
    TEAM_ROWS,
    DecisionForm,
    FilmForm,
    StillForm,
    SubtitleForm,
    ThumbnailForm,
)
from festival.films.models import Film, FilmRole, MusicKind, ReviewDecision
from festival.films.publication import Surface
from festival.forms import EmptyForm, flash_form_errors, show_validation_error
from festival.processing.checks import PROBLEM_MESSAGES
from festival.responses import media_mimetype, serve_media
from festival.workshops.services import roll_participants

bp = Blueprint("films", __name__)


# The projection mode offers the hall's track (programme/projection.html).
bp.add_app_template_global(subtitles.hall_track, "hall_track")
# Every page that names a film for an audience reads it as staff approved it.
bp.add_app_template_global(publication.shown_title, "shown_title")
bp.add_app_template_global(publication.shown_synopsis, "shown_synopsis")


@bp.app_template_global()
def film_player_tracks(film: Film, version) -> list[subtitles.Track]:
    """The <track>s of a team's, staff's or juror's player (visitors': see programme/lineup);
    the jury hears only what staff reviewed."""
    return subtitles.player_tracks(
        film, version, str(get_locale()), reviewed_only=not _team_side(film)
    )


@bp.app_template_global()
def film_video_path(film: Film, version) -> str | None:
    """What this person's player reads of the version (the team's pages, review, jury)."""
    return services.media_file_for(current_user, film, version.number, None)


def _team_side(film: Film) -> bool:
    """Staff and the film's own team, who see what still waits for review."""
    return services.surface_of(current_user, film) in (Surface.TEAM, Surface.STAFF)


@bp.app_context_processor
def version_status_labels():
    """Version statuses, on the films' pages and their section of a personal data export."""
    return {"VERSION_STATUS_LABELS": labels.VERSION_STATUS_LABELS}


def _film_or_404(film_id: int) -> Film:
    film = db.session.get(Film, film_id)
    if film is None or not services.can_view(current_user, film):
        abort(404)
    return film


def problem_message(problem: dict) -> str:
    """A check problem in the reader's language (the check itself speaks French)."""
    template = PROBLEM_MESSAGES.get(problem.get("code"))
    if template is None:
        return problem.get("message", "")
    params = problem.get("params") or {}
    return _(template, **params) if params else _(template)


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
            me = services.participant_of(current_user)
            members = [(me.id, FilmRole.DIRECTION)] if me else []
        for row, (participant_id, role) in zip(form.team, members[:TEAM_ROWS], strict=False):
            row.participant_id.data = participant_id
            row.role.data = role.value


# ---------------------------------------------------------------- the teams' pages


@bp.route("/mes-films")
@roles_required(Role.PARTICIPANT)
def my_films():
    participant = services.participant_of(current_user)
    if participant is None:
        abort(404)
    films = services.films_of(participant)
    refusal = services.why_no_film_rights(current_user)
    confirmed = refusal is None
    return render_template(
        "films/my_films.html",
        films=films if confirmed else [],
        edition=participant.edition,
        status_of=services.film_status,
        labels=labels.STATUS_LABELS,
        not_confirmed=refusal,
        can_create=confirmed and not services.upload_deadline_passed(participant.edition),
    )


@bp.route("/films/nouveau", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT, Role.STAFF, Role.ADMIN)
def film_new():
    edition = staff_edition_or_404() if current_user.is_staff else current_edition_or_404()
    refusal = None if current_user.is_staff else services.why_no_film_rights(current_user)
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
    film = _film_or_404(film_id)
    if not services.can_edit(current_user, film):
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


def _film_context(film: Film) -> dict:
    thumbnail_form = ThumbnailForm()
    current = film.current_version
    chosen = services.chosen_thumbnail(film)
    return {
        "film": film,
        "status": services.film_status(film),
        "labels": labels.STATUS_LABELS,
        "role_labels": labels.ROLE_LABELS,
        "music_labels": labels.MUSIC_LABELS,
        "team": services.team_by_person(film),
        "current": current,
        "chosen": chosen,
        "can_edit": services.can_edit(current_user, film),
        "thumbnail_form": thumbnail_form,
        "still_form": StillForm(),
        "problem_message": problem_message,
        "max_bytes": current_app.config["UPLOAD_MAX_BYTES"],
        "chunk_bytes": current_app.config["UPLOAD_CLIENT_CHUNK_BYTES"],
        "max_seconds": services.rules_for(film.edition).longest_accepted,
        "deadline_passed": services.upload_deadline_passed(film.edition),
        "awaiting": services.changes_awaiting_approval(film),
        "subtitle_form": SubtitleForm(),
        "tracks": publication.tracks_for(film, current, reviewed_only=False),
        "language_name": subtitles.language_name,
        "remove_form": EmptyForm(),
    }


@bp.route("/films/<int:film_id>")
@login_required
def film_detail(film_id: int):
    film = _film_or_404(film_id)
    if current_user.role == Role.JURY:  # the team's page holds notes meant for the team only
        return redirect(url_for("awards.jury_film", film_id=film.id))
    return render_template("films/film_detail.html", **_film_context(film))


@bp.route("/films/<int:film_id>/etat.json")
@login_required
def film_state(film_id: int):
    """What the film page polls while a version is being processed."""
    film = _film_or_404(film_id)
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
    film = _film_or_404(film_id)
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
    film = _film_or_404(film_id)
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
    film = _film_or_404(film_id)
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
    film = _film_or_404(film_id)
    subtitle = next((s for s in film.subtitles if s.id == subtitle_id), None)
    if subtitle is None or not (subtitle.is_reviewed or _team_side(film)):
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


@bp.route("/films/<int:film_id>/sous-titres/<int:subtitle_id>.vtt")
def subtitle_file(film_id: int, subtitle_id: int):
    """The team, staff and the jury, like the film's video."""
    film = db.session.get(Film, film_id)
    if not (current_user.is_authenticated and film is not None):
        abort(404)
    surface = services.surface_of(current_user, film)
    if surface is None:
        abort(404)
    # The team and staff reach every file; the jury the reviewed tracks of the approved cut.
    offered = film.subtitles if surface in (Surface.TEAM, Surface.STAFF) else None
    if offered is None:
        offered = publication.subtitles_for(surface, film)
    subtitle = next((s for s in offered if s.id == subtitle_id), None)
    if subtitle is None:
        abort(404)
    return serve_media(subtitle.path, "text/vtt", public=False)


# ---------------------------------------------------------------- staff review


@bp.route("/equipe/films")
@staff_required
def film_list():
    edition = staff_edition_or_404()
    films = services.edition_films(edition)
    return render_template(
        "films/staff_list.html",
        edition=edition,
        films=films,
        status_of=services.film_status,
        labels=labels.STATUS_LABELS,
        team_of=services.team_by_person,
        thumbnail_of=services.chosen_thumbnail,
        awaiting_of=services.changes_awaiting_approval,
        problem_message=problem_message,
    )


@bp.route("/equipe/films/<int:film_id>", methods=["GET", "POST"])
@staff_required
def film_review(film_id: int):
    film = _film_or_404(film_id)
    form = DecisionForm(
        decision=film.decision.value if film.decision else None, note=film.decision_note
    )
    if form.validate_on_submit():
        try:
            services.decide(
                film, ReviewDecision(form.decision.data), note=form.note.data or "", by=current_user
            )
        except ValidationError as error:
            db.session.rollback()
            show_validation_error(form, error)
        else:
            db.session.commit()
            flash(_("Décision enregistrée : l'équipe du film la verra sur sa page."), "success")
            return redirect(url_for("films.film_list"))
    return render_template("films/review.html", form=form, **_film_context(film))


@bp.route("/equipe/films/<int:film_id>/reserves/<int:participant_id>", methods=["POST"])
@staff_required
def film_release_hold(film_id: int, participant_id: int):
    film = _film_or_404(film_id)
    if EmptyForm().validate_on_submit():
        services.release_consent_hold(film, participant_id, by=current_user)
        db.session.commit()
        flash(_("Réserve levée : ses autorisations ne s'appliquent plus à ce film."), "success")
    return redirect(url_for("films.film_review", film_id=film.id))


@bp.route("/equipe/films/<int:film_id>/v<int:number>/version-web", methods=["POST"])
@staff_required
def film_retry_rendition(film_id: int, number: int):
    """A rendition that failed (a full disk, a killed worker) is made again from the original."""
    film = _film_or_404(film_id)
    version = next((v for v in film.versions if v.number == number), None)
    if version is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        if pipeline.prepare_rendition_again(version):
            db.session.commit()
            tasks.process_version(version.id)
            flash(_("La version web est de nouveau en préparation."), "success")
        else:
            flash(_("La version web de cette version n'est pas à refaire."), "info")
    return redirect(url_for("films.film_review", film_id=film.id))


# ---------------------------------------------------------------- media, behind access checks


def _serve_film_media(film_id: int, number: int, name: str | None):
    """The team, staff and the jury; visitors have their own addresses (see public/)."""
    film = db.session.get(Film, film_id)
    if not (current_user.is_authenticated and film is not None):
        abort(404)
    relative = services.media_file_for(current_user, film, number, name)
    if relative is None:
        abort(404)
    return serve_media(relative, media_mimetype(name), public=False)


@bp.route("/films/<int:film_id>/v<int:number>/web.mp4")
def rendition_file(film_id: int, number: int):
    return _serve_film_media(film_id, number, None)


@bp.route("/films/<int:film_id>/v<int:number>/vignettes/<name>")
def thumbnail_file(film_id: int, number: int, name: str):
    return _serve_film_media(film_id, number, name)
