"""Where messages go: the SMTP server MAIL_URL names, or, with no server set (the embedded
default), `.eml` files in the outbox folder that any mail program opens.

MAIL_URL: `smtp://user:password@host:587?starttls=1`, `smtps://user:password@host:465` or
`smtp://127.0.0.1:1025` (no login).
"""

from __future__ import annotations

import smtplib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app
from flask_mail import Mail, Message

mail = Mail()


def init_mail(app: Flask) -> None:
    url = app.config.get("MAIL_URL") or ""
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise RuntimeError(
                f"MAIL_URL must start with smtp:// or smtps://, not {parts.scheme}://"
            )
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        app.config.update(
            MAIL_SERVER=parts.hostname,
            MAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
            MAIL_USERNAME=unquote(parts.username) if parts.username else None,
            MAIL_PASSWORD=unquote(parts.password) if parts.password else None,
            MAIL_USE_SSL=parts.scheme == "smtps",
            MAIL_USE_TLS=options.get("starttls", "0").lower() in ("1", "true", "yes"),
        )
    app.config.setdefault("MAIL_DEFAULT_SENDER", app.config["MAIL_SENDER"])
    app.config.setdefault("MAIL_USE_SSL", False)
    app.config.setdefault("MAIL_USE_TLS", False)
    # Flask-Mail would stay silent under TESTING: here MAIL_URL alone decides (tests send to a
    # real SMTP server on 127.0.0.1).
    app.config["MAIL_SUPPRESS_SEND"] = False
    mail.init_app(app)


def outbox_file_name(email) -> str:
    """The `.eml` file of a stored message in the outbox folder (the embedded default)."""
    return f"{email.created_at:%Y%m%d-%H%M%S}-{email.id}.eml"


def outbox_folder() -> Path:
    folder = Path(current_app.config.get("MAIL_OUTBOX_DIR") or "")
    if not str(folder) or str(folder) == ".":
        folder = Path(current_app.instance_path) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deliver(message: Message, *, file_name: str) -> str:
    """Send one message; returns where it went (the server's name, or the outbox file)."""
    if current_app.config.get("MAIL_URL"):
        _send_smtp(message)
        return current_app.config["MAIL_SERVER"]
    path = outbox_folder() / file_name
    path.write_bytes(message.as_bytes())
    return str(path)


def _send_smtp(message: Message) -> None:
    """As Flask-Mail's own connection does, with a time limit: a mail server that stops
    answering must not hold a worker forever (the job fails and is tried again)."""
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    server, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config["MAIL_USE_SSL"]:
        host = smtplib.SMTP_SSL(server, port, timeout=timeout)
    else:
        host = smtplib.SMTP(server, port, timeout=timeout)
    with host:
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        host.sendmail(
            message.sender,
            message.send_to,
            message.as_bytes(),
            message.mail_options,
            message.rcpt_options,
        )
