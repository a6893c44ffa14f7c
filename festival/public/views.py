"""The audience's pages: the lineup, each film, past editions, the calendar."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from sqlalchemy import update

from festival.awards import palmares
from festival.caching import public_key, rendered, rendered_file
from festival.clock import as_aware_local, local_now
from festival.collection.services import edition_titles
from festival.editions.services import all_editions, current_edition, edition_of_year
from festival.editions.venue import json_ld_entry, venue_of
from festival.extensions import cache, db
from festival.films.models import Film, FilmRole
from festival.formatting import script_json
from festival.programme import lineup, releases
from festival.programme.calendar import programme_ics
from festival.programme.printing import edition_programme_pdf
from festival.responses import (
    absolute_url,
    media_mimetype,
    public_host,
    public_root,
    serve_media,
)

bp = Blueprint("public", __name__)

PUBLIC_MAX_AGE = 60  # a minute: staff see their publication appear quickly


def cached(body, *, mimetype: str = "text/html"):
    """Public pages carry an ETag and a short cache lifetime: phones on 3G revalidate cheaply."""
    response = make_response(body)
    response.mimetype = mimetype
    response.add_etag()
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response.make_conditional(request)


@bp.route("/")
def home():
    def page() -> str:
        edition = current_edition()
        blocks = lineup.public_programme(edition) if lineup.is_published(edition) else []
        return render_template(
            "public/home.html",
            edition=edition,
            now=local_now(),
            over=edition is not None and edition.ceremony_is_over(local_now()),
            has_palmares=edition is not None and palmares.is_palmares_published(edition),
            blocks=blocks,
            json_ld=json_ld(edition, blocks),
            titles=edition_titles(edition),
        )

    return cached(rendered("page", page))


@bp.route("/programme")
def programme():
    def page() -> str:
        edition = current_edition()
        if not lineup.is_published(edition):
            return render_template("public/not_published.html", edition=edition)
        return _lineup(edition)

    return cached(rendered("page", page))


@bp.route("/programme/<int:year>")
def programme_of(year: int):
    def page() -> str:
        edition = edition_of_year(year)
        if not lineup.is_published(edition):
            abort(404)
        return _lineup(edition)

    return cached(rendered("page", page))


def _published_palmares(edition) -> list:
    return palmares.palmares_entries(edition) if palmares.is_palmares_published(edition) else []


def _lineup(edition) -> str:
    blocks = lineup.public_programme(edition)
    palmares = _published_palmares(edition)
    return render_template(
        "public/programme.html",
        edition=edition,
        blocks=blocks,
        json_ld=json_ld(edition, blocks, palmares=palmares),
        is_current=edition.is_current,
        palmares=palmares,
        titles=edition_titles(edition),
        over=edition.ceremony_is_over(local_now()),
        history=[
            (r, [releases.describe(c) for c in r.changes]) for r in releases.releases_of(edition)
        ],
    )


@bp.route("/programme/<int:year>/films/<int:film_id>")
def film_page(year: int, film_id: int):
    def page() -> str:
        edition = edition_of_year(year)
        if not lineup.is_published(edition):
            abort(404)
        blocks = lineup.public_programme(edition)
        try:
            block, item = lineup.find_public_film(blocks, film_id)
        except LookupError:
            abort(404)
        published = _published_palmares(edition)
        return render_template(
            "public/film.html",
            edition=edition,
            block=block,
            item=item,
            film=item.film,
            over=edition.ceremony_is_over(local_now()),
            json_ld=json_ld(edition, [block], only_film=film_id, palmares=published),
            prizes=[entry.award for entry in published if entry.film.id == film_id],
        )

    return cached(rendered("page", page))


@bp.route("/programme/<int:year>/programme.pdf")
def programme_pdf(year: int):
    edition = edition_of_year(year)
    if not lineup.is_published(edition):
        abort(404)
    response = cached(edition_programme_pdf(edition), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="programme-{year}.pdf"'
    return response


@bp.route("/archives")
def archives():
    """Every past edition, its programme and palmarès linked when they were published on the
    platform (an edition kept on paper is named all the same)."""
    current = current_edition()
    published = {e.id for e in lineup.published_editions()}
    editions = [
        e
        for e in all_editions()
        if not e.is_current and (current is None or e.ceremony_at < current.ceremony_at)
    ]
    return cached(
        render_template(
            "public/archives.html",
            editions=editions,
            has_programme=lambda e: e.id in published,
            has_palmares=palmares.is_palmares_published,
        )
    )


@bp.route("/programme.ics")
def programme_calendar():
    found = rendered_file("calendar", _programme_calendar_file)
    if found is None:
        abort(404)
    name, body = found
    response = cached(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _programme_calendar_file() -> tuple[str, bytes] | None:
    edition = current_edition()
    if not lineup.is_published(edition):
        return None
    body = programme_ics(edition, lineup.public_programme(edition), host=public_host())
    return f"ceremonie-{edition.year}.ics", body


@bp.route("/robots.txt")
def robots():
    """Search engines may read the public pages; the team's pages, the API, the media files
    and the vote are not for them."""
    body = "\n".join(
        [
            "User-agent: *",
            *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
            f"Sitemap: {public_root()}{url_for('public.sitemap')}",
            "",
        ]
    )
    return cached(body, mimetype="text/plain")


ROBOTS_DISALLOW = ("/equipe", "/api/", "/medias/", "/vote", "/mon-espace", "/connexion", "/jury")


@bp.route("/sitemap.xml")
def sitemap():
    """Every public page: home, programme, each published edition and its films, palmarès."""

    def page() -> str:
        root = public_root()
        addresses = [
            url_for("public.home"),
            url_for("public.programme"),
            url_for("public.archives"),
            url_for("people.register"),
        ]
        for edition in lineup.published_editions():
            addresses.append(url_for("public.programme_of", year=edition.year))
            for block in lineup.public_programme(edition):
                addresses.extend(
                    url_for("public.film_page", year=edition.year, film_id=film.id)
                    for film in block.films
                )
            if palmares.is_palmares_published(edition):
                addresses.append(url_for("awards.palmares_page", year=edition.year))
        return render_template("public/sitemap.xml", addresses=[root + a for a in addresses])

    return cached(rendered("sitemap", page), mimetype="application/xml")


@bp.route("/healthz")
def healthz():
    """For load balancers and benchmarks: the app answers, nothing else is touched."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/confidentialite")
