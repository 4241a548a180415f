"""The helpline staff console (/staff): one screen, the assessment beside it, nothing kept."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
from flask import Flask

import rules
from app import create_app
from rules.summary import to_text
from web import staff

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date.today()


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture(scope="module")
def app() -> Flask:
    # One app for the module: loading the knowledge is the slow part, and the console
    # keeps nothing between requests (each test has its own client and cookies).
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def token(client: FlaskClient) -> str:
    html = client.get("/staff/").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the console has no CSRF field"
    return match.group(1)


def high_risk_call(csrf: str) -> dict[str, t.Any]:
    """A former partner the caller is very frightened of, with three dated incidents."""
    return {
        "csrf_token": csrf,
        "place": "england",
        "target": "me",
        "relationship": "former_partner",
        "very_frightened": "yes",
        "alarmed_or_distressed": "yes",
        "told_to_stop": "yes",
        "incidents-rows": "3",
        "incidents-0-date": days_ago(30),
        "incidents-0-what_happened": "Waited outside her work",
        "incidents-0-behaviours": ["loitering", "turning_up"],
        "incidents-0-feared_violence": "no",
        "incidents-1-date": days_ago(20),
        "incidents-1-behaviours": ["following"],
        "incidents-1-feared_violence": "yes",
        "incidents-2-date": days_ago(10),
        "incidents-2-behaviours": ["following", "contacting"],
        "incidents-2-feared_violence": "yes",
    }


CONTACT = {
    "safe_to_talk_now": "no",
    "safe_number": "07700 900123",
    "safe_time": "Weekdays after 6pm",
    "voicemail_safe": "no",
    "consent_to_referral": "yes",
}


def summary_in(html: str) -> str:
    match = re.search(r"<textarea[^>]*data-summary>(.*?)</textarea>", html, re.S)
    assert match, "no call summary on the page"
    return html_lib.unescape(match.group(1))


def risk_level_in(html: str) -> str:
    match = re.search(r'data-risk-level="([^"]*)"', html)
    assert match, "no risk level on the page"
    return match.group(1)


def session_data(client: FlaskClient, app: Flask) -> dict[str, t.Any]:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


# -- the empty console ----------------------------------------------------------------------------------


def test_console_shows_every_question_by_its_staff_label_grouped_by_section(client: FlaskClient, app: Flask) -> None:
    response = client.get("/staff/")
    html = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    kb = app.extensions["knowledge"]
    for q in kb.questions:
        label = q.staff_label or q.text
        assert label, q.id
        assert label in html, f"no field for {q.id}"
        assert q.text in html, f"the full question {q.id} is not shown as a hint"
        assert f'id="q-{q.id}"' in html, q.id
    for section in kb.sections:
        assert f">{section.title}</legend>" in html
    # Sections keep the knowledge's order.
    positions = [html.index(f">{s.title}</legend>") for s in kb.sections]
    assert positions == sorted(positions)


def test_console_says_nothing_is_saved_and_is_never_cached(client: FlaskClient) -> None:
    response = client.get("/staff/")
    html = html_lib.unescape(response.get_data(as_text=True))
    assert staff.NOTHING_SAVED in html
    assert "Nothing you type here is saved. Closing or reloading this page loses it." in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


def test_empty_console_has_three_incident_rows_and_no_assessment(client: FlaskClient) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    assert html.count("data-incident-row") == staff.START_ROWS == 3
    for row in range(3):
        assert re.search(rf'id="incidents-{row}-date" name="incidents-{row}-date" type="text"', html)
    assert 'type="date"' not in html  # a browser's date box follows its locale: never used
    assert "Nothing answered yet" in html
    assert "data-summary" not in html


def test_fields_are_drawn_by_question_type(client: FlaskClient, app: Flask) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    for q in app.extensions["knowledge"].questions:
        if q.type == "boolean":
            assert re.search(rf'id="q-{q.id}-unset" name="{q.id}" type="radio" value=""\s+checked', html), q.id
        elif q.type == "choice":
            assert f'<select class="govuk-select app-staff-select" id="q-{q.id}" name="{q.id}"' in html, q.id
        elif q.type == "multi_choice":
            assert f'id="q-{q.id}" name="{q.id}" type="checkbox"' in html, q.id
        elif q.type == "date":
            assert re.search(rf'id="q-{q.id}" name="{q.id}" type="text"', html), q.id
        elif q.type == "integer":
            assert re.search(rf'id="q-{q.id}" name="{q.id}" type="number"', html), q.id


def test_console_has_a_way_to_the_assessment_and_loads_only_its_own_scripts(client: FlaskClient) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    assert 'href="#assessment" accesskey="a"' in html
    assert 'id="assessment"' in html
    assert 'src="/assets/staff.js"' in html
    assert "<script>" not in html.replace(
        "<script>document.body.className", "")  # only the base template's hashed one
    for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "data:")), url


def test_safe_contact_names_are_not_question_ids(app: Flask) -> None:
    ids = {q.id for q in app.extensions["knowledge"].questions}
    assert not ids & {f.name for f in staff.CONTACT_FIELDS}


# -- assessing a call ----------------------------------------------------------------------------------


def test_posted_answers_give_the_risk_level_and_offence_statuses(client: FlaskClient) -> None:
    response = client.post("/staff/", data=high_risk_call(token(client)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert risk_level_in(html) == "High"
    assert "Decided the level on its own" in html
    assert "Former partner after separation, and the caller is afraid" in html
    # Offences and orders grouped by status, with the groups the engine gave.
    assert 'data-status-group="may_apply"' in html
    assert re.search(r'data-status-group="(borderline|unknown|not_met)"', html)
    # The answers are drawn again, so the call goes on where it was.
    assert '<option value="former_partner" selected>' in html
    assert re.search(r'id="q-very_frightened" name="very_frightened" type="radio" value="yes"\s+checked', html)
    assert f'value="{days_ago(30)}"' in html
    assert "Waited outside her work" in html
    # And the summary is there to copy.
    summary = summary_in(html)
    assert summary.startswith("CASE NOTE")
    assert "RISK LEVEL: High" in summary


HIGH_RISK_ANSWERS = {
    "place": "england", "target": "me", "relationship": "former_partner", "very_frightened": True,
    "alarmed_or_distressed": True, "told_to_stop": True,
}


def high_risk_answers() -> dict[str, t.Any]:
    """The answers high_risk_call() gives the engine."""
    return {
        **HIGH_RISK_ANSWERS,
        "incidents": [
            {"date": days_ago(30), "what_happened": "Waited outside her work",
             "behaviours": ["loitering", "turning_up"], "feared_violence": False},
            {"date": days_ago(20), "behaviours": ["following"], "feared_violence": True},
            {"date": days_ago(10), "behaviours": ["following", "contacting"], "feared_violence": True},
        ],
    }


def test_the_panel_matches_the_engine(client: FlaskClient, assessor: rules.Assessor) -> None:
    html = client.post("/staff/assessment", data=high_risk_call(token(client))).get_data(as_text=True)
    answers = high_risk_answers()
    expected = assessor.assess(answers).to_dict()
    assert summary_in(html) == to_text(expected, answers=answers, knowledge=assessor.knowledge)
    for offence in expected["offences"] + expected["orders"]:
        assert offence["title"] in html_lib.unescape(html)


def test_assessment_fragment_is_the_panel_alone(client: FlaskClient) -> None:
    response = client.post("/staff/assessment", data=high_risk_call(token(client)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<html" not in html and "<form" not in html
    assert 'id="assessment-heading"' in html
    assert risk_level_in(html) == "High"
    assert "data-copy-summary" in html


def test_danger_now_leads_to_the_emergency_level_and_banner(client: FlaskClient) -> None:
    data = {"csrf_token": token(client), "in_immediate_danger": "yes", "place": "england"}
    html = client.post("/staff/", data=data).get_data(as_text=True)
    assert risk_level_in(html) == "Emergency"
    assert "app-staff-danger" in html
    assert html.index("data-risk-level") < html.index("app-staff-danger")


def test_blank_incident_rows_are_ignored(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = record_engine_calls(app, monkeypatch)
    data = high_risk_call(token(client))
    data["incidents-rows"] = "5"  # rows 3 and 4 left blank
    client.post("/staff/", data=data)
    assert len(seen[-1]["incidents"]) == 3


def test_answers_to_questions_that_do_not_apply_are_left_out_and_listed(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = record_engine_calls(app, monkeypatch)
    data = {"csrf_token": token(client), "relationship": "stranger", "lived_together": "yes", "place": "england"}
    html = client.post("/staff/", data=data).get_data(as_text=True)
    assert "lived_together" not in seen[-1]
    assert "Not used, because the question does not apply" in html


# -- add another incident --------------------------------------------------------------------------------


def test_add_row_adds_one_empty_row_and_keeps_the_answers(client: FlaskClient) -> None:
    data = high_risk_call(token(client))
    data["add_row"] = "1"
    response = client.post("/staff/", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("data-incident-row") == 4
    assert 'name="incidents-rows" value="4"' in html
    assert re.search(r'id="incidents-3-date" name="incidents-3-date" type="text"\s+value=""[^>]*autofocus', html)
    assert f'value="{days_ago(10)}"' in html
    assert risk_level_in(html) == "High"


def test_add_row_stops_at_the_questions_limit(client: FlaskClient, app: Flask) -> None:
    q = next(q for q in app.extensions["knowledge"].questions if q.type == "incidents")
    data = {"csrf_token": token(client), "incidents-rows": str(q.max_items), "add_row": "1"}
    html = client.post("/staff/", data=data).get_data(as_text=True)
    assert html.count("data-incident-row") == q.max_items
    assert 'name="add_row"' not in html


# -- problems -----------------------------------------------------------------------------------------------


def test_invalid_answers_list_every_problem(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    data = high_risk_call(token(client))
    data.update({
        "occasions": "lots",  # not a number: the form's problem
        "first_incident_date": (TODAY + dt.timedelta(days=5)).isoformat(),  # the engine's problem
        "place": "atlantis",  # not an option: the engine's problem
        "incidents-2-date": "",  # a row with no date: the engine's problem, on row 3
    })
    response = client.post("/staff/", data=data)
    html = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 200  # the page, with its problems, as the questionnaire does
    assert html.startswith("<!DOCTYPE html>") or "<html" in html
    assert "<title>Error: " in html
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no GOV.UK error summary"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))
    targets = [target for target, _ in links]
    assert "q-occasions" in targets
    assert "q-first_incident_date" in targets
    assert "q-place" in targets
    assert "incidents-2-date" in targets
    assert any(text.startswith("Incident 3, date") for _, text in links)
    # Each link goes to an input on the page, which shows its own message.
    for target in targets:
        assert f'id="{target}"' in html
    assert 'id="q-occasions-error"' in html
    # Nothing is assessed while there are problems.
    assert "data-summary" not in html


def test_problems_list_all_that_the_engine_finds(client: FlaskClient, app: Flask) -> None:
    data = {"csrf_token": token(client), "first_incident_date": days_ago(5), "last_incident_date": days_ago(50),
            "occasions": "1", "fear_of_violence_occasions": "4"}
    html = html_lib.unescape(client.post("/staff/", data=data).get_data(as_text=True))
    kb = app.extensions["knowledge"]
    engine_problems = None
    try:
        rules.assess({"first_incident_date": days_ago(5), "last_incident_date": days_ago(50),
                      "occasions": 1, "fear_of_violence_occasions": 4}, knowledge=kb)
    except rules.AnswersError as error:
        engine_problems = error.problems
    assert engine_problems and len(engine_problems) >= 2
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S).group(0)  # type: ignore[union-attr]
    assert summary.count("<li>") == len(engine_problems)
    # Problems name questions by their staff labels, not their ids.
    assert "fear_of_violence_occasions" not in re.sub(r'href="[^"]*"', "", summary)


def test_the_fragment_lists_problems_too(client: FlaskClient) -> None:
    response = client.post("/staff/assessment", data={"csrf_token": token(client), "occasions": "x"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "data-problems" in html and "Occasions: enter a whole number" in html


# -- CSRF ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/", "/staff/assessment", "/staff/summary.txt", "/staff/print"])
def test_posts_without_the_csrf_token_are_refused(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    data = high_risk_call(token(client))
    seen = record_engine_calls(app, monkeypatch)
    del data["csrf_token"]
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert seen == [], "nothing is assessed without the token"
    response = client.post(path, data={**data, "csrf_token": "not-the-token"})
    assert response.status_code == 400
    assert seen == []


def test_an_expired_form_keeps_the_call_on_screen(client: FlaskClient) -> None:
    data = high_risk_call("expired-token")
    response = client.post("/staff/", data=data)
    html = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "This form had expired, so nothing was assessed" in html
    assert '<option value="former_partner" selected>' in html
    assert "data-summary" not in html
    # A fresh token comes with it, and works.
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert client.post("/staff/", data={**data, "csrf_token": fresh}).status_code == 200


# -- safe contact: in the summary, never in the engine, never in a cookie -------------------------------


def record_engine_calls(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, t.Any]]:
    """Wrap the app's engine so a test can see exactly what answers reached it."""
    real = app.extensions["assessor"]
    seen: list[dict[str, t.Any]] = []

    class Recording:
        knowledge = real.knowledge

        def assess(self, answers: t.Any, as_at: t.Any = None, **kw: t.Any) -> rules.Assessment:
            seen.append(json.loads(json.dumps(answers)))
            return real.assess(answers, as_at, **kw)

        def interview(self, answers: t.Any, as_at: t.Any = None) -> t.Any:
            seen.append(json.loads(json.dumps(answers)))
            return real.interview(answers, as_at)

    monkeypatch.setitem(app.extensions, "assessor", Recording())
    return seen


