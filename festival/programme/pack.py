"""The projectionist's screening pack: every programmed film, loudness-normalised, numbered in
programme order, with M3U and XSPF playlists, in one archive. Built by a background job."""

from __future__ import annotations

import contextlib
import shutil
import zipfile

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.films.publication import Surface
from festival.films.subtitles import hall_track
from festival.models_base import prepare
from festival.processing.files import atomic_path
from festival.processing.loudness import normalise_loudness
from festival.processing.playlists import Entry, m3u, safe_filename, xspf
from festival.programme.models import ItemKind, ScreeningPack
from festival.programme.services import edition_schedule
from festival.storage import media_path


def programmed_films(edition: Edition):
    """(number, film, seconds) in the order of the ceremony, films with a valid version only."""
    number = 0
    for plan in edition_schedule(edition, with_warnings=False):
        for scheduled in plan.items:
            item = scheduled.item
            if item.kind == ItemKind.FILM and publication.may_see(Surface.CEREMONY, item.film):
                number += 1
                yield number, item.film, scheduled.seconds


def latest_pack(edition: Edition) -> ScreeningPack | None:
    return ScreeningPack.latest_of(edition.id)


def request_pack(edition: Edition, *, burn_subtitles: bool = False) -> ScreeningPack:
    """Queue a new pack; the previous ones stay until this one is done."""
    pack = ScreeningPack(
        edition=edition,
        burn_subtitles=burn_subtitles,
        loudness_target=current_app.config["SCREENING_LOUDNESS_LUFS"],
    )
    db.session.add(pack)
    db.session.flush()
    return pack


def build_pack(pack_id: int) -> ScreeningPack | None:
    return prepare(
        ScreeningPack,
        pack_id,
        _build,
        failed_step=_l("La préparation a échoué : relancez-la, ou prévenez l'équipe technique."),
    )


def _build(pack: ScreeningPack) -> None:
    edition = pack.edition
    films = list(programmed_films(edition))
    if not films:
        raise ValueError(_("Le programme ne contient aucun film à projeter."))
    pack.advance(1, _("Préparation…"))
    work = media_path(f"{pack.directory}/files")
    work.mkdir(parents=True, exist_ok=True)
    entries = []
    for index, (number, film, seconds) in enumerate(films):
        title = publication.shown_title(film)
        filename = safe_filename(number, title)
        step = _(
            "Film %(n)s sur %(total)s : « %(title)s »", n=number, total=len(films), title=title
        )
        pack.advance(1 + int(index * 90 / len(films)), step)
        track = hall_track(film, film.screened_version) if pack.burn_subtitles else None
        normalise_loudness(
            # The original while the rendition is made: VLC plays what phones record.
            media_path(publication.video_for(Surface.CEREMONY, film)),
            work / filename,
            target=pack.loudness_target,
            burn_in=media_path(track.path) if track is not None else None,
        )
        credits = ", ".join(
            publication.credit_name(Surface.CEREMONY, p)
            for p, _roles in publication.credits_for(Surface.CEREMONY, film)
        )
        entries.append(Entry(filename, title, seconds, credits))
    title = f"{edition.title} — {_('cérémonie')}"
    (work / "programme.m3u").write_text(m3u(entries, title=title), encoding="utf-8")
    (work / "programme.xspf").write_bytes(xspf(entries, title=title))
    pack.advance(92, _("Création de l'archive…"))
    # Videos are already compressed: stored as they are, the archive is quick to make.
    with (
        atomic_path(media_path(pack.archive_path)) as temporary,
        zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf,
    ):
        for path in sorted(work.iterdir()):
            zf.write(path, arcname=f"projection-{edition.year}/{path.name}")
    with contextlib.suppress(OSError):
        shutil.rmtree(work)
    pack.finish(_("Prêt : %(n)s films.", n=len(entries)))
