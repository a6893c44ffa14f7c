"""`make rehearsal`: a whole season against the real server, as its users would live it.

The server is started as `make run` starts it (`flask serve`: gunicorn and its job worker) on a
fresh database — SQLite in a folder of its own, or the DATABASE_URL given (PostgreSQL gets a
schema of its own) — with mail going to a real SMTP server on 127.0.0.1 that the rehearsal
reads like the families do. Every person is an HTTP client of their own, each phone with its
own address (X-Forwarded-For, as the library's proxy sets it).

Each phase prints a progress bar; the end prints a summary table (what was done, what was
checked, p50/p95 latencies) and the exit status is 1 on any loss or mismatch.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.rehearsal.season import Sizes, rehearse  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the CI form: a few teens, 50 phones")
    parser.add_argument("--imported", type=int, help="teens imported from the spreadsheet")
    parser.add_argument("--online", type=int, help="teens registering online")
    parser.add_argument("--films", type=int, help="films uploaded through tus")
    parser.add_argument("--phones", type=int, help="phones in the hall during the vote")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    sizes = Sizes.short() if args.short else Sizes()
    for name in ("imported", "online", "films", "phones"):
        if getattr(args, name) is not None:
            setattr(sizes, name, getattr(args, name))
    work = Path(tempfile.mkdtemp(prefix="festival-rehearsal-"))
    work.chmod(0o755)
    ok = rehearse(
        sizes,
        work,
        database_url=os.environ.get("DATABASE_URL", ""),
        redis_url=os.environ.get("REDIS_URL", ""),
    )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"Work folder kept: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
