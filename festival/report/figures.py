"""The edition's report (« Bilan de l'édition »): every figure the library owes its town council
and its funders, computed from what the platform already holds, anonymous by construction.

No figure may point at a person: any group of fewer than SMALL_GROUP people is shown as « < 5 »
(`Count`), on the page, in the PDF, the open data and the API alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from festival.awards import palmares as awards_palmares
from festival.awards.models import Ballot
from festival.clock import local_today
from festival.collection.services import festival_loans
from festival.communes import official_commune
from festival.editions.models import BudgetKind, BudgetLine, Edition
from festival.extensions import db
from festival.films.models import Film, ReviewDecision
from festival.people.age import participant_age
from festival.people.models import Participant, ParticipantStatus
from festival.people.queries import name_key
from festival.programme import lineup
from festival.storage import media_path
from festival.workshops.models import Attendance

SMALL_GROUP = 5
# A cell hidden only so that a small one cannot be found by subtraction (INSEE's « secret »).
WITHHELD = "secret"
COMPLETION_THRESHOLD = 7  # « a suivi le parcours » : at least 7 of the ten workshops
LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


@dataclass(frozen=True)
class Count:
    """A number of people, hidden below SMALL_GROUP (zero says nothing about anyone), or
    hidden as a complement (`withheld`) so that no small group is found by subtraction."""

    value: int
    withheld: bool = False

    @property
    def hidden(self) -> bool:
        return self.withheld or 0 < self.value < SMALL_GROUP

    def __str__(self) -> str:
        return str(self.public())

    def public(self) -> int | str:
        if self.withheld and self.value >= SMALL_GROUP:
            return WITHHELD
        return f"< {SMALL_GROUP}" if self.hidden else self.value


@dataclass
class Report:
    edition: Edition
    registrations: dict[str, Count]
    ages: list[tuple[str, Count]]
    communes: list[tuple[str, Count]]
    home_town_share: float | None  # share of teens from the edition's own town, when given
    library_cards: dict[str, Count]
    attendance: list[tuple[int, str, Count]]  # workshop number, title, people who came
    workshops_followed: list[tuple[int, Count]]  # how many workshops, how many people
    completed: Count
    dropped_out_after: list[tuple[int, Count]]  # last workshop attended before leaving
    films: dict[str, int]
    audience: dict[str, int | None]
    budget: dict[str, Any] = field(default_factory=dict)
    # First time at the festival, or back from an earlier edition (same name and birth date).
    returning: dict[str, Count] = field(default_factory=dict)
    loans: dict[str, int] = field(default_factory=dict)
    partners: list[dict[str, Any]] = field(default_factory=list)
    palmares: list[dict[str, str]] = field(default_factory=list)

    def headline(self) -> dict[str, Count | int | float | None]:
        """The figures compared from one year to the next, by the key the pages name them."""
        return {
            "registrations": self.registrations["total"],
            "confirmed": self.registrations["confirmed"],
            "first_timers": self.returning.get("first_time", Count(0)),
            "completed": self.completed,
            "films_sent": self.films["sent"],
            "films_screened": self.films["screened"],
            "film_minutes": self.films.get("minutes", 0),
            "hall": self.audience["counted_in_the_hall"],
            "ballots": self.audience["audience_ballots"],
            "loans": self.loans.get("all_titles", 0),
            "partners_eur": self.budget.get("partners_eur"),
            "cost_per_participant_eur": self.budget.get("cost_per_participant_eur"),
        }

    def as_data(self) -> dict[str, Any]:
        """The open data: the same figures, small groups hidden, no personal data."""

        def counts(mapping: dict[str, Count]) -> dict[str, Any]:
            return {key: count.public() for key, count in mapping.items()}

        return {
            "edition": self.edition.year,
            "title": self.edition.title,
            "licence": LICENCE,
            "small_groups": f"fewer than {SMALL_GROUP} people: given as '< {SMALL_GROUP}'; "
            f"'{WITHHELD}': hidden as well, so that no small group is found by subtraction",
            "registrations": counts(self.registrations),
            "ages": {label: count.public() for label, count in self.ages},
            "communes": {label: count.public() for label, count in self.communes},
            "home_town_share": self.home_town_share,
            "library_cards": counts(self.library_cards),
            "attendance_per_workshop": [
                {"workshop": number, "title": title, "people": count.public()}
                for number, title, count in self.attendance
            ],
            "workshops_followed": {str(n): count.public() for n, count in self.workshops_followed},
            "completed": {"threshold": COMPLETION_THRESHOLD, "people": self.completed.public()},
            "dropped_out_after_workshop": {
                str(n): count.public() for n, count in self.dropped_out_after
            },
            "films": self.films,
            "ceremony": self.audience,
            "budget": self.budget,
            "returning": counts(self.returning),
            "loans": self.loans,
            "partners": self.partners,
            "palmares": self.palmares,
        }


def protect(counts: list[Count]) -> list[Count]:
    """Cells that add up to a published total (ages, statuses, communes…): when a small group
    is hidden, enough other cells are hidden too that the hidden ones together hold at least
    SMALL_GROUP people, so subtracting the shown ones from the total never finds a small
    group (complementary suppression, as statistics offices do)."""
    hidden = [c.hidden for c in counts]
    if not any(hidden):
        return counts
    total_hidden = sum(c.value for c, h in zip(counts, hidden, strict=True) if h)
    candidates = sorted(
        (i for i, c in enumerate(counts) if not hidden[i] and c.value > 0),
        key=lambda i: counts[i].value,
    )
    while 0 < total_hidden < SMALL_GROUP or sum(hidden) == 1:
        if not candidates:
            break
        index = candidates.pop(0)
        hidden[index] = True
        total_hidden += counts[index].value
    return [
        Count(c.value, withheld=h and not c.hidden) for c, h in zip(counts, hidden, strict=True)
    ]


def _protect_rows(rows: list[tuple[Any, Count]]) -> list[tuple[Any, Count]]:
    return list(zip([r[0] for r in rows], protect([r[1] for r in rows]), strict=True))


def _protect_keys(counts: dict[str, Count], keys: tuple[str, ...]) -> None:
    for key, count in zip(keys, protect([counts[k] for k in keys]), strict=True):
        counts[key] = count


OTHER_TOWNS = "autres communes"


def _towns(rows: list[tuple[str, Count]]) -> list[tuple[str, Count]]:
    """A commune is named (by its official name) only when SMALL_GROUP people or more live
    there: the others, and whatever matched no commune, are counted together, unnamed."""
    named = [
        (town, count) for town, count in rows if count.value >= SMALL_GROUP and town != OTHER_TOWNS
    ]
    others = sum(
        count.value for town, count in rows if count.value < SMALL_GROUP or town == OTHER_TOWNS
    )
    if others:
        named.append((OTHER_TOWNS, Count(others)))
    return _protect_rows(named)


def figures_are_public(edition: Edition, now) -> bool:
    """An edition's figures are published once it has closed (its ceremony over): a running
    edition's live numbers, or a next one's, would follow people week by week."""
    return edition.ceremony_is_over(now)


def report_for(edition: Edition) -> Report:
    """The report, with the library's own town (FESTIVAL_TOWN) for the share of its teens."""
    return build_report(edition, home_town=current_app.config.get("FESTIVAL_TOWN") or None)


