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
    advice = sum(len(a.fits) for a in knowledge.safety_advice)  # one rule per way each step fits
    assert len(compiled) == 1 + len(knowledge.jurisdictions) + outcomes + exceptions + signposts + risk + advice
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


@pytest.mark.parametrize("shape", ["kind", "fine"])
def test_every_rule_shape_fires_the_same_rules(assessor: rules.Assessor, shape: str) -> None:
    """Coarse rules by group or by kind record in the same order; one experta rule per
    condition fires the same rules (experta orders rules of equal salience its own way)."""
    from rules.engine import RuleRunner

    other = RuleRunner(assessor.rules, shape)
    for answers, as_at in _scenario_answers()[:: 1 if shape == "kind" else 7]:
        case = assessor.case(answers, as_at)
        if shape == "kind":
            assert assessor.runner.fire(case) == other.fire(case), answers
        else:
            assert sorted(assessor.runner.fire(case)) == sorted(other.fire(case)), answers


def test_the_trace_lists_the_conditions_that_held_by_salience_then_rule_order(assessor: rules.Assessor) -> None:
    for answers, as_at in _scenario_answers()[:20]:
        case = assessor.case(answers, as_at)
        plain = sorted(assessor.runner.fire_plain(case), key=lambda i: (-assessor.rules[i].salience, i))
        assert assessor.runner.fire(case) == tuple(plain)


def test_experta_decides_with_a_few_coarse_rules(assessor: rules.Assessor) -> None:
    from rules.engine import coarse_groups

    engine = assessor.runner._engine()
    assert 1 < len(engine.get_rules()) <= 10 < len(assessor.rules)
    members = [i for _name, _salience, group in coarse_groups(assessor.rules) for i in group]
    assert sorted(members) == list(range(len(assessor.rules))), "every condition belongs to one coarse rule"


def test_engines_are_built_before_the_first_assessment_when_warmed(knowledge: rules.KnowledgeBase) -> None:
    assessor = rules.Assessor(knowledge)
    assessor.runner.warm(4)
    assert assessor.runner.built == 4
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        for _ in range(5):
            assessor.assess({"place": "england", "occasions": 3}, "2026-11-21")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert assessor.runner.built <= 4 + 4  # at most one per thread beyond the warm ones, never one a call
    built = assessor.runner.built
    assessor.assess({"place": "england"}, "2026-11-21")
    assert assessor.runner.built == built, "a finished call gives its engine back"


def test_each_engine_keeps_its_own_conflict_set_node_list(knowledge: rules.KnowledgeBase) -> None:
    """experta caches the list in one lru_cache slot shared by every instance; engines used
    in turn would evict each other and walk the network on every fire."""
    from experta.matchers.rete import ReteMatcher

    runner = rules.Assessor(knowledge).runner
    first, second = runner._new_engine(), runner._new_engine()
    ReteMatcher._get_conflict_set_nodes.cache_clear()
    nodes = first.matcher._get_conflict_set_nodes()
    assert second.matcher._get_conflict_set_nodes() is not nodes
    for _ in range(3):
        assert first.matcher._get_conflict_set_nodes() is nodes
        second.matcher._get_conflict_set_nodes()
    info = ReteMatcher._get_conflict_set_nodes.cache_info()
    assert info.hits == info.misses == 0, "the shared class-level cache is never used"


def test_the_web_app_builds_its_engines_before_the_first_request() -> None:
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "ENGINES": 3})
    runner = app.extensions["assessor"].runner
    assert runner.built == 3
    response = app.test_client().post("/api/v1/assessments", json={"answers": {"place": "england"}})
    assert response.status_code == 200
    assert runner.built == 3, "the first request used an engine built at start-up"


def test_a_reason_read_without_working_out_the_parts_is_the_one_the_parts_give(assessor: rules.Assessor) -> None:
    """May apply and need more information take their reason from the status's sentence alone
    (``said``); it must be exactly what working out the elements would give."""
    seen = set()
    for answers, as_at in _scenario_answers():
        for p in (*(result := assessor.assess(answers, as_at)).offences, *result.orders):
            if p.said:
                seen.add(p.status)
                assert p.said == p._details.reason, (p.id, answers)
            else:
                assert p.status not in ("may_apply", "unknown") or not p._details.reason
    assert seen == {"may_apply", "unknown"}
