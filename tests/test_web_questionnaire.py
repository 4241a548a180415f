"""One question a page, check answers, the result and its print view.

The questions come from knowledge/, which changes; so these tests choose
questions by type ("a yes/no question that is always asked") rather than by id.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import typing as t

import pytest
from flask import Flask
from markupsafe import escape

from web import flow
from web import forms
from web import state

from .web_paths import question_id_of
from .web_paths import question_path

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient


def always_asked(kb: t.Any, kind: str) -> t.Any:
    """A question of this type that the interview offers before any answer."""
    return next(q for q in flow.interview(kb, {}).worth_asking if q.type == kind)


def token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, path
    return match.group(1)


def post(client: FlaskClient, question_id: str, **data: t.Any) -> t.Any:
    path = question_path(client, question_id)
    return client.post(path, data={"csrf_token": token(client, path), **data})


def answers(client: FlaskClient) -> dict[str, t.Any]:
    with client.session_transaction() as session:
        return dict(session.get(state.ANSWERS_KEY, {}))


def errors_shown(html: str) -> list[str]:
    summary = html[html.index("govuk-error-summary"):]
    return [m.strip() for m in re.findall(r'<a href="#[^"]+">\s*(.*?)\s*</a>', summary, re.S)]


def walk_to_the_end(client: FlaskClient) -> int:
    """Answer every question with a skip; return how many pages were shown."""
    location = client.get("/questions").headers["Location"]
    pages = 0
    while location.startswith("/questions/"):
        pages += 1
        question_id = question_id_of(client, location)
        assert question_id, location
        response = post(client, question_id, skip="1", action="continue")
        assert response.status_code == 303, question_id
        location = response.headers["Location"]
        assert pages < 200
    assert location == "/check-your-answers"
    return pages


# -- moving through the questions -------------------------------------------------------------------------


def test_start_goes_to_the_first_question(client: FlaskClient, kb: t.Any) -> None:
    first = flow.next_question(kb, {})
    response = client.get("/questions")
    assert response.status_code == 302
    assert response.headers["Location"] == question_path(client, first.id)


def test_the_question_is_the_page_heading(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "boolean")
    html = client.get(question_path(client, q.id)).get_data(as_text=True)
    heading = re.search(r"<legend[^>]*>\s*<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S)
    assert heading and heading.group(1) == escape(q.text)
    # The title (which browser history keeps) names the question's number and
    # section, not the question, so the history does not show which were asked.
    assert re.search(r"<title>Question \d+(: [^<]+)? – ", html)
    assert escape(q.text) not in html[html.index("<title>"):html.index("</title>")]
    assert "Why we ask this" in html


def test_question_addresses_name_no_question_and_differ_between_sessions(app: Flask, kb: t.Any) -> None:
    first, second = app.test_client(), app.test_client()
    q = flow.next_question(kb, {})
    one, two = question_path(first, q.id), question_path(second, q.id)
    assert one != two
    assert q.id not in one
    # Another session's address means nothing here: it leads to the first question.
    assert second.get(one).status_code == 302


def test_first_question_back_link_goes_to_start(client: FlaskClient, kb: t.Any) -> None:
    first = flow.next_question(kb, {})
    html = client.get(question_path(client, first.id)).get_data(as_text=True)
    assert re.search(r'href="/"\s+class="govuk-back-link"|class="govuk-back-link"\s+href="/"', html)


def test_answer_is_saved_and_next_question_follows(client: FlaskClient, kb: t.Any) -> None:
    first = flow.next_question(kb, {})
    response = post(client, first.id, **_some_answer(first))
    assert response.status_code == 303
    if response.headers["Location"] == "/your-safety":  # yes to the danger question
        response = post(client, first.id, answer="no")
    assert response.headers["Location"] == question_path(client, flow.next_question(kb, answers(client)).id)
    assert first.id in answers(client)
    # The next page's Back link returns to the question just answered.
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="{question_path(client, first.id)}"' in html


def test_back_goes_to_the_question_actually_asked_before(client: FlaskClient, kb: t.Any) -> None:
    shown = []
    location = client.get("/questions").headers["Location"]
    for _ in range(4):
        shown.append(question_id_of(client, location))
        location = post(client, shown[-1], skip="1").headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert f'href="{question_path(client, shown[-1])}" class="govuk-back-link"' in html
    html = client.get(question_path(client, shown[-1])).get_data(as_text=True)
    assert f'href="{question_path(client, shown[-2])}" class="govuk-back-link"' in html


def test_changing_an_answer_shows_it_again(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "boolean")
    post(client, q.id, answer="no")
    html = client.get(question_path(client, q.id)).get_data(as_text=True)
    assert re.search(r'value="no"\s+checked', html)


def test_skip_records_no_answer_and_moves_on(client: FlaskClient, kb: t.Any) -> None:
    q = flow.next_question(kb, {})
    response = post(client, q.id, skip="1")
    assert response.status_code == 303
    assert answers(client) == {q.id: None}


def test_every_question_can_be_reached_and_skipped(client: FlaskClient) -> None:
    assert walk_to_the_end(client) > 1


def test_an_unknown_address_goes_to_the_question_to_ask_now(client: FlaskClient) -> None:
    response = client.get("/questions/no_such_question")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/questions/")


def test_a_question_not_worth_asking_redirects(client: FlaskClient, kb: t.Any) -> None:
    worth = {q.id for q in flow.interview(kb, {}).worth_asking}
    other = next(q for q in kb.questions if q.id not in worth)
    response = client.get(question_path(client, other.id))
    assert response.status_code == 302


def test_answers_that_no_longer_matter_are_dropped_and_the_person_is_told(client: FlaskClient, kb: t.Any) -> None:
    """A former partner's separation date stops mattering once the person says it is a stranger."""
    for qid, value in [("in_immediate_danger", "no"), ("place", "england")]:
        post(client, qid, answer=value)
    post(client, "relationship", answer="former_partner")
    post(client, "separated_on", **{"answer-day": "1", "answer-month": "5", "answer-year": "2026"})
    assert "separated_on" in answers(client)
    response = post(client, "relationship", answer="stranger")
    assert "separated_on" not in answers(client)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Some answers were removed" in html
    assert escape(flow.find(kb, "separated_on").text) in html
    # Told once only.
    assert "Some answers were removed" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_relevant_drops_what_the_interview_ignores(kb: t.Any) -> None:
    given = {"relationship": "former_partner", "separated_on": "2026-05-01"}
    assert flow.relevant(kb, given) == (given, [])
    kept, dropped = flow.relevant(kb, {**given, "relationship": "stranger"})
    assert "separated_on" not in kept and dropped == ["separated_on"]


