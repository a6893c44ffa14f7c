"""What a phone on a weak connection downloads: `make bench-phone`.

Starts `flask serve` as `make run` does (the demo loaded), then opens the home page, the
programme and a film page in Debian's Chromium at phone size with Chrome's « Slow 3G » profile
(2 s of latency, 50 KB/s down), twice each: a first visit (empty cache) and a visit the next
day (the cache kept). Prints the bytes that crossed the network (videos excluded: the player
asks for them only when pressed, `preload="none"`) and the time to the page's `load`, then
Lighthouse's mobile performance score for each page (`make bench-phone` installs Lighthouse
12 with npm in ~/.cache/festival-bench/lighthouse; it is not a dependency of the app).
Targets: the film page's first visit ≤ 100 KiB before the video; Lighthouse ≥ 95; CLS < 0.05.

`--root DIR` serves another checkout (a `git worktree` of an older commit) with this one's
virtualenv: the figures before and after a change, measured in the same way.
`--phone-films` loads the demo with films at a phone's size and grain (1920x1080): the demo's
own 640x360 test patterns make stills and posters far lighter than real films' (a minute more).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.common import make_run_server  # noqa: E402

# Chrome DevTools' « Slow 3G »: 400 ms round trip × 5, 500 kbit/s × 0.8 each way.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
PHONE = {"width": 390, "height": 844}
FILM_PAGE_TARGET_KIB = 100
LIGHTHOUSE_TARGET = 95
# Where `make bench-phone` installs Lighthouse (npm, Node 20: version 12; not a dependency).
LIGHTHOUSE = Path.home() / ".cache" / "festival-bench" / "lighthouse"


def film_page_addresses(base: str) -> list[str]:
    """The film pages of the demo's programme that play their film (with a poster): portrait
    and landscape films alike."""
    import requests

    programme = requests.get(f"{base}/programme", timeout=60).text
    paths = [
        path
        for path in dict.fromkeys(re.findall(r'href="(/programme/\d+/films/\d+)"', programme))
        if "<video" in requests.get(f"{base}{path}", timeout=60).text
    ]
    if not paths:
        raise SystemExit("no film page of the demo's programme plays its film")
    return paths


def weigh(base: str, paths: list[str]) -> dict[str, dict[str, tuple[int, float]]]:
    """{path: {"first": (bytes, seconds), "again": (bytes, seconds)}} on slow 3G."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, dict[str, tuple[int, float]]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        for path in paths:
            context = browser.new_context(
                viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            received: dict[str, int] = {}
            videos: set[str] = set()

            def on_response(event, videos=videos):
                if event["response"]["mimeType"].startswith("video/"):
                    videos.add(event["requestId"])

            def on_finished(event, received=received):
                received[event["requestId"]] = event["encodedDataLength"]

            cdp.on("Network.responseReceived", on_response)
            cdp.on("Network.loadingFinished", on_finished)
            figures[path] = {}
            for visit in ("first", "again"):
                received.clear()
                page.goto(f"{base}{path}", wait_until="load", timeout=180_000)
                page.wait_for_timeout(500)  # late requests (fonts, scripts deferred)
                seconds = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return (n.loadEventEnd - n.startTime) / 1000; }"
                )
                weight = sum(size for rid, size in received.items() if rid not in videos)
                figures[path][visit] = (weight, seconds)
            context.close()
        browser.close()
    return figures


CLS_TARGET = 0.05


def lighthouse_scores(base: str, paths: list[str], folder: Path) -> dict[str, tuple[int, float]]:
    """{path: (mobile performance score, cumulative layout shift)}."""
    binary = folder / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return {}
    scores = {}
    for path in paths:
        # Headless Chrome now and then records no trace (NO_NAVSTART): asked again once.
        for attempt in range(2):
            out = subprocess.run(
                [
                    str(binary), f"{base}{path}", "--only-categories=performance",
                    "--output=json", "--quiet", "--chrome-flags=--headless=new --no-sandbox",
                ],
                env=dict(os.environ, CHROME_PATH=shutil.which("chromium") or "chromium"),
                capture_output=True, text=True, check=False, timeout=300,
            )  # fmt: skip
            if out.returncode == 0:
                break
            print(f"  Lighthouse failed on {path} (try {attempt + 1}): {out.stderr.strip()[-200:]}")
        if out.returncode != 0:
            continue
        report = json.loads(out.stdout)
        scores[path] = (
            round(report["categories"]["performance"]["score"] * 100),
            report["audits"]["cumulative-layout-shift"]["numericValue"],
        )
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument(
        "--lighthouse", type=Path, default=LIGHTHOUSE, help="folder where npm installed it"
    )
    parser.add_argument(
        "--phone-films", action="store_true", help="the demo's films at 1920x1080 with grain"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="festival-phone-"))
    demo = ("--phone-films",) if args.phone_films else ()
    try:
        with make_run_server(args.root.resolve(), work, settle=2.0, demo_options=demo) as base:
            film_pages = film_page_addresses(base)
            paths = ["/", "/programme", *film_pages]
            figures = weigh(base, paths)
            scores = lighthouse_scores(base, paths, args.lighthouse)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    films = "films at 1920x1080 with grain" if args.phone_films else "the demo's 640x360 films"
    print(f"A phone on slow 3G (2 s latency, 50 KB/s), {args.root.resolve().name}, {films}:")
    for path in paths:
        first_bytes, first_seconds = figures[path]["first"]
        again_bytes, again_seconds = figures[path]["again"]
        score = (
            f"   Lighthouse {scores[path][0]}, CLS {scores[path][1]:.3f}" if path in scores else ""
        )
        print(
            f"  {path:<28} first visit {first_bytes / 1024:6.1f} KiB {first_seconds:5.1f} s   "
            f"next visit {again_bytes / 1024:6.1f} KiB {again_seconds:5.1f} s{score}"
        )
    film = max(figures[path]["first"][0] for path in film_pages) / 1024
    met = "met" if film <= FILM_PAGE_TARGET_KIB else "MISSED"
    print(
        f"Film pages, heaviest first visit: {film:.1f} KiB "
        f"(target <= {FILM_PAGE_TARGET_KIB}: {met})"
    )
    if scores:
        low = min(score for score, _shift in scores.values())
        print(f"Lighthouse, lowest: {low} (target >= {LIGHTHOUSE_TARGET}: "
              f"{'met' if low >= LIGHTHOUSE_TARGET else 'MISSED'})")  # fmt: skip
        shift = max(shift for _score, shift in scores.values())
        print(f"Layout shift, highest: {shift:.3f} (target < {CLS_TARGET}: "
              f"{'met' if shift < CLS_TARGET else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    main()
