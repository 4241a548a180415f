"""rules.interview decides exactly as the straightforward interview it replaced (issue 10).

tests/reference_interview.py keeps the interview as it was before the speed work: every
rule a question reads evaluated in full for every trial answer, every outcome compared.
The fast one (rules/interview.py) evaluates only the parts of a rule an answer can reach,
keeps outcomes as counts and remembers what each set of moves changes. Both are run on the
scenario cases (whole and half answered, as on the pages before the end) and on generated
answers; the next question, the questions worth asking in order and what each could
change must be identical.
"""

from __future__ import annotations

import typing as t

from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings

import rules
from rules import answers as answers_module
from rules.interview import applicable
from tests import reference_interview
from tests.test_engine import _scenario_answers
from tests.test_properties import answers as random_answers

_REFERENCE: dict[int, reference_interview.Interviewer] = {}


def _reference(assessor: rules.Assessor) -> reference_interview.Interviewer:
    found = _REFERENCE.get(id(assessor))
    if found is None:
        found = _REFERENCE[id(assessor)] = reference_interview.Interviewer(assessor.knowledge, assessor.rules)
    return found


def _both(assessor: rules.Assessor, given: t.Mapping[str, t.Any], as_at: t.Any) -> tuple[t.Any, t.Any]:
    """(fast, reference) decisions for the same answers, prepared as Assessor.interview does."""
    day = answers_module.parse_as_at(as_at)
    kb = assessor.knowledge
    clean = answers_module.with_implied(kb, answers_module.validate(kb, dict(given), day))
    kept, _ = applicable(kb, clean, day)
    asked = set(kept) | {k for k, v in given.items() if v is None}
    out = []
    for interviewer in (assessor.interviewer, _reference(assessor)):
        iv = interviewer.interview(kept, asked, day)
        out.append((iv.next.id if iv.next else None, [q.id for q in iv.worth_asking], dict(iv.could_change),
                    iv.single_incident))
    return out[0], out[1]


def test_the_same_decisions_as_the_reference_on_every_scenario(assessor: rules.Assessor) -> None:
    cases = _scenario_answers()
    assert len(cases) > 50
    for n, (answers, as_at) in enumerate(cases):
        items = list(answers.items())
        # The whole case, and for every third case the first half of it (a page in the
        # middle of an interview).
        for given_answers in (answers, dict(items[: len(items) // 2])) if n % 3 == 0 else (answers,):
            fast, slow = _both(assessor, given_answers, as_at)
            assert fast == slow, given_answers


# Derandomized, so CI cannot pass or fail by chance; the example is one a random run found
# (distress given without being asked if distressed: "no" would set it aside).
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(random_answers)
@example({"place": "scotland", "distress_level": "serious"})
def test_the_same_decisions_as_the_reference_on_generated_answers(given_answers: dict[str, t.Any]) -> None:
    assessor = rules.default_assessor()
    try:
        fast, slow = _both(assessor, given_answers, "2026-11-21")
    except rules.AnswersError:
        return
    assert fast == slow, given_answers
