"""The participants list as a spreadsheet for the staff's other tools."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from festival.people.age import participant_age
from festival.people.labels import STATUS_LABELS
from festival.people.models import ConsentKind, Participant
from festival.spreadsheets import excel_csv


def participants_csv(participants: Iterable[Participant]) -> bytes:
    header = [
        _("N°"),
        _("Nom"),
        _("Prénom"),
        _("Date de naissance"),
        _("Âge à la date de référence"),
        _("E-mail"),
        _("Téléphone"),
        _("Responsable légal·e"),
        _("E-mail du ou de la responsable"),
        _("Téléphone du ou de la responsable"),
        _("Statut"),
        _("Autorisation de participation"),
        _("Droit à l'image (projection)"),
        _("Droit à l'image (en ligne)"),
    ]

    status_labels = {status: str(label) for status, label in STATUS_LABELS.items()}

    def row(p: Participant) -> list[object]:
        held = p.consents_held()
        return [
            p.id,
            p.last_name,
            p.first_name,
            p.birth_date,
            participant_age(p),
            p.email,
            p.phone,
            p.guardian_name,
            p.guardian_email,
            p.guardian_phone,
            status_labels[p.status],
            held[ConsentKind.PARTICIPATION],
            held[ConsentKind.SCREENING],
            held[ConsentKind.ONLINE],
        ]

    return excel_csv(header, (row(p) for p in participants))
