"""The staff console in a real browser: a whole call by keyboard alone, with and without
JavaScript, the summary copied to the clipboard, and axe-core's WCAG 2.2 A and AA rules.

Run with ``pytest tests/browser`` (Chromium from Debian; see conftest.py). Every request a
page makes must go to the app's own address.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t

import pytest
from playwright.sync_api import expect

from .conftest import RequestLog
from .conftest import new_context

if t.TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page

    from .conftest import LiveServer

pytestmark = pytest.mark.browser

WIDE = {"width": 1400, "height": 1000}

SAFE_NUMBER = "07700 900123"

#: How far the keyboard may travel looking for one field before the test gives up.
MAX_TABS = 400


def incident_dates(count: int = 3) -> list[dt.date]:
    """Recent past dates whose day and month are the same number (9 September, 10 October...).

    A date input's segments follow the browser's locale (dd/mm/yyyy or mm/dd/yyyy); with
    day equal to month, the same keys type the same date in either.
    """
    today = dt.date.today()
    dates: list[dt.date] = []
    year, month = today.year, today.month
    while len(dates) < count:
        day = dt.date(year, month, month)
        if day < today:
            dates.append(day)
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return sorted(dates)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus.

    Fails if the keyboard cannot reach it, and checks on the way that every focused
    control shows that it has the focus (GOV.UK's yellow outline or box shadow).
    """
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
                const el = document.activeElement
                if (!el || el === document.body) return {found: false, visible: true, what: 'body'}
                const style = getComputedStyle(el)
                const shows = style.outlineStyle !== 'none' && style.outlineWidth !== '0px'
                  || style.boxShadow !== 'none'
                  || ['radio', 'checkbox'].includes(el.type)  // drawn on the label
                  // a date input's calendar button, which draws its own focus ring
                  || (el.type === 'date' && !el.matches(':focus'))
                return {found: el.matches(selector), visible: shows, what: el.outerHTML.slice(0, 120)}
            }""",
            selector,
        )
        assert state["visible"], f"no visible focus on {state['what']}"
        if state["found"]:
            return
    raise AssertionError(f"Tab never reached {selector}")


def fill_call_by_keyboard(page: Page) -> list[dt.date]:
    """Fill in a call from the top of the console with the keyboard alone.

    Safe contact: not safe to talk now, a safe number. Where: England. Relationship: former
    partner. Very frightened: yes. Three dated incidents, each with what happened, the
    behaviours and whether it caused fear of violence.
    """
    dates = incident_dates(3)
    # A radio group is one tab stop, on its checked radio ("Not asked"); the arrow keys
    # move round the group: left to "No", right (wrapping) to "Yes".
    tab_to(page, "input[name=safe_to_talk_now]:checked")
    page.keyboard.press("ArrowLeft")
    tab_to(page, "#safe_number")
    page.keyboard.type(SAFE_NUMBER)
    tab_to(page, "#q-place")
    page.keyboard.type("England")
    tab_to(page, "#q-relationship")
    page.keyboard.type("A former")
    tab_to(page, "input[name=very_frightened]:checked")
    page.keyboard.press("ArrowRight")
    behaviours = [["Following me"], ["Turning up at my home"], ["Following me", "Contacting me"]]
    for row, (day, chosen) in enumerate(zip(dates, behaviours, strict=True)):
        tab_to(page, f"#incidents-{row}-date")
        page.keyboard.type(f"{day.month:02d}{day.day:02d}{day.year}")
        tab_to(page, f"#incidents-{row}-what_happened")
        page.keyboard.type(f"Incident {row + 1} described by the caller")
        tab_to(page, f"#incidents-{row}-feared_violence")
        page.keyboard.type("Yes" if row else "No")
        for label in chosen:
            option_id = page.evaluate(
                """([row, label]) => [...document.querySelectorAll(`input[name="incidents-${row}-behaviours"]`)]
                    .find((input) => input.labels[0].textContent.trim().startsWith(label)).id""",
                [row, label],
            )
            tab_to(page, f"#{option_id}")
            page.keyboard.press("Space")
    return dates


def settled(page: Page) -> None:
    """Wait until the panel shows the assessment of every answer given so far."""
    expect(page.locator("#staff-summary")).to_have_value(re.compile("Occasions: 3"))
    expect(page.locator("#assessment")).not_to_have_attribute("aria-busy", "true")


def check_filled_in(page: Page, dates: list[dt.date]) -> None:
    assert page.locator("#q-place").input_value() == "england"
    assert page.locator("#q-relationship").input_value() == "former_partner"
    assert page.locator("#q-very_frightened").is_checked()
    for row, day in enumerate(dates):
        assert page.locator(f"#incidents-{row}-date").input_value() == day.isoformat()
    assert page.locator("#incidents-0-behaviours").is_checked()  # Following me
    assert page.locator("#safe_to_talk_now-no").is_checked()
    assert page.locator("#safe_number").input_value() == SAFE_NUMBER


@pytest.fixture
def call_context(browser: Browser, live_server: LiveServer, request_log: RequestLog) -> Iterator[BrowserContext]:
    """A wide screen that may use the clipboard, on the app's own address only."""
    context = new_context(browser, live_server, request_log, viewport=WIDE, locale="en-GB")
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    except Exception:  # noqa: BLE001 - a Chromium without clipboard permissions: the test falls back
        pass
    yield context
    context.close()
    assert request_log.foreign(live_server.netloc) == [], "a page asked another host for something"


