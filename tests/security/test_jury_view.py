"""The jury sees only films retained for the competition, as staff last approved them: never
a draft, a staff note, or a title, synopsis or cut the team changed after the review."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import ReviewDecision
from festival.films.review import decide
from festival.films.services import TeamEntry, update_film
from tests.helpers.api import bearer
from tests.helpers.films import add_version


def test_the_jury_lists_and_streams_only_what_staff_approved(
    app, client, edition, make_valid_film, make_user, make_video, staff_user, login_as
):
    retained = make_valid_film("Aube")
    draft = make_valid_film("Brouillon", selected=False)
    decide(draft, ReviewDecision.NOT_SELECTED, note="Note privée de l'équipe", by=staff_user)
    retained.decision_note = "Très privé : à surveiller"
    db.session.commit()
    # After the review, the team renames the film, rewrites its synopsis, sends a new cut.
    team_user = retained.members[0].participant
    update_film(
        retained,
        by=staff_user,
        title="Aube (nouvelle version)",
        synopsis="Un synopsis jamais relu.",
        team=[TeamEntry(team_user.id, retained.members[0].role)],
        music_kind=retained.music_kind,
    )
    add_version(retained, make_video("jury-v2.mp4", seconds=2.0), number=2)
    assert retained.decision == ReviewDecision.SELECTED  # the approved cut stays retained

    juror = make_user(Role.JURY)
    headers = bearer(client, juror)
    listed = client.get("/api/v1/films", headers=headers).json
    assert [film["id"] for film in listed] == [retained.id]
    (shown,) = listed
    assert shown["title"] == "Aube" and shown["synopsis"] == "Synopsis de Aube."
    assert "decision_note" not in shown and "versions" not in shown and "problems" not in shown
    assert "/v1/" in shown["rendition_url"]
    one = client.get(f"/api/v1/films/{retained.id}", headers=headers).json
    assert one["title"] == "Aube" and "decision_note" not in one
    assert client.get(f"/api/v1/films/{draft.id}", headers=headers).status_code == 404

    jury = login_as(juror)
    assert jury.get(f"/films/{retained.id}/v1/web.mp4").status_code == 200
    assert jury.get(f"/films/{retained.id}/v2/web.mp4").status_code == 404  # not reviewed
    page = jury.get(f"/jury/films/{retained.id}").get_data(as_text=True)
    assert "Aube (nouvelle version)" not in page and "jamais relu" not in page
    assert "/v2/" not in page
    # Staff see everything, notes included.
    staff = client.get("/api/v1/films", headers=bearer(client, staff_user)).json
    assert {f["title"] for f in staff} == {"Aube (nouvelle version)", "Brouillon"}
    assert any(f["decision_note"] for f in staff)