def privacy():
    return cached(render_template("public/privacy.html", edition=current_edition()))


def _video_object(edition, film) -> dict | None:
    """The film itself, for a film one can watch on its page (schema.org VideoObject)."""
    if not film.video_url:
        return None
    video = {
        "@type": "VideoObject",
        "name": film.title,
        "description": film.synopsis or film.title,
        "contentUrl": public_root() + film.video_url,
        "embedUrl": absolute_url("public.film_page", year=edition.year, film_id=film.id),
        "duration": f"PT{film.seconds // 60}M{film.seconds % 60}S",
        # First shown to the public at the ceremony: the day it was « uploaded » for viewers.
        "uploadDate": as_aware_local(edition.ceremony_at).isoformat(),
        "thumbnailUrl": public_root() + film.share_image if film.share_image else None,
    }
    return {key: value for key, value in video.items() if value is not None}


def json_ld(edition, blocks, only_film: int | None = None, palmares: list = ()) -> str:
    """schema.org ScreeningEvent per block, with its films as Movie: for search engines."""
    if edition is None or not blocks:
        return ""
    events = screening_events(edition, blocks, only_film, palmares)
    return script_json({"@context": "https://schema.org", "@graph": events})


def _organizer() -> dict:
    library = current_app.config.get("LIBRARY_NAME") or "Un Trait Amateur"
    return {
        "@type": "Organization",
        "name": library,
        "url": current_app.config.get("LIBRARY_URL") or public_root() + "/",
    }


