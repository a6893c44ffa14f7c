"""Importing participants from the lists staff already keep (a spreadsheet, a web form's export).

Three steps, as at a desk with a pile of paper forms: the columns are matched by meaning and
shown to staff, who may correct them (their choice is remembered for the next list); then
`preview_import` reads every row and says what will become of it (registered, waiting list,
waiting for the guardian, already registered) or what is wrong with it, saving nothing; then
`apply_import` registers the good rows, each as `register_participant` would at the desk.
Consents marked « oui » in the list come from the paper forms staff hold; a consent with no
answer is never stored as a « non »: it is asked online of whoever can give it.

The columns' meaning lives in import_columns, the reading of cells (dates) in import_cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from festival.auth.models import User
from festival.clock import local_today
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people import contacts, registration
from festival.people.age import age_on, is_minor
from festival.people.import_cells import read_birth_date, text_of, yes_no
from festival.people.import_columns import FIELDS, ColumnMap, guess_columns, remember_columns
from festival.people.models import (
    ConsentKind,
    Participant,
    ParticipantStatus,
)
from festival.people.queries import confirmed_count, is_same_name, name_key
from festival.spreadsheets import Cell


class ConsentState(StrEnum):
    """A consent as the import will store it, shown so in the preview."""

    GRANTED = "granted"  # « oui » on the paper: stored as granted
    REFUSED = "refused"  # « non » on the paper: stored as refused
    ASKED = "asked"  # no answer in the list: asked online, nothing stored until answered
    UNSET = "unset"  # no answer and no one to ask: nothing stored, held as not given
    BY_REGISTRATION = "by_registration"  # an adult's own sign-up is her participation consent


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    AWAITING_GUARDIAN = "awaiting_guardian"
    ALREADY_REGISTERED = "already_registered"
    REFUSED = "refused"


@dataclass
class ImportRow:
    line: int  # as the spreadsheet numbers it, the header being line 1
    values: dict[str, str]
    data: registration.RegistrationData | None = None
    consents: dict[ConsentKind, ConsentState] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outcome: Outcome = Outcome.REFUSED
    existing: Participant | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class ImportPreview:
    columns: ColumnMap
    rows: list[ImportRow]
    capacity: int | None = None
    places_left: int | None = None

    @property
    def good_rows(self) -> list[ImportRow]:
        """The rows that will register someone new."""
        return [row for row in self.rows if row.ok and row.existing is None]

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def counts(self) -> dict[Outcome, int]:
        return {outcome: self.count(outcome) for outcome in Outcome}


# Between the preview and the confirmation the list travels back in the page, signed, so that
# nothing about these people is written anywhere before staff confirm.
SEALED_TABLE_SECONDS = 2 * 3600


def _sealer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="participants-import")


def _sealed_cell(cell: Cell) -> str | int | float | None:
    # Excel's day numbers stay numbers: a date cell of a CSV and one of an .xlsx read alike.
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def seal_table(edition: Edition, table: list[list[Cell]]) -> str:
    cells = [[_sealed_cell(cell) for cell in row] for row in table]
    return _sealer().dumps({"edition": edition.id, "rows": cells})


def open_sealed_table(edition: Edition, sealed: str) -> list[list[Cell]]:
    try:
        content = _sealer().loads(sealed or "", max_age=SEALED_TABLE_SECONDS)
    except BadSignature as error:
        raise ValidationError(
            _("Cet aperçu a expiré : choisissez de nouveau le fichier de la liste.")
        ) from error
    if content.get("edition") != edition.id:
        raise ValidationError(
            _("Cet aperçu concernait une autre édition : choisissez de nouveau le fichier.")
        )
    return content["rows"]


def preview_import(
    edition: Edition, table: list[list[Cell]], columns: ColumnMap | None = None
) -> ImportPreview:
    """Read the rows and say what will become of each; nothing is saved. With required
    columns missing, the preview has no rows: staff first say which column gives them."""
    if not table:
        raise ValidationError(_("Le fichier est vide : choisissez la liste à importer."))
    if len(table) < 2:
        raise ValidationError(_("La liste ne contient que la ligne des titres."))
    columns = columns or guess_columns(table[0])
    preview = ImportPreview(columns=columns, rows=[], capacity=edition.capacity)
    if columns.missing:
        return preview
    seen: dict[tuple, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        raw = {
            name: cells[pos] if pos < len(cells) else None for pos, name in columns.fields.items()
        }
        row = ImportRow(line=line, values={name: text_of(cell) for name, cell in raw.items()})
        _check_row(edition, row, raw)
        if row.data is not None and row.existing is None:
            _mark_duplicate_in_file(row, seen)
        preview.rows.append(row)
    _foresee_places(edition, preview)
    return preview


def _mark_duplicate_in_file(row: ImportRow, seen: dict[tuple, int]) -> None:
    assert row.data is not None
    keys = _identity_keys(row.data)
    for key in keys:
        if key in seen:
            row.problems.append(
                _("En double dans la liste : même personne qu'à la ligne %(n)s.", n=seen[key])
            )
            return
    for key in keys:
        seen[key] = row.line


def _identity_keys(data: registration.RegistrationData) -> list[tuple]:
    keys: list[tuple] = [
        ("name", name_key(data.first_name), name_key(data.last_name), data.birth_date)
    ]
    if data.email:
        keys.append(("email", data.email.strip().lower()))
    return keys


def _foresee_places(edition: Edition, preview: ImportPreview) -> None:
    """Each good row's fate, in the list's order, as `confirm_participant` will decide it."""
    if edition.capacity is not None:
        preview.places_left = max(0, edition.capacity - confirmed_count(edition))
    places = preview.places_left
    for row in preview.rows:
        if not row.ok:
            row.outcome = Outcome.REFUSED
        elif row.existing is not None:
            row.outcome = Outcome.ALREADY_REGISTERED
        elif row.consents.get(ConsentKind.PARTICIPATION) == ConsentState.ASKED:
            row.outcome = Outcome.AWAITING_GUARDIAN
        elif places is None or places > 0:
            row.outcome = Outcome.CONFIRMED
            places = None if places is None else places - 1
        else:
            row.outcome = Outcome.WAITLISTED


def _check_row(edition: Edition, row: ImportRow, raw: dict[str, Cell]) -> None:
    values = row.values
    birth_date, problem = read_birth_date(raw.get("birth_date"))
    if problem:
        row.problems.append(problem)
        return
    assert birth_date is not None
    minor = is_minor(birth_date)
    guardian_email = values.get("guardian_email") or None
    row.consents = _consent_states(row, minor=minor, can_ask=bool(minor and guardian_email))
    typed_town = values.get("commune") or values.get("address") or ""
    commune = contacts.commune_for_record(typed_town)
    if typed_town and commune is None:
        row.notes.append(
            _(
                "Commune non reconnue dans « %(value)s » : rien n'est gardé (la fiche ne garde "
                "jamais d'adresse).",
                value=typed_town,
            )
        )
    data = registration.RegistrationData(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        birth_date=birth_date,
        email=values.get("email") or None,
        phone=contacts.phone_for_record(values.get("phone")),
        guardian_name=values.get("guardian_name") or None,
        guardian_email=guardian_email,
        guardian_phone=contacts.phone_for_record(values.get("guardian_phone")),
        consents=_decisions(row.consents),
        commune=commune,
        had_library_card=_library_card(row),
    )
    row.data = data
    existing, matched_on = registration.find_registered(edition, data)
    if existing is not None:
        if _same_person(existing, data):
            row.existing = existing
            row.notes.append(_("Déjà inscrite à cette édition : laissée telle quelle."))
            return
        row.problems.append(
            _(
                "L'e-mail %(email)s est déjà celui d'une autre inscription de cette édition "
                "(%(name)s) : vérifiez l'adresse sur la ligne.",
                email=data.email,
                name=existing.full_name,
            )
        )
        return
    consent_to_come = row.consents.get(ConsentKind.PARTICIPATION) == ConsentState.ASKED
    try:
        registration.check_registration(edition, data, consent_to_come=consent_to_come)
    except ValidationError as error:
        row.problems.extend(
            _import_wording(edition, data, name, message) for name, message in error.fields.items()
        )
    if not row.problems and ConsentState.ASKED in row.consents.values():
        row.notes.append(_("Autorisations demandées en ligne à %(email)s.", email=guardian_email))


def _consent_states(
    row: ImportRow, *, minor: bool, can_ask: bool
) -> dict[ConsentKind, ConsentState]:
    states = {}
    for kind in ConsentKind:
        column = f"consent_{kind.value}"
        if column not in row.values and kind != ConsentKind.PARTICIPATION:
            column = "consent_image"  # one « Droit à l'image » column says both
        typed = row.values.get(column, "")
        try:
            answer = yes_no(typed)
        except ValueError:
            row.problems.append(
                _(
                    "Réponse « %(value)s » illisible dans la colonne « %(column)s » : écrivez "
                    "oui ou non, ou laissez vide si la réponse n'est pas connue.",
                    value=typed,
                    column=FIELDS[column],
                )
            )
            answer = None
        if answer is True:
            states[kind] = ConsentState.GRANTED
        elif answer is False:
            states[kind] = ConsentState.REFUSED
        elif kind == ConsentKind.PARTICIPATION and not minor:
            states[kind] = ConsentState.BY_REGISTRATION
        else:
            states[kind] = ConsentState.ASKED if can_ask else ConsentState.UNSET
    if minor and states[ConsentKind.PARTICIPATION] == ConsentState.REFUSED:
        row.problems.append(
            _(
                "Autorisation de participation « non » : sans elle, la personne ne peut pas être "
                "inscrite. Si le papier n'est pas encore revenu, laissez la case vide et donnez "
                "l'e-mail du ou de la responsable : elle lui sera demandée en ligne."
            )
        )
    return states


def _decisions(states: dict[ConsentKind, ConsentState]) -> dict[ConsentKind, bool]:
    """What is stored now: the answers on paper; nothing for a consent not answered."""
    stored = {
        ConsentState.GRANTED: True,
        ConsentState.BY_REGISTRATION: True,
        ConsentState.REFUSED: False,
    }
    return {kind: stored[state] for kind, state in states.items() if state in stored}


def _library_card(row: ImportRow) -> bool | None:
    try:
        return yes_no(row.values.get("had_library_card", ""))
    except ValueError:
        return None  # a card number or a date: it says nothing we can count for sure


def _same_person(participant: Participant, data: registration.RegistrationData) -> bool:
    return participant.birth_date == data.birth_date and is_same_name(
        participant, data.first_name, data.last_name
    )


def _import_wording(
    edition: Edition, data: registration.RegistrationData, field_name: str, message: str
) -> str:
    """The registration form's sentences, said of a row rather than to the person filling in."""
    if field_name == "birth_date" and data.birth_date <= local_today():
        return _(
            "Âge hors limites : %(age)s ans le %(day)s (date de référence), le festival accueille "
            "les %(min)s à %(max)s ans.",
            age=age_on(data.birth_date, edition.age_reference_date),
            day=format_date(edition.age_reference_date, "d MMMM yyyy"),
            min=edition.age_min,
            max=edition.age_max,
        )
    if field_name == "consents.participation":
        return _(
            "Autorisation de participation manquante : écrivez « oui » si le papier signé est "
            "revenu, ou donnez l'e-mail du ou de la responsable pour la lui demander en ligne."
        )
    if field_name == "guardian_name":
        return _(
            "Personne mineure sans nom de responsable légal·e : ajoutez-le sur la ligne (colonne "
            "« Responsable légal·e »)."
        )
    return message


