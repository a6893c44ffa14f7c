"""What other domains add to a participant's pages (the staff's detail page, the teen's own
space): people knows nothing of workshops or films; they answer participant_page_requested
(people.signals) with what they show there."""

from __future__ import annotations

from typing import Any

from festival.people.models import Participant
from festival.people.signals import participant_page_requested


def participant_page_context(participant: Participant) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for _receiver, contribution in participant_page_requested.send(participant):
        context.update(contribution or {})
    return context
