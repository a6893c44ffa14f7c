"""Start times, warnings, order and publication of the ceremony's programme."""

from datetime import timedelta

import pytest

from festival.errors import ValidationError
from festival.extensions import db
from festival.formatting import human_duration
from festival.people.models import ConsentKind
from festival.programme import services
from festival.programme.models import ItemKind


def test_start_times_follow_the_real_lengths(block, make_valid_film):
    welcome = services.add_moment(block, kind=ItemKind.WELCOME, title="", duration_seconds=600)
    first = services.add_film(block, make_valid_film("Premier", seconds=2.2))
    second = services.add_film(block, make_valid_film("Second", seconds=3.0))
    services.add_moment(block, kind=ItemKind.AWARDS, title="Prix du jury", duration_seconds=900)
    db.session.commit()
    plan = services.schedule(block)
    start = block.starts_at
    assert [(s.item.id, s.starts_at, s.seconds) for s in plan.items[:3]] == [
        (welcome.id, start, 600),
        (first.id, start + timedelta(seconds=600), 3),  # 2.2 s rounds up to a whole second
        (second.id, start + timedelta(seconds=603), 3),
    ]
    assert plan.items[3].starts_at == start + timedelta(seconds=606)
    assert plan.items[0].item.title == "Accueil"
    assert plan.total_seconds == 1506 and plan.ends_at == start + timedelta(seconds=1506)
    assert plan.overrun_seconds == 0 and plan.warnings == []


def test_an_overrunning_block_says_by_how_much(block):
    services.add_moment(block, kind=ItemKind.OTHER, title="Débat", duration_seconds=31 * 60)
    db.session.commit()
    plan = services.schedule(block)
    assert plan.overrun_seconds == 60
    assert plan.warnings == [
        "La séance dure 31 min 00 s pour 30 min 00 s prévues : elle déborde de 1 min 00 s."
    ]


def test_warnings_for_unselected_films_and_missing_screening_consent(
    block, make_valid_film, make_participant
):
    unselected = make_valid_film("Hésitant", selected=False)
    minor = make_participant(
        first_name="Zoé",
        last_name="Sansaccord",
        age=15,
        consents={ConsentKind.PARTICIPATION: True, ConsentKind.SCREENING: False},
    )
    uncleared = make_valid_film("Sans droit", people=[minor])
    services.add_film(block, unselected)
    services.add_film(block, uncleared)
    db.session.commit()
    warnings = services.schedule(block).warnings
    assert (
        "« Hésitant » n'est pas marqué comme retenu : il n'est ni projeté, ni dans le programme "
        "public, ni dans le pack de projection."
    ) in warnings
    assert (
        "Zoé Sansaccord, mineur·e, n'a pas l'autorisation de droit à l'image pour la "
        "projection (« Sans droit ») : le film n'est pas projeté tant qu'elle manque."
    ) in warnings


def test_a_film_that_lost_its_valid_version_is_flagged(block, make_valid_film):
    film = make_valid_film("Fragile")
    services.add_film(block, film)
    film.versions[0].status = film.versions[0].status.__class__("refused")
    db.session.commit()
    assert (
        "« Fragile » n'a pas de version valide : il ne peut pas être projeté."
        in services.schedule(block).warnings
    )


def test_films_are_added_once_and_only_when_valid(block, make_valid_film, edition, staff_user):
    from festival.films.models import FilmRole
    from festival.films.services import TeamEntry, create_film

    film = make_valid_film("Unique")
    services.add_film(block, film)
    with pytest.raises(ValidationError, match="déjà au programme"):
        services.add_film(block, film)
    draft = create_film(
        edition,
        title="Sans fichier",
        team=[TeamEntry(film.members[0].participant_id, FilmRole.SOUND)],
        created_by=staff_user,
    )
    with pytest.raises(ValidationError, match="pas de version valide"):
        services.add_film(block, draft)


def test_order_is_set_and_items_move_between_blocks(edition, block, later):
    a = services.add_moment(block, kind=ItemKind.WELCOME, title="A", duration_seconds=60)
    b = services.add_moment(block, kind=ItemKind.OTHER, title="B", duration_seconds=60)
    c = services.add_moment(block, kind=ItemKind.OTHER, title="C", duration_seconds=60)
    services.set_order(block, [c.id, a.id, b.id])
    assert [i.title for i in block.items] == ["C", "A", "B"]
    services.move_item(a, -1)
    assert [i.title for i in block.items] == ["A", "C", "B"]
    with pytest.raises(ValidationError, match="il manque"):
        services.set_order(block, [a.id, b.id])  # C is left out: refused
    with pytest.raises(ValidationError, match="deux fois"):
        services.set_order(block, [a.id, a.id, b.id, c.id])


def test_an_item_moves_to_another_block(edition, block, later):
    a = services.add_moment(block, kind=ItemKind.WELCOME, title="A", duration_seconds=60)
    second = services.add_block(
        edition, title="Deuxième séance", starts_at=later, planned_minutes=60
    )
    x = services.add_moment(second, kind=ItemKind.OTHER, title="X", duration_seconds=60)
    services.set_order(second, [a.id, x.id])
    db.session.expire_all()
    assert [i.title for i in second.items] == ["A", "X"]
    assert block.items == []


def test_publication_switches_the_public_view(edition, block):
    assert edition.programme_published_at is None
    services.publish(edition)
    assert edition.programme_published_at is not None
    services.unpublish(edition)
    assert edition.programme_published_at is None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45 s"), (63, "1 min 03 s"), (3600, "1 h 00 min"), (3930, "1 h 05 min 30 s")],
)
def test_lengths_read_at_a_glance(seconds, text):
    assert human_duration(seconds) == text
