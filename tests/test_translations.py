"""French is the source language; every string of the interface also exists in English."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from festival.auth.models import Role

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}


def test_every_interface_string_has_an_english_translation():
    source_ids = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT / "festival", METHODS, keywords=KEYWORDS)
    }
    with (ROOT / "festival/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(source_ids - translated)
    assert missing == [], "run `make messages`, then translate the empty entries of the .po file"


def test_english_is_served_on_request(client, edition, login_as):
    assert "Je m'inscris" in client.get("/").get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign me up" in english.get_data(as_text=True)
    client.get("/langue/en")
    html = client.get("/connexion").get_data(as_text=True)
    assert '<html lang="en">' in html and "Stay signed in on this device" in html
    client.get("/langue/fr?next=https://evil.example/")
    assert "Rester connecté" in client.get("/connexion").get_data(as_text=True)


def test_api_errors_follow_the_language_too(client, edition):
    response = client.get("/api/v1/participants", headers={"Accept-Language": "en"})
    assert response.json["error"]["message"].startswith("Sign in")
    french = client.get("/api/v1/participants")
    assert french.json["error"]["message"].startswith("Connectez-vous")


def test_signing_in_keeps_the_chosen_language(make_client, make_user):
    user = make_user(Role.STAFF)
    client = make_client()
    client.get("/langue/en")
    client.login(user.login)
    assert "Dashboard" in client.get("/equipe/editions").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "/%09/evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        " //evil.example",
    ],
)
def test_the_language_switch_never_leads_off_site(client, edition, target):
    response = client.get("/langue/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    # What a browser makes of it: backslashes read as slashes, tabs and newlines dropped.
    seen = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    assert seen.startswith("/") and not seen.startswith("//"), location
    assert "evil.example" not in urlsplit(seen).netloc


def test_the_language_switch_keeps_a_page_of_the_site(client, edition):
    response = client.get("/langue/en", query_string={"next": "/programme?x=1"})
    assert response.headers["Location"] == "/programme?x=1"
