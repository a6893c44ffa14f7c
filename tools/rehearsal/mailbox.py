"""The library's mail server for the rehearsal: a real SMTP server on 127.0.0.1 (aiosmtpd)
keeping what it receives, read as a family's mail program reads it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from email.message import EmailMessage
from email.utils import getaddresses

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"')]+")


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    def start(self) -> Mailbox:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            messages = list(self.messages)
        return [
            m
            for m in messages
            if address.lower() in (a.lower() for _n, a in getaddresses([m["To"] or ""]))
        ]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message: EmailMessage) -> list[str]:
        parts = [str(message.get("List-Unsubscribe", ""))]
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                parts.append(part.get_content())
        return LINK.findall("\n".join(parts))

    def foreign_links(self, public_url: str) -> list[str]:
        """Every link in every message that does not lead to the public address."""
        with self._lock:
            messages = list(self.messages)
        return [
            f"{m['Subject']}: {link}"
            for m in messages
            for link in self.links(m)
            if not (link == public_url or link.startswith(public_url + "/"))
        ]

    def duplicates(self) -> list[str]:
        """The same message delivered twice (same recipient, subject and body)."""
        seen, twice = set(), []
        with self._lock:
            messages = list(self.messages)
        for m in messages:
            key = (m["To"], m["Subject"], self.text(m))
            if key in seen:
                twice.append(f"{m['To']}: {m['Subject']}")
            seen.add(key)
        return twice
