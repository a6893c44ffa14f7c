"""What other domains hear about people (blinker signals, as Flask's own): a lower domain
announces, the higher ones (films, awards) listen; people never imports them."""

from blinker import Namespace

_signals = Namespace()

# Sent while a participant is being erased, before their account goes: `user_id` (or None)
# lets the films domain wash what that account left (upload file names, phone metadata).
participant_erased = _signals.signal("participant-erased")

# Asked for a subject-access export: each domain returns an ExportSection (people.privacy) of
# what it holds on the participant, with the template of its own that shows it on the page.
export_requested = _signals.signal("export-requested")

# Asked when a participant's page (staff's detail, the teen's space) is drawn: each domain
# returns a dict added to the template's context (the workshops: progress and their labels).
participant_page_requested = _signals.signal("participant-page-requested")
