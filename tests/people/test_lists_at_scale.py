"""Staff's lists of participants cost the same queries at 3 people as at 30 (and at 2,000).

The CSV export and `GET /api/v1/participants` read each person's consents one at a time:
2,004 and 2,005 queries at 2,000 participants.
"""

from __future__ import annotations

from festival.auth.models import Role
from tests.helpers.api import bearer


def _costs(staff, client, count_queries) -> dict[str, int]:
    token = bearer(client, staff.user)
    pages = {
        "list": lambda: staff.get("/equipe/participants"),
        "csv": lambda: staff.get("/equipe/participants.csv"),
        "api": lambda: client.get("/api/v1/participants", headers=token),
    }
    costs = {}
    for name, request in pages.items():
        assert request().status_code == 200
        costs[name] = count_queries(request)
    return costs


def test_participant_lists_cost_the_same_queries_whatever_the_number_of_people(
    app, edition, make_participant, login_as, client, count_queries
):
    staff = login_as(Role.STAFF)
    for _ in range(3):
        make_participant()
    few = _costs(staff, client, count_queries)
    for n in range(27):
        make_participant(age=18 if n % 3 == 0 else 15)
    many = _costs(staff, client, count_queries)
    assert many == few, f"3 people: {few}; 30 people: {many}"


def test_the_participant_list_comes_a_page_at_a_time_keeping_search_and_filter(
    edition, make_participant, login_as, monkeypatch
):
    from festival.people import queries

    monkeypatch.setattr(queries, "PARTICIPANTS_PER_PAGE", 2)
    for n in range(5):
        make_participant(first_name=f"Zoé{n}", last_name=f"Durand{n}")
    make_participant(first_name="Ali", last_name="Martin")
    staff = login_as(Role.STAFF)

    first = staff.get("/equipe/participants?q=Durand").get_data(as_text=True)
    assert [n for n in range(5) if f"Zoé{n} Durand{n}" in first] == [0, 1]
    assert "Page 1 sur 3 (1–2 sur 5)" in first
    assert 'href="/equipe/participants?q=Durand&amp;page=2"' in first
    last = staff.get("/equipe/participants?q=Durand&page=3").get_data(as_text=True)
    assert [n for n in range(5) if f"Zoé{n} Durand{n}" in last] == [4]
    assert 'rel="next"' not in last and 'rel="prev"' in last
    # A page past the end (the list shrank since the link was made) shows the last one.
    beyond = staff.get("/equipe/participants?q=Durand&page=40").get_data(as_text=True)
    assert "Zoé4 Durand4" in beyond and "Page 3 sur 3" in beyond
    assert "Ali Martin" not in first + last


def test_the_participants_api_comes_a_page_at_a_time(edition, make_participant, client, make_user):
    import json

    staff = make_user(Role.STAFF)
    for n in range(5):
        make_participant(first_name=f"Zoé{n}", last_name=f"Durand{n}")
    token = bearer(client, staff)
    first = client.get("/api/v1/participants?page_size=2", headers=token)
    assert [p["last_name"] for p in first.json] == ["Durand0", "Durand1"]
    pages = json.loads(first.headers["X-Pagination"])
    assert pages["total"] == 5 and pages["total_pages"] == 3 and pages["next_page"] == 2
    last = client.get("/api/v1/participants?page_size=2&page=3", headers=token)
    assert [p["last_name"] for p in last.json] == ["Durand4"]
    assert client.get("/api/v1/participants?page_size=2&page=4", headers=token).json == []
    assert len(client.get("/api/v1/participants", headers=token).json) == 5  # 100 a page
