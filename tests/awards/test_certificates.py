"""Certificates worth framing: every name printed with its letters (« Nguyễn » once came out
« Nguy■n »), the médiathèque's logo and signature, only for people who came, and a
prize-winning teen sees her prizes and her film's laurel."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from festival import pdf_fonts
from festival.auth.models import Role
from festival.awards import jury, palmares, prizes, vote
from festival.awards.certificate_rules import may_have_certificate
from festival.extensions import db
from festival.people.accounts import open_account
from festival.people.models import ParticipantStatus
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers import ceremony_started, edition_certificates

VIETNAMESE = "Nguyễn Thị Ánh"


@pytest.fixture
def ceremony(edition, published_ceremony):
    films = published_ceremony("Aube", "Brume")
    vote.generate_codes(edition, 2)
    db.session.commit()
    return films


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def _came(edition, person, number: int = 0) -> None:
    db.session.add(
        Attendance(
            workshop=edition.workshops[number], participant=person, status=AttendanceStatus.PRESENT
        )
    )
    db.session.commit()


def _png(colour=(200, 30, 30, 255), size=(300, 120), exif_gps=False) -> bytes:
    image = Image.new("RGBA", size, colour)
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {2: (45.0, 46.0, 0.0)}  # GPSInfo, as a phone writes it
        image.convert("RGB").save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def test_the_shipped_font_has_every_letter_of_the_names_we_meet():
    for name in (VIETNAMESE, "Jürgen Weiß", "Zoë Ñúñez", "Łucja Żółć", "Ольга", "Σοφία"):
        assert pdf_fonts.missing_glyphs(name) == set(), name
    assert pdf_fonts.missing_glyphs("王") == {"王"}  # the limit, known and testable


def test_a_certificate_prints_a_vietnamese_name_in_the_festival_fonts(
    login_as, edition, make_participant
):
    teen = make_participant(first_name="Thị Ánh", last_name="Nguyễn")
    _came(edition, teen)
    pdf = login_as(Role.STAFF).get(f"/equipe/participants/{teen.id}/attestation.pdf").data
    assert "Thị Ánh Nguyễn" in _text(pdf)
    fonts = _fonts(pdf)
    assert fonts and all(name.startswith("DejaVu") for name in fonts), fonts


def test_every_pdf_uses_the_shipped_fonts(login_as, edition, ceremony):
    staff = login_as(Role.STAFF)
    pdfs = {
        "cards": staff.post_form(
            "/equipe/prix/cartes", {"count": "2"}, token_page="/equipe/prix"
        ).data,
        "programme": staff.get(f"/programme/{edition.year}/programme.pdf").data,
        "report": staff.get("/equipe/bilan.pdf").data,
        "certificates": edition_certificates(staff),
    }
    for what, pdf in pdfs.items():
        assert pdf.startswith(b"%PDF"), what
        fonts = _fonts(pdf) - {"/Courier-Bold"}  # the vote codes: ASCII in a fixed width
        assert fonts and all(name.startswith("DejaVu") for name in fonts), (what, fonts)


def test_only_people_who_came_have_a_certificate(edition, make_participant):
    came = make_participant(first_name="Came")
    never = make_participant(first_name="Never")
    pending = make_participant(first_name="Pending")
    pending.status = ParticipantStatus.PENDING
    _came(edition, came)
    _came(edition, pending)
    assert may_have_certificate(came)
    assert not may_have_certificate(never)
    assert not may_have_certificate(pending)


def test_the_library_identity_goes_on_the_certificate(login_as, edition, make_participant):
    staff = login_as(Role.STAFF)
    page = staff.get("/equipe/identite").get_data(as_text=True)
    assert "Identité de la médiathèque" in page
    saved = staff.post_form(
        "/equipe/identite",
        {
            "library_name": "Médiathèque Jacques-Prévert",
            "town": "Vaulx-en-Velin",
            "signatory_name": "Hélène Durand",
            "signatory_title": "Directrice de la médiathèque",
            "logo": (io.BytesIO(_png()), "logo.png"),
            "signature": (io.BytesIO(_png((0, 0, 0, 255), exif_gps=True)), "signature.jpg"),
        },
        token_page="/equipe/identite",
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    stored = staff.get("/equipe/identite/signature.png")
    assert stored.status_code == 200 and stored.mimetype == "image/png"
    assert not Image.open(io.BytesIO(stored.data)).getexif()  # no GPS kept
    teen = make_participant(first_name="Ánh", last_name="Nguyễn")
    _came(edition, teen)
    pdf = staff.get(f"/equipe/participants/{teen.id}/attestation.pdf").data
    text = _text(pdf)
    assert "Fait à Vaulx-en-Velin" in text and "Hélène Durand" in text
    assert "Directrice de la médiathèque" in text and "Médiathèque Jacques-Prévert" in text
    first_page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first_page.images) == 2  # the logo and the signature
    sample = staff.get("/equipe/identite/exemple.pdf")
    assert VIETNAMESE in _text(sample.data) and "Prix du jury" in _text(sample.data)
    # A broken picture is refused in words; what was stored stays.
    refused = staff.post_form(
        "/equipe/identite",
        {
            "library_name": "Autre nom",
            "town": "",
            "signatory_name": "",
            "signatory_title": "",
            "logo": (io.BytesIO(b"GIF89a not an image"), "logo.png"),
        },
        token_page="/equipe/identite",
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200
    assert "Cette image ne se lit pas" in refused.get_data(as_text=True)
    again = staff.get(f"/equipe/participants/{teen.id}/attestation.pdf").data
    assert "Hélène Durand" in _text(again)


def test_the_signature_is_for_staff_only(client, login_as, make_participant):
    teen = make_participant(account=True)
    assert login_as(teen.user).get("/equipe/identite/signature.png").status_code == 403
    assert client.get("/equipe/identite/signature.png").status_code in (302, 401)


def test_a_prize_winning_teen_sees_her_prize_and_laurel(client, login_as, edition, ceremony):
    director = ceremony[1].members[0].participant
    open_account(director, password="un mot de passe solide 42")
    _came(edition, director)
    award = prizes.awards_of(edition)[0]
    jury.assign_award(award, ceremony[1])
    db.session.commit()
    teen = login_as(director.user)
    assert "Mes prix" not in teen.get("/mon-espace").get_data(as_text=True)
    laurel = f"/prix/{award.id}/laurier.png"
    assert client.get(laurel).status_code == 404  # not before the palmarès is published
    jury.close_deliberation(edition)
    ceremony_started(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    space = teen.get("/mon-espace").get_data(as_text=True)
    assert "Mon prix" in space and award.name in space and laurel in space
    png = client.get(laurel)
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert Image.open(io.BytesIO(png.data)).mode == "RGBA"  # transparent, for any poster
    svg = client.get(f"/prix/{award.id}/laurier.svg").get_data(as_text=True)
    assert svg.startswith("<svg") and award.name in svg
    certificate = _text(teen.get("/mon-espace/attestation.pdf").data)
    assert "Lauréat·e" in certificate and "Diplôme" in certificate
    film_page = client.get(f"/programme/{edition.year}/films/{ceremony[1].id}")
    assert f"/prix/{award.id}/laurier.svg" in film_page.get_data(as_text=True)


def test_a_laurel_escapes_the_prize_name(login_as, edition, ceremony):
    award = prizes.add_award(edition, name="Prix <script>&", kind=prizes.AwardKind.JURY)
    jury.assign_award(award, ceremony[0])
    db.session.commit()
    svg = login_as(Role.STAFF).get(f"/prix/{award.id}/laurier.svg").get_data(as_text=True)
    assert "<script>" not in svg and "&lt;script&gt;&amp;" in svg
