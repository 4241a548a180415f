"""Every page in a real browser: accessibility, quick exit, no JavaScript, small screens.

Run with ``pytest tests/browser`` (Chromium from Debian; see conftest.py).
"""

from __future__ import annotations

import logging
import typing as t

import pytest

from app import EXIT_URL

from .conftest import EXIT_STUB_TEXT
from .conftest import RequestLog
from .conftest import every_question_skipped
from .conftest import new_context
from .conftest import seed_answers

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page

    from .conftest import LiveServer

pytestmark = pytest.mark.browser

INFORMATION_PAGES = ["/", "/privacy", "/leaving-quickly", "/accessibility", "/no-such-page"]


def goto_question(page: Page, live_server: LiveServer, question_id: str, answers: dict[str, t.Any] | None = None) -> str:
    """Open a question's page: question addresses are tokens made per session
    (web/state.py), so give the browser a session with a known value, then go."""
    from web import state

    app = live_server.app
    salt = "browser-test-salt"
    value = app.session_interface.get_signing_serializer(app).dumps(  # type: ignore[attr-defined]
        {"answers": answers or {}, state.ADDRESS_KEY: salt})
    page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": live_server.url}])
    with app.test_request_context():
        path = "/questions/" + state.question_token(question_id, salt)
    page.goto(path)
    return path


def knowledge(live_server: LiveServer) -> t.Any:
    return live_server.app.extensions["knowledge"]


def always_asked(live_server: LiveServer, kind: str) -> t.Any:
    """A question of this type with no "ask when": one shown alone on its page if there is one
    (on a page of several, an empty field is a skip, not an error)."""
    from web import flow

    kb = knowledge(live_server)
    candidates = [q for q in kb.questions if q.type == kind and q.ask_when is None]
    return next((q for q in candidates if len(flow.page_questions(kb, {}, q)) == 1), candidates[0])


def skip_to_check_answers(page: Page) -> None:
    """Skip every question, as a person in a hurry would."""
    page.goto("/questions")
    for _ in range(200):
        if "/check-your-answers" in page.url:
            return
        if page.get_by_role("button", name="Skip this question").count():
            page.get_by_role("button", name="Skip this question").click()
        else:  # the incidents page: leave the list empty
            page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    raise AssertionError("never reached check your answers")


# -- accessibility ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INFORMATION_PAGES)
def test_information_pages_are_accessible(
    page: Page, check_accessibility: t.Any, expected_console_errors: list[str], path: str
) -> None:
    expected_console_errors.append("status of 404")  # the not-found page's own status
    page.goto(path)
    check_accessibility(page)


@pytest.mark.parametrize("kind", ["boolean", "choice", "multi_choice", "date", "integer", "incidents"])
def test_each_kind_of_question_page_is_accessible(
    page: Page, live_server: LiveServer, check_accessibility: t.Any, kind: str
) -> None:
    candidates = [q for q in knowledge(live_server).questions if q.type == kind and q.ask_when is None]
    if not candidates:
        pytest.skip(f"no {kind} question is always asked")
    page.goto(f"/questions/{candidates[0].id}")
    check_accessibility(page)


@pytest.mark.parametrize("kind", ["boolean", "date", "integer"])
def test_question_pages_with_errors_are_accessible(
    page: Page, live_server: LiveServer, check_accessibility: t.Any, kind: str
) -> None:
    q = always_asked(live_server, kind)
    goto_question(page, live_server, q.id)
    own = page.locator(f'[name^="answer-{q.id}"]')
    if kind != "boolean" and own.count():  # a page of several questions, where an empty field is a skip
        own.first.fill("x")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    # GOV.UK Frontend moves focus to the error summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    check_accessibility(page)


def test_incidents_page_with_items_is_accessible(
    page: Page, live_server: LiveServer, check_accessibility: t.Any
) -> None:
    found = [q for q in knowledge(live_server).questions if q.type == "incidents" and q.ask_when is None]
    if not found:
        pytest.skip("no list question")
    goto_question(page, live_server, found[0].id)
    page.locator('input[name$="date-day"]').fill("2")
    page.locator('input[name$="date-month"]').fill("9")
    page.locator('input[name$="date-year"]').fill("2024")
    page.get_by_role("button", name="Add this incident").click()
    page.wait_for_load_state()
    assert page.get_by_text("2 September 2024").count() >= 1
    check_accessibility(page)


