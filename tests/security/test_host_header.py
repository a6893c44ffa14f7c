"""A forged Host header never reaches what other visitors are served."""

from __future__ import annotations

from festival import create_app
from festival.extensions import db
from festival.programme import services


def test_in_production_absolute_urls_come_from_public_url_and_other_hosts_are_refused(
    app, edition, block, make_valid_film
):
    services.add_film(block, make_valid_film("Les chats"))
    services.publish(edition)
    db.session.commit()
    production = create_app(
        {
            "SECRET_KEY": "s" * 64,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MEDIA_ROOT": app.config["MEDIA_ROOT"],
            "PUBLIC_URL": "https://festival.mediatheque.example",
            "TRUSTED_PROXIES": 0,
        },
        mode="production",
    )
    client = production.test_client()
    forged = client.get("/programme", headers={"Host": "evil.example"})
    assert forged.status_code == 400
    page = client.get(
        "/programme", headers={"Host": "festival.mediatheque.example"}, base_url="https://x"
    ).get_data(as_text=True)
    assert "https://festival.mediatheque.example/programme/" in page
    assert "evil.example" not in page
    assert client.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 200
    with production.app_context():
        db.session.remove()
        db.engine.dispose()  # its own connections, closed now rather than by the collector


def test_a_forged_host_shares_the_cache_entry_it_cannot_change(app):
    """Every address in a page comes from PUBLIC_URL, so the Host is no part of the key: a
    forged one renders (and caches) exactly what every visitor gets."""
    from festival.caching import cache_key

    keys = set()
    for host in ("festival.test", "evil.example"):
        with app.test_request_context("/programme", headers={"Host": host}):
            keys.add(cache_key("page"))
    assert len(keys) == 1