def build_report(edition: Edition, *, home_town: str | None = None) -> Report:
    people = list(
        db.session.scalars(select(Participant).where(Participant.edition_id == edition.id))
    )
    registered = people  # every registration received, erased people included (anonymous)
    confirmed = [p for p in people if p.status == ParticipantStatus.CONFIRMED]
    statuses = Counter(p.status for p in people)
    registrations = {
        "total": Count(len(registered)),
        "online": Count(sum(1 for p in registered if p.registered_online)),
        "desk": Count(sum(1 for p in registered if not p.registered_online)),
        "confirmed": Count(statuses[ParticipantStatus.CONFIRMED]),
        "waiting_list": Count(statuses[ParticipantStatus.WAITLISTED]),
        "withdrawn": Count(statuses[ParticipantStatus.WITHDRAWN]),
        "to_confirm": Count(statuses[ParticipantStatus.PENDING]),
    }
    ages = Counter(participant_age(p) for p in confirmed)
    age_rows = [
        (str(age), Count(ages.get(age, 0))) for age in range(edition.age_min, edition.age_max + 1)
    ]
    # Official names only (INSEE's list): what a family typed never reaches a figure.
    towns = Counter(
        official_commune(p.commune) or OTHER_TOWNS for p in confirmed if (p.commune or "").strip()
    )
    commune_rows = sorted(
        ((town, Count(n)) for town, n in towns.items()), key=lambda row: -row[1].value
    )
    home_town_share = None
    home = official_commune(home_town) if home_town else None
    if home and sum(towns.values()) >= SMALL_GROUP:
        home_town_share = round(towns.get(home, 0) / sum(towns.values()), 3)
    answered = [p for p in confirmed if p.had_library_card is not None]
    library_cards = {
        "already_had_one": Count(sum(1 for p in answered if p.had_library_card)),
        "had_none": Count(sum(1 for p in answered if not p.had_library_card)),
        "got_one_during_the_festival": Count(
            sum(1 for p in confirmed if p.library_card_during_festival)
        ),
    }
    attended_by: dict[int, set[int]] = {}
    # Plain rows, not objects: 10,000 marks at 2,000 participants.
    marks = db.session.execute(
        select(Attendance.participant_id, Attendance.workshop_id, Attendance.status).where(
            Attendance.participant_id.in_([p.id for p in confirmed])
        )
    )
    for participant_id, workshop_id, status in marks:
        if status.attended:
            attended_by.setdefault(participant_id, set()).add(workshop_id)
    workshops = list(edition.workshops)
    attendance_rows = [
        (w.number, w.title, Count(sum(1 for ids in attended_by.values() if w.id in ids)))
        for w in workshops
    ]
    followed = Counter(len(attended_by.get(p.id, ())) for p in confirmed)
    followed_rows = [(n, Count(followed.get(n, 0))) for n in range(len(workshops) + 1)]
    completed = Count(sum(n for k, n in followed.items() if k >= COMPLETION_THRESHOLD))
    rolls_taken = set(
        db.session.scalars(
            select(Attendance.workshop_id)
            .where(Attendance.workshop_id.in_([w.id for w in workshops]))
            .distinct()
        )
    )
    dropped = _drop_outs(confirmed, [w for w in workshops if w.id in rolls_taken], attended_by)
    returning = _returning(edition, confirmed)
    _protect_keys(returning, ("first_time", "returning"))
    _protect_keys(registrations, ("online", "desk"))
    _protect_keys(registrations, ("confirmed", "waiting_list", "withdrawn", "to_confirm"))
    _protect_keys(library_cards, ("already_had_one", "had_none"))
    return Report(
        edition=edition,
        registrations=registrations,
        ages=_protect_rows(age_rows),
        communes=_towns(commune_rows),
        home_town_share=home_town_share,
        library_cards=library_cards,
        attendance=attendance_rows,
        workshops_followed=_protect_rows(followed_rows),
        completed=completed,
        dropped_out_after=_protect_rows(dropped),
        films=_films(edition),
        audience=_audience(edition),
        budget=_budget(edition, len(confirmed)),
        returning=returning,
        loans=_loans(edition),
        partners=_partners(edition),
        palmares=_palmares(edition),
    )


