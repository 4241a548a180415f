"""The typed shape of an assessment (rules/result_types.py) against what the API returns.

Every scenario case's answers are sent to POST /api/v1/assessments in both shapes (the default
summary and ``?explain=full``); each response converts to its type with ``strict=True`` and
encodes back to the same JSON, so a field the API adds, drops or renames, or a value outside an
enumeration, fails here. The OpenAPI document's assessment schemas are exactly what msgspec
generates from the types, and every field of a real response is described there.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path

import jsonschema
import msgspec
import pytest

import rules
from rules import result_types as rt
from rules.assessment import ELEMENT_STATUSES
from rules.assessment import PROVISION_STATUSES
from rules.load.help import CONTACT_KINDS
from rules.load.provisions import WHO
from rules.model import PROVISION_KINDS
from rules.model import TIME_LIMIT_KINDS
from rules.model import VERIFICATION_LEVELS
from web import api

from .test_scenarios import CASES
from .test_scenarios import _json_ready

if t.TYPE_CHECKING:
    from flask import Flask

URL = "/api/v1/assessments"
Shape = t.Literal["summary", "full"]


def _scenario_bodies() -> list[tuple[str, dict[str, t.Any]]]:
    """Each scenario case's answers as the API is sent them (dates as JSON gives them)."""
    return [(str(param.id), {"answers": _json_ready(param.values[0]["answers"]),
                             "as_at": str(param.values[0].get("as_at", "2026-11-21"))})
            for param in CASES]


@pytest.fixture(scope="module")
def responses(app: Flask) -> dict[Shape, list[tuple[str, dict[str, t.Any]]]]:
    """Every scenario case's assessment in both shapes (cases whose answers are refused left out)."""
    client = app.test_client()
    out: dict[Shape, list[tuple[str, dict[str, t.Any]]]] = {"summary": [], "full": []}
    for name, body in _scenario_bodies():
        for shape, query in (("summary", ""), ("full", "?explain=full")):
            response = client.post(f"{URL}{query}", json=body)
            if response.status_code == 400:  # a case about answers the engine refuses
                continue
            assert response.status_code == 200, (name, response.get_json())
            out[t.cast("Shape", shape)].append((name, response.get_json()))
    return out


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, t.Any]:
    return t.cast("dict[str, t.Any]", app.test_client().get("/api/v1/openapi.json").get_json())


def _convert(result: dict[str, t.Any], shape: Shape) -> msgspec.Struct:
    return msgspec.convert(result, type=rt.SHAPES[shape], strict=True)


# -- every real response converts, and nothing is lost ----------------------------------------


@pytest.mark.parametrize("shape", ["summary", "full"])
def test_every_scenario_assessment_converts_strictly_and_back(
        responses: dict[Shape, list[tuple[str, dict[str, t.Any]]]], shape: Shape) -> None:
    cases = responses[shape]
    assert len(cases) >= 300  # nearly every scenario case is assessed
    for name, result in cases:
        try:
            typed = _convert(result, shape)
        except msgspec.ValidationError as error:
            raise AssertionError(f"{name} ({shape}): {error}") from None
        assert isinstance(typed, rt.SHAPES[shape])
        # The types hold every value: encoded again they give the response back, field for field.
        assert msgspec.json.decode(msgspec.json.encode(typed)) == result, name


def test_the_shapes_are_the_apis() -> None:
    assert tuple(rt.SHAPES) == api.EXPLAIN


# -- the types refuse what the API does not give ----------------------------------------------


def _a_full_response(app: Flask) -> dict[str, t.Any]:
    body = {"answers": {"place": "scotland", "target": "me", "incidents": [
        {"date": "2026-01-02", "behaviours": ["following"]},
        {"date": "2026-01-09", "behaviours": ["loitering"], "feared_violence": True}]}, "as_at": "2026-11-21"}
    return t.cast("dict[str, t.Any]", app.test_client().post(f"{URL}?explain=full", json=body).get_json())


def _refused(result: dict[str, t.Any], shape: Shape) -> str:
    with pytest.raises(msgspec.ValidationError) as caught:
        _convert(result, shape)
    return str(caught.value)


@pytest.mark.parametrize("where", [(), ("safety",), ("offences", 0), ("offences", 0, "elements", 0),
                                   ("course_of_conduct", "linked"), ("jurisdiction", "other_law", 0)])
