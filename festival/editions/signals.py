"""What other domains hear about editions (blinker signals, as Flask's own)."""

from blinker import Namespace

_signals = Namespace()

# Sent with the new edition once it is flushed; `with_default_workshops` says whether the
# workshops domain should give it the usual ten workshops.
edition_created = _signals.signal("edition-created")
