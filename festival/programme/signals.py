"""What other domains hear about the programme (blinker signals): programme announces, the
awards listen; programme never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent once a film has joined the ceremony's programme (`film`); a listener may answer with a
# sentence staff must read (the audience vote is open: earlier ballots did not grade it).
film_added_to_ceremony = _signals.signal("film-added-to-ceremony")
