"""Rate-limit counters every process of the machine shares, with nothing to install.

The `limits` library keeps counters in memory by default: with three gunicorn processes, every
sign-in limit was tripled. Redis is used when the site has one; otherwise this storage keeps
the counters in a small SQLite file of the instance folder (WAL, one upsert per hit).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

SCHEME = "festival-sqlite"


class SharedFileStorage(Storage):
    """Fixed-window counters in SQLite: `festival-sqlite:///path/to/limits.sqlite3`."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions, **options)
        path = (uri or "").split("://", 1)[1]
        self.path = "/" + path.lstrip("/") if path.startswith("/") else path
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        # One connection per thread and process: a forked gunicorn worker opens its own.
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA busy_timeout=5000")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at REAL NOT NULL)"
            )
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        (count,) = (
            self._db()
            .execute(
                "INSERT INTO counters (key, count, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET "
                "count = CASE WHEN expires_at <= ? THEN excluded.count "
                "ELSE count + excluded.count END, "
                "expires_at = CASE WHEN expires_at <= ? THEN excluded.expires_at "
                "ELSE expires_at END "
                "RETURNING count",
                (key, amount, now + expiry, now, now),
            )
            .fetchone()
        )
        return int(count)

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute(
                "SELECT count FROM counters WHERE key = ? AND expires_at > ?", (key, time.time())
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._db().execute("SELECT expires_at FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row and row[0] > now else now

    def check(self) -> bool:
        return self._db().execute("SELECT 1").fetchone() == (1,)

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))


def storage_uri(config: dict, instance_path: str) -> str:
    """Where counters live: RATELIMIT_STORAGE_URI when set, Redis when the site has one, else
    the shared file of the instance folder."""
    configured = config.get("RATELIMIT_STORAGE_URI")
    if configured:
        return configured
    for key in ("QUEUE_URL", "CACHE_REDIS_URL"):
        if str(config.get(key) or "").startswith("redis"):
            return config[key]
    return f"{SCHEME}:///{os.path.join(instance_path, 'limits.sqlite3')}"
