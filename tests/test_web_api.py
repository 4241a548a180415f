"""The JSON API: assessments, questions, schema and the OpenAPI document."""

from __future__ import annotations

import json
import typing as t

import jsonschema
import pytest
from flask import Flask

if t.TYPE_CHECKING:
    from flask.testing import FlaskClient

URL = "/api/v1/assessments"


def a_boolean(kb: t.Any) -> str:
    return next(q.id for q in kb.questions if q.type == "boolean")


def assert_errors(response: t.Any, status: int) -> list[dict[str, t.Any]]:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"errors"}
    assert body["errors"] and all(isinstance(e["message"], str) for e in body["errors"])
    assert "Traceback" not in response.get_data(as_text=True)
    return t.cast("list[dict[str, t.Any]]", body["errors"])


# -- assessments ----------------------------------------------------------------------------------------


def test_assess_returns_the_engines_assessment(client: FlaskClient, app: Flask, kb: t.Any) -> None:
    from web.api import expand_citations

    answers = {a_boolean(kb): True}
    response = client.post(f"{URL}?explain=full", json={"answers": answers, "as_at": "2026-01-15"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["explain"] == "full"
    assert expand_citations(body) == app.extensions["assessor"].assess(answers, "2026-01-15").to_dict()
    assert body["as_at"] == "2026-01-15"
    assert body["knowledge_version"] == kb.version
    assert response.headers["Cache-Control"] == "no-store"


REALISTIC = {
    "place": "england", "target": "me", "relationship": "former_partner", "same_person": True,
    "behaviours": ["following", "contacting", "turning_up", "threats"], "told_to_stop": True,
    "incidents": [{"date": f"2026-{m:02d}-{d:02d}", "behaviours": ["contacting"], "feared_violence": d == 3}
                  for m in (6, 7, 8, 9, 10) for d in (3, 16)],
    "alarmed_or_distressed": True, "distress_level": "serious",
}


def assessment_knowledge(app: Flask) -> t.Any:
    return app.extensions["assessor"].knowledge


def test_the_default_response_is_the_summary_and_small(client: FlaskClient, app: Flask) -> None:
    response = client.post(URL, json={"answers": REALISTIC, "as_at": "2026-11-21"})
    assert response.status_code == 200
    full = client.post(f"{URL}?explain=full", json={"answers": REALISTIC, "as_at": "2026-11-21"})
    assert len(response.get_data()) * 8 < len(full.get_data()), "the summary is a small part of the whole"
    body = response.get_json()
    assessment = app.extensions["assessor"].assess(REALISTIC, "2026-11-21")
    assert body["explain"] == "summary"
    assert "trace" not in body and "citations" not in body and "signs" not in body
    assert {"elements", "exceptions", "citation"}.isdisjoint(body["offences"][0])
    said = body["status_text"]
    assert said == {k: v for k, v in assessment_knowledge(app).meta.status_text.items() if k in said}
    for p in assessment.offences + assessment.orders:
        got = next(x for x in body["offences"] + body["orders"] if x["id"] == p.id)
        if p.status == "not_met":  # by id and status only: ?explain=full names it and says why
            assert got == {"id": p.id, "status": "not_met"}
            continue
        assert (got["title"], got["status"], got.get("missing", [])) == (p.title, p.status, list(p.missing))
        # The status's sentence, given once, then what the law's own answers add: the whole reason.
        assert " ".join(x for x in (said[p.status], got.get("reason")) if x) == p.reason
    assert len(body["offences"]) + len(body["orders"]) == len(assessment.offences) + len(assessment.orders)
    assert body["risk"]["level"] == assessment.risk.level
    assert [s["id"] for s in body["services"]] == [s.id for s in assessment.services]
    assert [x["status"] for x in body["time_limits"]] == [x.status for x in assessment.time_limits]
    assert body["missing"] == [m.question for m in assessment.missing]
    assert body["safety"] == assessment.safety.to_dict()


#: A whole call (benchmarks/engine.py's): a former partner, a dozen dated incidents, most questions answered.
WHOLE_CALL = {
    "in_immediate_danger": False, "place": "england", "target": "me", "age_band": "18_or_over", "gender": "woman",
    "relationship": "former_partner", "lived_together": True, "relationship_length": "over_12_months",
    "child_together": False, "separated_on": "2026-05-01", "same_person": True,
    "behaviours": ["following", "contacting", "turning_up", "monitoring_electronic", "threats"],
    "incidents": [{"date": f"2026-{m:02d}-{d:02d}", "behaviours": ["contacting", "turning_up"],
                   "feared_violence": d % 2 == 0} for m in (6, 7, 8, 9, 10, 11) for d in (3, 16)],
    "told_to_stop": True, "lawful_role": "none", "controlling_behaviour": True, "hostility": ["none"],
    "where_it_happens": "elsewhere", "sexual_nature": False, "alarmed_or_distressed": True,
    "distress_level": "serious", "fear_for_others": True,
    "daily_life_changes": ["changed_route_or_routine", "extra_home_security"], "message_content": ["menacing"],
    "sent_electronically": True, "meant_to_distress": True, "intimate_images": ["none"], "order_in_place": ["none"],
    "reported_to_police": True,
}


def test_the_default_response_for_a_whole_call_is_at_most_16_kb(client: FlaskClient) -> None:
    """Issue 10's goal for the default shape (a size, not a time); ?explain=full has the rest."""
    response = client.post(URL, json={"answers": WHOLE_CALL, "as_at": "2026-11-21"})
    assert response.status_code == 200
    assert len(response.get_data()) <= 16 * 1024
    full = client.post(f"{URL}?explain=full", json={"answers": WHOLE_CALL, "as_at": "2026-11-21"}).get_json()
    body = response.get_json()
    assert [p["id"] for p in body["offences"]] == [p["id"] for p in full["offences"]]


def test_the_full_response_gives_each_citation_once_by_id(client: FlaskClient) -> None:
    body = client.post(f"{URL}?explain=full", json={"answers": REALISTIC, "as_at": "2026-11-21"}).get_json()
    assert body["trace"] and body["offences"][0]["elements"]
    citations = body["citations"]
    assert citations and all(key.startswith("cite-") and value["url"] for key, value in citations.items())
    referred = [e["citation"] for o in body["offences"] for e in o["elements"]] + [o["citation"] for o in body["offences"]]
    assert all(isinstance(c, str) and c in citations for c in referred)
    again = client.post(f"{URL}?explain=full", json={"answers": {}, "as_at": "2026-11-21"}).get_json()
    same = set(again["citations"]) & set(citations)
    assert same and all(again["citations"][k] == citations[k] for k in same), "ids are stable across responses"


def test_an_unknown_explain_is_a_400(client: FlaskClient) -> None:
    errors = assert_errors(client.post(f"{URL}?explain=everything", json={"answers": {}}), 400)
    assert errors[0]["field"] == "?explain"


def test_as_at_may_be_given_in_the_query(client: FlaskClient) -> None:
    assert client.post(f"{URL}?as_at=2025-06-01", json={"answers": {}}).get_json()["as_at"] == "2025-06-01"


def test_as_at_in_the_body_wins(client: FlaskClient) -> None:
    response = client.post(f"{URL}?as_at=2025-06-01", json={"answers": {}, "as_at": "2025-07-01"})
    assert response.get_json()["as_at"] == "2025-07-01"


def test_every_problem_with_the_answers_is_listed(client: FlaskClient, kb: t.Any) -> None:
    response = client.post(URL, json={"answers": {"no_such_question": 1, a_boolean(kb): "maybe"}})
    errors = assert_errors(response, 400)
    assert {e["field"] for e in errors} == {"no_such_question", a_boolean(kb)}


def test_a_bad_as_at_is_a_400(client: FlaskClient) -> None:
    errors = assert_errors(client.post(URL, json={"answers": {}, "as_at": "yesterday"}), 400)
    assert errors[0]["field"] == "as_at"


@pytest.mark.parametrize(
    ("body", "field"),
    [([], "(body)"), ({}, "answers"), ({"answers": {}, "extra": 1}, "extra"), ({"answers": {}, "as_at": 5}, "as_at")],
)
def test_the_request_shape_is_checked(client: FlaskClient, body: t.Any, field: str) -> None:
    errors = assert_errors(client.post(URL, json=body), 400)
    assert field in {e["field"] for e in errors}


def test_invalid_json_is_a_400(client: FlaskClient) -> None:
    errors = assert_errors(client.post(URL, data='{"answers": ', content_type="application/json"), 400)
    assert errors[0]["field"] == "(body)"
    assert "not valid JSON" in errors[0]["message"]


def test_only_json_is_accepted(client: FlaskClient) -> None:
    assert_errors(client.post(URL, data={"answers": "{}"}), 415)
    assert_errors(client.post(URL, data="{}", content_type="text/plain"), 415)


def test_a_body_over_the_limit_is_a_413(client: FlaskClient) -> None:
    big = json.dumps({"answers": {"x": "y" * (65 * 1024)}})
    assert_errors(client.post(URL, data=big, content_type="application/json"), 413)


def test_the_api_uses_no_session(client: FlaskClient) -> None:
    response = client.post(URL, json={"answers": {}})
    assert "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in client.get("/api/v1/questions").headers


# -- errors under /api/ ------------------------------------------------------------------------------------


def test_unknown_api_path_is_json_404(client: FlaskClient) -> None:
    errors = assert_errors(client.get("/api/v1/nothing-here"), 404)
    assert errors[0]["status"] == 404


def test_wrong_method_is_json_405(client: FlaskClient) -> None:
    assert_errors(client.get(URL), 405)
    assert_errors(client.delete("/api/v1/questions"), 405)


def test_a_post_to_an_unknown_api_path_is_404_not_a_csrf_error(client: FlaskClient) -> None:
    assert_errors(client.post("/api/v1/nothing-here", json={}), 404)


# -- questions, schema, OpenAPI ---------------------------------------------------------------------------------


def test_questions_lists_every_question_in_order(client: FlaskClient, kb: t.Any) -> None:
    body = client.get("/api/v1/questions").get_json()
    assert body["knowledge_version"] == kb.version
    assert [q["id"] for q in body["questions"]] == [q.id for q in kb.questions]
    first = body["questions"][0]
    assert set(first) >= {"id", "section", "text", "hint", "why", "type", "options"}
    lists = [q for q in body["questions"] if q["type"] == "incidents"]
    assert all(q["item_fields"] for q in lists)


def test_schema_is_a_valid_json_schema_that_accepts_empty_answers(client: FlaskClient) -> None:
    schema = client.get("/api/v1/schema").get_json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate({}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"no_such_question": True}, schema)


def test_openapi_document_describes_every_route(client: FlaskClient, app: Flask, kb: t.Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["version"] == kb.version
    api_rules = {r.rule.removeprefix("/api/v1") for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert set(doc["paths"]) == api_rules
    responses = doc["paths"]["/assessments"]["post"]["responses"]
    assert {"200", "400", "413", "415"} <= set(responses)


def test_openapi_schemas_are_valid_and_match_real_responses(client: FlaskClient, kb: t.Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    registry_doc = {"components": {"schemas": schemas}}

    def validator(name: str) -> jsonschema.Draft202012Validator:
        schema = {**schemas[name], "components": registry_doc["components"]}
        jsonschema.Draft202012Validator.check_schema(schema)
        return jsonschema.Draft202012Validator(schema)

    validator("AssessmentSummary").validate(client.post(URL, json={"answers": {}}).get_json())
    validator("AssessmentSummary").validate(client.post(URL, json={"answers": REALISTIC}).get_json())
    validator("Assessment").validate(client.post(f"{URL}?explain=full", json={"answers": REALISTIC}).get_json())
    validator("QuestionList").validate(client.get("/api/v1/questions").get_json())
    validator("Errors").validate(client.post(URL, json={"answers": {"nope": 1}}).get_json())
    validator("Errors").validate(client.get("/api/v1/nothing").get_json())
    validator("AssessmentRequest").validate({"answers": {a_boolean(kb): True}, "as_at": "2026-01-01"})


# -- the interview ------------------------------------------------------------------------------------------


def test_next_question_asks_the_danger_question_first(client: t.Any, kb: t.Any) -> None:
    body = client.post("/api/v1/next-question", json={"answers": {}}).get_json()
    assert body["next"]["id"] == kb.meta.danger_question
    assert body["done"] is False
    assert body["worth_asking"][0] == body["next"]["id"]
    for key in ("text", "hint", "type", "options", "why"):
        assert key in body["next"]
    assert body["knowledge_version"] == kb.version
    assert body["ignored"] == []


def test_next_question_names_ignored_answers_and_refuses_bad_ones(client: t.Any) -> None:
    body = client.post("/api/v1/next-question",
                       json={"answers": {"relationship": "stranger", "separated_on": "2026-01-01"},
                             "as_at": "2026-11-21"}).get_json()
    assert "separated_on" in body["ignored"]
    bad = client.post("/api/v1/next-question", json={"answers": {"relationship": "alien"}})
    assert bad.status_code == 400 and bad.get_json()["errors"]
    assert client.post("/api/v1/next-question", data="x", content_type="text/plain").status_code == 415


def test_next_question_is_documented(client: t.Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "post" in doc["paths"]["/next-question"]
    schema = doc["components"]["schemas"]["NextQuestion"]
    for name in ("knowledge_version", "done", "next", "worth_asking", "could_change", "ignored", "single_incident"):
        assert "description" in schema["properties"][name], name
