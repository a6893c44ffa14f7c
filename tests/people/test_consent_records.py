"""Consent records say who decided: the teen's wishes and her guardian's decision are two
records, each with its date and channel, and one rule says what holds at each age."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import pytest

from festival.auth.models import Role
from festival.clock import local_today
from festival.extensions import db
from festival.people import consent_rules
from festival.people.guardians import waiting_for_guardian
from festival.people.models import (
    Consent,
    ConsentChannel,
    ConsentGiver,
    ConsentKind,
    Participant,
)
from tests.helpers import birth_date_for
from tests.helpers.mail import link_in

P, S, O = ConsentKind.PARTICIPATION, ConsentKind.SCREENING, ConsentKind.ONLINE  # noqa: E741
FORM, LINK, PAPER = ConsentChannel.FORM, ConsentChannel.LINK, ConsentChannel.PAPER


def _record(granted: bool | None, channel: ConsentChannel = FORM) -> Consent | None:
    if granted is None:
        return None
    return Consent(kind=P, granted=granted, given_by=ConsentGiver.PARTICIPANT, channel=channel)


# (kind, age, the teen's own, the guardian's (granted, channel)) -> holds
RULE_TABLE = [
    # adults: their own word only
    (P, 18, True, None, True),
    (O, 19, False, (True, LINK), False),
    (S, 18, None, None, False),
    # 15–17: the guardian decides participation and the screen, her refusal stands
    (P, 16, True, None, False),
    (P, 16, True, (True, LINK), True),
    (S, 17, False, (True, LINK), False),
    (S, 15, None, (True, PAPER), True),
    (P, 15, True, (False, LINK), False),
    # 15–17, online: hers (art. 45); a guardian's refusal still stands
    (O, 16, True, None, True),
    (O, 16, False, (True, LINK), False),
    (O, 16, True, (False, LINK), False),
    (O, 17, None, (True, PAPER), True),
    (O, 17, None, (True, LINK), False),
    # under 15: both
    (P, 14, True, None, False),
    (P, 14, True, (True, LINK), True),
    (P, 14, None, (True, LINK), False),
    (P, 14, None, (True, PAPER), True),  # the paper form carries both signatures
    (O, 14, True, None, False),
    (O, 14, True, (True, LINK), True),
    (O, 14, False, (True, PAPER), False),
]


@pytest.mark.parametrize(("kind", "age", "own", "guardian", "expected"), RULE_TABLE)
def test_who_must_agree_at_each_age(kind, age, own, guardian, expected):
    guardian_record = _record(*guardian) if guardian else None
    assert consent_rules.holds(kind, age, _record(own), guardian_record) is expected


def test_a_15_year_olds_online_registration_records_her_choices_as_hers(
    smtp_server, edition, make_client, login_as
):
    visitor = make_client()
    visitor.post_form(
        "/inscription",
        {
            "first_name": "Léna",
            "last_name": "Ferreira",
            "birth_date": fifteen_today().isoformat(),
            "email": "lena@example.org",
            "guardian_name": "Paula Ferreira",
            "guardian_email": "paula@example.org",
            "consent_participation": "y",
            "consent_online": "y",  # screening left blank
        },
        token_page="/inscription",
    )
    lena = db.session.scalars(db.select(Participant)).one()
    rows = {(c.kind, c.given_by, c.channel, c.granted) for c in lena.consents}
    assert rows == {
        (P, ConsentGiver.PARTICIPANT, FORM, True),
        (S, ConsentGiver.PARTICIPANT, FORM, False),
        (O, ConsentGiver.PARTICIPANT, FORM, True),
    }  # nothing is said in the guardian's name
    assert waiting_for_guardian(lena)
    assert not lena.has_consent(P)  # her guardian has not decided
    assert lena.has_consent(O)  # at 15, online publication is hers to give
    staff = login_as(Role.STAFF)
    page = html.unescape(staff.get(f"/equipe/participants/{lena.id}").get_data(as_text=True))
    assert "En attente du ou de la responsable" in page and "réponse attendue" in page
    # The guardian answers by the link read off the SMTP server.
    (request,) = [m for m in smtp_server.to("paula@example.org") if "réponse" in m["Subject"]]
    path = link_in(request, "/autorisation/")
    form = {"consent_participation": "yes", "consent_screening": "yes", "consent_online": "no"}
    visitor.post_form(path, form, token_page=path)
    db.session.expire_all()
    guardian = lena.decisions_of(ConsentGiver.GUARDIAN)
    assert guardian[P].granted and guardian[P].channel == LINK
    assert guardian[P].guardian_link.sent_to == "paula@example.org"
    assert isinstance(guardian[P].recorded_at, datetime)
    own = lena.decisions_of(ConsentGiver.PARTICIPANT)
    assert own[S].granted is False  # her own refusal is still hers...
    assert lena.has_consent(P) and not lena.has_consent(S)  # ...and still stands
    assert not lena.has_consent(O)  # her guardian refused it outright
    assert not waiting_for_guardian(lena)


def fifteen_today():
    """Fifteen years old today (the consent rules go by her age on the day she decides)."""
    today = local_today()
    return today.replace(year=today.year - 15) - timedelta(days=30)


def test_a_minor_cannot_name_her_own_address_as_her_guardians(edition, make_participant):
    from festival.errors import ValidationError
    from festival.people.registration import RegistrationData, register_participant

    def register(**fields):
        data = RegistrationData(
            first_name="Zoé",
            last_name="Martin",
            birth_date=birth_date_for(edition, 15),
            email="zoe@example.org",
            guardian_name="Maman",
            consents={P: True},
            **fields,
        )
        return register_participant(edition, data, recorded_by=None, online=True)

    with pytest.raises(ValidationError) as own:
        register(guardian_email="Zoe@Example.org ")
    assert "guardian_email" in own.value.fields
    db.session.rollback()
    other_teen = make_participant(age=16, email="amie@example.org")
    assert other_teen.email == "amie@example.org"
    with pytest.raises(ValidationError) as friend:
        register(guardian_email="amie@example.org")
    assert "parent" in friend.value.fields["guardian_email"]
    db.session.rollback()
    assert register(guardian_email="maman.martin@example.org").guardian_email


def test_staff_type_the_paper_form_as_the_guardians_decision(edition, make_participant, login_as):
    teen = make_participant(age=16, online=True)
    assert waiting_for_guardian(teen)
    staff = login_as(Role.STAFF)
    url = f"/equipe/participants/{teen.id}"
    staff.post_form(
        f"{url}/consentements",
        {"consent_participation": "y", "consent_screening": "y"},
        token_page=url,
    )
    db.session.expire_all()
    guardian = teen.decisions_of(ConsentGiver.GUARDIAN)
    assert guardian[P].channel == PAPER and guardian[P].recorded_by.role == Role.STAFF
    assert guardian[O] is None  # an unticked box is nobody's refusal
    assert teen.has_consent(P) and not waiting_for_guardian(teen)
