"""Whole journeys in a real browser: every question page, one at a time, to a result
(a page may show several related questions of one page group: each is filled in).

Each situation answers the questions it names and skips the rest, clicking through the
pages as a person would. The result page must show what the engine decides for the same
answers: the pages present the assessment, they never decide it.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t

import pytest

from benchmarks.journeys import PERSONAS

from .conftest import RequestLog
from .conftest import new_context

if t.TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import Page

    from .conftest import LiveServer

pytestmark = pytest.mark.browser

SITUATIONS: dict[str, dict[str, t.Any]] = {
    "a former partner stalking after separation, with fear of violence": {
        "in_immediate_danger": False,
        "place": "england",
        "target": "me",
        "relationship": "former_partner",
        "lived_together": True,
        "relationship_length": "over_12_months",
        "child_together": False,
        "separated_on": "2026-05-01",
        "same_person": True,
        "behaviours": ["following", "turning_up"],
        "occasions": 6,
        "first_incident_date": "2026-06-01",
        "last_incident_date": "2026-11-10",
        "told_to_stop": True,
        "alarmed_or_distressed": True,
        "distress_level": "serious",
        "fear_of_violence_occasions": 3,
        "daily_life_changes": ["changed_route_or_routine"],
        "very_frightened": True,
    },
    "one threatening message from someone known only online": {
        "in_immediate_danger": False,
        "place": "england",
        "target": "me",
        "relationship": "online_only",
        "behaviours": ["contacting"],
        "occasions": 1,
        "last_incident_date": "2026-11-01",
        "message_content": ["threat_of_death_or_serious_harm"],
        "sent_electronically": True,
        "meant_to_distress": True,
        "alarmed_or_distressed": True,
    },
    "a neighbour's harassment in Scotland": {
        "in_immediate_danger": False,
        "place": "scotland",
        "target": "me",
        "relationship": "neighbour",
        "behaviours": ["loitering", "watching_spying"],
        "occasions": 4,
    },
}
EXPECTED = {
    "a former partner stalking after separation, with fear of violence": {
        "pha-1997-s2a": "may_apply", "pha-1997-s4a": "may_apply", "pha-1997-s4": "may_apply"},
    "one threatening message from someone known only online": {"osa-2023-s181": "may_apply", "pha-1997-s2": "not_met"},
    "a neighbour's harassment in Scotland": {"pha-1997-s2": "not_met"},
}


def answer(page: Page, question: t.Any, value: t.Any, name: str = "answer", submit: bool = True) -> None:
    """Fill in one question's field the way a person would (a page of one question names
    it ``answer``; a page of several, ``answer-<question id>``), then Continue."""
    if question.type == "boolean":
        page.locator(f'input[name="{name}"][value="{"yes" if value else "no"}"]').check()
    elif question.type == "choice":
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    elif question.type == "multi_choice":
        for option in value:
            page.locator(f'input[name="{name}"][value="{option}"]').check()
    elif question.type == "date":
        day = dt.date.fromisoformat(value)
        page.locator(f'input[name="{name}-day"]').fill(str(day.day))
        page.locator(f'input[name="{name}-month"]').fill(str(day.month))
        page.locator(f'input[name="{name}-year"]').fill(str(day.year))
    else:
        page.locator(f'[name="{name}"]').fill(str(value))
    if submit:
        page.get_by_role("button", name="Continue").click()


def _fields_on(page: Page) -> list[str]:
    """The question ids of a page of several questions (their fields are answer-<id>); [] on a page of one."""
    names = page.locator('main [name^="answer-"]').evaluate_all("els => els.map(e => e.name)")
    return list(dict.fromkeys(re.sub(r"-(day|month|year)$", "", n).removeprefix("answer-") for n in names))


def _question_on(page: Page, live_server: LiveServer) -> str:
    """The question id behind the page's address: a token made from the session's
    own random value (web/state.py), read here from the browser's encrypted cookie."""
    from web import state

    app = live_server.app
    name = app.config["SESSION_COOKIE_NAME"]
    value = next(c["value"] for c in page.context.cookies(live_server.url) if c["name"] == name)
    salt = app.session_interface.get_signing_serializer(app).loads(value)[state.ADDRESS_KEY]  # type: ignore[attr-defined]
    token = page.url.rsplit("/questions/", 1)[1].split("?")[0]
    with app.test_request_context():
        return next(q.id for q in app.extensions["knowledge"].questions if state.question_token(q.id, salt) == token)


