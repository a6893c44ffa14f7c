"""A librarian imports the catalogue's UNIMARC export, links the catalogue, recommends a DVD for
the framing workshop; a teen on her phone opens the workshop's page and follows the title's link
to the library's catalogue (a stand-in OPAC on 127.0.0.1 answers as the real one would)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from festival.auth.models import Role
from tests.collection.test_collection import FILMS, iso2709, unimarc_record
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


class _Catalogue(BaseHTTPRequestHandler):
    """The library's OPAC: a record's page at /notice/<id>."""

    def do_GET(self):  # noqa: N802 - the standard library's name
        record = self.path.rsplit("/", 1)[-1]
        body = f"<!doctype html><title>Notice {record}</title><h1>Notice {record}</h1>".encode()
        self.send_response(200 if self.path.startswith("/notice/") else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def catalogue():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Catalogue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_recommended_dvd_links_to_the_librarys_catalogue(
    live_server, page_factory, edition, make_user, catalogue, tmp_path
):
    make_user(Role.STAFF, login="bibliothecaire@example.org")
    export = tmp_path / "export-dvd.mrc"
    export.write_bytes(iso2709(unimarc_record(*film) for film in FILMS))

    page = page_factory(LAPTOP)
    sign_in(page, live_server, "bibliothecaire@example.org")
    page.get_by_role("link", name="Fonds cinéma").click()
    page.get_by_label("Export du catalogue").set_input_files(str(export))
    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("60 titres ajoutés, 0 mis à jour, 0 déjà à jour").wait_for()
    page.get_by_label("Adresse d'une notice dans le catalogue").fill(f"{catalogue}/notice/{{id}}")
    page.locator("#catalogue").get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'adresse du catalogue est enregistrée").wait_for()

    page.get_by_label("Titre ou réalisation").fill("varda")
    page.get_by_role("button", name="Chercher").click()
    row = page.get_by_role("row", name="Cléo de 5 à 7")
    workshop = edition.workshops[3]
    row.get_by_label("Conseillé pour").select_option(str(workshop.id))
    row.get_by_label("Note (facultatif)").fill("à voir avant l'atelier cadrage")
    row.get_by_role("button", name="Conseiller").click()
    page.get_by_text("« Cléo de 5 à 7 » est conseillé pour l'atelier 4.").wait_for()

    phone = page_factory(PHONE)
    phone.goto(live_server + "/")
    phone.get_by_role("link", name=workshop.title).click()
    phone.get_by_role("heading", name="À voir, à lire avant l'atelier").wait_for()
    phone.get_by_text("à voir avant l'atelier cadrage").wait_for()
    phone.get_by_role("link", name="Cléo de 5 à 7").click()
    phone.wait_for_url(f"{catalogue}/notice/UNI0001")
    assert phone.get_by_role("heading").inner_text() == "Notice UNI0001"