def test_an_unknown_field_is_refused_at_any_depth(app: Flask, where: tuple[str | int, ...]) -> None:
    result = _a_full_response(app)
    _convert(result, "full")
    part: t.Any = result
    for step in where:
        part = part[step]
    part["surprise"] = 1
    assert "unknown field `surprise`" in _refused(result, "full")


def test_a_missing_required_field_is_refused(app: Flask) -> None:
    result = _a_full_response(app)
    del result["offences"][0]["elements"][0]["law"]
    assert "missing required field `law`" in _refused(result, "full")
    result = _a_full_response(app)
    del result["citations"][next(iter(result["citations"]))]["checked_on"]
    assert "missing required field `checked_on`" in _refused(result, "full")
    summary = app.test_client().post(URL, json={"answers": {"place": "england"}}).get_json()
    _convert(summary, "summary")
    for key in ("status_text", "explain"):
        broken = {k: v for k, v in summary.items() if k != key}
        assert f"missing required field `{key}`" in _refused(broken, "summary")


def test_a_value_outside_an_enumeration_or_of_the_wrong_type_is_refused(app: Flask) -> None:
    for where, key, value in (((), "explain", "summary"), (("offences", 0), "status", "committed"),
                        (("time_limits", 0), "kind", "from_whenever"), (("risk",), "level", "extreme"),
                        (("time_limits", 0), "months", "six"), ((), "as_at", "21/11/2026"),
                        (("offences", 0), "citation", "not-a-citation-id")):
        result = _a_full_response(app)
        part: t.Any = result
        for step in where:
            part = part[step]
        part[key] = value
        _refused(result, "full")


def test_an_optional_field_of_the_summary_may_be_absent_but_not_null(app: Flask) -> None:
    summary = app.test_client().post(URL, json={"answers": {"place": "england"}}).get_json()
    fits = next(p for p in summary["offences"] if p["status"] != "not_met")
    for key in ("title", "reason", "missing"):
        fits.pop(key, None)
    _convert(summary, "summary")
    fits["missing"] = []  # absent when none, never empty
    _refused(summary, "summary")
    fits["missing"] = None
    _refused(summary, "summary")


# -- the enumerations are the engine's and the knowledge's -------------------------------------


def test_the_enumerations_are_the_engines(knowledge: rules.KnowledgeBase) -> None:
    assert t.get_args(rt.ProvisionStatus) == PROVISION_STATUSES
    assert tuple(rt.StatusText.__struct_fields__) == PROVISION_STATUSES
    assert t.get_args(rt.ElementStatus) == ELEMENT_STATUSES
    assert t.get_args(rt.TimeLimitKind) == TIME_LIMIT_KINDS
    assert t.get_args(rt.ProvisionKind) == PROVISION_KINDS
    assert t.get_args(rt.VerificationLevel) == tuple(VERIFICATION_LEVELS)
    assert t.get_args(rt.Who) == WHO
    assert t.get_args(rt.ContactKind) == CONTACT_KINDS
    assert knowledge.risk is not None
    assert t.get_args(rt.RiskLevel) == tuple(level.id for level in knowledge.risk.levels)
    groups = tuple(dict.fromkeys(a.group for a in knowledge.safety_advice))
    assert set(t.get_args(rt.AdviceGroup)) == set(groups)


def test_every_time_limit_status_the_engine_gives_is_listed() -> None:
    """rules.explain writes the time limit's statuses inline: each one it writes is in the type."""
    source = (Path(rules.__file__).parent / "explain.py").read_text(encoding="utf-8")
    block = source[source.index("def _time_limit("):source.index("def _advice(")]
    written = set(re.findall(r'status = "(\w+)"', block))
    assert written == set(t.get_args(rt.TimeLimitStatus))


# -- the OpenAPI document ----------------------------------------------------------------------


