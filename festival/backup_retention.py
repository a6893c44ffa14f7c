"""Where backups live, and how long: a backup holds personal data, so it may not outlive the
retention period (the nightly purge and `flask purge-personal-data` delete older ones)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app


def backup_folder() -> Path:
    """BACKUP_DIR, or `backups/` in the instance folder: where `flask backup` writes by
    default and where the retention purge looks."""
    configured = current_app.config.get("BACKUP_DIR") or ""
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def prune_old_backups(older_than: dt.datetime, folder: Path | None = None) -> list[Path]:
    """Delete the backups written before `older_than` (naive UTC): a backup holds the personal
    data the retention purge erased, so it may not outlive the retention period."""
    folder = folder or backup_folder()
    if not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.glob("festival-*.tar")):
        written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        if written < older_than:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
