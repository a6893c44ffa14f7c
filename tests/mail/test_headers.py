"""Mail headers as a mail program reads them off the wire: a one-click unsubscribe link it can
act on, a From that names the configured sender and nobody else."""

from __future__ import annotations

import re
from email.utils import getaddresses

from festival.extensions import db
from festival.mail.services import has_opted_out, queue_email

PUBLIC = "https://festival.mediatheque.example"


def _queue_reset(edition=None) -> None:
    queue_email(
        "ana@example.org", "password_reset", reset_url="x", name="A", login="a", hours=2,
        edition=edition,
    )  # fmt: skip
    db.session.commit()


def _header_lines(raw: bytes, name: str) -> list[str]:
    head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").decode("ascii")
    return re.findall(rf"^{name}: (.*(?:\n[ \t].*)*)", head, flags=re.MULTILINE | re.IGNORECASE)


def test_list_unsubscribe_is_a_plain_link_that_stops_messages_in_one_click(
    app, smtp_server, make_client
):
    app.config["PUBLIC_URL"] = PUBLIC
    _queue_reset()
    (raw,) = smtp_server.raw
    (unsubscribe,) = _header_lines(raw, "List-Unsubscribe")
    assert re.fullmatch(rf"<{re.escape(PUBLIC)}/courriels/arret/[\w.\-]+>", unsubscribe)
    assert _header_lines(raw, "List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"]
    path = unsubscribe.strip("<>").removeprefix(PUBLIC)
    # RFC 8058: the mail program posts this body, without cookie or CSRF token.
    answer = make_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert has_opted_out("ana@example.org")


def test_an_edition_title_is_only_a_display_name(app, smtp_server, edition):
    edition.title = 'Mairie "Maire" <maire@ville.example>\r\nBcc: tous@example.org'
    edition.mail_from = "festival@mediatheque.example"
    _queue_reset(edition)
    (raw,) = smtp_server.raw
    (sender,) = _header_lines(raw, "From")
    assert "\n" not in sender and "maire@ville.example" not in sender
    assert _header_lines(raw, "Bcc") == []
    (message,) = smtp_server.messages
    ((name, address),) = getaddresses([message["From"]])
    assert address == "festival@mediatheque.example"
    assert "Mairie" in name and "<" not in name and "@" not in name
    assert message["X-Envelope-To"] == "ana@example.org"


def test_without_an_edition_address_the_configured_sender_writes(app, smtp_server, edition):
    app.config["MAIL_SENDER"] = "Médiathèque <festival@ville.example>"
    edition.title = "Pirate <pirate@evil.example>"
    _queue_reset(edition)
    (message,) = smtp_server.messages
    ((name, address),) = getaddresses([message["From"]])
    assert (name, address) == ("Médiathèque", "festival@ville.example")