def test_safe_contact_goes_into_the_summary_only(client: FlaskClient, app: Flask,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen = record_engine_calls(app, monkeypatch)
    data = {**high_risk_call(token(client)), **CONTACT}
    html = client.post("/staff/", data=data).get_data(as_text=True)
    summary = " ".join(summary_in(html).split())
    assert "ACTIONS AND SAFE CONTACT" in summary
    assert "Safe to talk now: No" in summary
    assert "Safe number: 07700 900123" in summary
    assert "Safe time to call: Weekdays after 6pm" in summary
    assert "Voicemail safe: No" in summary
    assert "Consent to referral: Yes" in summary
    # The risk level leads; the contact details are with the actions agreed.
    assert summary.index("RISK LEVEL") < summary.index("ACTIONS AND SAFE CONTACT")
    # The engine never saw them...
    assert seen, "the engine was not called"
    for answers in seen:
        assert not set(answers) & set(CONTACT), answers
        assert "07700 900123" not in json.dumps(answers)
    # ...and would have refused them as answers.
    with pytest.raises(rules.AnswersError) as refused:
        rules.assess({**seen[-1], "safe_number": "07700 900123"}, knowledge=app.extensions["knowledge"])
    assert [p.field for p in refused.value.problems] == ["safe_number"]


def test_safe_contact_never_reaches_a_cookie(client: FlaskClient, app: Flask) -> None:
    client.get("/staff/")
    before = session_data(client, app)
    csrf = before["csrf_token"]
    for path in ["/staff/", "/staff/assessment", "/staff/summary.txt", "/staff/print"]:
        response = client.post(path, data={**high_risk_call(csrf), **CONTACT, "add_row": "1"})
        assert response.status_code == 200, path
        for header in response.headers.getlist("Set-Cookie"):
            assert "07700" not in header and "former_partner" not in header
        after = session_data(client, app)
        # The session holds the CSRF token (and that it lasts thirty minutes), nothing else.
        assert set(after) <= {"csrf_token", "_permanent"}, after
        assert after["csrf_token"] == csrf
        assert "answers" not in after


def test_the_session_cookie_does_not_grow_with_answers(client: FlaskClient, app: Flask) -> None:
    csrf = token(client)
    empty = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert empty is not None
    big = {**high_risk_call(csrf), **CONTACT}
    for row in range(3, 40):
        big[f"incidents-{row}-what_happened"] = "x" * 200
        big[f"incidents-{row}-date"] = days_ago(40 + row)
    big["incidents-rows"] = "40"
    response = client.post("/staff/", data=big)
    assert response.status_code == 200
    full = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert full is not None
    # The value changes only by its timestamp; never by the size of the answers.
    assert abs(len(full.value) - len(empty.value)) <= 8


def test_every_response_is_no_store(client: FlaskClient) -> None:
    data = {**high_risk_call(token(client)), **CONTACT}
    for path in ["/staff/", "/staff/assessment", "/staff/summary.txt", "/staff/print"]:
        assert client.post(path, data=data).headers["Cache-Control"] == "no-store", path
    assert client.get("/staff/").headers["Cache-Control"] == "no-store"


def test_nothing_the_caller_said_reaches_a_log(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    data = {**high_risk_call(token(client)), **CONTACT}
    for path in ["/staff/", "/staff/assessment", "/staff/summary.txt", "/staff/print"]:
        client.post(path, data=data)
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("07700 900123", "Waited outside her work", "Weekdays after 6pm"):
        assert secret not in text


# -- the summary: plain text, print, and the same text as the CLI -----------------------------------------------


def test_summary_txt_is_plain_text(client: FlaskClient) -> None:
    response = client.post("/staff/summary.txt", data={**high_risk_call(token(client)), **CONTACT})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = " ".join(response.get_data(as_text=True).split())
    assert text.startswith("CASE NOTE")
    assert "Safe number: 07700 900123" in text
    assert "RISK LEVEL: High" in text


def test_summary_txt_with_problems_says_so(client: FlaskClient) -> None:
    response = client.post("/staff/summary.txt", data={"csrf_token": token(client), "occasions": "x"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert "Occasions: enter a whole number" in response.get_data(as_text=True)


def test_print_view_shows_the_summary(client: FlaskClient) -> None:
    response = client.post("/staff/print", data={**high_risk_call(token(client)), **CONTACT})
    html = html_lib.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Call summary</h1>" in html
    pre = re.search(r"<pre[^>]*data-summary>(.*?)</pre>", html, re.S)
    assert pre and pre.group(1).startswith("CASE NOTE")
    assert "<form" not in html.split('id="main-content"')[1].split("</main>")[0]


def test_the_cli_gives_the_same_summary_from_a_json_file(client: FlaskClient, tmp_path: Path) -> None:
    data = high_risk_call(token(client))
    text = client.post("/staff/summary.txt", data=data).get_data(as_text=True)
    answers = high_risk_answers()
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "rules", "assess", str(path), "--format", "text"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert cli.stdout == text


# -- no legal logic in the console -------------------------------------------------------------------------------


def test_the_console_names_no_offence() -> None:
    offence_id = re.compile(r"\b(pha|sca|osa|soa|mca|ca|cda|cjpa|eqa|spa|fla|daa|sa)-\d{4}-s\d")
    files = [ROOT / "web" / "staff.py", ROOT / "static" / "src" / "staff.js", ROOT / "static" / "src" / "staff.scss",
             *sorted((ROOT / "templates" / "staff").glob("*.html"))]
    for path in files:
        assert not offence_id.search(path.read_text(encoding="utf-8")), path


# -- issue 9: a case note, not a letter ----------------------------------------------------------------------------

#: The issue's call: ex-partner, lived together two years, split three months ago, 30 texts a
#: day, turned up at work twice and outside her flat, she fears he will hurt her, she changed
#: her route.
ISSUE_CALL = {
    "place": "england", "target": "me", "relationship": "former_partner", "lived_together": "yes",
    "relationship_length": "over_12_months", "separated_on": "",  # set in the test
    "behaviours": ["contacting", "turning_up", "loitering"],
    "very_frightened": "yes", "daily_life_changes": ["changed_route_or_routine"],
    "incidents-rows": "3",
    "incidents-0-what_happened": "work", "incidents-0-behaviours": ["turning_up"], "incidents-0-feared_violence": "yes",
    "incidents-1-what_happened": "work", "incidents-1-behaviours": ["turning_up"], "incidents-1-feared_violence": "yes",
    "incidents-2-what_happened": "outside her flat", "incidents-2-behaviours": ["loitering"],
    "incidents-2-feared_violence": "yes",
    "call_notes": "About 30 texts a day.",
}


def issue_call(csrf: str) -> dict[str, t.Any]:
    data = {**ISSUE_CALL, "csrf_token": csrf}
    data["separated_on"] = (TODAY - dt.timedelta(days=91)).strftime("%d/%m/%Y")
    for row, days in enumerate((30, 20, 10)):
        day = TODAY - dt.timedelta(days=days)
        data[f"incidents-{row}-date"] = f"{day.day}/{day.month}/{day.year}"
    return data


def note_for(client: FlaskClient, data: dict[str, t.Any]) -> str:
    response = client.post("/staff/summary.txt", data=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_the_case_note_is_third_person_with_its_sections_and_about_40_lines(client: FlaskClient) -> None:
    csrf = token(client)
    bare = note_for(client, issue_call(csrf))
    print(f"\nissue 9 case note: {len(bare.splitlines())} lines\n{bare}")
    assert len(bare.splitlines()) <= 42  # the issue's call with a one-line note: "about 40"
    note = note_for(client, {**issue_call(csrf), **CONTACT, "agreed": ["safety_plan"]})
    assert len(note.splitlines()) <= 47  # and with all five safe-contact details and an agreed action
    assert not re.search(r"\b(you|your)\b", note, re.I), "a case note speaks of the caller, not to them"
    for heading in ("RISK LEVEL: High", "WHO", "WHAT HAPPENED", "EFFECTS AND FEAR", "ACTIONS AND SAFE CONTACT",
                    "LAW THAT MAY APPLY", "SERVICES", "CALL-HANDLER'S NOTES"):
        assert re.search(rf"^{re.escape(heading)}", note, re.M), heading
    flat = " ".join(note.split())
    # The risk level once, and the indicator that decided it.
    assert flat.count("RISK LEVEL") == 1 and "HIGH" not in flat and "High - High" not in flat
    assert "(decided by: Former partner after separation, and the caller is afraid)" in flat
    # Who: relationship, living together, separation date; children when not asked.
    separated = TODAY - dt.timedelta(days=91)
    assert "Relationship: former partner; Lived together: yes" in flat
    assert f"Separated on: {separated.day} {separated:%B} {separated.year}" in flat
    # What: the incidents as a dated list.
    day = TODAY - dt.timedelta(days=30)
    assert f"- {day.day} {day:%B} {day.year}: work; turning up; feared violence" in flat
    # Effects, actions agreed and consent, safe contact, notes.
    assert "Changes to daily life: changed route or routine" in flat
    assert "Agreed with the caller: Make a safety plan; Consent to referral: Yes" in flat
    assert "Safe number: 07700 900123" in flat
    assert "CALL-HANDLER'S NOTES About 30 texts a day." in flat


def test_the_case_note_lists_no_law_that_does_not_fit(client: FlaskClient, assessor: rules.Assessor) -> None:
    data = issue_call(token(client))
    note = " ".join(note_for(client, data).split())
    html = client.post("/staff/assessment", data=data).get_data(as_text=True)
    assert "Nothing left to ask" in html or "Worth asking next" in html
    with client.application.test_request_context():
        answers = staff.read_form(_multidict(data)).answers
    result = assessor.assess(answers).to_dict()
    not_fitting = [p for p in result["offences"] + result["orders"] if p["status"] == "not_met"]
    fitting = [p for p in result["offences"] + result["orders"] if p["status"] in ("may_apply", "borderline")]
    assert fitting
    for p in fitting:
        assert p["title"] in note, p["id"]
    for p in not_fitting:
        assert p["title"] not in note, f"{p['id']} does not fit but is listed"
    assert "does not seem to fit" not in note and "not_met" not in note


def test_the_note_names_the_most_serious_laws_needing_information_and_counts_the_rest(
        client: FlaskClient, assessor: rules.Assessor) -> None:
    from rules.ranking import by_fit_then_seriousness
    from rules.summary import UNKNOWN_NAMED
    from rules.summary import short_citation

    data = issue_call(token(client))
    note = " ".join(note_for(client, data).split())
    with client.application.test_request_context():
        answers = staff.read_form(_multidict(data)).answers
    result = assessor.assess(answers).to_dict()
    unknown = by_fit_then_seriousness(
        [p for p in result["offences"] + result["orders"] if p["status"] == "unknown"])
    assert len(unknown) > UNKNOWN_NAMED, "the issue's call should leave more open than the note names"
    assert f"Need more information ({len(unknown)}), most serious first:" in note
    assert f"and {len(unknown) - UNKNOWN_NAMED} more, listed in the console." in note
    section = note.split("most serious first:")[1].split("more, listed")[0]
    # The most serious open law comes first, and each of those named is there under its Act.
    assert section.lstrip().startswith(short_citation(unknown[0]["citation"]["title"])), section
    for p in unknown[:UNKNOWN_NAMED]:
        act, _, where = short_citation(p["citation"]["title"]).partition(" s")
        assert act in section and f"s{where}" in section, (p["id"], section)


def _multidict(data: dict[str, t.Any]) -> t.Any:
    from werkzeug.datastructures import MultiDict

    items = []
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            items.append((key, v))
    return MultiDict(items)


def test_the_note_names_no_reason_that_rests_on_an_unanswered_question(client: FlaskClient) -> None:
    """Samaritans fit on serious distress alone; the note must not say the caller cannot go on."""
    data = {"csrf_token": token(client), "place": "england", "alarmed_or_distressed": "yes",
            "distress_level": "serious"}
    note = note_for(client, data)
    line = next(line for line in note.splitlines() if "Samaritans" in line)
    assert "Level of distress" in line
    assert "suicidal" not in line.lower() and "Caller suicidal thoughts" not in note
    assert "cannot go on" not in note and "You told us" not in note
    # The services' own reasons, written to the caller, are never quoted.
    assert "because you told us" not in note.lower()


def test_the_call_handlers_note_goes_into_the_case_note_and_nowhere_else(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    csrf = token(client)
    seen = record_engine_calls(app, monkeypatch)
    secret = "Caller's sister knows the new address " + "x" * 1960  # 2,000 characters
    assert len(secret) == 1998
    data = {**high_risk_call(csrf), "call_notes": secret}
    for path in ["/staff/", "/staff/assessment", "/staff/summary.txt", "/staff/print"]:
        response = client.post(path, data=data)
        assert response.status_code == 200
        for header in response.headers.getlist("Set-Cookie"):
            assert "sister" not in header
    assert seen and all("sister" not in json.dumps(answers) for answers in seen)
    assert "sister" not in "\n".join(r.getMessage() for r in caplog.records)
    assert set(session_data(client, app)) <= {"csrf_token", "_permanent"}
    note = note_for(client, data)
    assert " ".join(note.split("CALL-HANDLER'S NOTES", 1)[1].split()) == secret, "the note is not whole"


def test_a_note_over_the_limit_is_an_error_never_cut(client: FlaskClient) -> None:
    too_long = "y" * (staff.MAX_NOTES + 1)
    html = html_lib.unescape(client.post("/staff/", data={**high_risk_call(token(client)),
                                                          "call_notes": too_long}).get_data(as_text=True))
    assert "Call-handler's notes: must be 10,000 characters or fewer; they have 10,001" in html
    assert too_long in html  # given back whole, to shorten
    assert "data-summary" not in html


def test_no_field_cuts_text_silently(client: FlaskClient) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    assert not re.search(r"\smaxlength=", html)
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in html
    long = "z" * 600  # more than the old 500-character cut
    data = {**high_risk_call(token(client)), "incidents-0-what_happened": long}
    note = note_for(client, data)
    assert long in note.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("typed", ["1/2/2026", "01 02 2026", "1.2.26", "01-02-2026", "01022026", "2026-02-01"])
def test_dates_are_read_day_first(client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch,
                                  typed: str) -> None:
    csrf = token(client)
    seen = record_engine_calls(app, monkeypatch)
    client.post("/staff/", data={"csrf_token": csrf, "first_incident_date": typed, "incidents-0-date": typed,
                                 "incidents-0-behaviours": "following"})
    assert seen[-1]["first_incident_date"] == "2026-02-01"
    assert seen[-1]["incidents"][0]["date"] == "2026-02-01"


@pytest.mark.parametrize("typed", ["31/2/2026", "2/2026", "next week"])
def test_a_date_that_cannot_be_read_says_how_to_write_it(client: FlaskClient, typed: str) -> None:
    html = html_lib.unescape(client.post("/staff/", data={"csrf_token": token(client),
                                                          "first_incident_date": typed}).get_data(as_text=True))
    assert re.search(r"First incident: enter a (real date|date as day, month and year), like 27/3/2026", html)


def test_questions_worth_asking_are_marked(client: FlaskClient, assessor: rules.Assessor) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    worth = [q.id for q in assessor.interview({}).worth_asking]
    assert f'data-worth-asking="{" ".join(worth)}"' in html
    block = re.search(r'data-question="in_immediate_danger">.*?</legend>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "Worth asking" in block and "hidden" not in block
    # Once answered, it is no longer worth asking.
    data = {"csrf_token": token(client), "in_immediate_danger": "no", "place": "england"}
    html = client.post("/staff/", data=data).get_data(as_text=True)
    marked = re.search(r'data-worth-asking="([^"]*)"', html).group(1).split()  # type: ignore[union-attr]
    assert "in_immediate_danger" not in marked and "place" not in marked
    assert marked == [q.id for q in assessor.interview({"in_immediate_danger": False, "place": "england"}).worth_asking]


def test_jump_links_and_access_keys(client: FlaskClient, app: Flask) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    keys = re.findall(r'accesskey="(\w)"', html)
    assert len(keys) == len(set(keys)), "an access key is used twice"
    for section in app.extensions["knowledge"].sections:
        assert f'href="#section-{section.id}"' in html and f'id="section-{section.id}"' in html
    assert "Keyboard shortcuts" in html
    for key in "acitnwhdl":
        assert f'accesskey="{key}"' in html, key


def test_the_exit_setting_reaches_the_page(app: Flask, client: FlaskClient) -> None:
    assert 'data-quick-exit-keys="true"' in client.get("/staff/").get_data(as_text=True)
    off = create_app({"TESTING": True, "SECRET_KEY": "x", "STAFF_QUICK_EXIT_KEYS": "false"})
    html = off.test_client().get("/staff/").get_data(as_text=True)
    assert 'data-quick-exit-keys="false"' in html
    assert "govuk-exit-this-page" in html  # the button stays
    form_tag = re.search(r"<form[^>]*>", html.split('id="main-content"')[1]).group(0)  # type: ignore[union-attr]
    assert 'autocomplete="off"' in form_tag  # Back never restores a caller's answers
