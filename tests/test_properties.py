"""Property-based tests: valid answers always give a well-formed assessment; invalid ones the error."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import rules
from rules.assessment import ELEMENT_STATUSES
from rules.assessment import PROVISION_STATUSES
from rules.model import Question

KB = rules.default_assessor().knowledge
AS_AT = dt.date(2026, 11, 21)
dates = st.dates(min_value=dt.date(2005, 1, 1), max_value=AS_AT).map(dt.date.isoformat)


def value_for(kind: str, options: t.Sequence[t.Any], item_fields: t.Sequence[t.Any] = ()) -> st.SearchStrategy[t.Any]:
    ids = [o.id for o in options]
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=0, max_value=40)
    if kind == "date":
        return dates
    if kind == "text":
        return st.text(max_size=40)
    if kind == "choice":
        return st.sampled_from(ids)
    if kind == "multi_choice":
        plain = [o.id for o in options if not o.exclusive]
        exclusive = [[o.id] for o in options if o.exclusive]
        return st.one_of(st.lists(st.sampled_from(plain), unique=True, max_size=5), *(st.just(e) for e in exclusive))
    if kind == "incidents":
        item = st.fixed_dictionaries(
            {"date": dates},
            optional={f.id: value_for(f.type, f.options) for f in item_fields if f.id != "date"},
        )
        return st.lists(item, max_size=6)
    raise AssertionError(kind)


def _answers(question_list: t.Sequence[Question]) -> st.SearchStrategy[dict[str, t.Any]]:
    return st.fixed_dictionaries(
        {}, optional={q.id: value_for(q.type, q.options, q.item_fields) for q in question_list}
    )


answers = _answers(KB.questions)


def well_formed(result: dict[str, t.Any]) -> None:
    json.dumps(result)
    assert result["as_at"] == AS_AT.isoformat()
    assert result["knowledge_version"] == KB.version
    assert "not legal advice" in result["notice"]
    for p in result["offences"] + result["orders"]:
        assert p["status"] in PROVISION_STATUSES
        assert p["reason"]
        assert p["citation"]["url"].startswith("https://")
        for e in p["elements"]:
            assert e["status"] in ELEMENT_STATUSES
        if p["status"] == "not_met":
            assert any(e["status"] == "not_met" for e in p["elements"]) or any(
                x["outcome"] == "not_met" for x in p["exceptions"])
        if p["status"] == "may_apply":
            assert all(e["status"] == "met" for e in p["elements"])
    assert result["safety"]["emergency"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers)
def test_any_answers_give_an_assessment_or_the_error_never_anything_else(given_answers: dict[str, t.Any]) -> None:
    try:
        result = rules.default_assessor().assess(given_answers, AS_AT)
    except rules.AnswersError as exc:
        assert exc.problems, "an error always lists its problems"
        assert all(p.field and p.message for p in exc.problems)
        return
    well_formed(result.to_dict())


bad_values = st.one_of(st.none().map(lambda _: {"unexpected": "object"}), st.floats(allow_nan=False), st.text(min_size=1).map(lambda s: ["x" + s]))


@settings(max_examples=200, deadline=None)
@given(answers, st.sampled_from([q.id for q in KB.questions if q.type != "text"]), bad_values)
def test_a_wrong_value_always_gives_the_error(given_answers: dict[str, t.Any], question: str, bad: t.Any) -> None:
    given_answers = dict(given_answers)
    given_answers[question] = bad
    try:
        rules.default_assessor().assess(given_answers, AS_AT)
    except rules.AnswersError as exc:
        assert question in {p.field.split("[")[0].split(".")[0] for p in exc.problems}
    else:
        raise AssertionError(f"{question}={bad!r} was accepted")


@settings(max_examples=100, deadline=None)
@given(answers, st.text(min_size=1, max_size=20).filter(lambda k: k not in {q.id for q in KB.questions}))
def test_an_unknown_question_always_gives_the_error(given_answers: dict[str, t.Any], key: str) -> None:
    given_answers = dict(given_answers)
    given_answers[key] = True
    try:
        rules.default_assessor().assess(given_answers, AS_AT)
    except rules.AnswersError as exc:
        assert key in {p.field for p in exc.problems}
    else:
        raise AssertionError("an unknown question was accepted")
