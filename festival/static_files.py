"""Static files as a phone on a weak connection wants them: named after their content, kept a
year, and sent compressed.

At start the package's `static/` folder is published into the static build folder (the
instance's `static/` unless STATIC_BUILD_ROOT says otherwise): each file under its own name and
under a name carrying its content's hash (`css/festival.3f2a9c1b0d4e.css`), each beside its
gzip and Brotli forms. Pages ask `url_for('static', …)`, which gives the hashed name; WhiteNoise
serves the folder, picks the form the browser accepts and sends hashed names as immutable for a
year. A changed file gets a new name, so no phone keeps an old one and none revalidates a
current one. nginx can serve the same folder (`gzip_static`, `brotli_static`: see the README).

Publishing costs milliseconds when nothing changed: a file is compressed only when its hashed
name is not there yet. Every file is written under a temporary name then renamed, so processes
starting together (gunicorn's, the tests') never read a half-written file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

HASH_LENGTH = 12
# A name this module gave: its content never changes.
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")
# A hashed file no current file names is removed after this long: a page cached elsewhere may
# still ask for the previous version of a file for a while after an upgrade.
STALE_AFTER_SECONDS = 7 * 24 * 3600
# Names without a hash (a bookmarked address, an old page) are kept for an hour.
UNHASHED_MAX_AGE = 3600


def hashed_name(name: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"


def publish_static(source: Path, target: Path) -> dict[str, str]:
    """Copies each file of `source` into `target` under its name and its hashed name, with
    compressed forms beside; returns {name: hashed name}."""
    compressor = Compressor(quiet=True)
    names: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        content = path.read_bytes()
        hashed = hashed_name(name, content)
        names[name] = hashed
        if (target / hashed).exists() and _holds(target / name, content):
            continue
        for published in (name, hashed):
            _write_with_compressed_forms(target / published, content, compressor)
    _remove_stale(target, set(names.values()))
    return names


def _holds(path: Path, content: bytes) -> bool:
    return path.exists() and path.stat().st_size == len(content) and path.read_bytes() == content


def _write_with_compressed_forms(path: Path, content: bytes, compressor: Compressor) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    forms = {"": content}
    if compressor.should_compress(path.name):
        # Only forms that save something: a compressed PNG is no smaller.
        brotli_form = compressor.compress_brotli(content)
        if len(brotli_form) <= 0.95 * len(content):
            forms[".br"] = brotli_form
            forms[".gz"] = compressor.compress_gzip(content)
    # The plain file last: WhiteNoise and nginx look for the forms beside a file they find.
    for suffix in (".br", ".gz", ""):
        if suffix in forms:
            _write_atomically(path.with_name(path.name + suffix), forms[suffix])


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".publishing-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale(target: Path, current: set[str]) -> None:
    now = time.time()
    for path in target.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(target).as_posix()
        plain = name.removesuffix(".br").removesuffix(".gz")
        abandoned = path.name.startswith(".publishing-")
        superseded = HASHED_NAME.search(plain) and plain not in current
        if (abandoned or superseded) and now - path.stat().st_mtime > STALE_AFTER_SECONDS:
            path.unlink(missing_ok=True)


def init_static_files(app: Flask) -> None:
    """Publishes the static files, gives pages their hashed names and serves them compressed."""
    target = Path(app.config.get("STATIC_BUILD_ROOT") or Path(app.instance_path) / "static")
    names = publish_static(Path(app.static_folder), target)

    @app.url_defaults
    def hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    app.wsgi_app = _StaticFiles(
        app.wsgi_app,
        root=str(target),
        prefix=app.static_url_path,
        max_age=UNHASHED_MAX_AGE,
        immutable_file_test=HASHED_NAME.pattern,
        allow_all_origins=False,
        add_headers_function=_static_headers,
    )


class _StaticFiles(WhiteNoise):
    FOREVER = 365 * 24 * 3600  # a hashed name's lifetime: a year, as nginx's `expires max` says


def _static_headers(headers, _path: str, _url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