def _returning(edition: Edition, confirmed: list[Participant]) -> dict[str, Count]:
    """Who came back: the same name and birth date registered in an earlier edition (erased
    people keep neither, so they count as first-timers, which is all that can be said)."""
    births = {p.birth_date for p in confirmed if p.birth_date is not None}
    earlier = set()
    if births:
        earlier = {
            (name_key(first), name_key(last), born)
            for first, last, born in db.session.execute(
                select(Participant.first_name, Participant.last_name, Participant.birth_date)
                .join(Edition, Edition.id == Participant.edition_id)
                .where(Edition.year < edition.year, Participant.birth_date.in_(births))
            )
        }
    back = sum(
        1
        for p in confirmed
        if (name_key(p.first_name), name_key(p.last_name), p.birth_date) in earlier
    )
    return {"first_time": Count(len(confirmed) - back), "returning": Count(back)}


def _loans(edition: Edition) -> dict[str, Any]:
    # A running edition counts to today: its « to » says so, and comparison() takes last
    # year's loans over the same weeks.
    loans = festival_loans(edition, until=local_today())
    return {
        "all_titles": loans.all_titles,
        "recommended_titles": loans.attached_titles,
        "different_titles": loans.titles_lent,
        "from": loans.first_day.isoformat(),
        "to": loans.last_day.isoformat(),
    }


def _partners(edition: Edition) -> list[dict[str, Any]]:
    """The partners by name, what they did and what they gave (money, or in kind valued)."""
    lines = db.session.scalars(
        select(BudgetLine)
        .where(BudgetLine.edition_id == edition.id, BudgetLine.kind == BudgetKind.PARTNER)
        .order_by(BudgetLine.id)
    )
    return [
        {
            "name": line.label,
            "role": line.partner_role,
            "contribution": "in_kind" if line.in_kind else "money",
            "amount_eur": line.amount_cents / 100,
        }
        for line in lines
    ]


def _palmares(edition: Edition) -> list[dict[str, str]]:
    """The published palmarès: each prize and its film's title (as published)."""
    if not awards_palmares.is_palmares_published(edition):
        return []
    return [
        {"award": entry.award.name, "film": entry.title}
        for entry in awards_palmares.palmares_entries(edition)
    ]


def change(now, before) -> float | None:
    """The change from last year's figure, as a fraction (0.25: « +25 % »); None when either
    is missing, hidden (a small group), or last year's is zero."""
    values = []
    for figure in (now, before):
        if isinstance(figure, Count):
            if figure.hidden:
                return None
            figure = figure.value
        if figure is None:
            return None
        values.append(figure)
    current, previous = values
    return None if not previous else round((current - previous) / previous, 3)


