"""The film page's first visit on a weak phone: the player's poster is the light still."""

from __future__ import annotations

from festival.programme.lineup import PublicFilm


def _film(stills: dict[str, str], size: tuple[int, int] = (1280, 720)) -> PublicFilm:
    return PublicFilm(
        id=1, title="Aube", synopsis="", seconds=120, team=[], thumbnail=stills,
        thumbnail_size=size, plays_online=True, video_url="/v.mp4",
    )  # fmt: skip


def test_the_poster_is_the_640_webp_when_there_is_one():
    sizes = {f"{w}.{f}": f"/s/{w}.{f}" for w in (320, 640, 1280) for f in ("webp", "jpeg")}
    assert _film(sizes).poster == "/s/640.webp"
    assert _film({k: v for k, v in sizes.items() if "640" not in k}).poster == "/s/1280.webp"
    assert _film({"320.jpeg": "/s/320.jpeg"}).poster == "/s/320.jpeg"
    assert _film({}).poster is None


def test_a_portrait_films_poster_has_as_many_pixels_as_a_landscape_ones():
    """A phone's portrait film in the 640 WebP is 640x1138, three times a landscape poster's
    pixels: 162 KiB of a grainy 1080p film on a slow 3G first visit (the page's budget is
    100). The player shows it at most ~350 px wide on a phone (as tall as the screen allows)."""
    sizes = {f"{w}.{f}": f"/s/{w}.{f}" for w in (320, 640, 1280) for f in ("webp", "jpeg")}
    assert _film(sizes, size=(720, 1280)).poster == "/s/320.webp"
    assert _film({"640.webp": "/s/640.webp"}, size=(720, 1280)).poster == "/s/640.webp"
    assert _film(sizes, size=(1280, 720)).poster == "/s/640.webp"


def test_the_film_page_points_its_player_at_the_light_poster(
    client, make_valid_film, edition, block
):
    from festival.extensions import db
    from festival.programme import services as programme

    film = make_valid_film("Aube", size="1280x720")
    programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()
    html = client.get(f"/programme/{edition.year}/films/{film.id}").get_data(as_text=True)
    assert 'poster="' in html
    poster = html.split('poster="')[1].split('"')[0]
    assert poster.endswith("-640.webp"), poster
