"""Answers are checked before the engine runs: every problem at once, never a partial result."""

from __future__ import annotations

import pytest

import rules

AS_AT = "2026-11-21"


def problems(assessor: rules.Assessor, answers: object) -> dict[str, str]:
    with pytest.raises(rules.AnswersError) as info:
        assessor.assess(answers, AS_AT)
    return {p.field: p.message for p in info.value.problems}


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"no_such_question": True}, "no_such_question", "is not a question"),
        ({"in_immediate_danger": "yes"}, "in_immediate_danger", "true or false"),
        ({"occasions": "3"}, "occasions", "whole number"),
        ({"occasions": True}, "occasions", "whole number"),
        ({"occasions": -1}, "occasions", "between 0 and"),
        ({"place": "mars"}, "place", "must be one of"),
        ({"behaviours": "following"}, "behaviours", "list of option ids"),
        ({"behaviours": ["flying"]}, "behaviours", "unknown option"),
        ({"behaviours": ["following", "following"]}, "behaviours", "more than once"),
        ({"behaviours": ["none", "following"]}, "behaviours", "cannot be chosen with"),
        ({"last_incident_date": "2026-02-30"}, "last_incident_date", "not a real date"),
        ({"last_incident_date": "01/02/2026"}, "last_incident_date", "YYYY-MM-DD"),
        ({"last_incident_date": "2027-01-01"}, "last_incident_date", "in the future"),
        ({"first_incident_date": "1900-01-01"}, "first_incident_date", "after 1950"),
        ({"incidents": {"date": "2026-01-01"}}, "incidents", "must be a list"),
        ({"incidents": [{"what_happened": "x"}]}, "incidents[0].date", "is required"),
        ({"incidents": [{"date": "2026-01-01", "colour": "red"}]}, "incidents[0].colour", "is not a field"),
        ({"incidents": [{"date": "2026-01-01", "behaviours": ["flying"]}]}, "incidents[0].behaviours", "unknown option"),
    ],
)
def test_each_kind_of_bad_answer_is_named(assessor: rules.Assessor, answers: dict, field: str, message: str) -> None:
    found = problems(assessor, answers)
    assert field in found, found
    assert message in found[field]


def test_every_problem_is_listed_at_once(assessor: rules.Assessor) -> None:
    found = problems(assessor, {"bogus": 1, "occasions": "x", "place": "mars", "last_incident_date": "2027-01-01"})
    assert set(found) == {"bogus", "occasions", "place", "last_incident_date"}


def test_answers_must_be_an_object(assessor: rules.Assessor) -> None:
    assert "(answers)" in problems(assessor, ["not", "a", "mapping"])


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"first_incident_date": "2026-10-01", "last_incident_date": "2026-09-01"}, "last_incident_date"),
        ({"occasions": 2, "fear_of_violence_occasions": 3}, "fear_of_violence_occasions"),
        ({"occasions": 1, "incidents": [{"date": "2026-10-01"}, {"date": "2026-10-02"}]}, "occasions"),
        ({"first_incident_date": "2026-10-05", "incidents": [{"date": "2026-10-01"}]}, "first_incident_date"),
        ({"last_incident_date": "2026-10-01", "incidents": [{"date": "2026-10-05"}]}, "last_incident_date"),
        (
            {"fear_of_violence_occasions": 2,
             "incidents": [{"date": "2026-10-01", "feared_violence": True}, {"date": "2026-10-05", "feared_violence": False}]},
            "fear_of_violence_occasions",
        ),
    ],
)
def test_contradictory_answers_are_refused(assessor: rules.Assessor, answers: dict, field: str) -> None:
    assert field in problems(assessor, answers)


def test_null_means_not_answered(assessor: rules.Assessor) -> None:
    result = assessor.assess({"place": None, "occasions": None}, AS_AT)
    assert result.jurisdiction.place is None


def test_as_at_must_be_a_date(assessor: rules.Assessor) -> None:
    with pytest.raises(rules.AnswersError) as info:
        assessor.assess({}, "next tuesday")
    assert info.value.problems[0].field == "as_at"


def test_incidents_give_the_course_of_conduct(assessor: rules.Assessor) -> None:
    result = assessor.assess(
        {"incidents": [
            {"date": "2026-09-01", "behaviours": ["following"], "feared_violence": True},
            {"date": "2026-10-20", "behaviours": ["following", "contacting"], "feared_violence": False},
            {"date": "2026-09-10", "behaviours": ["contacting"], "feared_violence": True},
        ]},
        AS_AT,
    )
    coc = result.course_of_conduct
    assert (coc.occasions, coc.first_incident.isoformat(), coc.last_incident.isoformat()) == (3, "2026-09-01", "2026-10-20")
    assert coc.longest_gap_days == 40
    assert coc.same_kind_of_conduct is True
    assert result.to_dict()["course_of_conduct"]["occasions"] == 3


def test_schema_matches_the_questions(knowledge: rules.KnowledgeBase) -> None:
    schema = rules.answers_schema(knowledge)
    assert set(schema["properties"]) == {q.id for q in knowledge.questions}
    assert schema["additionalProperties"] is False


def test_schema_accepts_what_validation_accepts(knowledge: rules.KnowledgeBase) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = rules.answers_schema(knowledge)
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {"place": "england", "occasions": 2, "behaviours": ["following"], "last_incident_date": "2026-11-01",
            "incidents": [{"date": "2026-10-01", "behaviours": ["contacting"], "feared_violence": True}]}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"place": "mars"}, schema)


def test_a_screening_option_answers_the_questions_it_means_or_rules_out(knowledge: rules.KnowledgeBase) -> None:
    from rules.answers import with_implied

    implied = with_implied(knowledge, {"also_involved": ("sexual",)})
    assert implied["sexual_nature"] is True
    assert implied["pressure_purpose"] is False
    assert implied["hostility"] == ("none",)
    assert implied["controlling_behaviour"] is False
    # What the person said themselves always stands.
    assert with_implied(knowledge, {"also_involved": ("none",), "hostility": ("race",)})["hostility"] == ("race",)
    assert with_implied(knowledge, {}) == {}
