"""What other domains hear about editions, and what editions ask them (blinker signals, as
Flask's own): editions sits below workshops, programme and awards, so it never imports them;
it announces or asks here, and they answer.

A question is a signal whose receivers return a dict; `answers()` merges them.
"""

from __future__ import annotations

from blinker import NamedSignal, Namespace

_signals = Namespace()

# Sent with the new edition once it is flushed; `with_default_workshops` says whether the
# workshops domain should give it the usual ten workshops (awards give it its grid and prizes).
edition_created = _signals.signal("edition-created")

# Asked while an edition's dates are checked: each domain returns {field: problem} for what of
# its own the dates would leave outside (the workshops: sessions before the start or after the
# ceremony).
edition_dates_checked = _signals.signal("edition-dates-checked")

# Asked what an edition still has to come at `now`: {"workshops_to_come": int,
# "next_workshop": Workshop | None} from the workshops domain.
edition_agenda_asked = _signals.signal("edition-agenda-asked")


def answers(signal: NamedSignal, sender, **kwargs) -> dict:
    """Every receiver's answer to a question signal, merged (later receivers add keys)."""
    merged: dict = {}
    for _receiver, answer in signal.send(sender, **kwargs):
        merged.update(answer or {})
    return merged