def test_yes_i_am_in_danger_interrupts_at_once(client: FlaskClient, kb: t.Any) -> None:
    danger = kb.meta.danger_question
    response = post(client, danger, answer="yes")
    assert response.headers["Location"] == "/your-safety"
    html = client.get("/your-safety").get_data(as_text=True)
    main = html[html.index('id="main-content"'):]
    assert 'href="tel:999"' in main and "55" in main
    assert 'href="/leave"' in main
    # Carrying on is offered, after the call and the exit.
    assert main.index("tel:999") < main.index("Carry on with the questions")
    assert main.index('href="/leave"') < main.index("Carry on with the questions")


def test_the_danger_page_is_only_for_someone_who_said_yes(client: FlaskClient) -> None:
    assert client.get("/your-safety").status_code == 302


# -- validation, type by type ----------------------------------------------------------------------------------


def test_boolean_needs_an_answer(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "boolean")
    response = post(client, q.id)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert errors_shown(html) == ["Select yes or no"]
    assert "<title>Error: " in html
    assert 'href="#answer"' in html and 'id="answer"' in html
    assert answers(client) == {}


def test_choice_rejects_an_unknown_option(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "choice")
    assert errors_shown(post(client, q.id, answer="not-an-option").get_data(as_text=True)) == ["Select one option"]


def test_multi_choice_keeps_option_order_and_rejects_exclusive_with_others(client: FlaskClient, kb: t.Any) -> None:
    q = next(q for q in kb.questions if q.type == "multi_choice" and q.ask_when is None
             and any(o.exclusive for o in q.options) and len(q.options) > 2)
    exclusive = next(o for o in q.options if o.exclusive)
    others = [o.id for o in q.options if not o.exclusive][:2]
    html = post(client, q.id, answer=[others[0], exclusive.id]).get_data(as_text=True)
    assert errors_shown(html) == [f"You cannot select ‘{exclusive.label}’ and another option".replace("’", "’")]
    assert post(client, q.id, answer=list(reversed(others))).status_code == 303
    assert answers(client)[q.id] == others


