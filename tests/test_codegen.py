"""The conditions written out as Python (rules/codegen.py) give what the parsed ones give."""

from __future__ import annotations

import datetime as dt
import typing as t

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings

import rules
from rules.codegen import compile_conditions
from rules.codegen import generated_share
from rules.codegen import members_test
from rules.conditions import Between
from rules.conditions import Case
from rules.conditions import Condition
from rules.conditions import parse_condition

from .test_engine import _scenario_answers
from .test_properties import answers as generated_answers

ASSESSOR = rules.default_assessor()
CONDITIONS = [rule.condition for rule in ASSESSOR.rules]
EVALUATORS = compile_conditions(CONDITIONS)


def _same(case: Case) -> None:
    for rule, condition, evaluate in zip(ASSESSOR.rules, CONDITIONS, EVALUATORS, strict=True):
        expected = condition.evaluate(case)
        got = evaluate(case)
        assert got is expected, (rule.id, expected, got)


def test_nearly_every_condition_is_written_out() -> None:
    written, total = generated_share(CONDITIONS)
    assert total == len(ASSESSOR.rules)
    assert written >= 0.9 * total


def test_every_rule_gives_the_same_on_every_scenario_whole_and_in_part() -> None:
    for answers, as_at in _scenario_answers():
        keys = list(answers)
        for part in (answers, {k: answers[k] for k in keys[::2]}, {k: answers[k] for k in keys[1::2]}):
            try:
                case = ASSESSOR.case(part, as_at)
            except rules.AnswersError:
                continue
            _same(case)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(generated_answers)
def test_every_rule_gives_the_same_on_generated_answers(answers: dict[str, t.Any]) -> None:
    try:
        case = ASSESSOR.case(answers, "2026-11-21")
    except rules.AnswersError:
        return
    _same(case)


def test_a_count_known_only_within_bounds_gives_the_same() -> None:
    facts = {"occasions": Between(1, 3)}
    case = Case({}, facts, dt.date(2026, 11, 21))
    from rules import course_of_conduct

    questions = {q.id: q for q in ASSESSOR.knowledge.questions}
    for node in ({"fact": "occasions", "at_least": 2}, {"fact": "occasions", "is": 2}, {"fact": "occasions", "is": 5},
                 {"fact": "occasions", "at_least": 1}, {"fact": "occasions", "below": 4},
                 {"not": {"fact": "occasions", "over": 3}}, {"any": [{"fact": "occasions", "at_most": 0}]}):
        condition = parse_condition(node, questions, course_of_conduct.FACTS)
        (evaluate,) = compile_conditions([condition])
        assert evaluate(case) is condition.evaluate(case), node


def test_a_condition_it_does_not_know_keeps_its_own_evaluate() -> None:
    def odd(case: Case) -> bool | None:
        return None

    strange = Condition({"otherwise": ["x"]}, odd, frozenset(), frozenset())
    assert generated_share([strange]) == (0, 1)
    (evaluate,) = compile_conditions([strange])
    assert evaluate is odd
    held = members_test([strange, rules.conditions.ALWAYS], [7, 9])
    assert held(Case({}, {}, dt.date(2026, 11, 21))) == [9]


def test_no_knowledge_text_reaches_the_generated_code() -> None:
    from rules import codegen

    writer = codegen._Writer()
    writer.function({"answer": "x'); import os; ('", "is": "y'); import os; ('"})
    code = "\n".join(writer.functions)
    assert "import" not in code and "'" not in code