def walk(page: Page, live_server: LiveServer, answers: dict[str, t.Any]) -> list[str]:
    """Answer or skip every page from the first question to the result; return the ids asked."""
    knowledge = live_server.app.extensions["knowledge"]
    asked: list[str] = []
    page.goto("/")
    page.get_by_role("button", name=re.compile("Start")).click()
    for _ in range(200):
        page.wait_for_load_state()
        if "/check-your-answers" in page.url:
            page.get_by_role("button", name="See what this might mean").click()
            page.wait_for_load_state()
            return asked
        qid = _question_on(page, live_server)
        question = knowledge.question(qid)
        assert page.locator("h1").first.is_visible()
        on_page = _fields_on(page)
        if on_page:  # a page of several questions: fill in each one answered, leave the rest blank (skipped)
            asked.extend(on_page)
            for other in on_page:
                if answers.get(other) is not None:
                    answer(page, knowledge.question(other), answers[other], name=f"answer-{other}", submit=False)
            page.get_by_role("button", name="Continue").click()
            continue
        asked.append(qid)
        if qid in answers and question.type != "incidents":
            answer(page, question, answers[qid])
        elif page.get_by_role("button", name="Skip this question").count():
            page.get_by_role("button", name="Skip this question").click()
        else:  # the incidents list: leave it empty
            page.get_by_role("button", name="Continue").click()
    raise AssertionError("the questionnaire never reached check your answers")


@pytest.mark.parametrize("java_script", [True, False], ids=["with JavaScript", "without JavaScript"])
@pytest.mark.parametrize("situation", list(PERSONAS))
def test_a_whole_journey_reaches_the_engines_result(
    browser: Browser, live_server: LiveServer, situation: str, java_script: bool
) -> None:
    """Each persona of benchmarks/journeys.py, page by page, to the result the engine
    gives for the answers the pages actually asked for."""
    log = RequestLog()
    context = new_context(browser, live_server, log, java_script_enabled=java_script)
    page = context.new_page()
    answers = PERSONAS[situation]
    asked = walk(page, live_server, answers)
    assert "/result" in page.url
    kb = live_server.app.extensions["knowledge"]
    given = {q: answers[q] for q in asked if answers.get(q) is not None and kb.question(q).type != "incidents"}
    result = live_server.app.extensions["assessor"].assess(given).to_dict()
    text = " ".join(page.locator("main").inner_text().split())
    for p in result["offences"]:
        if p["status"] in ("may_apply", "borderline"):
            assert " ".join(p["title"].split()) in text, p["title"]
    assert "999" in page.locator("body").inner_text()
    for other in result["jurisdiction"]["other_law"]:
        assert other["title"] in text
    context.close()
    assert log.foreign(live_server.netloc) == [], "every request stays on the app's own host"


def test_a_page_of_several_questions_is_accessible_and_each_can_be_skipped(
    page: Page, live_server: LiveServer, check_accessibility: t.Any
) -> None:
    """A page group's page: one heading, a field per question with no answer chosen, axe
    clean; with an error in one field, the summary links to it and the page is still axe clean."""
    from web import flow

    from .test_pages import goto_question

    kb = live_server.app.extensions["knowledge"]
    opener, members = next((q, m) for q in flow.interview(kb, {}).worth_asking
                           if len(m := flow.page_questions(kb, {}, q)) > 1 and any(x.type == "date" for x in m))
    goto_question(page, live_server, opener.id)
    assert page.locator("main h1").count() == 1
    assert page.locator("main input:checked").count() == 0
    check_accessibility(page)
    date = next(m for m in members if m.type == "date")
    page.locator(f'input[name="answer-{date.id}-day"]').fill("31")
    page.locator(f'input[name="answer-{date.id}-month"]').fill("2")
    page.locator(f'input[name="answer-{date.id}-year"]').fill("2024")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible() and "Date must be a real date" in summary.inner_text()
    assert summary.locator(f'a[href="#answer-{date.id}-day"]').count() == 1
    check_accessibility(page)
    # Leaving every field empty skips them all: the person moves on.
    page.locator(f'input[name="answer-{date.id}-day"]').fill("")
    page.locator(f'input[name="answer-{date.id}-month"]').fill("")
    page.locator(f'input[name="answer-{date.id}-year"]').fill("")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 0


def test_a_follow_up_comes_after_the_question_that_opens_it(
    page: Page, live_server: LiveServer, check_accessibility: t.Any
) -> None:
    """A follow-up on the page of the question whose answer opens it: straight after that
    question, its hint saying which answer it needs; axe clean."""
    from web import flow

    from .test_pages import goto_question

    kb = live_server.app.extensions["knowledge"]
    found = next(((q, f) for q in flow.interview(kb, {}).worth_asking
                  if (f := flow.follow_ups(kb, {}, flow.page_questions(kb, {}, q)))), None)
    if found is None:
        pytest.skip("no page offered at the start has a follow-up")
    opener, following = found
    question_id, (gate_id, _) = next(iter(following.items()))
    goto_question(page, live_server, opener.id)
    names = page.locator('main [name^="answer-"]').evaluate_all("els => els.map(e => e.name)")
    fields = list(dict.fromkeys(re.sub(r"-(day|month|year)$", "", n) for n in names))
    assert fields.index(f"answer-{question_id}") == fields.index(f"answer-{gate_id}") + 1
    assert "Answer this only if you" in page.locator(f"#answer-{question_id}-hint").inner_text()
    check_accessibility(page)