def test_multi_choice_needs_a_choice(client: FlaskClient, kb: t.Any) -> None:
    q = next(q for q in kb.questions if q.type == "multi_choice" and q.ask_when is None)
    html = post(client, q.id).get_data(as_text=True)
    assert errors_shown(html)[0].startswith("Select all that apply")


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "field"),
    [
        ("", "", "", "Enter the date", "answer-day"),
        ("3", "", "2024", "Date must include a month", "answer-month"),
        ("31", "2", "2024", "Date must be a real date", "answer-day"),
        ("1", "1", "24", "Year must include 4 numbers", "answer-year"),
        ("1", "1", "2999", "Date must be today or in the past", "answer-day"),
        ("x", "1", "2024", "Date must be a real date", "answer-day"),
    ],
)
def test_date_errors(client: FlaskClient, kb: t.Any, day: str, month: str, year: str, message: str, field: str) -> None:
    q = always_asked(kb, "date")
    html = post(client, q.id, **{"answer-day": day, "answer-month": month, "answer-year": year}).get_data(as_text=True)
    assert errors_shown(html) == [message]
    assert f'href="#{field}"' in html and f'id="{field}"' in html


def test_date_is_saved_as_iso_and_shown_again(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "date")
    assert post(client, q.id, **{"answer-day": "3", "answer-month": "Sept", "answer-year": "2024"}).status_code == 303
    assert answers(client)[q.id] == "2024-09-03"
    html = client.get(question_path(client, q.id)).get_data(as_text=True)
    assert 'name="answer-month" type="text" value="9"' in html or re.search(r'name="answer-month"[^>]*value="9"', html)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter a number"), ("two", "Enter a whole number, like 3"), ("1.5", "Enter a whole number, like 3"),
     ("-1", "Enter a whole number, like 3")],
)
def test_integer_errors(client: FlaskClient, kb: t.Any, typed: str, message: str) -> None:
    q = always_asked(kb, "integer")
    assert errors_shown(post(client, q.id, answer=typed).get_data(as_text=True)) == [message]


def test_integer_is_saved_as_a_number(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "integer")
    assert post(client, q.id, answer=" 1,200 ").status_code == 303
    assert answers(client)[q.id] == 1200


def test_text_answers_are_limited_in_length() -> None:
    from werkzeug.datastructures import MultiDict

    with pytest.raises(forms.FormError) as error:
        forms.parse("text", MultiDict({"answer": "x" * (forms.MAX_TEXT_LENGTH + 1)}), "answer")
    assert error.value.errors[0].message == f"Answer must be {forms.MAX_TEXT_LENGTH} characters or fewer"
    assert forms.parse("text", MultiDict({"answer": "  fine  "}), "answer") == "fine"


def test_an_answer_too_big_for_the_cookie_is_refused(client: FlaskClient, app: Flask, kb: t.Any) -> None:
    q = always_asked(kb, "boolean")
    with app.test_request_context():
        with pytest.raises(state.AnswersTooLarge):
            # Random text, which does not compress.
            state.save_answer(q.id, secrets.token_hex(3000))
    assert post(client, q.id, answer="yes").status_code == 303


# -- incidents (add another) ----------------------------------------------------------------------------------


@pytest.fixture
def incidents(kb: t.Any) -> t.Any:
    found = [q for q in kb.questions if q.type == "incidents" and q.ask_when is None]
    if not found:
        pytest.skip("no list question in the knowledge")
    return found[0]


def test_incidents_are_added_removed_and_kept_in_order(client: FlaskClient, incidents: t.Any) -> None:
    date = next(f for f in incidents.item_fields if f.type == "date")
    add = {f"item-{date.id}-day": "2", f"item-{date.id}-month": "9", f"item-{date.id}-year": "2024", "action": "add"}
    response = post(client, incidents.id, **add)
    assert response.status_code == 303
    assert response.headers["Location"] == question_path(client, incidents.id)
    post(client, incidents.id, **{**add, f"item-{date.id}-day": "9"})
    saved = answers(client)[incidents.id]
    assert [item[date.id] for item in saved] == ["2024-09-02", "2024-09-09"]
    html = client.get(question_path(client, incidents.id)).get_data(as_text=True)
    assert "2 September 2024" in html and "9 September 2024" in html
    post(client, incidents.id, action="remove-0")
    assert [item[date.id] for item in answers(client)[incidents.id]] == ["2024-09-09"]
    response = post(client, incidents.id, action="continue")
    assert response.status_code == 303
    assert response.headers["Location"] != question_path(client, incidents.id)