def screening_events(edition, blocks, only_film: int | None = None, palmares=()) -> list[dict]:
    won: dict[int, list[str]] = {}
    for entry in palmares:  # the published palmarès: each film's awards
        won.setdefault(entry.film.id, []).append(entry.award.name)
    venue = venue_of(edition)
    place = venue.json_ld_place()
    organizer = _organizer()
    library = organizer["name"]
    events = []
    for block in blocks:
        movies = [
            {
                "@type": "Movie",
                "name": film.title,
                "description": film.synopsis or None,
                "duration": f"PT{film.seconds // 60}M{film.seconds % 60}S",
                "subtitleLanguage": film.subtitle_languages or None,
                "url": absolute_url("public.film_page", year=edition.year, film_id=film.id),
                "image": public_root() + film.share_image if film.share_image else None,
                "director": [
                    {"@type": "Person", "name": member["name"]}
                    for member in film.team
                    if FilmRole.DIRECTION.value in member.get("role_codes", ())
                ]
                or None,
                "award": won.get(film.id),
                "video": _video_object(edition, film),
            }
            for film in block.films
            if only_film in (None, film.id)
        ]
        events.append(
            {
                "@type": "ScreeningEvent",
                "name": f"{edition.title} — {block.title}",
                "startDate": as_aware_local(block.starts_at).isoformat(),
                "endDate": as_aware_local(block.ends_at).isoformat(),
                "eventStatus": "https://schema.org/EventScheduled",
                "location": block.place.json_ld_place()
                if block.place is not None
                else {**place, "name": place.get("name") or library},
                "organizer": organizer,
                **json_ld_entry(edition),
                "workPresented": [{k: v for k, v in m.items() if v is not None} for m in movies],
            }
        )
    return events


def _catalogue_work(title) -> dict:
    work = {
        "@type": "Movie",
        "name": title.title,
        "director": {"@type": "Person", "name": title.director} if title.director else None,
        "dateCreated": str(title.year) if title.year else None,
        "url": title.opac_url,
        "identifier": title.record_id,
    }
    return {key: value for key, value in work.items() if value is not None}


def festival_graph(edition, blocks, palmares) -> str:
    """The whole festival as one schema.org Festival: the workshops and the screenings as its
    sub-events, the library as organizer (the interoperability a label jury asks for)."""
    venue = venue_of(edition).json_ld_place()
    organizer = _organizer()
    titles = edition_titles(edition)
    workshops = [
        {
            "@type": "EducationEvent",
            "name": f"{edition.title} — {workshop.title}",
            "description": workshop.description or workshop.theme or None,
            "startDate": as_aware_local(workshop.starts_at).isoformat(),
            "endDate": as_aware_local(workshop.ends_at).isoformat(),
            # Workshops are held at the library (the ceremony may be elsewhere).
            "location": {
                "@type": "Place",
                "name": ", ".join(p for p in (workshop.room, organizer["name"]) if p),
            },
            "organizer": organizer,
            "url": absolute_url("public.workshop_page", year=edition.year, number=workshop.number),
            "typicalAgeRange": f"{edition.age_min}-{edition.age_max}",
            "isAccessibleForFree": True,
            "workFeatured": [_catalogue_work(t) for t in titles.of(workshop.id)] or None,
        }
        for workshop in edition.workshops
    ]
    festival = {
        "@context": "https://schema.org",
        "@type": "Festival",
        "name": edition.title,
        "startDate": edition.starts_on.isoformat(),
        "endDate": as_aware_local(edition.ceremony_at).isoformat(),
        "url": absolute_url("public.programme_of", year=edition.year)
        if lineup.is_published(edition)
        else public_root() + "/",
        "location": {**venue, "name": venue.get("name") or organizer["name"]},
        "organizer": organizer,
        "typicalAgeRange": f"{edition.age_min}-{edition.age_max}",
        "eventStatus": "https://schema.org/EventScheduled",
        "subEvent": [
            {key: value for key, value in w.items() if value is not None} for w in workshops
        ]
        + screening_events(edition, blocks, palmares=palmares),
        "workFeatured": [_catalogue_work(t) for t in titles.ceremony] or None,
    }
    return json.dumps(
        {key: value for key, value in festival.items() if value is not None},
        ensure_ascii=False,
        indent=2,
    )


