"""The edition's certificates are drawn by a job, not in the request: a thousand pages take
seconds of drawing (2.8 s at 2,000 teens), longer than any staff page may make someone wait.
Staff press a button, follow the progress, download the PDF; it names minors, so only the
latest is kept and an erasure in the edition takes them all."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from festival.auth.models import Role
from festival.awards import certificate_batches, certificates
from festival.awards.models import CertificateBatch
from festival.awards.views import palmares_pages
from festival.extensions import db
from festival.models_base import JobStatus
from festival.people.privacy import erase_participant
from festival.storage import media_path
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers import edition_certificates


def _came(edition, *people) -> None:
    for person in people:
        db.session.add(
            Attendance(
                workshop=edition.workshops[0], participant=person, status=AttendanceStatus.PRESENT
            )
        )
    db.session.commit()


def _names(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def two_who_came(edition, make_participant):
    people = [
        make_participant(first_name="Thị Ánh", last_name="Nguyễn"),
        make_participant(first_name="Jürgen", last_name="Weiß"),
    ]
    _came(edition, *people)
    return people


def test_the_button_queues_a_job_and_the_request_draws_nothing(
    login_as, edition, two_who_came, monkeypatch
):
    queued = []
    monkeypatch.setattr(palmares_pages, "draw_edition_certificates", queued.append)
    monkeypatch.setattr(
        certificates, "draw_certificates", lambda *a, **k: pytest.fail("drawn in the request")
    )
    staff = login_as(Role.STAFF)
    answer = staff.post_form("/equipe/prix/attestations", token_page="/equipe/prix")
    assert answer.status_code == 302 and answer.location.endswith("/equipe/prix#attestations")
    batch = db.session.get(CertificateBatch, queued[0])
    assert batch.status == JobStatus.QUEUED and not media_path(batch.path).exists()
    state = staff.get("/equipe/prix/attestations/etat.json").json
    assert state["status"] == "queued" and state["download"] is None
    page = staff.get("/equipe/prix").get_data(as_text=True)
    assert "un processus de traitement" in page and "data-preparing-progress" in page
    not_yet = staff.get("/equipe/prix/attestations.pdf")
    assert not_yet.status_code == 302  # back to the button, with a sentence
    assert "pas encore prêtes" in staff.get(not_yet.location).get_data(as_text=True)


def test_staff_follow_the_job_then_download_every_certificate(login_as, edition, two_who_came):
    staff = login_as(Role.STAFF)
    assert "Préparer les attestations" in staff.get("/equipe/prix").get_data(as_text=True)
    pdf = edition_certificates(staff)  # the job runs at once in tests
    text = _names(pdf)
    assert "Thị Ánh Nguyễn" in text and "Jürgen Weiß" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    state = staff.get("/equipe/prix/attestations/etat.json").json
    assert state == {
        "status": "done",
        "progress": 100,
        "step": "Prêt : 2 attestations, 2 pages.",
        "download": "/equipe/prix/attestations.pdf",
    }
    page = staff.get("/equipe/prix").get_data(as_text=True)
    assert "Télécharger les attestations (PDF)" in page and "préparé le" in page
    assert "Refaire les attestations avec les données actuelles" in page


def test_a_failed_drawing_says_so_and_keeps_the_last_good_pdf(
    login_as, edition, two_who_came, monkeypatch
):
    staff = login_as(Role.STAFF)
    good = edition_certificates(staff)

    def broken(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(certificate_batches, "draw_certificates", broken)
    answer = staff.post_form("/equipe/prix/attestations", token_page="/equipe/prix")
    assert answer.status_code == 302  # the job failed, not the page
    db.session.expire_all()
    failed = certificate_batches.latest_batch(edition)
    assert failed.status == JobStatus.FAILED and "No space left" in failed.error
    page = staff.get("/equipe/prix").get_data(as_text=True)
    assert "pas pu être préparées : relancez" in page
    assert "No space left" not in page  # for the technical team, not on staff's page
    assert staff.get("/equipe/prix/attestations.pdf").data == good


def test_only_the_latest_pdf_is_kept(login_as, edition, two_who_came):
    staff = login_as(Role.STAFF)
    edition_certificates(staff)
    first = certificate_batches.latest_batch(edition)
    first_file = media_path(first.path)
    assert first_file.is_file()
    edition_certificates(staff)
    db.session.expire_all()
    assert db.session.query(CertificateBatch).count() == 1
    assert not first_file.exists() and not first_file.parent.exists()


def test_an_erasure_takes_every_pdf_that_names_the_teen(login_as, edition, two_who_came):
    staff = login_as(Role.STAFF)
    edition_certificates(staff)
    drawn = media_path(certificate_batches.latest_batch(edition).path)
    erase_participant(two_who_came[0])
    db.session.commit()
    assert not drawn.exists() and certificate_batches.latest_batch(edition) is None
    assert staff.get("/equipe/prix/attestations.pdf").status_code == 302
    again = _names(edition_certificates(staff))
    assert "Jürgen Weiß" in again and "Nguyễn" not in again


def test_progress_is_told_while_a_big_edition_is_drawn(app, edition, make_participant):
    people = [make_participant(last_name=f"Nom{n:03d}") for n in range(120)]
    _came(edition, *people)
    batch = certificate_batches.request_batch(edition)
    db.session.commit()
    told = []
    original = CertificateBatch.advance

    def advance(self, percent, step):
        told.append((percent, step))
        original(self, percent, step)

    CertificateBatch.advance = advance
    try:
        certificate_batches.build_batch(batch.id)
    finally:
        CertificateBatch.advance = original
    assert [p for p, _ in told] == sorted(p for p, _ in told)  # it only moves forward
    assert ("Attestation 50 sur 120…" in [s for _, s in told]) and told[-1][0] == 100
    assert db.session.get(CertificateBatch, batch.id).pages == 120


def test_the_steps_are_told_in_the_language_of_whoever_asked(login_as, edition, two_who_came):
    staff = login_as(Role.STAFF)
    staff.get("/langue/en")
    edition_certificates(staff)
    state = staff.get("/equipe/prix/attestations/etat.json").json
    assert state["step"] == "Ready: 2 certificates, 2 pages."  # the job has no visitor's locale
    assert "Ready: 2 certificates" in staff.get("/equipe/prix").get_data(as_text=True)
