"""Programme releases, as a conference releases its schedule: once published, the builder's
edits form a draft; staff release it as a numbered, dated version with the list of what changed
(a film added, moved, removed, a time changed), and visitors, the API, the calendar and the
printed programme follow the released version.

A release keeps the plan (blocks, order, times); who may be seen is decided when a page is read.
Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask_babel import format_datetime, format_time
from flask_babel import gettext as _
from sqlalchemy import select

from festival.auth.models import User
from festival.caching import forget_public_pages_after_commit
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.programme.models import ItemKind, ProgrammeRelease

# Moves under a minute are the rounding of film lengths, not news.
TIME_CHANGE_SECONDS = 60


def plan_of(schedules: Iterable) -> list[dict]:
    """The structure of a schedule (services.BlockSchedule list), as a release keeps it."""
    plan = []
    for schedule in schedules:
        block = schedule.block
        plan.append(
            {
                "block": block.id,
                "title": block.title,
                "venue": block.venue_name,
                "venue_id": block.venue_id,
                "starts_at": block.starts_at.isoformat(),
                "ends_at": schedule.ends_at.isoformat(),
                "items": [
                    {
                        "item": scheduled.item.id,
                        "kind": scheduled.item.kind.value,
                        "film": scheduled.item.film_id,
                        "title": _item_title(scheduled.item),
                        "starts_at": scheduled.starts_at.isoformat(),
                        "seconds": scheduled.seconds,
                    }
                    for scheduled in schedule.items
                ],
            }
        )
    return plan


def _item_title(item) -> str:
    if item.kind == ItemKind.FILM and item.film is not None:
        return publication.shown_title(item.film)
    return item.title


def latest_release(edition: Edition) -> ProgrammeRelease | None:
    return db.session.scalar(
        select(ProgrammeRelease)
        .where(ProgrammeRelease.edition_id == edition.id)
        .order_by(ProgrammeRelease.number.desc())
        .limit(1)
    )


def releases_of(edition: Edition) -> list[ProgrammeRelease]:
    return list(
        db.session.scalars(
            select(ProgrammeRelease)
            .where(ProgrammeRelease.edition_id == edition.id)
            .order_by(ProgrammeRelease.number.desc())
        )
    )


def take_release(edition: Edition, plan: list[dict], *, by: User | None) -> ProgrammeRelease:
    """Publish this plan as the next numbered version, with what changed since the last."""
    previous = latest_release(edition)
    release = ProgrammeRelease(
        edition_id=edition.id,
        number=(previous.number + 1) if previous else 1,
        released_at=utcnow(),
        released_by_id=by.id if by is not None else None,
        plan=plan,
        changes=changes_between(previous.plan if previous else None, plan),
    )
    db.session.add(release)
    edition.programme_published_at = release.released_at
    forget_public_pages_after_commit()
    db.session.flush()
    return release


def changes_between(before: list[dict] | None, after: list[dict]) -> list[dict]:
    """What a visitor would notice: blocks, films and moments (a welcome, an interval, the
    prize-giving) added, removed, moved, or retimed."""
    if before is None:
        return []
    changes: list[dict] = []
    old_blocks = {b["block"]: b for b in before}
    new_blocks = {b["block"]: b for b in after}
    for block in after:
        old = old_blocks.get(block["block"])
        if old is None:
            changes.append(_change("block_added", block["title"], to=block["starts_at"]))
        elif old["starts_at"] != block["starts_at"]:
            changes.append(
                _change("block_time", block["title"], was=old["starts_at"], to=block["starts_at"])
            )
    for block in before:
        if block["block"] not in new_blocks:
            changes.append(_change("block_removed", block["title"]))
    old_entries = _entries(before)
    new_entries = _entries(after)
    for key, (block, item, index) in new_entries.items():
        if key not in old_entries:
            changes.append(_change("film_added", item["title"], block=block["title"]))
            continue
        old_block, old_item, old_index = old_entries[key]
        if old_block["block"] != block["block"]:
            changes.append(
                _change("film_moved", item["title"], was=old_block["title"], block=block["title"])
            )
        elif _minutes_apart(old_item["starts_at"], item["starts_at"]):
            changes.append(
                _change("film_time", item["title"], was=old_item["starts_at"], to=item["starts_at"])
            )
        elif old_index != index:
            changes.append(_change("film_order", item["title"], block=block["title"]))
    for key, (block, item, _index) in old_entries.items():
        if key not in new_entries:
            changes.append(_change("film_removed", item["title"], block=block["title"]))
    return changes


def _entry_key(item: dict) -> tuple:
    """A film by its id; a moment (welcome, interval, prize-giving) by its item's id, or by
    its kind and title in releases kept before items carried their id."""
    if item["film"] is not None:
        return ("film", item["film"])
    if item.get("item") is not None:
        return ("moment", item["item"])
    return ("moment", item["kind"], item["title"])


def _entries(plan: list[dict]) -> dict[tuple, tuple[dict, dict, int]]:
    """Every film and moment of the plan: where it is, and its rank in its block."""
    found = {}
    for block in plan:
        films = 0  # a film's rank among films (a moment added moves no film); a moment's
        for position, item in enumerate(block["items"]):  # among all (it sits between films)
            key = _entry_key(item)
            found[key] = (block, item, films if key[0] == "film" else position)
            films += key[0] == "film"
    return found


def _minutes_apart(before: str, after: str) -> bool:
    delta = datetime.fromisoformat(after) - datetime.fromisoformat(before)
    return abs(delta.total_seconds()) >= TIME_CHANGE_SECONDS


def _change(kind: str, title: str, **details) -> dict:
    return {"kind": kind, "title": title, **details}


def describe(change: dict) -> str:
    """A change as a sentence, in the reader's language."""

    def hour(value: str | None) -> str:
        return format_time(datetime.fromisoformat(value), "HH:mm", rebase=False) if value else ""

    def day_hour(value: str | None) -> str:
        # As every page writes a moment: « samedi 27 mars, 18:00 ».
        moment = datetime.fromisoformat(value) if value else None
        return format_datetime(moment, "EEEE d MMMM, HH:mm", rebase=False) if moment else ""

    kind, title = change["kind"], change["title"]
    if kind == "film_added":
        return _(
            "« %(title)s » rejoint la séance « %(block)s ».", title=title, block=change["block"]
        )
    if kind == "film_removed":
        return _("« %(title)s » quitte le programme.", title=title)
    if kind == "film_moved":
        return _(
            "« %(title)s » passe de la séance « %(was)s » à « %(block)s ».",
            title=title,
            was=change["was"],
            block=change["block"],
        )
    if kind == "film_time":
        return _(
            "« %(title)s » : projection à %(to)s au lieu de %(was)s.",
            title=title,
            to=hour(change["to"]),
            was=hour(change["was"]),
        )
    if kind == "film_order":
        return _(
            "« %(title)s » change de place dans « %(block)s ».", title=title, block=change["block"]
        )
    if kind == "block_added":
        return _("Nouvelle séance : « %(title)s », %(to)s.", title=title, to=day_hour(change["to"]))
    if kind == "block_removed":
        return _("La séance « %(title)s » est supprimée.", title=title)
    if kind == "block_time":
        return _(
            "La séance « %(title)s » commence à %(to)s au lieu de %(was)s.",
            title=title,
            to=day_hour(change["to"]),
            was=day_hour(change["was"]),
        )
    return title


