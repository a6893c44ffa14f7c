"""The lineup's read model: what visitors may see of a programme, and of each film's media.

Published blocks, films and display names only;
One function builds the public view of an edition; the public pages, the JSON API and the
calendar all read it, so a private field cannot slip into one of them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import select

from festival.editions.models import Edition, Venue
from festival.extensions import db
from festival.films import publication
from festival.films.labels import ROLE_LABELS
from festival.films.models import Film
from festival.films.publication import Surface, is_screenable
from festival.films.services import FILM_LIST_OPTIONS
from festival.films.subtitles import player_tracks, track_label
from festival.programme.labels import KIND_LABELS
from festival.programme.models import ItemKind, ProgrammeItem, ScreeningBlock
from festival.programme.releases import latest_release
from festival.programme.services import edition_schedule


def is_published(edition: Edition | None) -> bool:
    return edition is not None and edition.programme_published_at is not None


def published_editions() -> list[Edition]:
    return list(
        db.session.scalars(
            select(Edition)
            .where(Edition.programme_published_at.is_not(None))
            .order_by(Edition.year.desc())
        )
    )


def is_public_film(film: Film) -> bool:
    """On the published programme of its edition (its latest release)."""
    if not is_published(film.edition):
        return False
    release = latest_release(film.edition)
    if release is not None:
        return any(item["film"] == film.id for b in release.plan for item in b["items"])
    return (
        db.session.scalar(
            select(ProgrammeItem.id)
            .join(ScreeningBlock)
            .where(ProgrammeItem.film_id == film.id, ScreeningBlock.edition_id == film.edition_id)
            .limit(1)
        )
        is not None
    )


def public_media_file(film: Film, number: int, name: str | None) -> str | None:
    """The stored file at a public media address: the publication rule for visitors, for a
    film on the published programme."""
    if not is_public_film(film):
        return None
    return publication.media_file(Surface.PUBLIC, film, number, name)


def public_subtitle_file(film: Film, number: int, subtitle_id: int) -> str | None:
    if not is_public_film(film):
        return None
    return publication.subtitle_file(Surface.PUBLIC, film, number, subtitle_id)


@dataclass
class PublicFilm:
    id: int
    title: str
    synopsis: str
    seconds: int
    team: list[dict]
    thumbnail: dict[str, str] | None
    thumbnail_size: tuple[int, int] | None
    plays_online: bool
    video_url: str | None
    # The stored still the printed programme uses (relative to the media folder), or None.
    print_image: str | None = None
    # « français (sourds et malentendants) », « anglais »: what the film page says.
    subtitles: list[str] = field(default_factory=list)
    # The visitors' player's <track>s: kind, srclang, label, src, default.
    tracks: list[dict] = field(default_factory=list)
    subtitle_languages: list[str] = field(default_factory=list)  # "fr", "en"

    @property
    def share_image(self) -> str | None:
        """The still's largest JPEG (what link previews read), when the film has a public one."""
        jpegs = [
            (int(key.split(".")[0]), url)
            for key, url in (self.thumbnail or {}).items()
            if key.endswith(".jpeg") and key.split(".")[0].isdigit()
        ]
        return max(jpegs)[1] if jpegs else None

    # The player's poster: the video element takes one address (no srcset), read by every
    # phone on the page's first visit. A 640-wide WebP is sharp in the player's 40rem and a
    # fifth of the 1280 JPEG on slow 3G; JPEG and larger sizes only when it is missing. A
    # portrait film's player is as tall as the screen allows, about 350 px wide on a phone:
    # its poster is the 320 (the 640 has three times a landscape poster's pixels, 162 KiB of
    # a grainy 1080p film where the page's budget on slow 3G is 100).
    POSTER_PREFERENCE = ("640.webp", "640.jpeg", "1280.webp", "1280.jpeg", "320.webp", "320.jpeg")
    PORTRAIT_POSTER_PREFERENCE = ("320.webp", "320.jpeg", *POSTER_PREFERENCE)

    @property
    def poster(self) -> str | None:
        stills = self.thumbnail or {}
        width, height = self.thumbnail_size or (16, 9)
        preference = self.PORTRAIT_POSTER_PREFERENCE if height > width else self.POSTER_PREFERENCE
        for name in preference:
            if name in stills:
                return stills[name]
        return next(iter(stills.values()), None)


@dataclass
class PublicItem:
    kind: ItemKind
    label: str
    title: str
    starts_at: datetime
    seconds: int
    film: PublicFilm | None = None


@dataclass
class PublicBlock:
    id: int
    title: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    items: list[PublicItem] = field(default_factory=list)
    place: Venue | None = None  # where it is shown: its own place, else the ceremony's

    @property
    def films(self) -> list[PublicFilm]:
        return [i.film for i in self.items if i.film is not None]


