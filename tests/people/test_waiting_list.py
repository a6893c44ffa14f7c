"""The waiting list is told everywhere a teen or her guardian looks: the thank-you page, the
emails, the guardian's page and its email, « Mon espace », and the email when a place frees."""

from __future__ import annotations

import html

from festival.auth.models import Role
from festival.extensions import db
from festival.people import queries
from festival.people.models import ParticipantStatus
from festival.people.registration import confirm_participant, withdraw_participant
from tests.helpers import PASSWORD, birth_date_for
from tests.helpers.mail import link_in, text_of

WAITING = "sur la liste d'attente, en position 1"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_waitlisted_teen_is_told_on_every_surface(
    smtp_server, edition, make_participant, make_client, login_as
):
    edition.capacity = 1
    make_participant(age=16)  # the one place, confirmed at the desk
    db.session.commit()
    assert queries.is_full(edition)
    visitor = make_client()
    assert "complet" in _page(visitor.get("/inscription"))
    born = birth_date_for(edition, 15)
    done = visitor.post_form(
        "/inscription",
        {
            "first_name": "Inès",
            "last_name": "Nguyễn",
            "birth_date": born.isoformat(),
            "email": "ines@example.org",
            "guardian_name": "Karima Nguyễn",
            "guardian_email": "karima@example.org",
            "consent_participation": "y",
            "consent_screening": "y",
            "password": PASSWORD,
        },
        token_page="/inscription",
    )
    thanks = _page(done)
    assert "Merci Inès" in thanks and WAITING in thanks
    assert "L'équipe de la médiathèque va la confirmer" not in thanks
    (received,) = [m for m in smtp_server.to("ines@example.org") if "reçue" in m["Subject"]]
    assert "liste d'attente, en position 1" in text_of(received)
    (request,) = [m for m in smtp_server.to("karima@example.org") if "réponse" in m["Subject"]]
    assert "liste d'attente, en position 1" in text_of(request)
    guardian_page = _page(visitor.get(link_in(request, "/autorisation/")))
    assert "l'inscription de Inès est sur la liste d'attente, en position 1" in guardian_page
    teen = login_as_teen(make_client, "ines@example.org")
    assert WAITING in _page(teen.get("/mon-espace"))
    # Staff confirm: she joins the list officially, still first.
    (ines,) = [p for p in queries.edition_participants(edition) if p.first_name == "Inès"]
    confirm_participant(ines, confirmed_by=None)
    db.session.commit()
    assert ines.status == ParticipantStatus.WAITLISTED and queries.waiting_position(ines) == 1
    assert WAITING in _page(teen.get("/mon-espace"))
    # The place frees: she is confirmed and told so.
    (holder,) = [p for p in queries.edition_participants(edition) if p.id != ines.id]
    withdraw_participant(holder)
    db.session.commit()
    assert ines.status == ParticipantStatus.CONFIRMED
    freed = [m for m in smtp_server.to("ines@example.org") if "place s'est libérée" in m["Subject"]]
    assert len(freed) == 1 and "quitte la liste d'attente" in text_of(freed[0])
    assert "liste d'attente" not in _page(teen.get("/mon-espace")).split("Mes ateliers")[0]


def test_the_thank_you_page_says_the_same_to_a_repeat_registration(
    edition, make_participant, make_client
):
    """Nobody learns from the page whether a person was already registered."""
    edition.capacity = 1
    make_participant(age=16, first_name="Déjà", last_name="Là", email="deja@example.org")
    db.session.commit()
    form = {
        "first_name": "Déjà",
        "last_name": "Là",
        "birth_date": birth_date_for(edition, 16).isoformat(),
        "email": "deja@example.org",
        "consent_participation": "y",
    }
    page = _page(make_client().post_form("/inscription", form, token_page="/inscription"))
    assert WAITING in page


def login_as_teen(make_client, login: str):
    client = make_client()
    client.login(login)
    return client


def test_staff_see_the_position_on_the_persons_page(edition, make_participant, login_as):
    edition.capacity = 1
    make_participant(age=16)
    waiting = make_participant(age=17)
    db.session.commit()
    assert waiting.status == ParticipantStatus.WAITLISTED
    staff = login_as(Role.STAFF)
    page = _page(staff.get(f"/equipe/participants/{waiting.id}"))
    assert "position 1 sur la liste d'attente" in page
