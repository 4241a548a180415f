"""Fixtures for real-browser tests: the app on a loopback port, Debian's Chromium
driven by Playwright, axe-core, and a record of every request a page makes.

Chromium comes from Debian (/usr/bin/chromium; ``scripts/setup --browser``
installs it): Playwright's own browser download cannot work on these machines.
Nothing here reaches the network: the app is on 127.0.0.1, and the one outside
address a page may go to, the "Exit this page" site, is answered by a local stub.
"""

from __future__ import annotations

import threading
import typing as t
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from app import EXIT_URL
from app import create_app

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from flask import Flask
    from playwright.sync_api import Browser
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page
    from playwright.sync_api import Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: The WCAG 2.2 A and AA rules of axe-core.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: What the stub for the neutral exit site says, so a test can tell it arrived.
EXIT_STUB_TEXT = "Neutral exit page (test stub)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


class LiveServer:
    """The app served by Werkzeug on a free loopback port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.netloc = urlsplit(self.url).netloc
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer(create_app({"TESTING": True, "SECRET_KEY": "browser-tests"}))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: run scripts/setup --browser (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class RequestLog:
    """Every URL the pages of one context asked for, in order."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def foreign(self, own_netloc: str) -> list[str]:
        """Requests that went anywhere but the app (the exit stub excepted)."""
        return [
            url
            for url in self.urls
            if not url.startswith("data:") and urlsplit(url).netloc != own_netloc and not url.startswith(EXIT_URL)
        ]


def _answer_exit_site(route: Route) -> None:
    route.fulfill(
        status=200,
        content_type="text/html",
        body=f"<!doctype html><html lang='en'><title>Weather</title><h1>{EXIT_STUB_TEXT}</h1></html>",
    )


def _refuse_anything_else(route: Route) -> None:
    route.abort()


def new_context(browser: Browser, live_server: LiveServer, log: RequestLog, **options: t.Any) -> BrowserContext:
    """A fresh context (its own cookies) that records requests and never leaves this machine."""
    context = browser.new_context(base_url=live_server.url, **options)
    context.on("request", lambda request: log.urls.append(request.url))
    # Routes added later win: first refuse everything, then let the app through
    # and answer the exit site with a stub.
    context.route("**/*", _refuse_anything_else)
    context.route(f"{live_server.url}/**", lambda route: route.continue_())
    context.route(f"{EXIT_URL}**", _answer_exit_site)
    return context


def seed_answers(context: BrowserContext, live_server: LiveServer, answers: dict[str, t.Any]) -> None:
    """Give the browser a session cookie holding these answers, as the app would.

    Clicking through every question takes a browser many seconds; the journey
    itself is tested elsewhere, so pages further on can start from here.
    """
    app = live_server.app
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    value = serializer.dumps({"answers": answers, "_permanent": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live_server.url}])


def every_question_skipped(live_server: LiveServer) -> dict[str, t.Any]:
    """The answers of someone who skipped every question they were asked."""
    from web import flow

    kb = live_server.app.extensions["knowledge"]
    answers: dict[str, t.Any] = {}
    while (following := flow.next_question(kb, answers)) is not None:
        answers[following.id] = None
    return answers


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer, request_log: RequestLog) -> Iterator[BrowserContext]:
    ctx = new_context(browser, live_server, request_log)
    yield ctx
    ctx.close()
    assert request_log.foreign(live_server.netloc) == [], "a page asked another host for something"


@pytest.fixture
def expected_console_errors() -> list[str]:
    """Parts of console errors a test expects (a 404 page logs its own status)."""
    return []


@pytest.fixture
def page(context: BrowserContext, expected_console_errors: list[str]) -> Iterator[Page]:
    """A page whose console errors (a CSP violation, a script error) fail the test."""
    errors: list[str] = []
    pg = context.new_page()
    pg.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    pg.on("pageerror", lambda error: errors.append(str(error)))
    yield pg
    unexpected = [e for e in errors if not any(part in e for part in expected_console_errors)]
    assert unexpected == [], unexpected


@pytest.fixture(scope="session")
def axe() -> t.Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe: t.Any) -> t.Callable[[Page], None]:
    """Run axe-core's WCAG 2.2 A and AA rules on the page; fail with its report."""

    def check(pg: Page) -> None:
        results = axe.run(pg, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{pg.url}\n{results.generate_report()}"

    return check
