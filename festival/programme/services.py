"""Composing the ceremony: blocks, their order, start times, warnings, publication.

The start-time arithmetic lives here and only here; pages, the API and the pack all use it.
Operations add and flush; the caller commits once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from festival.auth.models import User
from festival.editions.models import Edition, Venue
from festival.errors import ValidationError
from festival.extensions import db
from festival.films.models import Film, ReviewDecision
from festival.films.publication import is_screenable, lacks_screening_consent
from festival.films.services import FILM_LIST_OPTIONS
from festival.formatting import human_duration
from festival.people.age import is_minor
from festival.programme import releases
from festival.programme.labels import KIND_LABELS
from festival.programme.models import ItemKind, ProgrammeItem, ProgrammeRelease, ScreeningBlock
from festival.text import single_line


def film_seconds(film: Film) -> int:
    """A film's slot: the length of the version screened (approved by staff, or the current
    one before the review), rounded up to the second."""
    version = film.screened_version or film.current_version
    return math.ceil(version.duration) if version and version.duration else 0


def item_seconds(item: ProgrammeItem) -> int:
    """An item's slot; a film that will not be screened takes no time (the builder says why)."""
    if item.kind != ItemKind.FILM:
        return item.duration_seconds
    return film_seconds(item.film) if is_screenable(item.film) else 0


@dataclass
class ScheduledItem:
    item: ProgrammeItem
    starts_at: datetime
    seconds: int
    warnings: list[str] = field(default_factory=list)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(seconds=self.seconds)


@dataclass
class BlockSchedule:
    block: ScreeningBlock
    items: list[ScheduledItem]

    @property
    def total_seconds(self) -> int:
        return sum(i.seconds for i in self.items)

    @property
    def ends_at(self) -> datetime:
        return self.block.starts_at + timedelta(seconds=self.total_seconds)

    @property
    def overrun_seconds(self) -> int:
        return max(0, self.total_seconds - self.block.planned_minutes * 60)

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.overrun_seconds:
            found.append(
                _(
                    "La séance dure %(total)s pour %(planned)s prévues : elle déborde de %(over)s.",
                    total=human_duration(self.total_seconds),
                    planned=human_duration(self.block.planned_minutes * 60),
                    over=human_duration(self.overrun_seconds),
                )
            )
        return found + [w for item in self.items for w in item.warnings]


def film_warnings(film: Film, edition: Edition) -> list[str]:
    """Why a programmed film will not be screened, or what staff should check before."""
    warnings = []
    if film.current_version is None:
        warnings.append(
            _(
                "« %(title)s » n'a pas de version valide : il ne peut pas être projeté.",
                title=film.title,
            )
        )
    elif film.decision != ReviewDecision.SELECTED:
        warnings.append(
            _(
                "« %(title)s » n'est pas marqué comme retenu : il n'est ni projeté, ni dans le "
                "programme public, ni dans le pack de projection.",
                title=film.title,
            )
        )
    people = {m.participant_id: m.participant for m in film.members}
    if any(p.is_erased for p in people.values()):
        warnings.append(
            _(
                "« %(title)s » crédite une personne dont les données ont été effacées : son nom "
                "n'apparaît plus ; vérifiez avec l'équipe du film qu'elle accepte encore d'être "
                "vue à l'écran.",
                title=film.title,
            )
        )
    for participant in lacks_screening_consent(film):
        minor = participant.birth_date is not None and is_minor(
            participant.birth_date, edition.ceremony_at.date()
        )
        warnings.append(
            _(
                "%(name)s, mineur·e, n'a pas l'autorisation de droit à l'image pour la projection "
                "(« %(title)s ») : le film n'est pas projeté tant qu'elle manque.",
                name=participant.full_name,
                title=film.title,
            )
            if minor
            else _(
                "%(name)s n'a pas donné son accord de droit à l'image pour la projection "
                "(« %(title)s ») : le film n'est pas projeté tant qu'il manque.",
                name=participant.full_name,
                title=film.title,
            )
        )
    return warnings


