"""Every case the robustness run of issue 12 found answers a clear 400, 413 or 405 (with Allow),
never a 500, and no Host header comes back in a redirect."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

import rules
from app import create_app
from tests.web_paths import question_path
from web import forms

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = {"place": "england", "target": "me", "occasions": 2}
HUGE = "9" * 4301


@pytest.fixture(scope="module")
def app() -> Flask:
    # Not TESTING: errors are handled as in production, so a bug shows as a 500 here.
    return create_app({"SECRET_KEY": "r" * 40, "PROPAGATE_EXCEPTIONS": False, "TESTING": False,
                       "APP_ENV": "development"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def errors_of(response: t.Any) -> list[dict[str, t.Any]]:
    return t.cast("list[dict[str, t.Any]]", response.get_json()["errors"])


import typing as t  # noqa: E402  (used in annotations above, at run time below)

# -- dates near the end of the calendar ---------------------------------------------------------


@pytest.mark.parametrize("where", ["body", "query"])
@pytest.mark.parametrize("route", ["/api/v1/assessments", "/api/v1/next-question"])
def test_as_at_near_year_9999_is_a_400(client: FlaskClient, where: str, route: str) -> None:
    answers = {**ANSWERS, "last_incident_date": "9999-12-30"}
    if where == "body":
        response = client.post(route, json={"answers": answers, "as_at": "9999-12-31"})
    else:
        response = client.post(f"{route}?as_at=9999-12-31", json={"answers": answers})
    assert response.status_code == 400
    field = "as_at" if where == "body" else "?as_at"
    assert errors_of(response) == [{"field": field, "message": "must be 2999-12-31 or earlier"}]


def test_the_latest_as_at_still_assesses(client: FlaskClient) -> None:
    answers = {**ANSWERS, "last_incident_date": "2999-12-30", "first_incident_date": "2999-01-01"}
    response = client.post("/api/v1/assessments", json={"answers": answers, "as_at": "2999-12-31"})
    assert response.status_code == 200


def test_the_engine_and_the_cli_refuse_it_too() -> None:
    with pytest.raises(rules.AnswersError, match="2999-12-31 or earlier"):
        rules.assess(ANSWERS, as_at=dt.date(9999, 12, 31))
    done = subprocess.run([sys.executable, "-m", "rules", "assess", "-", "--as-at", "9999-12-31"],
                          input=json.dumps(ANSWERS), capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2 and "as_at: must be 2999-12-31 or earlier" in done.stderr


@pytest.mark.parametrize("query", ["as_at=nonsense", "as_at=2026-02-30", "as_at=1949-12-31", "as_at="])
@pytest.mark.parametrize("route", ["/api/v1/assessments", "/api/v1/next-question"])
@pytest.mark.parametrize("body_as_at", [None, "2026-11-21"])
def test_the_query_as_at_is_validated(client: FlaskClient, query: str, route: str, body_as_at: str | None) -> None:
    # Also when the body's as_at wins: a bad one in the query is never silently ignored.
    body: dict[str, t.Any] = {"answers": ANSWERS} if body_as_at is None else {"answers": ANSWERS, "as_at": body_as_at}
    response = client.post(f"{route}?{query}", json=body)
    assert response.status_code == 400
    assert [e["field"] for e in errors_of(response)] == ["?as_at"]


def test_the_openapi_dates_state_the_range_the_engine_takes(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    answers = doc["components"]["schemas"]["Answers"]["properties"]
    patterns = {p["anyOf"][0]["pattern"] for p in answers.values() if p["anyOf"][0].get("format") == "date"}
    patterns |= {p["schema"]["pattern"] for op in ("/assessments", "/next-question")
                 for p in doc["paths"][op]["post"]["parameters"] if p["name"] == "as_at"}
    patterns.add(doc["components"]["schemas"]["AssessmentRequest"]["properties"]["as_at"]["pattern"])
    (pattern,) = patterns
    for day in ("1950-01-01", "2026-11-21", "2999-12-31"):
        assert re.search(pattern, day)
    for day in ("1949-12-31", "3000-01-01", "2026-13-01", "2026-11-32", "0055-11-21", "26-11-21"):
        assert not re.search(pattern, day)


def test_unknown_or_repeated_query_parameters_are_a_400(client: FlaskClient) -> None:
    response = client.post("/api/v1/assessments?asat=2026-11-21", json={"answers": ANSWERS})
    assert response.status_code == 400 and errors_of(response)[0]["field"] == "?asat"
    response = client.post("/api/v1/assessments?as_at=2026-11-21&as_at=2026-11-20", json={"answers": ANSWERS})
    assert response.status_code == 400 and errors_of(response)[0]["field"] == "?as_at"


# -- bodies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [9, 900, 5000, 8000])
def test_deeply_nested_json_is_a_400(client: FlaskClient, depth: int) -> None:
    body = '{"answers": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    response = client.post("/api/v1/assessments", data=body, content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == [{"field": "(body)", "message": "is nested too deeply (at most 8 levels)"}]


def test_incidents_are_not_too_deep(client: FlaskClient) -> None:
    answers = {**ANSWERS, "incidents": [{"date": "2026-09-03", "behaviours": ["following"]}]}
    assert client.post("/api/v1/assessments", json={"answers": answers, "as_at": "2026-11-21"}).status_code == 200


@pytest.mark.parametrize("route", ["/api/v1/assessments", "/api/v1/next-question"])
def test_a_number_of_4301_digits_in_json_is_a_400(client: FlaskClient, route: str) -> None:
    body = '{"answers": {"occasions": ' + HUGE + "}}"
    response = client.post(route, data=body, content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == [{"field": "(body)", "message": "has a number with too many digits"}]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(client: FlaskClient, constant: str) -> None:
    body = '{"answers": {"occasions": ' + constant + "}}"
    response = client.post("/api/v1/assessments", data=body, content_type="application/json")
    assert response.status_code == 400 and "NaN and Infinity" in errors_of(response)[0]["message"]


def _chunked(client: FlaskClient, body: bytes) -> t.Any:
    # A server that reads chunked bodies (gunicorn) says so with wsgi.input_terminated.
    return client.post("/api/v1/assessments", input_stream=io.BytesIO(body),
                       headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                       environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_over_the_limit_is_a_413(client: FlaskClient, app: Flask) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = json.dumps({"answers": ANSWERS, "as_at": "2026-11-21"}).encode()
    padded = body[:-1] + b" " * (limit - len(body) + 1) + b"}"
    response = _chunked(client, padded)
    assert response.status_code == 413
    assert errors_of(response)[0]["message"] == "The request body is too large."
    assert _chunked(client, body).status_code == 200
    exactly = body[:-1] + b" " * (limit - len(body)) + b"}"
    assert len(exactly) == limit and _chunked(client, exactly).status_code == 200


def test_a_body_with_a_length_over_the_limit_is_a_413(client: FlaskClient, app: Flask) -> None:
    body = b'{"answers": {}, "x": "' + b"a" * app.config["MAX_CONTENT_LENGTH"] + b'"}'
    assert client.post("/api/v1/assessments", data=body, content_type="application/json").status_code == 413


# -- forms ------------------------------------------------------------------------------------------


def test_a_number_of_4301_digits_in_a_public_form_is_a_form_error(client: FlaskClient) -> None:
    path = question_path(client, "occasions")
    page = client.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token
    # On a page of several questions (a page group) the field is answer-occasions.
    name = "answer-occasions" if 'name="answer-occasions"' in page.get_data(as_text=True) else "answer"
    response = client.post(path, data={"csrf_token": token.group(1), name: HUGE})
    assert response.status_code in (200, 400)
    assert "or less" in response.get_data(as_text=True)


def test_form_readers_refuse_huge_numbers_and_dates() -> None:
    with pytest.raises(forms.FormError, match="or less"):
        forms.parse("integer", MultiDict({"n": HUGE}), "n")
    date = MultiDict({"d-day": HUGE, "d-month": "1", "d-year": "2020"})
    with pytest.raises(forms.FormError, match="real date"):
        forms.parse("date", date, "d")
    date = MultiDict({"d-day": "1", "d-month": HUGE, "d-year": "2020"})
    with pytest.raises(forms.FormError, match="real date"):
        forms.parse("date", date, "d")


def test_a_number_of_4301_digits_in_the_staff_console_is_a_message(client: FlaskClient) -> None:
    html = client.get("/staff/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    for field in ("occasions", "incidents-rows"):
        response = client.post("/staff/", data={"csrf_token": token.group(1), field: HUGE})
        assert response.status_code in (200, 400), field


# -- methods and hosts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("GET", "/api/v1/assessments", {"POST", "OPTIONS"}),
    ("PUT", "/api/v1/questions", {"GET", "HEAD", "OPTIONS"}),
    ("DELETE", "/", {"GET", "HEAD", "OPTIONS"}),
    ("POST", "/privacy", {"GET", "HEAD", "OPTIONS"}),
])
def test_a_405_carries_allow(client: FlaskClient, method: str, path: str, allow: set[str]) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allow


def test_the_host_header_is_never_echoed_into_a_redirect(client: FlaskClient) -> None:
    response = client.get("/staff", base_url="http://attacker.example")
    assert response.status_code == 308
    assert response.headers["Location"] == "/staff/"
    assert "attacker.example" not in response.get_data(as_text=True)
    for path in ("/questions", "/leave"):
        location = client.get(path, base_url="http://attacker.example").headers.get("Location", "")
        assert "attacker.example" not in location


# -- for real: gunicorn reads a chunked body ----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.served
def test_gunicorn_answers_a_chunked_body_over_the_limit_with_413() -> None:
    port = _free_port()
    env = {**os.environ, "SECRET_KEY": "test-only-secret-key-for-gunicorn", "APP_ENV": "production"}
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", "1",
                               "--bind", f"127.0.0.1:{port}", "app:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        def post(body: bytes) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            chunks = (body[i:i + 8192] for i in range(0, len(body), 8192))
            conn.request("POST", "/api/v1/assessments", body=chunks, encode_chunked=True,
                         headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
            response = conn.getresponse()
            data = response.read()
            conn.close()
            return response.status, data

        small = json.dumps({"answers": ANSWERS, "as_at": "2026-11-21"}).encode()
        assert post(small)[0] == 200
        big = small[:-1] + b" " * (70 * 1024) + b"}"
        status, data = post(big)
        assert status == 413, data
    finally:
        server.terminate()
        server.communicate(timeout=10)


# -- the contract states every rule the validator applies ------------------------------------------


def test_the_answers_schema_states_exclusive_options_and_refuses_what_the_engine_refuses() -> None:
    import jsonschema

    kb = rules.default_assessor().knowledge
    schema = rules.answers_schema(kb)
    validator = jsonschema.Draft202012Validator(schema)
    checked = 0
    for q in kb.questions:
        exclusive = [o.id for o in q.options if o.exclusive]
        if q.type != "multi_choice" or not exclusive:
            continue
        other = next(o.id for o in q.options if not o.exclusive)
        assert not validator.is_valid({q.id: [exclusive[0], other]})
        assert validator.is_valid({q.id: [exclusive[0]]})
        with pytest.raises(rules.AnswersError, match="cannot be chosen with other options"):
            rules.assess({q.id: [exclusive[0], other]}, as_at="2026-11-21")
        checked += 1
    assert checked >= 3
    assert "1950-01-01" in schema["description"] and "no future" in schema["description"]
    assert "2999-12-31" in schema["description"]
    dates = [p for p in schema["properties"].values() if p["anyOf"][0].get("format") == "date"]
    assert dates and all("1950-01-01" in p["anyOf"][0]["$comment"] for p in dates)


def test_the_openapi_states_the_as_at_range(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    (param,) = [p for p in doc["paths"]["/assessments"]["post"]["parameters"] if p["name"] == "as_at"]
    assert "1950-01-01" in param["description"] and "2999-12-31" in param["description"]
    request = doc["components"]["schemas"]["AssessmentRequest"]["properties"]["as_at"]
    assert "2999-12-31" in request["description"]


def test_a_whole_number_written_with_a_point_is_the_whole_number(client: FlaskClient) -> None:
    # JSON Schema counts 3.0 as an integer, so the answers' schema allows it; the engine agrees.
    with_point = client.post("/api/v1/assessments", json={"answers": {**ANSWERS, "occasions": 3.0}, "as_at": "2026-11-21"})
    plain = client.post("/api/v1/assessments", json={"answers": {**ANSWERS, "occasions": 3}, "as_at": "2026-11-21"})
    assert with_point.status_code == 200 and with_point.get_json() == plain.get_json()
    response = client.post("/api/v1/assessments", json={"answers": {**ANSWERS, "occasions": 2.5}})
    assert response.status_code == 400 and errors_of(response) == [{"field": "occasions", "message": "must be a whole number"}]
