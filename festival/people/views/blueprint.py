"""The people blueprint, and the two loaders its rooms share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from festival.extensions import db
from festival.people.models import Participant

bp = Blueprint("people", __name__)


def participant_or_404(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    return participant


def my_participant() -> Participant:
    """The signed-in teen's own registration: the only one her pages ever show."""
    participant = current_user.participant
    if participant is None:
        abort(404)
    return participant