def schedule(block: ScreeningBlock, *, with_warnings: bool = True) -> BlockSchedule:
    """Every item's start time, from the block's start and the real lengths before it."""
    starts_at = block.starts_at
    items = []
    for item in block.items:
        seconds = item_seconds(item)
        warnings = (
            film_warnings(item.film, block.edition)
            if (with_warnings and item.kind == ItemKind.FILM)
            else []
        )
        items.append(ScheduledItem(item, starts_at, seconds, warnings))
        starts_at += timedelta(seconds=seconds)
    return BlockSchedule(block, items)


def blocks_of(edition: Edition) -> list[ScreeningBlock]:
    """The edition's blocks with everything a programme page shows, in a fixed few queries."""
    return list(
        db.session.scalars(
            select(ScreeningBlock)
            .where(ScreeningBlock.edition_id == edition.id)
            .order_by(ScreeningBlock.starts_at, ScreeningBlock.position, ScreeningBlock.id)
            .options(
                selectinload(ScreeningBlock.items)
                .selectinload(ProgrammeItem.film)
                .options(*FILM_LIST_OPTIONS)
            )
        )
    )


def edition_schedule(edition: Edition, *, with_warnings: bool = True) -> list[BlockSchedule]:
    return [schedule(block, with_warnings=with_warnings) for block in blocks_of(edition)]


def programmed_film_ids(edition: Edition) -> set[int]:
    return set(
        db.session.scalars(
            select(ProgrammeItem.film_id)
            .join(ScreeningBlock)
            .where(ScreeningBlock.edition_id == edition.id, ProgrammeItem.film_id.is_not(None))
        )
    )


def selectable_films(edition: Edition) -> list[Film]:
    """Films staff may add: valid ones not yet in a block, retained ones first."""
    placed = programmed_film_ids(edition)
    films = db.session.scalars(
        select(Film)
        .where(Film.edition_id == edition.id)
        .order_by(Film.title)
        .options(selectinload(Film.versions))
    ).all()
    candidates = [f for f in films if f.id not in placed and f.current_version is not None]
    return sorted(candidates, key=lambda f: (f.decision != ReviewDecision.SELECTED, f.title))


# Bounds that keep every computed start time sensible (and within what dates can hold).
MAX_BLOCK_MINUTES = 600


MAX_MOMENT_SECONDS = 300 * 60


def _validate_block(title: str, planned_minutes: int, starts_at: datetime | None = None) -> None:
    single_line(title, field="title")
    if not (title or "").strip():
        raise ValidationError(_("Donnez un titre à la séance."), field="title")
    if planned_minutes is None or not 1 <= planned_minutes <= MAX_BLOCK_MINUTES:
        raise ValidationError(
            _(
                "La durée prévue va d'une minute à %(max)s minutes.",
                max=MAX_BLOCK_MINUTES,
            ),
            field="planned_minutes",
        )
    if starts_at is not None and not 2000 <= starts_at.year <= 2100:
        raise ValidationError(_("Vérifiez la date de début de la séance."), field="starts_at")


def add_block(
    edition: Edition,
    *,
    title: str,
    starts_at: datetime,
    planned_minutes: int,
    venue: Venue | None = None,
) -> ScreeningBlock:
    """A séance; `venue` None: where the ceremony is."""
    _validate_block(title, planned_minutes, starts_at)
    position = (
        db.session.scalar(
            select(func.max(ScreeningBlock.position)).where(ScreeningBlock.edition_id == edition.id)
        )
        or 0
    ) + 1
    block = ScreeningBlock(
        edition=edition,
        title=title.strip(),
        place=venue,
        starts_at=starts_at,
        planned_minutes=planned_minutes,
        position=position,
    )
    db.session.add(block)
    db.session.flush()
    return block


