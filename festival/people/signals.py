"""What other domains hear about people (blinker signals, as Flask's own): a lower domain
announces, the higher ones (films, awards) listen; people never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent while a participant is being erased, before their account goes: `user_id` (or None)
# lets the films domain wash what that account left (upload file names, phone metadata).
participant_erased = _signals.signal("participant-erased")
