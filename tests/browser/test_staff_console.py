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

from app import EXIT_URL

from .conftest import EXIT_STUB_TEXT
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
    """Recent past dates, a week apart, the latest a week ago."""
    today = dt.date.today()
    return sorted(today - dt.timedelta(days=7 * (n + 1)) for n in range(count))


def typed(day: dt.date) -> str:
    """A date as a call-handler types it: day first, whatever the browser's locale."""
    return f"{day.day}/{day.month}/{day.year}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


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
        page.keyboard.type(typed(day))
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
    expect(page.locator("#staff-summary")).to_have_value(re.compile(r"\(3 occasions"))
    expect(page.locator("#assessment")).not_to_have_attribute("aria-busy", "true")


def check_filled_in(page: Page, dates: list[dt.date]) -> None:
    assert page.locator("#q-place").input_value() == "england"
    assert page.locator("#q-relationship").input_value() == "former_partner"
    assert page.locator("#q-very_frightened").is_checked()
    for row, day in enumerate(dates):
        assert page.locator(f"#incidents-{row}-date").input_value() == typed(day)
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
    assert text.startswith("CASE NOTE")
    assert "RISK LEVEL: High" in text
    first = long_date(dates[0]) if dates[0].year != dates[-1].year else f"{dates[0].day} {dates[0]:%B}"
    assert f"3 occasions, {first} to {long_date(dates[-1])}" in " ".join(text.split())
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
    assert text.startswith("CASE NOTE") and "RISK LEVEL: High" in text
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
    future = typed(dt.date.today() + dt.timedelta(days=3))
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


# -- issue 9: the helpline call in at most 200 keystrokes -------------------------------------------------------


class Keys:
    """The keyboard, counting every key pressed (a chord such as Alt+I counts as one)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.tabs = 0
        self.chords = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1
        self.tabs += key in ("Tab", "Shift+Tab")
        self.chords += "+" in key

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def tab_to(self, selector: str, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until the element has the focus, as a worker who knows the form would."""
        for _ in range(MAX_TABS):
            if self.page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.press("Shift+Tab" if backwards else "Tab")
        raise AssertionError(f"Tab never reached {selector}")


def months_ago(months: int) -> dt.date:
    today = dt.date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def test_the_issue_call_by_keyboard_in_at_most_200_keystrokes(call_page: Page, check_accessibility: t.Any) -> None:
    """Ex-partner, lived together two years, split three months ago, 30 texts a day, turned up
    at work twice and outside her flat, she fears he will hurt her, she changed her route."""
    page = call_page
    page.goto("/staff/")
    keys = Keys(page)
    separated = months_ago(3)
    visits = [(incident_dates(3)[0], "work", "turning_up"), (incident_dates(3)[1], "work", "turning_up"),
              (incident_dates(3)[2], "outside her flat", "loitering")]

    keys.press("Alt+d")                       # Safety: where
    keys.tab_to("#q-place")
    keys.type("e")                            # England
    keys.press("Alt+w")                       # Who
    keys.tab_to("#q-target")
    keys.type("m")                            # Me
    keys.tab_to("#q-relationship")
    keys.type("a")                            # A former partner
    keys.tab_to("input[name=lived_together]:checked")
    keys.press("ArrowRight")                  # Yes
    keys.tab_to("#q-relationship_length")
    keys.type("m")                            # More than a year
    keys.tab_to("#q-separated_on")
    keys.type(typed(separated))
    keys.press("Alt+h")                       # What happened: contacting, turning up, loitering
    for option in ("contacting", "turning_up", "loitering"):
        keys.tab_to(f"input[name=behaviours][value={option}]")
        keys.press("Space")
    for row, (day, where, behaviour) in enumerate(visits):
        keys.press("Alt+i")                   # the next empty incident row
        assert page.evaluate("document.activeElement.id") == f"incidents-{row}-date"
        keys.type(typed(day))
        keys.press("Tab")
        keys.type(where)
        keys.press("Tab")
        keys.type("y")                        # made her fear violence: Yes
        keys.tab_to(f"input[name=incidents-{row}-behaviours][value={behaviour}]")
        keys.press("Space")
    keys.press("Alt+l")                       # Effects: she changed her route
    keys.tab_to("input[name=daily_life_changes][value=changed_route_or_routine]")
    keys.press("Space")
    keys.press("Alt+r")                       # Risk: very frightened
    keys.tab_to("input[name=very_frightened]:checked", backwards=True)
    keys.press("ArrowRight")                  # Yes
    keys.press("Alt+t")                       # Notes
    keys.type("About 30 texts a day.")

    print(f"\nissue 9 call: {keys.count} keystrokes ({keys.tabs} Tab, {keys.chords} Alt+key)")
    assert keys.count <= 200

    panel = page.locator("#assessment")
    expect(panel.locator("[data-risk-level]")).to_have_attribute("data-risk-level", "High")
    expect(page.locator("#staff-summary")).to_have_value(re.compile("About 30 texts a day"))
    expect(panel).not_to_have_attribute("aria-busy", "true")
    note = page.locator("#staff-summary").input_value()
    flat = " ".join(note.split())
    print(f"issue 9 case note: {len(note.splitlines())} lines, {len(note.split())} words\n{note}")
    assert len(note.splitlines()) <= 45
    assert flat.count("RISK LEVEL: High") == 1 and "HIGH" not in flat
    assert "decided by: Former partner after separation, and the caller is afraid" in flat
    assert "Relationship: former partner" in flat and "Lived together: yes" in flat
    assert f"Separated on: {long_date(separated)}" in flat
    for day, where, _ in visits:
        assert f"- {long_date(day)}: {where}" in flat
    assert "Changes to daily life: changed route or routine" in flat
    assert "CALL-HANDLER'S NOTES About 30 texts a day." in flat
    assert not re.search(r"\b(you|your)\b", note, re.I), "a case note speaks of the caller, not to them"
    check_accessibility(page)