def test_incident_needs_its_required_fields(client: FlaskClient, incidents: t.Any) -> None:
    html = post(client, incidents.id, action="add").get_data(as_text=True)
    assert "Enter the date" in errors_shown(html)


def test_continue_with_no_incidents_records_none(client: FlaskClient, incidents: t.Any) -> None:
    assert post(client, incidents.id, action="continue").status_code == 303
    assert answers(client)[incidents.id] is None


def test_removing_a_missing_incident_is_a_bad_request(client: FlaskClient, incidents: t.Any) -> None:
    assert post(client, incidents.id, action="remove-7").status_code == 400


# -- check answers and the result ------------------------------------------------------------------------------


def test_check_answers_lists_every_answer_with_a_change_link(client: FlaskClient, kb: t.Any) -> None:
    walk_to_the_end(client)
    html = client.get("/check-your-answers").get_data(as_text=True)
    for q in kb.questions:
        if q.id in answers(client):
            assert f'href="{question_path(client, q.id)}"' in html
    assert "Not answered" in html
    assert 'action="/delete-my-answers"' in html


def test_check_answers_waits_for_unanswered_questions(client: FlaskClient, kb: t.Any) -> None:
    assert client.get("/check-your-answers").headers["Location"] == "/"
    first = flow.next_question(kb, {})
    post(client, first.id, skip="1")
    assert client.get("/check-your-answers").headers["Location"].startswith("/questions/")


def test_result_displays_the_engines_assessment(client: FlaskClient, app: Flask) -> None:
    walk_to_the_end(client)
    response = client.get("/result")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    expected = app.extensions["assessor"].assess({}).to_dict()
    assert escape(expected["notice"]) in html
    for offence in expected["offences"]:
        assert escape(offence["title"]) in html
    for service in expected["services"]:
        assert escape(service["name"]) in html
    assert f"Knowledge version {expected['knowledge_version']}" in html
    assert 'href="/result/print"' in html


def test_result_print_view_has_no_forms(client: FlaskClient) -> None:
    walk_to_the_end(client)
    html = client.get("/result/print").get_data(as_text=True)
    main = html[html.index('id="main-content"'):]
    assert "<form" not in main
    assert "What has been happening to me: a summary" in html


def test_result_without_answers_goes_to_start(client: FlaskClient) -> None:
    assert client.get("/result").headers["Location"] == "/"
    assert client.get("/result/print").headers["Location"] == "/"


def test_result_shows_danger_first_when_the_engine_says_so(client: FlaskClient, app: Flask, kb: t.Any) -> None:
    danger = kb.meta.danger_question
    post(client, danger, answer="yes")
    result = app.extensions["assessor"].assess({danger: True}).to_dict()
    assert result["safety"]["danger_now"] is True
    html = client.get("/result").get_data(as_text=True)
    main = html[html.index('id="main-content"'):]
    assert 'role="alert"' in main
    assert main.index(result["safety"]["emergency"]) < main.index("<h1")


def test_no_answer_ever_appears_in_a_url(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "integer")
    response = post(client, q.id, answer="4817")
    assert "4817" not in response.headers["Location"]
    walk_to_the_end(client)
    for path in ("/check-your-answers", "/result"):
        html = client.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:href|action)="([^"]*)"', html):
            assert "4817" not in url


def _some_answer(q: t.Any) -> dict[str, t.Any]:
    value = forms.values_for(q.type, forms.ANSWER, _value_of(q))
    return {key: values for key, values in value.items()}


def _value_of(q: t.Any) -> t.Any:
    if q.type == "boolean":
        return True
    if q.type == "choice":
        return q.options[0].id
    if q.type == "multi_choice":
        return [q.options[0].id]
    if q.type == "integer":
        return 2
    if q.type == "date":
        return (dt.date.today() - dt.timedelta(days=30)).isoformat()
    return "text"