def release_warnings(schedules: list, edition: Edition) -> list[str]:
    """What staff should know before releasing (nothing is blocked): films that will not be
    shown or lack a consent, overruns, and two blocks in the same venue at the same time."""
    warnings: list[str] = []
    for schedule in schedules:
        for scheduled in schedule.items:
            warnings.extend(scheduled.warnings)
        if schedule.overrun_seconds:
            warnings.append(
                _(
                    "La séance « %(title)s » dépasse sa durée prévue de %(minutes)s min.",
                    title=schedule.block.title,
                    minutes=-(-schedule.overrun_seconds // 60),
                )
            )
    for first, second in _overlaps(schedules, edition):
        warnings.append(
            _(
                "Les séances « %(a)s » et « %(b)s » se chevauchent dans le même lieu (%(venue)s).",
                a=first.block.title,
                b=second.block.title,
                venue=first.block.venue_name,
            )
        )
    return warnings


def _overlaps(schedules: list, edition: Edition) -> list[tuple]:
    found = []
    ordered = sorted(schedules, key=lambda s: s.block.starts_at)
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            same_place = first.block.where is second.block.where
            planned_end = first.block.starts_at + timedelta(minutes=first.block.planned_minutes)
            ends = max(first.ends_at, planned_end)
            if same_place and second.block.starts_at < ends:
                found.append((first, second))
    return found
