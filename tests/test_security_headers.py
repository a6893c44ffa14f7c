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
        assert not re.search(r"""(?:src|href)=["']https?://""", html)
        assert " style=" not in html
