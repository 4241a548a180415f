"""rules.interview reuses the base derivation for trial answers that cannot change it; the
decisions are the same as deriving every trial afresh (issue 10)."""

from __future__ import annotations

import rules

from .test_engine import _scenario_answers


def test_reusing_the_derivation_gives_the_same_interview(assessor: rules.Assessor) -> None:
    interviewer = assessor.interviewer
    fast = interviewer._derive_inputs
    every_question = frozenset(q.id for q in assessor.knowledge.questions)

    def outcome(answers: dict, as_at: str) -> tuple:
        iv = assessor.interview(answers, as_at)
        return (iv.next.id if iv.next else None, [q.id for q in iv.worth_asking], iv.could_change)

    for answers, as_at in _scenario_answers()[::12]:
        # Fewer answers than the whole case, as on the pages before the end.
        partial = dict(list(answers.items())[: max(1, len(answers) // 2)])
        for given in (partial, answers):
            try:
                interviewer._derive_inputs = fast
                quick = outcome(given, as_at)
                interviewer._derive_inputs = every_question  # every trial derived afresh
                slow = outcome(given, as_at)
            finally:
                interviewer._derive_inputs = fast
            assert quick == slow, given