@dataclass
class ImportResult:
    registered: list[Participant]
    already_registered: int
    refused_lines: list[int]

    def counts(self) -> dict[Outcome, int]:
        """What became of the rows, as the preview foresaw it (someone may have registered
        or left meanwhile, so the statuses are read, not the forecast)."""
        by_status = {
            ParticipantStatus.CONFIRMED: Outcome.CONFIRMED,
            ParticipantStatus.WAITLISTED: Outcome.WAITLISTED,
            ParticipantStatus.PENDING: Outcome.AWAITING_GUARDIAN,
        }
        counts = dict.fromkeys(Outcome, 0)
        for participant in self.registered:
            counts[by_status[participant.status]] += 1
        counts[Outcome.ALREADY_REGISTERED] = self.already_registered
        counts[Outcome.REFUSED] = len(self.refused_lines)
        return counts


def apply_import(edition: Edition, preview: ImportPreview, *, recorded_by: User) -> ImportResult:
    """Register the new rows without problems, as at the desk; the caller commits once."""
    registered = []
    for row in preview.good_rows:
        assert row.data is not None
        registered.append(
            registration.register_participant(
                edition,
                row.data,
                recorded_by=recorded_by,
                online=False,
                consent_to_come=row.consents[ConsentKind.PARTICIPATION] == ConsentState.ASKED,
            )
        )
    remember_columns(preview.columns)
    db.session.flush()
    return ImportResult(
        registered=registered,
        already_registered=preview.count(Outcome.ALREADY_REGISTERED),
        refused_lines=[row.line for row in preview.bad_rows],
    )
