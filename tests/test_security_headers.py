"""Every page forbids inline scripts, third-party loads and framing."""

import re

from festival.auth.models import Role


def test_pages_and_api_carry_the_security_headers(client, edition, login_as):
    for response in (
        client.get("/"),
        client.get("/connexion"),
        client.get("/api/v1/openapi.json"),
        login_as(Role.STAFF).get("/equipe"),
    ):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_page_has_an_inline_script_or_a_third_party_resource(client, edition, login_as):
    staff = login_as(Role.STAFF)
    pages = [client.get(u) for u in ("/", "/connexion", "/inscription", "/programme")]
    pages += [
        staff.get(u)
        for u in (
            "/equipe",
            "/equipe/participants",
            "/equipe/programme",
            "/equipe/ateliers",
            "/ateliers",
        )
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script or "application/ld+json" in script, script
        # Absolute addresses only to this site (the canonical link must be absolute), but for
        # a plain link to the venue on OpenStreetMap: nothing of theirs loads in the page.
        assert not re.search(r"""src=["']https?://(?!festival\.test/)""", html)
        assert not re.search(
            r"""href=["']https?://(?!festival\.test/|www\.openstreetmap\.org/)""", html
        )
        assert " style=" not in html


def test_behind_https_the_session_cookie_is_secure_httponly_and_same_site(_database, tmp_path):
    """Production behind nginx: the visitor's HTTPS is seen, the cookie never leaves it."""
    from festival import create_app
    from festival.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": _database,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SECRET_KEY": "production-test-" + "k" * 40,
            "PUBLIC_URL": "https://festival.mediatheque.example",
        },
        mode="production",
    )
    with app.app_context():
        client = app.test_client()
        response = client.get(
            "/connexion", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        )
        db.engine.dispose()
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] is True
