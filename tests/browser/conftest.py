"""A live server on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser, artifacts_dir, request):
    """Pages at a given screen size; on failure the screenshot and the trace are kept."""
    contexts = []
    elsewhere: list[str] = []

    def note_request(req) -> None:
        # Privacy: no page may call a third party (fonts, analytics, CDNs): only our server.
        host = urlsplit(req.url).hostname
        if req.url.split(":", 1)[0] in ("http", "https") and host != "127.0.0.1":
            elsewhere.append(req.url)

    def new_page(viewport: dict, *, locale: str = "fr-FR", **options):
        context = browser.new_context(
            viewport=viewport, locale=locale, has_touch=True, device_scale_factor=2, **options
        )
        context.on("request", note_request)
        # A test may close a context itself (twenty phones, one after the other).
        context.on("close", lambda closed: contexts.remove(closed))
        context.tracing.start(screenshots=True, snapshots=True)
        contexts.append(context)
        return context.new_page()

    yield new_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for index, context in enumerate(list(contexts)):
        name = f"{request.node.name}-{index}"
        if failed:
            for page in context.pages:
                page.screenshot(path=str(artifacts_dir / f"{name}-failure.png"), full_page=True)
            context.tracing.stop(path=str(artifacts_dir / f"{name}-trace.zip"))
        else:
            context.tracing.stop()
        context.close()
    assert elsewhere == [], "a page made requests to another host"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def teen_film(edition, make_participant):
    """Inès, confirmed with an account, and her film « Le couloir » with no version yet."""
    from festival.extensions import db
    from festival.films.models import FilmRole
    from festival.films.services import TeamEntry, create_film

    teen = make_participant(account=True, first_name="Inès", last_name="Dubois")
    film = create_film(
        edition,
        title="Le couloir",
        team=[TeamEntry(teen.id, FilmRole.DIRECTION)],
        created_by=teen.user,
    )
    db.session.commit()
    return teen, film
