"""The order of the questionnaire: which question comes next, and which came before.

Which questions are asked is decided by rules/ (``rules.questions_to_ask``, from
each question's "ask when" in knowledge/). This module only walks that list: the
next question is the first one asked and not yet answered; the previous one is
the one before it in the same list. When an answer changes so that a later
question no longer applies, that question's answer is dropped, so the engine never
sees an answer to a question that would not have been asked.
"""

from __future__ import annotations

import datetime as dt
import typing as t

import rules

if t.TYPE_CHECKING:
    from rules import KnowledgeBase

Answers = t.Mapping[str, t.Any]


def asked(kb: KnowledgeBase, answers: Answers) -> list[t.Any]:
    """The questions to ask for these answers, in order."""
    return list(rules.questions_to_ask(kb, _typed(kb, answers)))


def relevant(kb: KnowledgeBase, answers: Answers) -> dict[str, t.Any]:
    """The answers, without those to questions that no longer apply.

    Dropping one answer can stop another question applying, so repeat until
    nothing changes (at most once per question).
    """
    current = dict(answers)
    for _ in range(len(kb.questions) + 1):
        ids = {q.id for q in asked(kb, current)}
        kept = {key: value for key, value in current.items() if key in ids}
        if kept == current:
            return kept
        current = kept
    return current  # pragma: no cover - each pass drops at least one answer


def next_question(kb: KnowledgeBase, answers: Answers) -> t.Any | None:
    """The first question asked and not yet answered (a skipped one counts as answered)."""
    return next((q for q in asked(kb, answers) if q.id not in answers), None)


def previous_question(kb: KnowledgeBase, answers: Answers, question_id: str) -> t.Any | None:
    """The question asked just before this one, or None for the first."""
    questions = asked(kb, answers)
    ids = [q.id for q in questions]
    if question_id not in ids:
        return None
    index = ids.index(question_id)
    return questions[index - 1] if index > 0 else None


def last_question(kb: KnowledgeBase, answers: Answers) -> t.Any | None:
    """The last question asked: where Back goes from the check-answers page."""
    questions = asked(kb, answers)
    return questions[-1] if questions else None


def find(kb: KnowledgeBase, question_id: str) -> t.Any | None:
    """The question with this id, or None."""
    return next((q for q in kb.questions if q.id == question_id), None)


def _typed(kb: KnowledgeBase, answers: Answers) -> dict[str, t.Any]:
    """The answers as the conditions expect them: dates as dates, skipped ones left out.

    The session keeps JSON (dates as YYYY-MM-DD); a condition comparing dates
    needs date objects.
    """
    kinds = {q.id: q.type for q in kb.questions}
    typed: dict[str, t.Any] = {}
    for key, value in answers.items():
        if value is None:
            continue
        if kinds.get(key) == "date" and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                continue
        typed[key] = value
    return typed