def test_questions_worth_asking_are_marked_and_follow_the_answers(call_page: Page) -> None:
    page = call_page
    page.goto("/staff/")
    danger = page.locator("[data-question=in_immediate_danger] [data-worth]")
    expect(danger).to_be_visible()
    assert page.locator("#staff-next").get_attribute("data-worth-asking").split()[0] == "in_immediate_danger"
    page.locator("#q-in_immediate_danger-no").check()
    expect(danger).to_be_hidden()  # answered: no longer worth asking
    # Alt+N goes to the next question worth asking.
    page.keyboard.press("Alt+n")
    first = page.locator("#staff-next").get_attribute("data-worth-asking").split()[0]
    assert page.evaluate("document.activeElement.closest('[data-question]').dataset.question") == first


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "de-DE"])
def test_dates_are_day_first_in_any_browser_locale(browser: Browser, live_server: LiveServer, locale: str) -> None:
    log = RequestLog()
    context = new_context(browser, live_server, log, viewport=WIDE, locale=locale)
    page = context.new_page()
    page.goto("/staff/")
    page.locator("#q-first_incident_date").fill("1/2/2026")
    page.locator("#incidents-0-date").fill("01 02 2026")
    page.locator("#incidents-0-behaviours").check()
    expect(page.locator("#staff-summary")).to_have_value(re.compile(r"- 1 February 2026: following"))
    context.close()
    assert log.foreign(live_server.netloc) == []


def test_a_long_note_is_kept_whole_and_a_too_long_one_is_refused(call_page: Page, check_accessibility: t.Any) -> None:
    page = call_page
    page.goto("/staff/")
    page.locator("#q-place").select_option("england")
    words = " ".join(f"word{n}" for n in range(400))[:2000]
    page.locator("#call_notes").fill(words)
    expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
    expect(page.locator("#staff-summary")).to_have_value(re.compile("word1 "))
    note = page.locator("#staff-summary").input_value()
    kept = " ".join(note.split("CALL-HANDLER'S NOTES", 1)[1].split())
    assert kept == words, "the note is cut or changed"
    check_accessibility(page)
    page.locator("#call_notes").fill("x" * 10_001)
    expect(page.locator(".govuk-character-count__status")).to_contain_text("1 character too many")
    expect(page.locator("#assessment [data-problems]")).to_contain_text("10,000 characters or fewer")
    assert page.locator("#call_notes").input_value() == "x" * 10_001  # nothing cut


def test_exit_asks_before_discarding_a_call_and_back_shows_no_answers(call_page: Page) -> None:
    page = call_page
    page.goto("/")
    page.goto("/staff/")
    page.locator("#safe_number").fill(SAFE_NUMBER)
    page.locator("#q-relationship").select_option("former_partner")
    asked: list[str] = []

    def dismiss(dialog: t.Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator(".govuk-exit-this-page__button").click()
    assert asked and "call" in asked[0]
    assert page.url.endswith("/staff/") and page.locator("#safe_number").input_value() == SAFE_NUMBER

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".govuk-exit-this-page__button").click()
    page.wait_for_url(EXIT_URL)
    assert page.get_by_text(EXIT_STUB_TEXT).is_visible()
    page.go_back()
    page.wait_for_load_state()
    assert SAFE_NUMBER not in page.content()
    if page.url.endswith("/staff/"):
        assert page.locator("#safe_number").input_value() == ""
        assert page.locator("#q-relationship").input_value() == ""


def test_shift_three_times_asks_first_during_a_call(call_page: Page) -> None:
    page = call_page
    page.goto("/staff/")
    page.locator("#safe_number").fill(SAFE_NUMBER)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("main h1").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert len(asked) == 1
    assert page.url.endswith("/staff/") and page.locator("#safe_number").input_value() == SAFE_NUMBER


def test_quick_exit_keys_can_be_turned_off_for_staff(browser: Browser) -> None:
    from app import create_app

    from .conftest import LiveServer as Server

    server = Server(create_app({"TESTING": True, "SECRET_KEY": "keys-off", "STAFF_QUICK_EXIT_KEYS": "false"}))
    server.start()
    try:
        log = RequestLog()
        context = new_context(browser, server, log, viewport=WIDE)
        page = context.new_page()
        asked: list[str] = []
        page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.goto("/staff/")
        assert page.locator("#staff-form").get_attribute("data-quick-exit-keys") == "false"
        page.locator("main h1").click()
        for _ in range(4):
            page.keyboard.press("Shift")
        page.wait_for_timeout(300)
        assert asked == [] and page.url.endswith("/staff/")
        assert page.locator(".govuk-exit-this-page__button").is_visible()  # the button stays
        context.close()
    finally:
        server.stop()