@pytest.fixture
def call_page(call_context: BrowserContext) -> Iterator[Page]:
    errors: list[str] = []
    page = call_context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []


# -- a whole call -----------------------------------------------------------------------------------------


def test_a_whole_call_by_keyboard_with_javascript(call_page: Page, check_accessibility: t.Any) -> None:
    page = call_page
    page.goto("/staff/")
    assert "Nothing you type here is saved." in page.locator("main").inner_text()
    panel = page.locator("#assessment")
    assert "Nothing answered yet" in panel.inner_text()

    dates = fill_call_by_keyboard(page)
    check_filled_in(page, dates)

    # The panel has updated as the answers were given, without a page load, the new
    # risk level was announced, and the keyboard is still where it was.
    expect(panel.locator("[data-risk-level]")).to_have_attribute("data-risk-level", "High")
    settled(page)
    assert page.url.endswith("/staff/")
    expect(page.locator("#staff-announcer")).to_have_text("Risk level: High")
    assert page.evaluate("document.activeElement.name") == "incidents-2-behaviours"
    risk = panel.locator(".app-staff-risk")
    assert "Former partner after separation, and the caller is afraid" in risk.inner_text()
    assert "Decided the level on its own" in risk.inner_text()
    text = page.locator("#staff-summary").input_value()
    assert text.startswith("STALKING AND HARASSMENT CHECK")
    assert "RISK LEVEL: HIGH" in text
    assert f"Occasions: 3; first {dates[0].isoformat()}; latest {dates[-1].isoformat()}" in text
    # The safe-contact notes are in the summary.
    assert f"Safe number: {SAFE_NUMBER}" in text and "Safe to talk now: No" in text

    # "Add another incident" copies a row, and the keyboard lands in it.
    tab_to(page, "[data-add-row]")
    page.keyboard.press("Enter")
    assert page.locator("[data-incident-row]").count() == 4
    assert page.evaluate("document.activeElement.id") == "incidents-3-date"
    assert page.locator("#incidents-3-date").input_value() == ""
    assert not page.locator("#incidents-3-behaviours").is_checked()
    assert page.locator("input[name='incidents-rows']").input_value() == "4"
    expect(page.locator("#staff-announcer")).to_have_text("Incident 4 added")

    # Copy the summary, by keyboard.
    tab_to(page, "[data-copy-summary]")
    page.keyboard.press("Enter")
    expect(page.locator("#staff-announcer")).to_have_text(re.compile(r"^(Copied|.*press Ctrl\+C.*)$"))
    announced = page.locator("#staff-announcer").inner_text()
    expected = page.locator("#staff-summary").input_value()
    if announced == "Copied":
        assert page.evaluate("navigator.clipboard.readText()") == expected
    else:  # no clipboard here: the text is selected for Ctrl+C instead
        assert "press Ctrl+C" in announced
        assert page.evaluate("document.getSelection().toString() || document.activeElement.value") == expected

    check_accessibility(page)