def update_block(
    block: ScreeningBlock,
    *,
    title: str,
    starts_at: datetime,
    planned_minutes: int,
    venue: Venue | None = None,
) -> ScreeningBlock:
    _validate_block(title, planned_minutes, starts_at)
    block.title, block.place = title.strip(), venue
    block.starts_at, block.planned_minutes = starts_at, planned_minutes
    db.session.flush()
    return block


def _next_position(block: ScreeningBlock) -> int:
    return max((i.position for i in block.items), default=0) + 1


def add_film(block: ScreeningBlock, film: Film) -> ProgrammeItem:
    if film.edition_id != block.edition_id:
        raise ValidationError(_("Ce film n'est pas de cette édition."), field="film_id")
    if film.id in programmed_film_ids(block.edition):
        raise ValidationError(
            _("« %(title)s » est déjà au programme.", title=film.title), field="film_id"
        )
    if film.current_version is None:
        raise ValidationError(
            _("« %(title)s » n'a pas de version valide à projeter.", title=film.title),
            field="film_id",
        )
    item = ProgrammeItem(kind=ItemKind.FILM, film=film, position=_next_position(block))
    block.items.append(item)
    db.session.flush()
    return item


def add_moment(
    block: ScreeningBlock, *, kind: ItemKind, title: str, duration_seconds: int
) -> ProgrammeItem:
    """A moment that is not a film: welcome, awards, intermission…"""
    if kind == ItemKind.FILM:
        raise ValidationError(_("Ajoutez les films depuis la liste des films."), field="kind")
    if duration_seconds is None or not 0 <= duration_seconds <= MAX_MOMENT_SECONDS:
        raise ValidationError(
            _("La durée d'un moment va de 0 à %(max)s minutes.", max=MAX_MOMENT_SECONDS // 60),
            field="duration_seconds",
        )
    item = ProgrammeItem(
        kind=kind,
        title=single_line(title, field="title") or str(KIND_LABELS[kind]),
        duration_seconds=duration_seconds,
        position=_next_position(block),
    )
    block.items.append(item)
    db.session.flush()
    return item


def remove_item(item: ProgrammeItem) -> None:
    db.session.delete(item)
    db.session.flush()


def set_order(block: ScreeningBlock, item_ids: list[int]) -> list[ProgrammeItem]:
    """Put these items in this block, in this order (items may come from another block)."""
    if len(set(item_ids)) != len(item_ids):
        raise ValidationError(_("Un même élément apparaît deux fois."), field="items")
    items = (
        db.session.scalars(
            select(ProgrammeItem)
            .join(ScreeningBlock)
            .where(ProgrammeItem.id.in_(item_ids), ScreeningBlock.edition_id == block.edition_id)
        ).all()
        if item_ids
        else []
    )
    by_id = {i.id: i for i in items}
    unknown = [i for i in item_ids if i not in by_id]
    if unknown:
        raise ValidationError(
            _("Éléments inconnus dans ce programme : %(ids)s.", ids=", ".join(map(str, unknown))),
            field="items",
        )
    missing = [i for i in block.items if i.id not in by_id]
    if missing:
        raise ValidationError(
            _(
                "L'ordre doit citer tous les éléments de la séance : il manque %(ids)s.",
                ids=", ".join(str(i.id) for i in missing),
            ),
            field="items",
        )
    for position, item_id in enumerate(item_ids, start=1):
        item = by_id[item_id]
        item.block_id, item.position = block.id, position
    db.session.flush()
    db.session.expire(block, ["items"])
    return block.items


def move_item(item: ProgrammeItem, offset: int) -> None:
    """One step up (-1) or down (+1) within its block: the keyboard's way to reorder."""
    items = list(item.block.items)
    index = items.index(item)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    set_order(item.block, [i.id for i in items])


def publish(edition: Edition, *, by: User | None = None) -> ProgrammeRelease:
    """Release the builder's programme to visitors as the next numbered version."""
    return releases.take_release(
        edition, releases.plan_of(edition_schedule(edition, with_warnings=False)), by=by
    )


def unpublish(edition: Edition) -> None:
    edition.programme_published_at = None
    db.session.flush()
