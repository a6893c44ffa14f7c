"""Browser tests: screen sizes and signing in through the page."""

from __future__ import annotations

from tests.helpers import PASSWORD

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


def sign_in(page, base_url: str, login: str):
    page.goto(f"{base_url}/connexion")
    page.get_by_label("E-mail ou identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
