"""The order of the questionnaire: which question comes next, and which came before.

Which questions are worth asking is decided by rules/ (``rules.interview``: only a
question whose answer could still change an outcome is asked, safety first). This
module only keeps the person's path through them:

- the next question is the interview's ``next``;
- Back goes to the question shown before this one, from the ids shown so far,
  in order (kept in the session, never in the URL);
- when an answer changes so that earlier answers no longer matter, the interview
  names them (``ignored``); they are dropped, so the engine never sees them, and
  the person is told on the next page.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import rules

if t.TYPE_CHECKING:
    from rules import KnowledgeBase

Answers = t.Mapping[str, t.Any]


@dataclass(frozen=True)
class Interview:
    """What rules.interview says for these answers, as the pages need it."""

    next: t.Any | None
    worth_asking: tuple[t.Any, ...]
    ignored: tuple[str, ...]
    single_incident: bool


#: The table of dated incidents is offered after the other questions: the pages ask how
#: many times and when first and last, and the dates of each can then be added (they make
#: the summary for the police). This orders pages only; what is worth asking is unchanged.
LAST = ("incidents",)


def interview(kb: KnowledgeBase, answers: Answers, as_at: t.Any = None) -> Interview:
    """Ask rules/ which questions are still worth asking for these answers.

    A key with value None is a question asked and skipped: never offered again.
    """
    iv = rules.interview(dict(answers), as_at=as_at, knowledge=kb)
    worth = tuple(sorted(iv.worth_asking, key=lambda q: q.id in LAST))
    return Interview(worth[0] if worth else None, worth, tuple(iv.ignored), bool(iv.single_incident))


def relevant(kb: KnowledgeBase, answers: Answers) -> tuple[dict[str, t.Any], list[str]]:
    """The answers without those the interview now ignores, and the ids dropped.

    Dropping one answer can make another irrelevant, so repeat until nothing
    changes (at most once per question).
    """
    current = dict(answers)
    dropped: list[str] = []
    for _ in range(len(kb.questions) + 1):
        ignored = [key for key in interview(kb, current).ignored if key in current]
        if not ignored:
            break
        dropped += ignored
        current = {key: value for key, value in current.items() if key not in ignored}
    return current, dropped


def next_question(kb: KnowledgeBase, answers: Answers) -> t.Any | None:
    """The question to ask now, or None when nothing left could change an outcome."""
    return interview(kb, answers).next


def can_show(kb: KnowledgeBase, answers: Answers, question_id: str) -> bool:
    """Whether this question's page may be shown now: it was answered (so it can
    be changed) or it is still worth asking."""
    if question_id in answers:
        return True
    return question_id in {q.id for q in interview(kb, answers).worth_asking}


def previous(asked: t.Sequence[str], answers: Answers, question_id: str | None) -> str | None:
    """The question shown before this one (None: go to the start page).

    ``question_id`` None means "after the last question" (the check-answers page).
    Only questions whose answers are still kept count.
    """
    kept = [q for q in asked if q in answers]
    if question_id is None or question_id not in kept:
        return kept[-1] if kept else None
    index = kept.index(question_id)
    return kept[index - 1] if index > 0 else None


def shown_order(kb: KnowledgeBase, asked: t.Sequence[str], answers: Answers) -> list[t.Any]:
    """The answered questions in the order they were shown, for check-answers.

    Any answer not in the record (an old session) follows, in questionnaire order.
    """
    by_id = {q.id: q for q in kb.questions}
    ordered = [by_id[q] for q in dict.fromkeys(asked) if q in answers and q in by_id]
    seen = {q.id for q in ordered}
    return ordered + [q for q in kb.questions if q.id in answers and q.id not in seen]


def find(kb: KnowledgeBase, question_id: str) -> t.Any | None:
    """The question with this id, or None."""
    return next((q for q in kb.questions if q.id == question_id), None)
