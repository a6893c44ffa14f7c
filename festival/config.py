"""Settings from environment variables, one class per mode, safe defaults.

Every limit the product enforces lives here or on the edition, never as a literal in a view.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 - refused in production mode


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means: a SQLite file in the instance folder, filled in by create_app().
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # The address visitors use, e.g. https://festival.mediatheque.fr: every absolute URL (pages,
    # emails, PDFs, cards, feeds), in a request, a job or a command, is built from it, never from
    # the request's headers. Required in production; elsewhere the address `flask serve` serves.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(Path(__file__).resolve().parent.parent / "media"))

    # Email: the library's server (smtp://user:password@host:587?starttls=1, smtps://…); empty,
    # messages are written as .eml files to MAIL_OUTBOX_DIR (instance/outbox) and listed for staff.
    MAIL_URL = os.environ.get("MAIL_URL", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Un Trait Amateur <festival@mediatheque.example>")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", "")
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 30)

    # Event times (workshops, ceremony) are wall-clock times in the festival's time zone.
    FESTIVAL_TIMEZONE = os.environ.get("FESTIVAL_TIMEZONE", "Europe/Paris")

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = FESTIVAL_TIMEZONE
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # "Rester connecté·e" is a choice on the sign-in form, for two weeks at most.
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_int("REMEMBER_DAYS", 14))
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a roll call can stay open on a tablet for a whole workshop

    # Werkzeug's scrypt by default; tests use a cheap method to stay fast.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")

    # API tokens and sign-in
    API_TOKEN_TTL_HOURS = _env_int("API_TOKEN_TTL_HOURS", 24 * 30)
    LOGIN_CODE_TTL_DAYS = _env_int("LOGIN_CODE_TTL_DAYS", 30)
    # How long a "forgotten password" link works (and only until the password changes).
    PASSWORD_RESET_HOURS = _env_int("PASSWORD_RESET_HOURS", 2)
    # Reset messages one address may receive in an hour, however often the form is sent.
    PASSWORD_RESET_EMAILS_PER_HOUR = _env_int("PASSWORD_RESET_EMAILS_PER_HOUR", 3)
    # How long the link in an invitation to a new team account lets its owner choose a password.
    ACCOUNT_INVITATION_DAYS = _env_int("ACCOUNT_INVITATION_DAYS", 7)
    # How long the link sent to a guardian to give or withdraw the consents online stays valid.
    GUARDIAN_LINK_DAYS = _env_int("GUARDIAN_LINK_DAYS", 30)
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per minute;20 per hour")
    # Per address, loosely: a whole class signs in from the library's one public address.
    LOGIN_ADDRESS_LIMIT = os.environ.get("LOGIN_ADDRESS_LIMIT", "30 per minute;300 per hour")
    # Shared by every process (festival.limit_storage): Redis when the site has one, else a
    # SQLite file in the instance folder. Empty: chosen at start.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "")
    RATELIMIT_HEADERS_ENABLED = True

    # Privacy: personal data of an edition is purged this many months after its ceremony.
    PERSONAL_DATA_RETENTION_MONTHS = _env_int("PERSONAL_DATA_RETENTION_MONTHS", 12)
    # Where `flask backup` writes by default; the nightly purge deletes backups older than the
    # retention period there (they hold what the purge erased).
    BACKUP_DIR = os.environ.get("BACKUP_DIR", "")
    # The library's own town: the report gives the share of teens who live there.
    FESTIVAL_TOWN = os.environ.get("FESTIVAL_TOWN", "")
    # Who organises the festival, as search engines read it (schema.org `organizer`).
    LIBRARY_NAME = os.environ.get("LIBRARY_NAME", "")
    LIBRARY_URL = os.environ.get("LIBRARY_URL", "")

    # Films: uploads and processing
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 4 * 1024**3)  # Tus-Max-Size
    UPLOAD_QUOTA_BYTES = _env_int("UPLOAD_QUOTA_BYTES", 12 * 1024**3)  # per participant
    UPLOAD_EXPIRY_HOURS = _env_int("UPLOAD_EXPIRY_HOURS", 48)  # an abandoned upload is removed
    UPLOAD_READ_TIMEOUT_SECONDS = _env_int("UPLOAD_READ_TIMEOUT_SECONDS", 60)  # silent phone
    UPLOAD_OPEN_PER_FILM = _env_int("UPLOAD_OPEN_PER_FILM", 8)  # unfinished, per person and film
    # Every request body but a film's pieces (tus PATCH streams to disk): forms and stills are
    # small, and a huge body is refused before anything reads or stores it.
    MAX_CONTENT_LENGTH = _env_int("MAX_REQUEST_BYTES", 25 * 1024 * 1024)
    UPLOAD_CHUNK_BYTES = _env_int("UPLOAD_CHUNK_BYTES", 1024 * 1024)  # read from a body at a time
    # While a body streams in, the offset is saved this often, so a crash loses little.
    UPLOAD_OFFSET_SAVE_BYTES = _env_int("UPLOAD_OFFSET_SAVE_BYTES", 16 * 1024 * 1024)
    # The page sends the file in PATCHes of this size: small enough to resume cheaply on 3G.
    UPLOAD_CLIENT_CHUNK_BYTES = _env_int("UPLOAD_CLIENT_CHUNK_BYTES", 8 * 1024 * 1024)
    MAX_VIDEO_SIDE = _env_int("MAX_VIDEO_SIDE", 4096)
    # Films a participant may be credited on (created by her or her team), and in an edition.
    MAX_FILMS_PER_PARTICIPANT = _env_int("MAX_FILMS_PER_PARTICIPANT", 3)
    MAX_FILMS_PER_EDITION = _env_int("MAX_FILMS_PER_EDITION", 400)
    # Production hands media files to the web server: e.g. "/protected-media/" for nginx.
    MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", "")
    # The screening pack: every film normalised to this loudness (EBU R128), in LUFS.
    SCREENING_LOUDNESS_LUFS = float(os.environ.get("SCREENING_LOUDNESS_LUFS", "-23"))
    # Jobs: SQLite in the instance folder unless QUEUE_URL=redis://…
    QUEUE_URL = os.environ.get("QUEUE_URL", "")
    JOBS_SQLITE_PATH = os.environ.get("JOBS_SQLITE_PATH", "")
    JOBS_IMMEDIATE = False
    # A version's worker writes a sign of life every few seconds while it works on it; one
    # silent this long (stopped, killed, its machine gone) is taken over by another worker.
    PROCESSING_LEASE_SECONDS = _env_int("PROCESSING_LEASE_SECONDS", 60)
    # Encodes at the same time: one per two cores keeps the other core for pages and checks.
    ENCODE_WORKERS = _env_int("ENCODE_WORKERS", max(1, (os.cpu_count() or 2) // 2))

    # Public pages cache: each worker keeps a rendered page this long (seconds).
    CACHE_TYPE = "RedisCache" if os.environ.get("CACHE_REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    CACHE_DEFAULT_TIMEOUT = _env_int("PUBLIC_CACHE_SECONDS", 30)
    CACHE_KEY_PREFIX = "festival:"
    # Written when visitors' pages must be forgotten; every process of the machine reads it.
    CACHE_GENERATION_FILE = os.environ.get("CACHE_GENERATION_FILE", "")
    # Static files published with their content's hash in their names (festival.static_files):
    # empty, the instance's static/ folder. nginx may serve the same folder (README).
    STATIC_BUILD_ROOT = os.environ.get("STATIC_BUILD_ROOT", "")
    # Responses compressed for the browser (Flask-Compress): text only; media are compressed
    # already, and a page under 500 bytes gains nothing.
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/xml",
        "text/javascript", "application/javascript", "application/json",
        "application/ld+json", "application/geo+json", "application/xml", "application/rss+xml",
        "application/atom+xml", "image/svg+xml",
    ]  # fmt: skip
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "deflate"]
    # Browsers and proxies keep a public film image or video this long: a withdrawn consent
    # takes effect on every phone within it.
    PUBLIC_MEDIA_MAX_AGE = _env_int("PUBLIC_MEDIA_MAX_AGE", 300)

    # OpenAPI document generated by flask-smorest from the API's schemas.
    API_TITLE = "Un Trait Amateur"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    TESTING = False
    PRODUCTION = False
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    # X-Forwarded-* is read only from these peers (the proxy's own address); from anyone else
    # it is dropped, so a visitor cannot choose the address the app believes it has.
    TRUSTED_PROXY_ADDRESSES = tuple(
        a.strip()
        for a in os.environ.get("TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1").split(",")
        if a.strip()
    )


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    WTF_CSRF_ENABLED = True  # tests that need it off say so; CSRF refusal is itself tested
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - test speed only
    JOBS_IMMEDIATE = True
    CACHE_TYPE = "NullCache"  # each test sees its own changes at once
    CACHE_NO_NULL_WARNING = True


class ProductionConfig(Config):
    PRODUCTION = True
    # nginx in front (as documented) says the visitor's scheme and address in X-Forwarded-*;
    # this many proxies are trusted to set them. 0 when the app faces the network directly.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 1)
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(mode: str | None) -> type[Config]:
    mode = mode or os.environ.get("FESTIVAL_ENV", "development")
    try:
        return CONFIGS[mode]
    except KeyError:
        raise RuntimeError(
            f"FESTIVAL_ENV={mode!r} is unknown; use one of {', '.join(CONFIGS)}."
        ) from None
