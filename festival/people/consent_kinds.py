"""The kinds of consent, who gives them and how they reach us: plain enums, read by the
models and by the one rule on who must agree (consent_rules) alike."""

import enum


class ConsentKind(enum.StrEnum):
    PARTICIPATION = "participation"  # autorisation parentale
    SCREENING = "screening"  # droit à l'image, projection lors de la cérémonie
    ONLINE = "online"  # droit à l'image, publication en ligne


class ConsentGiver(enum.StrEnum):
    GUARDIAN = "guardian"
    PARTICIPANT = "participant"


class ConsentChannel(enum.StrEnum):
    """How a decision reached us: each giver's word is recorded only through its own channel."""

    FORM = "form"  # ticked by the person herself on the public registration form
    LINK = "link"  # the guardian's answer through the personal link sent by email
    PAPER = "paper"  # a signed paper form (or the library's spreadsheet of them), typed by staff