def test_the_documents_assessment_schemas_are_exactly_what_msgspec_generates(document: dict[str, t.Any]) -> None:
    _, generated = msgspec.json.schema_components((rt.AssessmentSummary, rt.Assessment),
                                                  ref_template="#/components/schemas/{name}")
    schemas = document["components"]["schemas"]
    assert {"Assessment", "AssessmentSummary", "ProvisionResult", "ProvisionSummary", "Citation"} <= set(generated)
    for name, schema in generated.items():
        assert schemas[name] == msgspec.json.decode(msgspec.json.encode(schema)), name
    response = document["paths"]["/assessments"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"oneOf": [{"$ref": "#/components/schemas/AssessmentSummary"},
                                  {"$ref": "#/components/schemas/Assessment"}]}
    # Every reference points at a schema the document has.
    refs = set()

    def walk(value: t.Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                refs.add(value["$ref"].removeprefix("#/components/schemas/"))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert refs <= set(schemas)


def test_the_document_is_valid_openapi_31(document: dict[str, t.Any]) -> None:
    """Against the OpenAPI 3.1 schema schemathesis itself checks documents with, and each
    component against the JSON Schema 2020-12 meta-schema."""
    from schemathesis.specs.openapi import definitions

    jsonschema.Draft202012Validator(definitions.OPENAPI_31).validate(document)
    for name, schema in document["components"]["schemas"].items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            raise AssertionError(f"{name}: {error.message}") from None


def _resolve(schema: dict[str, t.Any], schemas: dict[str, t.Any], value: t.Any) -> dict[str, t.Any]:
    """The schema that describes ``value``: through a $ref, and to the branch of an anyOf/oneOf it takes."""
    while True:
        if "$ref" in schema:
            schema = schemas[schema["$ref"].removeprefix("#/components/schemas/")]
            continue
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            if value is None:
                return {"type": "null"}
            schema = next(b for b in branches if b.get("type") != "null")
            continue
        return schema


def _undescribed(value: t.Any, schema: dict[str, t.Any], schemas: dict[str, t.Any], where: str,
                 seen: set[str], undescribed: set[str]) -> None:
    schema = _resolve(schema, schemas, value)
    if isinstance(value, dict):
        properties = schema.get("properties")
        for key, item in value.items():
            if properties is None:  # a map (citations by id): its values are the fields' holders
                _undescribed(item, schema["additionalProperties"], schemas, f"{where}{{}}", seen, undescribed)
                continue
            field = properties.get(key)
            path = f"{where}.{key}"
            if field is None or not field.get("description"):
                undescribed.add(path)
                continue
            seen.add(path)
            _undescribed(item, field, schemas, path, seen, undescribed)
    elif isinstance(value, list):
        for item in value:
            _undescribed(item, schema["items"], schemas, f"{where}[]", seen, undescribed)


@pytest.mark.parametrize("shape", ["summary", "full"])
def test_every_field_of_real_responses_is_described_in_the_document(
        responses: dict[Shape, list[tuple[str, dict[str, t.Any]]]], document: dict[str, t.Any], app: Flask,
        shape: Shape) -> None:
    schemas = document["components"]["schemas"]
    root = {"$ref": f"#/components/schemas/{rt.SHAPES[shape].__name__}"}
    seen: set[str] = set()
    undescribed: set[str] = set()
    results = [result for _, result in responses[shape]]
    if shape == "full":
        results.append(_a_full_response(app))  # a place with its own law: other_law and its laws
    for result in results:
        _undescribed(result, root, schemas, "", seen, undescribed)
    assert not undescribed, sorted(undescribed)
    # The walk reached the deep fields (so it did not stop early).
    deep = {".offences[].status", ".time_limits[].status"} | (
        {".offences[].elements[].reasons[].because", ".citations{}.checked_on", ".jurisdiction.other_law[].laws",
         ".course_of_conduct.incidents[].date"} if shape == "full" else {".status_text.may_apply"})
    assert seen >= deep, sorted(deep - seen)


def test_every_field_of_every_type_is_described() -> None:
    """Every Struct in both shapes has a description, and so has each of its fields."""
    found: set[type] = set()

    def collect(info: msgspec.inspect.Type) -> None:
        if isinstance(info, msgspec.inspect.StructType):
            if info.cls in found:
                return
            found.add(info.cls)
            assert info.cls.__doc__, info.cls
            for field in info.fields:
                assert isinstance(field.type, msgspec.inspect.Metadata), (info.cls.__name__, field.name)
                assert (field.type.extra_json_schema or {}).get("description"), (info.cls.__name__, field.name)
                collect(field.type)
        elif isinstance(info, msgspec.inspect.Metadata):
            collect(info.type)
        elif isinstance(info, msgspec.inspect.CollectionType):
            collect(info.item_type)
        elif isinstance(info, msgspec.inspect.DictType):
            collect(info.value_type)
        elif isinstance(info, msgspec.inspect.UnionType):
            for sub in info.types:
                collect(sub)

    for shape in rt.SHAPES.values():
        collect(msgspec.inspect.type_info(shape))
    assert len(found) >= 30
