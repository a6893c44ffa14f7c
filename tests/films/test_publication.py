"""The publication rule as a table: every surface × the consents of the film's people × the
state of staff's review, asked of festival.films.publication, which every surface uses."""

from __future__ import annotations

import pytest

from festival.clock import utcnow
from festival.extensions import db
from festival.films.models import FilmRole, FilmVersion, ReviewDecision, Subtitle, Thumbnail
from festival.films.models import VersionStatus as Status
from festival.films.publication import (
    Surface,
    credits_for,
    may_see,
    media_file,
    shown_title,
    still_for,
    subtitles_for,
    video_for,
)
from festival.films.review import decide
from festival.films.services import TeamEntry, create_film
from festival.people.models import ConsentKind

T, S, J, C, P, OPEN = (
    Surface.TEAM,
    Surface.STAFF,
    Surface.JURY,
    Surface.CEREMONY,
    Surface.PUBLIC,
    Surface.OPEN_DATA,
)
CONSENTS = {
    "all agree": {ConsentKind.SCREENING: True, ConsentKind.ONLINE: True},
    "not online": {ConsentKind.SCREENING: True, ConsentKind.ONLINE: False},
    "not on screen": {ConsentKind.SCREENING: False, ConsentKind.ONLINE: True},
    "one erased": {ConsentKind.SCREENING: True, ConsentKind.ONLINE: True},
}
REVIEWS = ("not reviewed", "retained", "retained, new cut waiting", "not retained")


def _version(film, number: int) -> FilmVersion:
    version = FilmVersion(
        film=film,
        number=number,
        original_filename=f"v{number}.mp4",
        status=Status.VALID,
        duration=60.0,
        rendition_ready_at=utcnow(),
        report={"browser_ready": True, "personal_tags": []},
    )
    db.session.add(version)
    db.session.flush()
    version.thumbnails.append(
        Thumbnail(
            index=0,
            width=640,
            height=360,
            files={"640.jpeg": f"{version.directory}/thumbs/0-640.jpeg"},
        )
    )
    db.session.flush()
    return version


def _film(edition, make_participant, staff_user, consents: str, review: str):
    agree = {ConsentKind.PARTICIPATION: True, **CONSENTS[consents]}
    people = [
        make_participant(first_name="Léa", last_name="Martin", consents=agree),
        make_participant(first_name="Hugo", last_name="Bernard", consents=agree),
    ]
    film = create_film(
        edition,
        title="Titre approuvé",
        team=[TeamEntry(p.id, FilmRole.DIRECTION) for p in people],
        created_by=staff_user,
    )
    _version(film, 1)
    db.session.add(Subtitle(film=film, language="fr", reviewed_at=utcnow()))
    db.session.flush()
    if review in ("retained", "retained, new cut waiting"):
        decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
    if review == "not retained":
        decide(film, ReviewDecision.NOT_SELECTED, note="Trop long.", by=staff_user)
    if review == "retained, new cut waiting":
        _version(film, 2)
        film.title = "Titre changé par l'équipe"
        db.session.add(Subtitle(film=film, language="en"))  # not reviewed yet
    if consents == "one erased":
        people[1].erased_at = utcnow()
    db.session.commit()
    return film, people


# What each surface may have: (sees the film, version shown, plays a video, shows a still).
# `v` is the version shown (1 or 2), None when the surface does not see the film.
def _expected(surface, consents: str, review: str):
    retained = review.startswith("retained")
    latest = 2 if review == "retained, new cut waiting" else 1
    if surface in (T, S):
        return True, latest, True, True
    if surface == OPEN:
        return False, None, False, False
    if surface == J:
        return (True, 1, True, True) if retained else (False, None, False, False)
    on_screen = retained and consents != "not on screen"
    if surface == C:
        return (True, 1, True, True) if on_screen else (False, None, False, False)
    online = on_screen and consents == "all agree"
    return (True, 1, online, online) if on_screen else (False, None, False, False)


CASES = [(consents, review) for consents in CONSENTS for review in REVIEWS]


@pytest.mark.parametrize(("consents", "review"), CASES)
def test_each_surface_sees_what_the_rule_allows(
    edition, make_participant, staff_user, consents, review
):
    film, _people = _film(edition, make_participant, staff_user, consents, review)
    for surface in Surface:
        _check(surface, film, consents, review)


def _check(surface, film, consents: str, review: str) -> None:
    sees, number, plays, still = _expected(surface, consents, review)

    assert may_see(surface, film) is sees
    version = film.current_version if surface in (T, S) else film.screened_version
    assert (version.number if sees else None) == number
    assert (video_for(surface, film) is not None) is plays
    assert (still_for(surface, film) is not None) is still
    # The address a player or a page asks for answers the same as the rule.
    assert (media_file(surface, film, number or 1, None) is not None) is plays
    assert (media_file(surface, film, number or 1, "0-640.jpeg") is not None) is still
    if not sees:
        assert credits_for(surface, film) == [] and subtitles_for(surface, film) == []
        return
    credited = {p.first_name for p, _roles in credits_for(surface, film)}
    audience = surface not in (T, S)
    if consents == "one erased" and audience:
        assert credited == {"Léa"}, "an erased person is named on no audience's surface"
    else:
        assert credited == {"Léa", "Hugo"}
    languages = {t.language for t in subtitles_for(surface, film)}
    if surface == P and not plays:
        assert languages == set()
    elif review == "retained, new cut waiting" and not audience:
        assert languages == {"fr", "en"}, "the team and staff see what waits for review"
    else:
        assert languages == {"fr"}
    if audience and review == "retained, new cut waiting":
        assert shown_title(film) == "Titre approuvé"


def test_the_table_covers_every_surface_consent_and_review_state():
    assert len(Surface) * len(CASES) == 6 * 4 * 4
