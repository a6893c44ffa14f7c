"""What other domains add to a participant's pages (the staff's detail page, the teen's own
space): people knows nothing of workshops or films, they register what they show here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from festival.people.models import Participant

PageContext = Callable[[Participant], dict[str, Any]]
_contributions: list[PageContext] = []


def add_to_participant_pages(contribution: PageContext) -> PageContext:
    """Register what a domain shows on a participant's pages (used as a decorator)."""
    if contribution not in _contributions:
        _contributions.append(contribution)
    return contribution


def participant_page_context(participant: Participant) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for contribution in _contributions:
        context.update(contribution(participant))
    return context
