"""Mail headers nobody can bend: the sender's display name, the list headers, the policy.

An edition's title becomes a display name only (never an address, never a line break), and
headers are written without the folding that turned `<https://…>` into an encoded word.
"""

from __future__ import annotations

import re
import unicodedata
from email import policy
from email.headerregistry import Address
from email.utils import parseaddr

from festival.text import is_control_character

# RFC 5322 allows 998 characters a line: a one-click link stays one readable token instead of
# being folded into an encoded word mail programs cannot act on.
MESSAGE_POLICY = policy.SMTP.clone(max_line_length=998)

# What could make a display name look like an address or a list of them.
_ADDRESS_LIKE = re.compile(r"[<>@,;:\"\\\[\]()]")


def display_name(text: str) -> str:
    """A name shown beside the address: control and bidi characters dropped, nothing that
    could read as a second address, on one line, not too long."""
    visible = "".join(" " if is_control_character(c) else c for c in text or "")
    return " ".join(_ADDRESS_LIKE.sub(" ", visible).split())[:78]


def sender(configured: str, *, name: str | None = None, address: str | None = None) -> str:
    """The From: `address` (an edition's own, checked by its form) or the configured sender's,
    with `name` as its display name only."""
    configured_name, configured_address = parseaddr(configured)
    user, _at, domain = (address or configured_address).strip().rpartition("@")
    return str(
        Address(display_name=display_name(name or configured_name), username=user, domain=domain)
    )


def list_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show a button that stops the optional messages in
    one click (a POST to the same link)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def single_header_line(value: str) -> str:
    """A header value from any field: line breaks and other control characters become spaces."""
    return " ".join(
        "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value).split()
    )
