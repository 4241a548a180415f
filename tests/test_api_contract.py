"""The API's contract: real responses validate against the OpenAPI document's own schemas.

Every object the API returns is described field by field (``additionalProperties: false``
and a description on every property), so a field added to a response without being added
to its type in rules/result_types.py (from which web/openapi.py generates the assessment's
schemas) fails here. The answers come from the scenario cases (the first and the
last of each file) and a few edge cases, and are sent to POST /api/v1/assessments
(the default summary and ``?explain=full``) and POST /api/v1/next-question.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from pathlib import Path

import jsonschema
import pytest
import yaml

from web import openapi

if t.TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
EDGE_CASES: list[tuple[dict[str, t.Any], str]] = [
    ({}, "2026-11-21"),
    ({"in_immediate_danger": True}, "2026-11-21"),
    ({"place": "scotland", "target": "me"}, "2026-11-21"),
    ({"place": "england", "target": "me", "incidents": [
        {"date": "2026-01-02", "behaviours": ["following"]},
        {"date": "2026-01-09", "behaviours": ["loitering"], "feared_violence": True}]}, "2026-11-21"),
]


def _plain(value: t.Any) -> t.Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cases() -> list[tuple[dict[str, t.Any], str]]:
    cases = list(EDGE_CASES)
    for path in sorted(SCENARIOS.glob("*.yaml")):
        found = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for case in {id(c): c for c in (found[0], found[-1])}.values():
            cases.append((_plain(case["answers"]), str(case.get("as_at", "2026-11-21"))))
    return cases


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, t.Any]:
    return t.cast("dict[str, t.Any]", app.test_client().get("/api/v1/openapi.json").get_json())


def _validator(document: dict[str, t.Any], schema: dict[str, t.Any]) -> jsonschema.Draft202012Validator:
    root = {**schema, "components": document["components"]}
    jsonschema.Draft202012Validator.check_schema(root)
    return jsonschema.Draft202012Validator(root)


def _response_schema(document: dict[str, t.Any], path: str) -> dict[str, t.Any]:
    return t.cast("dict[str, t.Any]",
                  document["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"])


def _problems(validator: jsonschema.Draft202012Validator, body: t.Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator.iter_errors(body)][:5]


def test_real_responses_validate_against_the_openapi_document(client: FlaskClient, document: dict[str, t.Any]) -> None:
    assessments = _validator(document, _response_schema(document, "/assessments"))
    summary = _validator(document, {"$ref": "#/components/schemas/AssessmentSummary"})
    full = _validator(document, {"$ref": "#/components/schemas/Assessment"})
    interview = _validator(document, _response_schema(document, "/next-question"))
    errors = _validator(document, {"$ref": "#/components/schemas/Errors"})
    shapes: set[str] = set()
    refused = 0
    cases = _cases()
    for answers, as_at in cases:
        body = {"answers": answers, "as_at": as_at}
        # The default is the summary; ?explain=summary says so (the edge cases ask for it by name).
        default = "?explain=summary" if (answers, as_at) in EDGE_CASES else ""
        for query, shape in ((default, summary), ("?explain=full", full)):
            response = client.post(f"/api/v1/assessments{query}", json=body)
            result = response.get_json()
            if response.status_code == 400:  # a scenario of answers the validator refuses
                assert not _problems(errors, result), (answers, _problems(errors, result))
                refused += 1
                continue
            assert response.status_code == 200, (answers, result)
            assert not _problems(shape, result), (query, answers, _problems(shape, result))
            assert not _problems(assessments, result), (query, answers, _problems(assessments, result))
            shapes.add(result["explain"])
        response = client.post("/api/v1/next-question", json=body)
        result = response.get_json()
        if response.status_code == 400:
            assert not _problems(errors, result), (answers, _problems(errors, result))
            continue
        assert response.status_code == 200, (answers, result)
        assert not _problems(interview, result), (answers, _problems(interview, result))
    assert shapes == {"summary", "full"}
    assert refused < len(cases)  # nearly every case is assessed


def test_every_field_of_every_response_is_described(document: dict[str, t.Any]) -> None:
    """Every object a response can hold lists its fields, closed, each with a description."""
    schemas = document["components"]["schemas"]
    undescribed: list[str] = []
    open_objects: list[str] = []

    def walk(schema: t.Any, where: str) -> None:
        if not isinstance(schema, dict):
            return
        if "properties" in schema:
            if schema.get("additionalProperties") is not False:
                open_objects.append(where)
            for name, sub in schema["properties"].items():
                if "description" not in sub:
                    undescribed.append(f"{where}.{name}")
                walk(sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            walk(schema.get(key), f"{where}[]" if key == "items" else f"{where}{{}}")
        for key in ("oneOf", "anyOf", "allOf"):
            for i, sub in enumerate(schema.get(key, [])):
                walk(sub, f"{where}|{i}")

    # The assessment's schemas are generated from rules.result_types: every one of them is walked.
    responses = ("NextQuestion", "QuestionList", "Question", *openapi.assessment_schemas())
    assert {"Assessment", "AssessmentSummary", "ProvisionResult", "ProvisionSummary", "ElementResult", "Reason",
            "TimeLimit", "Citation", "MissingAnswer", "SafetyAdvice"} <= set(responses)
    for name in responses:
        walk(schemas[name], name)
    assert not undescribed, undescribed
    assert not open_objects, open_objects


def test_a_field_the_document_does_not_list_is_refused(client: FlaskClient, document: dict[str, t.Any]) -> None:
    """The check above has teeth: an extra field, or a missing one, fails validation."""
    full = _validator(document, {"$ref": "#/components/schemas/Assessment"})
    result = client.post("/api/v1/assessments?explain=full", json={"answers": {"place": "england"}}).get_json()
    assert not _problems(full, result)
    result["offences"][0]["surprise"] = 1
    assert _problems(full, result)
    del result["offences"][0]["surprise"]
    del result["offences"][0]["elements"][0]["law"]
    assert _problems(full, result)