def loans_to_date(report: Report) -> bool:
    """Whether the loans stop at today, the edition still running."""
    return bool(report.loans) and report.loans["to"] < report.edition.ceremony_at.date().isoformat()


def previous_report(report: Report, reports: list[Report]) -> Report | None:
    """The edition just before this one, among the year-over-year reports."""
    earlier = [r for r in reports if r.edition.year < report.edition.year]
    return max(earlier, key=lambda r: r.edition.year) if earlier else None


def comparison(report: Report, previous: Report | None) -> list[tuple[str, Any, Any, float | None]]:
    """(key, this year, last year, change) for each headline figure. While an edition runs,
    its loans are compared with last year's over the same weeks, not with a whole season."""
    before = previous.headline() if previous else {}
    if previous and loans_to_date(report):
        weeks = date.fromisoformat(report.loans["to"]) - report.edition.starts_on
        before["loans"] = festival_loans(
            previous.edition, until=previous.edition.starts_on + weeks
        ).all_titles
    return [
        (key, value, before.get(key), change(value, before.get(key)) if previous else None)
        for key, value in report.headline().items()
    ]


def _drop_outs(confirmed, held, attended_by) -> list[tuple[int, Count]]:
    """Who stopped coming, by the last workshop they attended: someone is counted when the two
    last workshops held (the roll was taken) saw them no more."""
    if len(held) < 2:
        return []
    last_two = {w.id for w in held[-2:]}
    number_of = {w.id: w.number for w in held}
    stopped = Counter()
    for person in confirmed:
        ids = attended_by.get(person.id, set())
        if ids and not ids & last_two:
            stopped[max(number_of[i] for i in ids)] += 1
    return [(n, Count(stopped[n])) for n in sorted(stopped)]


def _films(edition: Edition) -> dict[str, Any]:
    films = list(
        db.session.scalars(
            select(Film).where(Film.edition_id == edition.id).options(selectinload(Film.versions))
        )
    )
    screened = {
        item.film.id
        for block in (lineup.public_programme(edition) if lineup.is_published(edition) else [])
        for item in block.items
        if item.film is not None
    }
    valid = [f.current_version for f in films if f.current_version is not None]
    return {
        "started": len(films),
        "sent": sum(1 for f in films if f.versions),
        "valid": len(valid),
        "retained": sum(1 for f in films if f.decision == ReviewDecision.SELECTED),
        "screened": len(screened),
        "online_views": sum(f.online_views for f in films),
        # Minutes of film made: each valid film's latest valid version.
        "minutes": round(sum(v.duration or 0 for v in valid) / 60, 1),
    }


def _audience(edition: Edition) -> dict[str, int | None]:
    ballots = db.session.scalar(
        select(func.count(Ballot.id)).where(Ballot.edition_id == edition.id)
    )
    return {"counted_in_the_hall": edition.ceremony_audience, "audience_ballots": ballots}


def _budget(edition: Edition, participants: int) -> dict[str, Any]:
    lines = list(
        db.session.scalars(
            select(BudgetLine).where(BudgetLine.edition_id == edition.id).order_by(BudgetLine.id)
        )
    )
    costs = sum(line.amount_cents for line in lines if line.kind == BudgetKind.COST)
    partners = sum(line.amount_cents for line in lines if line.kind == BudgetKind.PARTNER)
    return {
        "costs_eur": costs / 100,
        "partners_eur": partners / 100,
        "lines": [
            {"kind": line.kind.value, "label": line.label, "amount_eur": line.amount_cents / 100}
            for line in lines
        ],
        # Without any cost typed in, there is no cost per participant to give (not zero).
        "cost_per_participant_eur": round(costs / 100 / participants, 2)
        if participants and costs
        else None,
    }


@dataclass(frozen=True)
class ScreenedFilm:
    title: str
    seconds: int
    still: Path | None  # a still the team agreed may be printed (the programme's); or None


def screened_films(edition: Edition) -> list[ScreenedFilm]:
    """The films of the published programme, as printed there: the title as published and a
    still only where the publication rule allows one in print (the team's consent)."""
    if not lineup.is_published(edition):
        return []
    return [
        ScreenedFilm(
            title=item.film.title,
            seconds=item.seconds,
            still=media_path(item.film.print_image) if item.film.print_image else None,
        )
        for block in lineup.public_programme(edition)
        for item in block.items
        if item.film is not None
    ]


def year_over_year(editions: list[Edition]) -> list[Report]:
    """Every edition's report, oldest first (the page picks its own edition's among them)."""
    return [report_for(edition) for edition in sorted(editions, key=lambda e: e.year)]
