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
    """A question of this type that the interview offers before any answer: one shown alone
    on its page if there is one (a page of several names its fields differently)."""
    offered = [q for q in flow.interview(kb, {}).worth_asking if q.type == kind]
    return next((q for q in offered if len(flow.page_questions(kb, {}, q)) == 1), offered[0])


def token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, path
    return match.group(1)


def field_of(client: FlaskClient, question_id: str) -> str:
    """The question's input name on its page: ``answer`` alone, ``answer-<id>`` on a page of several."""
    html = client.get(question_path(client, question_id)).get_data(as_text=True)
    return forms.field_name(question_id) if f'name="{forms.field_name(question_id)}' in html else forms.ANSWER


def post(client: FlaskClient, question_id: str, **data: t.Any) -> t.Any:
    """Post to the question's page; ``answer`` fields go to this question's own field
    when its page shows several questions."""
    path = question_path(client, question_id)
    name = field_of(client, question_id)
    own = {forms.ANSWER, *(f"{forms.ANSWER}-{part}" for part in ("day", "month", "year"))}
    data = {(name + key[len(forms.ANSWER):] if key in own else key): value for key, value in data.items()}
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
    assert answers(client) == {m.id: None for m in flow.page_questions(kb, {}, q)}


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
    """A former partner's separation date stops mattering once the person says it is a stranger.

    The date matters only for conduct before 5 April 2023 (SCA 2015 s.76 as it then stood), so
    the incidents given are from 2022; with recent conduct it is never asked."""
    for qid, value in [("in_immediate_danger", "no"), ("place", "england")]:
        post(client, qid, answer=value)
    post(client, "relationship", answer="former_partner")
    with client.session_transaction() as session:
        session[state.ANSWERS_KEY] = {**session[state.ANSWERS_KEY], "occasions": 5,
                                      "first_incident_date": "2022-01-10", "last_incident_date": "2023-01-10"}
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
    q = next(q for q in kb.questions if q.type == "multi_choice" and q.ask_when is None and not q.page)
    html = post(client, q.id).get_data(as_text=True)
    assert errors_shown(html)[0].startswith("Select all that apply")


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "field"),
    [
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
    name = field_of(client, q.id) + field[len("answer"):]
    assert f'href="#{name}"' in html and f'id="{name}"' in html


def test_an_empty_answer_alone_on_its_page_is_an_error() -> None:
    """On a page of one question, Continue with nothing given asks for an answer (Skip skips);
    on a page of several, an empty field is that question skipped (see the group tests)."""
    from werkzeug.datastructures import MultiDict

    for kind, message in [("date", "Enter the date"), ("integer", "Enter a number"), ("boolean", "Select yes or no")]:
        with pytest.raises(forms.FormError) as error:
            forms.parse(kind, MultiDict({}), "answer")
        assert error.value.errors[0].message == message


def test_date_is_saved_as_iso_and_shown_again(client: FlaskClient, kb: t.Any) -> None:
    q = always_asked(kb, "date")
    assert post(client, q.id, **{"answer-day": "3", "answer-month": "Sept", "answer-year": "2024"}).status_code == 303
    assert answers(client)[q.id] == "2024-09-03"
    html = client.get(question_path(client, q.id)).get_data(as_text=True)
    assert re.search(rf'name="{field_of(client, q.id)}-month"[^>]*value="9"', html)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("two", "Enter a whole number, like 3"), ("1.5", "Enter a whole number, like 3"),
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


# -- a page of several questions (page groups) -----------------------------------------------------------------


@pytest.fixture
def group(kb: t.Any) -> tuple[t.Any, list[t.Any]]:
    """A page of several questions offered before any answer, with a date among them:
    the question whose address opens it, and the questions it shows."""
    for q in flow.interview(kb, {}).worth_asking:
        members = flow.page_questions(kb, {}, q)
        if len(members) > 1 and any(m.type == "date" for m in members):
            return q, members
    pytest.skip("no page group with a date is offered at the start")


def _group_data(members: list[t.Any], leave_out: str = "") -> dict[str, t.Any]:
    data: dict[str, t.Any] = {}
    for m in members:
        if m.id != leave_out:
            data.update(forms.values_for(m.type, forms.field_name(m.id), _value_of(m)))
    return data


def test_a_group_page_shows_each_question_with_its_own_field_and_no_default(client: FlaskClient, kb: t.Any,
                                                                          group: t.Any) -> None:
    opener, members = group
    html = client.get(question_path(client, opener.id)).get_data(as_text=True)
    main = html[html.index('id="main-content"'):]
    section = next(s.title for s in kb.sections if s.id == opener.section)
    assert re.search(rf"<h1 class=\"govuk-heading-l\">\s*{re.escape(str(escape(section)))}\s*</h1>", main)
    assert main.count("<h1") == 1
    positions = [main.index(str(escape(m.text))) for m in members]
    assert positions == sorted(positions), "the questions follow the knowledge's order"
    for m in members:
        assert f'name="{forms.field_name(m.id)}' in main
    assert main.count("Why we ask this") == sum(1 for m in members if m.why)
    assert "checked" not in main, "no answer is chosen for the person"
    assert "Leave a question blank to skip it" in main
    assert re.search(r"<title>Question \d+: ", html)
    # Every question on the page is one the interview would ask now; the danger question never is.
    worth = {q.id for q in flow.interview(kb, {}).worth_asking}
    assert {m.id for m in members} <= worth
    assert kb.meta.danger_question not in {m.id for m in members}


def test_a_group_page_saves_every_answer_and_records_each_as_shown(client: FlaskClient, kb: t.Any,
                                                                 group: t.Any) -> None:
    opener, members = group
    response = post(client, opener.id, **_group_data(members))
    assert response.status_code == 303
    saved = answers(client)
    for m in members:
        assert m.id in saved and saved[m.id] is not None, m.id
    with client.session_transaction() as session:
        asked = list(session[state.ASKED_KEY])
    assert asked[0] == opener.id and sorted(asked) == sorted(m.id for m in members)


def test_an_empty_field_on_a_group_page_is_that_question_skipped(client: FlaskClient, group: t.Any) -> None:
    opener, members = group
    skipped = next(m for m in members if m.type == "boolean") if any(m.type == "boolean" for m in members) else members[-1]
    assert post(client, opener.id, **_group_data(members, leave_out=skipped.id)).status_code == 303
    saved = answers(client)
    assert skipped.id in saved and saved[skipped.id] is None, "skipped, never a wrong 'no'"
    assert all(saved[m.id] is not None for m in members if m.id != skipped.id)


def test_skip_on_a_group_page_skips_them_all(client: FlaskClient, group: t.Any) -> None:
    opener, members = group
    assert post(client, opener.id, skip="1", **_group_data(members)).status_code == 303
    assert answers(client) == {m.id: None for m in members}


def test_an_error_in_one_field_is_shown_against_it_and_nothing_is_saved(client: FlaskClient, group: t.Any) -> None:
    opener, members = group
    date = next(m for m in members if m.type == "date")
    data = {**_group_data(members), f"{forms.field_name(date.id)}-month": ""}
    response = post(client, opener.id, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert errors_shown(html) == ["Date must include a month"]
    assert f'href="#{forms.field_name(date.id)}-month"' in html
    assert f'id="{forms.field_name(date.id)}-month"' in html
    assert "<title>Error: " in html
    assert answers(client) == {}
    # The other answers given are shown again, so nothing has to be typed twice.
    other = next(m for m in members if m.id != date.id)
    for key, values in forms.values_for(other.type, forms.field_name(other.id), _value_of(other)).items():
        assert re.search(rf'name="{re.escape(key)}"[^>]*value="{re.escape(values[0])}"'
                         rf'|value="{re.escape(values[0])}"[^>]*name="{re.escape(key)}"', html), key


def test_dates_on_one_page_must_follow_each_other(client: FlaskClient, kb: t.Any, group: t.Any) -> None:
    opener, members = group
    later = next((m for m in members if m.not_before_answer in {x.id for x in members}), None)
    if later is None:
        pytest.skip("no date on this page follows another")
    earlier = flow.find(kb, later.not_before_answer)
    today = dt.date.today()
    data = {**forms.values_for("date", forms.field_name(earlier.id), (today - dt.timedelta(days=5)).isoformat()),
            **forms.values_for("date", forms.field_name(later.id), (today - dt.timedelta(days=50)).isoformat())}
    html = post(client, opener.id, **data).get_data(as_text=True)
    assert errors_shown(html) == [f"Date must be the same as or after your answer to ‘{earlier.text}’"]
    assert answers(client) == {}


def test_back_and_change_links_for_a_group_page(client: FlaskClient, kb: t.Any, group: t.Any) -> None:
    opener, members = group
    before = question_path(client, flow.next_question(kb, {}).id)
    for _ in range(20):  # reach the group page the way a person would, skipping what comes first
        location = client.get("/questions").headers["Location"]
        if location == question_path(client, opener.id) or question_id_of(client, location) in {m.id for m in members}:
            break
        before = location
        post(client, question_id_of(client, location), skip="1")
    else:
        pytest.skip("the group page is not reached by skipping")
    path = client.get("/questions").headers["Location"]
    opened = question_id_of(client, path)
    shown = flow.page_questions(kb, answers(client), flow.find(kb, opened))
    html = client.get(path).get_data(as_text=True)
    assert f'href="{before}" class="govuk-back-link"' in html
    response = post(client, opened, **_group_data(shown))
    assert response.status_code == 303
    # Back from the next page returns to the group page, by the address that opened it.
    nxt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="{path}" class="govuk-back-link"' in nxt
    # A change link for any question of the group opens the group page, with every answer shown.
    for m in shown:
        page = client.get(question_path(client, m.id)).get_data(as_text=True)
        for other in shown:
            assert f'name="{forms.field_name(other.id)}' in page
    # Changing one answer there keeps the others.
    last = shown[-1]
    assert post(client, last.id, **_group_data(shown, leave_out=last.id)).status_code == 303
    assert answers(client).get(last.id) is None
    assert all(answers(client).get(m.id) is not None for m in shown[:-1])


def test_page_groups_are_checked_when_the_knowledge_loads(tmp_path: t.Any) -> None:
    """A page groups questions of one section file; never the danger question; never two
    questions one of which an option of the other answers (they could contradict)."""
    import shutil
    from pathlib import Path

    import rules

    root = tmp_path / "knowledge"
    shutil.copytree(Path(__file__).resolve().parent.parent / "knowledge", root)

    def add_page(relative: str, question_id: str, page: str) -> None:
        path = root / relative
        lines = path.read_text(encoding="utf-8").split("\n")
        at = lines.index(f"  - id: {question_id}")
        end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("    type:"))
        lines = [x for i, x in enumerate(lines) if not (i > at and x.startswith("    page:")
                                                         and i <= end + 1)]
        lines.insert(end + 1, f"    page: {page}")
        path.write_text("\n".join(lines), encoding="utf-8")

    kb = rules.load_knowledge(root)
    danger = kb.meta.danger_question
    danger_file = next(q.source_file for q in kb.questions if q.id == danger).removeprefix("knowledge/")
    add_page(danger_file, danger, "first_page")
    other = next(q for q in kb.questions if q.page and q.source_file != next(
        x.source_file for x in kb.questions if x.id == danger))
    add_page(danger_file, next(q.id for q in kb.questions if q.source_file.endswith(danger_file) and q.id != danger),
             other.page)
    meaning = next(q for q in kb.questions if any(o.means for o in q.options))
    target = next(o.means for o in meaning.options if o.means)
    add_page(meaning.source_file.removeprefix("knowledge/"), meaning.id, "together")
    add_page(meaning.source_file.removeprefix("knowledge/"), target, "together")
    with pytest.raises(rules.KnowledgeError) as info:
        rules.load_knowledge(root)
    found = "\n".join(str(p) for p in info.value.problems)
    assert "the danger question takes no page group: the app always asks it first" in found
    assert f"page '{other.page}' is already used in" in found
    assert f"'{target}' is on page 'together' too" in found


def test_a_yes_or_no_on_a_group_page_can_be_taken_back_to_unanswered(client: FlaskClient, kb: t.Any) -> None:
    """A chosen radio cannot be cleared, so a yes/no among several questions offers "Not sure,
    or I would rather not say": it sends nothing, and the question is kept as skipped, never as no."""
    found = next(((q, m) for q in flow.interview(kb, {}).worth_asking
                  if len(m := flow.page_questions(kb, {}, q)) > 1 and any(x.type == "boolean" for x in m)), None)
    if found is None:
        pytest.skip("no page group with a yes/no question is offered at the start")
    opener, members = found
    yes_no = next(m for m in members if m.type == "boolean")
    html = client.get(question_path(client, opener.id)).get_data(as_text=True)
    assert re.search(rf'name="{forms.field_name(yes_no.id)}" type="radio" value=""', html)
    assert "checked" not in html[html.index('id="main-content"'):]
    assert post(client, opener.id, **{forms.field_name(yes_no.id): "yes"}).status_code == 303
    assert answers(client)[yes_no.id] is True
    assert post(client, yes_no.id, **{forms.field_name(yes_no.id): ""}).status_code == 303
    assert answers(client)[yes_no.id] is None


# -- the first page, and follow-ups on the page of the answer that opens them --------------------------------


def test_the_first_page_asks_the_danger_question_with_where_this_is_happening(client: FlaskClient, kb: t.Any) -> None:
    """The danger question shares the first page with the rest of its section; yes to it still
    interrupts at once, whatever else was answered there, and that answer is kept."""
    danger = flow.find(kb, kb.meta.danger_question)
    members = flow.page_questions(kb, {}, danger)
    assert members[0].id == danger.id and len(members) > 1
    assert all(m.section == danger.section for m in members)
    other = members[1]
    html = client.get(question_path(client, danger.id)).get_data(as_text=True)
    main = html[html.index('id="main-content"'):]
    assert main.index(escape(danger.text)) < main.index(escape(other.text))
    response = post(client, danger.id, answer="yes", **forms.values_for(other.type, forms.field_name(other.id),
                                                                         _value_of(other)))
    assert response.headers["Location"] == "/your-safety"
    assert answers(client)[danger.id] is True and answers(client)[other.id] is not None
    # Carrying on, Back from the next page returns to the first page's own address.
    nxt = client.get("/questions").headers["Location"]
    assert f'href="{question_path(client, danger.id)}" class="govuk-back-link"' in client.get(nxt).get_data(as_text=True)


@pytest.fixture
def follow_up(kb: t.Any) -> tuple[t.Any, list[t.Any], str, str, t.Any]:
    """A page offered before any answer that holds a follow-up: the question opening the page,
    the page's questions, the follow-up's id, the id of the question whose answer opens it,
    and that answer."""
    for q in flow.interview(kb, {}).worth_asking:
        members = flow.page_questions(kb, {}, q)
        following = flow.follow_ups(kb, {}, members)
        if following:
            question_id, (gate_id, value) = next(iter(following.items()))
            return q, members, question_id, gate_id, value
    pytest.skip("no page offered at the start has a follow-up")


def _opening(kb: t.Any, gate_id: str, value: t.Any, opens: bool) -> dict[str, t.Any]:
    gate_q = flow.find(kb, gate_id)
    if gate_q.type == "boolean":
        chosen: t.Any = value if opens else not value
    else:
        chosen = value if opens else next(o.id for o in gate_q.options if o.id != value)
    return forms.values_for(gate_q.type, forms.field_name(gate_id), chosen)


def test_a_follow_up_comes_after_the_question_that_opens_it(client: FlaskClient, kb: t.Any, follow_up: t.Any) -> None:
    """It is shown straight after that question, with or without JavaScript, and says which answer it needs."""
    opener, members, question_id, gate_id, value = follow_up
    assert question_id not in {q.id for q in flow.interview(kb, {}).worth_asking}, "not asked before its answer"
    assert question_id in {q.id for q in flow.interview(kb, {gate_id: value}).worth_asking}, "asked once it is given"
    html = client.get(question_path(client, opener.id)).get_data(as_text=True)
    fields = list(dict.fromkeys(re.findall(r'name="(answer-[a-z0-9_]+?)(?:-(?:day|month|year))?"', html)))
    assert fields.index(forms.field_name(question_id)) == fields.index(forms.field_name(gate_id)) + 1
    hint = re.search(rf'id="{forms.field_name(question_id)}-hint"[^>]*>\s*(.*?)\s*</div>', html, re.S)
    assert hint and hint.group(1).startswith("Answer this only if you")


def test_a_follow_up_is_kept_only_with_the_answer_that_opens_it(client: FlaskClient, kb: t.Any, follow_up: t.Any) -> None:
    opener, members, question_id, gate_id, value = follow_up
    follow = flow.find(kb, question_id)
    typed = forms.values_for(follow.type, forms.field_name(question_id), _value_of(follow))
    # The opening answer given: the follow-up is kept and recorded as shown.
    assert post(client, opener.id, **_opening(kb, gate_id, value, True), **typed).status_code == 303
    assert answers(client)[question_id] is not None
    with client.session_transaction() as session:
        assert question_id in session[state.ASKED_KEY]
    # Changed on the same page to another answer: the follow-up goes, without a notice (it was seen going).
    response = post(client, gate_id, **_opening(kb, gate_id, value, False), **typed)
    assert question_id not in answers(client)
    assert "Some answers were removed" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_follow_up_filled_in_without_its_answer_is_not_kept(client: FlaskClient, kb: t.Any, follow_up: t.Any) -> None:
    """Without JavaScript the follow-up is always shown: what is typed in it counts only with its answer."""
    opener, members, question_id, gate_id, value = follow_up
    follow = flow.find(kb, question_id)
    typed = forms.values_for(follow.type, forms.field_name(question_id), _value_of(follow))
    assert post(client, opener.id, **_opening(kb, gate_id, value, False), **typed).status_code == 303
    assert question_id not in answers(client) and answers(client)[gate_id] is not None
    # Left blank with its answer given, it is skipped (None), never a "no".
    other = client.application.test_client()
    assert post(other, opener.id, **_opening(kb, gate_id, value, True)).status_code == 303
    assert answers(other)[question_id] is None
