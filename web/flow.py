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


def can_show(kb: KnowledgeBase, answers: Answers, question_id: str, iv: Interview | None = None) -> bool:
    """Whether this question's page may be shown now: it was answered (so it can
    be changed) or it is still worth asking. ``iv``: the interview for these
    answers, if the caller has it already."""
    if question_id in answers:
        return True
    return question_id in {q.id for q in (iv or interview(kb, answers)).worth_asking}


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


def page_questions(kb: KnowledgeBase, answers: Answers, question: t.Any,
                   iv: Interview | None = None) -> list[t.Any]:
    """The questions shown on this question's page, in knowledge order.

    A question with no page group (and the danger question, and the incidents table)
    is shown alone. Otherwise its page shows every question of its group still worth
    asking now; when the page is opened to change an answer, the group's answered
    questions too, so each can be changed there. Grouping is presentation only: it
    never shows a question the interview would not ask, nor hides one it would.
    """
    if not question.page or question.type == "incidents" or question.id == kb.meta.danger_question:
        return [question]
    worth = {q.id for q in (iv or interview(kb, answers)).worth_asking}
    changing = question.id in answers
    return [q for q in kb.questions
            if q.page == question.page and q.type != "incidents" and q.id != kb.meta.danger_question
            and (q.id == question.id or q.id in worth or (changing and q.id in answers))]


def previous_page(kb: KnowledgeBase, asked: t.Sequence[str], answers: Answers,
                  on_page: t.Sequence[str]) -> str | None:
    """The question whose page was shown before this page (None: go to the start page).

    Like ``previous``, but every question of this page is passed over, so Back leaves the
    page rather than landing on another of its own questions; and when the page before
    showed several questions, the one that opened it (recorded first) is given, so Back
    returns to that page's own address.
    """
    kept = [q for q in asked if q in answers]
    here = [kept.index(q) for q in on_page if q in kept]
    before = [q for q in kept[:min(here) if here else len(kept)] if q not in on_page]
    if not before:
        return None
    page = {q.id: q.page for q in kb.questions}
    index = len(before) - 1
    while index > 0 and page.get(before[index]) and page.get(before[index - 1]) == page.get(before[index]):
        index -= 1
    return before[index]


def page_number(kb: KnowledgeBase, asked: t.Sequence[str], answers: Answers, on_page: t.Sequence[str]) -> int:
    """This page's number among the pages shown so far (questions shown together, one after
    the other and of one page group, count once)."""
    by_id = {q.id: q for q in kb.questions}
    kept = [q for q in asked if q in answers]
    number = 0
    last_page = ""
    for qid in kept:
        page = getattr(by_id.get(qid), "page", "")
        if not (page and page == last_page):
            number += 1
        last_page = page
        if qid in on_page:
            return number
    return number + 1


def find(kb: KnowledgeBase, question_id: str) -> t.Any | None:
    """The question with this id, or None."""
    return next((q for q in kb.questions if q.id == question_id), None)