def public_film(film: Film, seconds: int) -> PublicFilm:
    thumbnail = publication.still_for(Surface.PUBLIC, film)
    urls = None
    if thumbnail is not None:
        urls = {
            key: url_for(
                "public.film_thumbnail",
                film_id=film.id,
                number=thumbnail.version.number,
                name=path.rsplit("/", 1)[-1],
            )
            for key, path in sorted(thumbnail.files.items())
        }
    screened = film.screened_version
    online = publication.plays_online(film)
    video_url = (
        url_for("public.film_video", film_id=film.id, number=screened.number)
        if publication.video_for(Surface.PUBLIC, film)
        else None
    )
    tracks = []
    if video_url:
        tracks = [
            {
                "kind": t.kind,
                "srclang": t.srclang,
                "label": t.label,
                "default": t.default,
                "src": url_for(
                    "public.film_subtitles",
                    film_id=film.id,
                    number=screened.number,
                    subtitle_id=t.subtitle_id,
                ),
            }
            for t in player_tracks(film, screened, str(get_locale()))
        ]
    # The film page names its subtitles even when the film does not play online.
    screened_tracks = publication.subtitles_for(Surface.CEREMONY, film)
    return PublicFilm(
        id=film.id,
        title=publication.shown_title(film),
        synopsis=publication.shown_synopsis(film),
        seconds=seconds,
        team=[
            {
                "name": publication.credit_name(Surface.PUBLIC, person),
                "roles": [str(ROLE_LABELS[r]) for r in roles],
                "role_codes": [r.value for r in roles],  # labels follow the page's language
            }
            for person, roles in publication.credits_for(Surface.PUBLIC, film)
        ],
        thumbnail=urls,
        thumbnail_size=(thumbnail.width, thumbnail.height) if thumbnail else None,
        plays_online=online,
        video_url=video_url,
        subtitles=[track_label(t) for t in screened_tracks],
        subtitle_languages=sorted({t.language for t in screened_tracks if t.language}),
        tracks=tracks,
        print_image=(thumbnail.file(640, "jpeg") or thumbnail.file(thumbnail.widths[-1], "jpeg"))
        if thumbnail
        else None,
    )


def public_programme(edition: Edition, *, draft: bool = False) -> list[PublicBlock]:
    """What visitors see: the latest release (the builder's draft only for staff's own proof,
    `draft`, or before any release exists). Consent is read now, not at release time."""
    release = None if draft else latest_release(edition)
    if release is not None:
        return _released_programme(release)
    blocks = []
    for planned in edition_schedule(edition, with_warnings=False):
        block = planned.block
        public = PublicBlock(
            block.id,
            block.title,
            block.venue_name,
            block.starts_at,
            planned.ends_at,
            place=block.where,
        )
        for scheduled in planned.items:
            item = scheduled.item
            film = None
            if item.kind == ItemKind.FILM:
                if not is_screenable(item.film):
                    continue  # not retained, not valid or without consent: not shown at all
                film = public_film(item.film, scheduled.seconds)
            public.items.append(
                PublicItem(
                    kind=item.kind,
                    label=str(KIND_LABELS[item.kind]),
                    title=film.title if film else item.title,
                    starts_at=scheduled.starts_at,
                    seconds=scheduled.seconds,
                    film=film,
                )
            )
        blocks.append(public)
    return blocks


def find_public_film(blocks: list[PublicBlock], film_id: int) -> tuple[PublicBlock, PublicItem]:
    for block in blocks:
        for item in block.items:
            if item.film is not None and item.film.id == film_id:
                return block, item
    raise LookupError(film_id)


def _place_of(planned: dict, edition: Edition) -> Venue | None:
    """A released séance's place: the one it named (releases before places were data named
    only the ceremony's), else the ceremony's."""
    venue_id = planned.get("venue_id")
    return (db.session.get(Venue, venue_id) if venue_id else None) or edition.ceremony_place


def _released_programme(release) -> list[PublicBlock]:
    film_ids = {item["film"] for b in release.plan for item in b["items"] if item["film"]}
    films = {
        film.id: film
        for film in db.session.scalars(
            select(Film).where(Film.id.in_(film_ids)).options(*FILM_LIST_OPTIONS)
        )
    }
    blocks = []
    for planned in release.plan:
        public = PublicBlock(
            planned["block"],
            planned["title"],
            planned["venue"],
            datetime.fromisoformat(planned["starts_at"]),
            datetime.fromisoformat(planned["ends_at"]),
            place=_place_of(planned, release.edition),
        )
        for item in planned["items"]:
            kind = ItemKind(item["kind"])
            film = None
            if kind == ItemKind.FILM:
                source = films.get(item["film"])
                if source is None or not is_screenable(source):
                    continue  # deleted since, or no longer screenable: not shown at all
                film = public_film(source, item["seconds"])
            public.items.append(
                PublicItem(
                    kind=kind,
                    label=str(KIND_LABELS[kind]),
                    title=film.title if film else item["title"],
                    starts_at=datetime.fromisoformat(item["starts_at"]),
                    seconds=item["seconds"],
                    film=film,
                )
            )
        blocks.append(public)
    return blocks