def test_skipping_every_question_reaches_check_answers(page: Page) -> None:
    skip_to_check_answers(page)
    assert page.get_by_role("heading", name="Check your answers").is_visible()


def test_check_answers_result_and_print_are_accessible(
    page: Page, context: BrowserContext, live_server: LiveServer, check_accessibility: t.Any
) -> None:
    seed_answers(context, live_server, every_question_skipped(live_server))
    page.goto("/check-your-answers")
    check_accessibility(page)
    page.get_by_role("button", name="See what this might mean").click()
    page.wait_for_load_state()
    assert "/result" in page.url
    check_accessibility(page)
    # Open every "Why we say this" so hidden content is checked too.
    for summary in page.locator("details summary").all():
        summary.click()
    check_accessibility(page)
    page.goto("/result/print")
    check_accessibility(page)


# -- Exit this page ------------------------------------------------------------------------------------------


def test_exit_button_leaves_for_the_neutral_site_and_back_does_not_return(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(EXIT_URL)
    assert page.get_by_text(EXIT_STUB_TEXT).is_visible()
    # location.replace swapped this site's entry for the exit site's, so Back
    # goes to whatever came before (here the blank first page), not to us.
    page.go_back()
    assert not page.url.startswith(live_server.url)


def test_pressing_shift_three_times_leaves(page: Page) -> None:
    page.goto("/privacy")
    with page.expect_response(lambda r: r.url.endswith("/leave")) as leaving:
        for _ in range(3):
            page.keyboard.press("Shift")
    assert leaving.value.status == 303
    try:
        page.wait_for_url(EXIT_URL)
        assert page.get_by_text(EXIT_STUB_TEXT).is_visible()
    except Exception as error:  # noqa: BLE001
        # Playwright lets the redirect's off-site hop after Shift x3 reach the
        # network (no route), which this machine does not have.
        assert "ERR_NAME_NOT_RESOLVED" in str(error), error


def test_exit_link_works_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, java_script_enabled=False)
    page = context.new_page()
    page.goto("/leaving-quickly")
    link = page.locator(".govuk-exit-this-page__button")
    # Through our own /leave, which deletes the answers, then on to the exit site.
    assert link.get_attribute("href") == "/leave"
    link.click()
    page.wait_for_url(EXIT_URL)
    assert page.get_by_text(EXIT_STUB_TEXT).is_visible()
    context.close()
    assert log.foreign(live_server.netloc) == []


# -- JavaScript ----------------------------------------------------------------------------------------------


def test_our_scripts_run_under_the_content_security_policy(page: Page) -> None:
    """init.js runs (components start) and nothing is blocked: the page
    fixture fails the test on any console error, CSP violations included."""
    page.goto("/")
    classes = page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    assert page.locator('[data-module="govuk-exit-this-page"][data-govuk-exit-this-page-init]').count() == 1


def test_questions_can_be_answered_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, java_script_enabled=False)
    page = context.new_page()
    q = always_asked(live_server, "boolean")
    page.goto(f"/questions/{q.id}")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert f"/questions/{q.id}" not in page.url
    page.goto("/privacy")
    page.get_by_role("button", name="Delete my answers").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your answers have been deleted.").is_visible()
    context.close()


# -- small screens -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*INFORMATION_PAGES, "/questions"])
def test_pages_fit_a_320px_screen(browser: Browser, live_server: LiveServer, path: str) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_result_fits_a_320px_screen(browser: Browser, live_server: LiveServer) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, viewport={"width": 320, "height": 640})
    seed_answers(context, live_server, every_question_skipped(live_server))
    page = context.new_page()
    for path in ("/check-your-answers", "/result", "/result/print"):
        page.goto(path)
        for summary in page.locator("details summary").all():
            summary.click()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
    context.close()


# -- privacy ---------------------------------------------------------------------------------------------------


def test_the_access_log_holds_paths_but_no_answers(
    page: Page, live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    q = always_asked(live_server, "integer")
    path = goto_question(page, live_server, q.id)
    page.get_by_label(q.text).fill("4817")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert f"POST {path}" in caplog.text  # the access log is on...
    assert "4817" not in caplog.text  # ...and holds no answer
    assert "4817" not in page.url
