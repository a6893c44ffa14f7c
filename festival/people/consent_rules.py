"""Who must agree for a consent to hold: the one home of that rule.

The teen's own wishes and her guardian's decisions are separate records (`Consent.given_by`,
with the channel each came through). French law sets the ages (RGPD art. 8, loi Informatique et
Libertés art. 45):

- 18 and over: her own decision.
- Under 18, participation and the image at the ceremony: the guardian decides (by the link or
  on paper); the teen's own refusal always stands.
- Under 15: both must agree. A signed paper form carries both signatures, so staff typing it
  records the guardian's decision and stands for hers unless she said otherwise.
- 15 to 17, online publication: her own consent (art. 45), recorded as hers; a guardian's
  explicit refusal still stands, nothing else is needed from the guardian.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from festival.clock import local_today
from festival.people.age import AGE_OF_MAJORITY, age_on
from festival.people.consent_kinds import ConsentChannel, ConsentGiver, ConsentKind

if TYPE_CHECKING:  # the models ask this rule; it reads them without importing them
    from festival.people.models import Consent, Participant

DIGITAL_CONSENT_AGE = 15  # loi Informatique et Libertés, art. 45


@dataclass(frozen=True)
class ConsentState:
    """One consent of one person, as staff and the person see it."""

    kind: ConsentKind
    holds: bool
    own: Consent | None  # the teen's (or the adult's) own latest decision
    guardian: Consent | None  # the guardian's latest decision, None while awaited
    needs_guardian: bool  # the guardian's word is asked for this consent


def age_now(participant: Participant, today: date | None = None) -> int | None:
    if participant.birth_date is None:
        return None
    return age_on(participant.birth_date, today or local_today())


def guardian_decides(kind: ConsentKind, age: int | None) -> bool:
    """Whether this consent asks for the guardian's decision at this age."""
    if age is None or age >= AGE_OF_MAJORITY:
        return False
    return not (kind == ConsentKind.ONLINE and age >= DIGITAL_CONSENT_AGE)


def holds(
    kind: ConsentKind, age: int | None, own: Consent | None, guardian: Consent | None
) -> bool:
    """The rule itself, on the two latest decisions."""
    own_word = None if own is None else own.granted
    guardian_word = None if guardian is None else guardian.granted
    if age is None:  # erased: what was last decided, by anyone (figures only)
        return bool(own_word if own_word is not None else guardian_word)
    if age >= AGE_OF_MAJORITY:
        return own_word is True
    if own_word is False or guardian_word is False:
        return False
    if not guardian_decides(kind, age):  # 15–17, online publication: hers
        return own_word is True or (own_word is None and _on_paper(guardian))
    if guardian_word is not True:
        return False
    if age < DIGITAL_CONSENT_AGE:
        return own_word is True or _on_paper(guardian)
    return True


def _on_paper(consent: Consent | None) -> bool:
    """A signed paper form (signed by the teen and her guardian) granting it."""
    return consent is not None and consent.granted and consent.channel == ConsentChannel.PAPER


def consent_state(participant: Participant, kind: ConsentKind) -> ConsentState:
    return _states(participant, (kind,))[kind]


def consent_states(participant: Participant) -> dict[ConsentKind, ConsentState]:
    """Every kind at once: the age and the latest decisions are read once (a list of 2,000
    people asked them 6,000 times, a third of its time)."""
    return _states(participant, tuple(ConsentKind))


def _states(participant: Participant, kinds: tuple[ConsentKind, ...]):
    age = age_now(participant)
    own = participant.decisions_of(ConsentGiver.PARTICIPANT)
    guardian = participant.decisions_of(ConsentGiver.GUARDIAN)
    return {
        kind: ConsentState(
            kind=kind,
            holds=holds(kind, age, own[kind], guardian[kind]),
            own=own[kind],
            guardian=guardian[kind],
            needs_guardian=guardian_decides(kind, age),
        )
        for kind in kinds
    }


def consent_holds(participant: Participant, kind: ConsentKind) -> bool:
    return consent_state(participant, kind).holds