def test_the_same_call_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto("/staff/")
    dates = fill_call_by_keyboard(page)

    # Without JavaScript, "Add another incident" posts the form and comes back with a row more,
    # the answers kept and the keyboard in the new row.
    tab_to(page, "[data-add-row]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-incident-row]").count() == 4
    assert page.evaluate("document.activeElement.id") == "incidents-3-date"
    check_filled_in(page, dates)

    # Then "Update the assessment" shows the result.
    tab_to(page, "#staff-update-end")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#assessment [data-risk-level]").get_attribute("data-risk-level") == "High"
    text = page.locator("#staff-summary").input_value()
    assert text.startswith("STALKING AND HARASSMENT CHECK") and "RISK LEVEL: HIGH" in text
    check_filled_in(page, dates)
    # The copy button needs JavaScript, so it is not offered; the text can still be selected.
    assert not page.locator("[data-copy-summary]").is_visible()
    assert page.locator("#staff-summary").is_visible()
    context.close()
    assert log.foreign(live_server.netloc) == []


def test_print_summary_opens_the_summary_on_its_own_page(call_page: Page, call_context: BrowserContext) -> None:
    page = call_page
    page.goto("/staff/")
    fill_call_by_keyboard(page)
    settled(page)
    expected = page.locator("#staff-summary").input_value()
    with call_context.expect_page() as opened:
        page.get_by_role("button", name=re.compile("^Print summary")).press("Enter")
    printed = opened.value
    printed.wait_for_load_state()
    assert printed.url.endswith("/staff/print")
    assert printed.locator("pre[data-summary]").inner_text().strip() == expected.strip()
    assert printed.locator("[data-print-page]").is_visible()
    printed.close()


# -- accessibility and small screens ---------------------------------------------------------------------------


def test_the_empty_console_is_accessible(call_page: Page, check_accessibility: t.Any) -> None:
    call_page.goto("/staff/")
    check_accessibility(call_page)


def test_the_filled_console_and_its_problems_are_accessible(
    call_page: Page, check_accessibility: t.Any
) -> None:
    page = call_page
    page.goto("/staff/")
    fill_call_by_keyboard(page)
    settled(page)
    check_accessibility(page)
    # With a problem, without JavaScript's help: the full page with its error summary.
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    page.locator("#q-first_incident_date").fill(future)
    with page.expect_navigation():
        page.evaluate("document.getElementById('staff-form').submit()")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "First incident: " in page.locator(".govuk-error-summary").inner_text()
    assert "is in the future" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)


def test_the_print_view_is_accessible(call_page: Page, call_context: BrowserContext,
                                      check_accessibility: t.Any) -> None:
    page = call_page
    page.goto("/staff/")
    fill_call_by_keyboard(page)
    settled(page)
    with call_context.expect_page() as opened:
        page.get_by_role("button", name=re.compile("^Print summary")).press("Enter")
    opened.value.wait_for_load_state()
    check_accessibility(opened.value)


@pytest.mark.parametrize("width", [320, 800])
def test_the_console_is_one_column_on_narrow_screens(browser: Browser, live_server: LiveServer, width: int) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto("/staff/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the console is wider than a {width}px screen"
    form_box = page.locator(".app-staff__form").bounding_box()
    panel_box = page.locator("#assessment").bounding_box()
    assert form_box and panel_box
    assert panel_box["y"] >= form_box["y"] + form_box["height"] - 1, "the panel goes under the form"
    context.close()
    assert log.foreign(live_server.netloc) == []


def test_the_panel_is_beside_the_form_and_stays_in_view_on_a_wide_screen(call_page: Page) -> None:
    page = call_page
    page.goto("/staff/")
    form_box = page.locator(".app-staff__form").bounding_box()
    panel_box = page.locator("#assessment").bounding_box()
    assert form_box and panel_box
    assert panel_box["x"] >= form_box["x"] + form_box["width"], "the panel is beside the form"
    page.evaluate("window.scrollTo(0, 4000)")
    top = page.locator("#assessment").bounding_box()
    assert top and 0 <= top["y"] < WIDE["height"], "the panel stays in view as the form scrolls"
