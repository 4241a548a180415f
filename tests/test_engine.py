"""The experta engine and the plain-Python floor decide the same, on every scenario and at random."""

from __future__ import annotations

import threading

import pytest

import rules
from rules.compiler import compile_rules

from .test_scenarios import CASES
from .test_scenarios import _json_ready


def _scenario_answers() -> list[tuple[dict, str]]:
    out = []
    for param in CASES:
        case = param.values[0]
        if "error_fields" not in case["expect"]:
            out.append((_json_ready(case["answers"]), str(case["as_at"])))
    return out


def test_experta_and_plain_python_fire_the_same_rules_on_every_scenario(assessor: rules.Assessor) -> None:
    for answers, as_at in _scenario_answers():
        case = assessor.case(answers, as_at)
        assert sorted(assessor.runner.fire(case)) == sorted(assessor.runner.fire_plain(case)), answers


def test_assessments_match_with_and_without_experta(assessor: rules.Assessor) -> None:
    for answers, as_at in _scenario_answers():
        with_experta = assessor.assess(answers, as_at).to_dict()
        plain = assessor.assess(answers, as_at, plain=True).to_dict()
        # The trace is in firing order in one and rule order in the other; the decisions are the same.
        with_experta["trace"] = sorted(r["rule"] for r in with_experta["trace"])
        plain["trace"] = sorted(r["rule"] for r in plain["trace"])
        assert with_experta == plain


def test_every_condition_in_the_knowledge_becomes_a_rule(knowledge: rules.KnowledgeBase) -> None:
    compiled = compile_rules(knowledge)
    outcomes = sum(len(e.outcomes) for e in knowledge.elements.values())
    exceptions = sum(len(p.exceptions) for p in knowledge.provisions)
    risk = len(knowledge.risk.indicators) + len(knowledge.risk.pathways) if knowledge.risk else 0
    signposts = len(knowledge.signs) + sum(len(s.fits) or 1 for s in knowledge.services)
    assert len(compiled) == 1 + len(knowledge.jurisdictions) + outcomes + exceptions + signposts + risk
    assert len({r.id for r in compiled}) == len(compiled), "rule ids are unique"


def test_the_result_is_frozen_and_plain_json(assessor: rules.Assessor) -> None:
    import dataclasses
    import json

    result = assessor.assess({"place": "england", "occasions": 2}, "2026-11-21")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.as_at = None  # type: ignore[misc]
    text = json.dumps(result.to_dict())
    assert json.loads(text)["as_at"] == "2026-11-21"
    assert result.to_dict()["knowledge_version"] == assessor.knowledge.version
    assert "not legal advice" in result.notice


def test_one_engine_per_thread_gives_right_answers_under_threads(assessor: rules.Assessor) -> None:
    answers = [a for a in _scenario_answers()][:12]
    expected = [assessor.assess(a, d).to_dict()["offences"] for a, d in answers]
    wrong: list[int] = []

    def work(offset: int) -> None:
        for i in range(12):
            index = (i + offset) % len(answers)
            got = assessor.assess(*answers[index]).to_dict()["offences"]
            if got != expected[index]:
                wrong.append(index)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_module_level_assess_reuses_the_compiled_knowledge(knowledge: rules.KnowledgeBase) -> None:
    first = rules.assess({"place": "england"}, "2026-11-21", knowledge=knowledge)
    second = rules.assess({"place": "england"}, "2026-11-21", knowledge=knowledge)
    assert first == second


def test_an_incomplete_risk_screening_never_says_there_are_no_strong_warning_signs() -> None:
    import rules

    assessment = rules.assess({"place": "england", "relationship": "stranger"}, as_at="2026-11-21")
    assert assessment.risk is not None
    assert assessment.risk.level == "standard"
    assert not assessment.risk.screening_complete
    assert "no strong warning signs" not in assessment.risk.plain
    assert "could not finish checking" in assessment.risk.plain
    assert assessment.to_dict()["risk"]["unanswered"][0]["question"]


def test_a_service_gives_only_the_reasons_the_person_gave() -> None:
    import rules

    assessment = rules.assess({"place": "england", "alarmed_or_distressed": True, "distress_level": "serious"},
                              as_at="2026-11-21")
    samaritans = next(s for s in assessment.services if s.id == "samaritans")
    assert "seriously distressed" in samaritans.why
    assert "cannot go on" not in samaritans.why
    assert "health" not in samaritans.why