@bp.route("/programme/<int:year>/ateliers/<int:number>")
def workshop_page(year: int, number: int):
    """A workshop for teens and families: when, where, what it is about, and what the library
    recommends to watch or read before it, each title linked to the library's catalogue."""

    def page() -> str:
        edition = edition_of_year(year)
        workshop = (
            next((w for w in edition.workshops if w.number == number), None) if edition else None
        )
        if workshop is None:
            abort(404)
        return render_template(
            "public/workshop.html",
            edition=edition,
            workshop=workshop,
            titles=edition_titles(edition).of(workshop.id),
            now=local_now(),
        )

    return cached(rendered("page", page))


@bp.route("/programme/<int:year>/festival.jsonld")
def festival_json_ld(year: int):
    """The festival as schema.org data, for the library's website, its catalogue and the
    region's agendas: a Festival with its workshops (EducationEvent, with the titles the
    library recommends as workFeatured) and its screenings (ScreeningEvent with their films)."""

    def produce() -> str:
        edition = edition_of_year(year)
        if edition is None:
            abort(404)
        blocks = lineup.public_programme(edition) if lineup.is_published(edition) else []
        return festival_graph(edition, blocks, _published_palmares(edition))

    return cached(rendered("jsonld", produce), mimetype="application/ld+json")


# ---------------------------------------------------------------- media


def _visible_file(film_id: int, number: int, what: str, find) -> str | None:
    """The stored file a visitor may have at this address (`find(film)`), or None.

    Kept in the public cache (the pages' lifetime): on the ceremony night every phone asks for
    the same thumbnails, and the answer needs the programme and everyone's consents.
    """
    key = public_key("media", film_id, number, what)
    found = cache.get(key)
    if found is None:
        film = db.session.get(Film, film_id)
        found = (find(film) if film is not None else None) or ""
        cache.set(key, found)
    return found or None


def _serve_public_media(film_id: int, number: int, name: str | None):
    relative = _visible_file(
        film_id, number, name or "video", lambda film: lineup.public_media_file(film, number, name)
    )
    if relative is None:
        abort(404)
    return serve_media(relative, media_mimetype(name), public=True)


@bp.route("/medias/films/<int:film_id>/v<int:number>/web.mp4")
def film_video(film_id: int, number: int):
    """A film that plays online, in its approved version. A request from the first byte starts
    a viewing (the report counts them); the player's later ranges do not."""
    response = _serve_public_media(film_id, number, None)
    if response.status_code in (200, 206) and request.headers.get("Range", "bytes=0-").startswith(
        "bytes=0-"
    ):
        db.session.execute(
            update(Film).where(Film.id == film_id).values(online_views=Film.online_views + 1)
        )
        db.session.commit()
    return response


@bp.route("/medias/films/<int:film_id>/v<int:number>/sous-titres/<int:subtitle_id>.vtt")
def film_subtitles(film_id: int, number: int, subtitle_id: int):
    """A subtitle track of a film that plays online, under the same rule as its video."""
    relative = _visible_file(
        film_id,
        number,
        f"subtitles-{subtitle_id}",
        lambda film: lineup.public_subtitle_file(film, number, subtitle_id),
    )
    if relative is None:
        abort(404)
    return serve_media(relative, "text/vtt", public=True)


@bp.route("/medias/films/<int:film_id>/v<int:number>/vignettes/<name>")
def film_thumbnail(film_id: int, number: int, name: str):
    """The film's public still, in each of its sizes and formats."""
    return _serve_public_media(film_id, number, name)
