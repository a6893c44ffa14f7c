"""Reading what arrived on the test's SMTP server as a person reads a message."""

from __future__ import annotations

import re
from email.message import EmailMessage


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage, path_start: str) -> str:
    """The path (on this site) of the link in the message that starts with `path_start`."""
    url = re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S+)", text_of(message))
    assert url, f"no link to {path_start} in the message"
    return url.group(1)
