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
    current, dropped, _iv = settle(kb, answers)
    return current, dropped


def settle(kb: KnowledgeBase, answers: Answers) -> tuple[dict[str, t.Any], list[str], Interview]:
    """``relevant``, with the interview for the answers it keeps: the last one it asked,
    so that the page saving them need not ask it again for the next question."""
    current = dict(answers)
    dropped: list[str] = []
    for _ in range(len(kb.questions) + 1):
        iv = interview(kb, current)
        ignored = [key for key in iv.ignored if key in current]
        if not ignored:
            return current, dropped, iv
        dropped += ignored
        current = {key: value for key, value in current.items() if key not in ignored}
    return current, dropped, interview(kb, current)  # never reached: each round drops an answer


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


#: The page id of the first page: the danger question with the rest of its section (where
#: this is happening). Not a valid ``page:`` id (those are snake_case), so no page group
#: in knowledge can take it.
FIRST_PAGE = "-first-"


def page_id(kb: KnowledgeBase, q: t.Any) -> str:
    """The page a question is shown on: its page group (knowledge, ``page:``), or "" alone.

    The danger question has no page group (the loader refuses one), but the flow asks it
    together with the other questions of its own section that have no page of their own
    (today: where this is happening), which the interview asks straight after it anyway.
    Yes to danger still interrupts at once (web/public.py), whatever else the page holds.
    """
    if q.page:
        return str(q.page)
    danger = find(kb, kb.meta.danger_question)
    if danger is not None and q.section == danger.section and q.type != "incidents":
        return FIRST_PAGE
    return ""


#: The questions worth asking with one answer more, by that answer ((question id, repr of
#: the answer)): what ``follow_ups`` tries. Give the same dict to each call for the same
#: answers (one request) and each is worked out once.
Trials = dict[tuple[str, str], set[str]]


def page_questions(kb: KnowledgeBase, answers: Answers, question: t.Any,
                   iv: Interview | None = None, trials: Trials | None = None) -> list[t.Any]:
    """The questions shown on this question's page, in knowledge order.

    A question with no page (and the incidents table) is shown alone. Otherwise its page
    shows every question of its page still worth asking now; when the page is opened to
    change an answer, the page's answered questions too, so each can be changed there; and
    the follow-ups that an answer on the page would open (``follow_ups``). Grouping is
    presentation only: it never shows a question the interview would not ask, nor hides
    one it would. ``trials``: see ``Trials``.
    """
    key = page_id(kb, question)
    if not key or question.type == "incidents":
        return [question]
    iv = iv or interview(kb, answers)
    worth = {q.id for q in iv.worth_asking}
    changing = question.id in answers
    members = [q for q in kb.questions
               if page_id(kb, q) == key and q.type != "incidents"
               and (q.id == question.id or q.id in worth or (changing and q.id in answers))]
    shown = {q.id for q in members} | set(follow_ups(kb, answers, members, key, trials))
    return [q for q in kb.questions if q.id in shown]


def gate(q: t.Any) -> tuple[str, t.Any] | None:
    """The one answer that opens this question, when its "ask when" is exactly one answer
    to one other question (``{answer: X, is: V}``): (X, V). None otherwise."""
    source = getattr(q.ask_when, "source", None)
    if isinstance(source, dict) and set(source) == {"answer", "is"} and isinstance(source["answer"], str):
        return source["answer"], source["is"]
    return None


def follow_ups(kb: KnowledgeBase, answers: Answers, members: t.Sequence[t.Any],
               key: str | None = None, trials: Trials | None = None) -> dict[str, tuple[str, t.Any]]:
    """The follow-ups shown on this page under the answer that opens them: {id: (gate, value)}.

    A follow-up is a question of the same page whose "ask when" is one answer to a question
    on the page (how much it distressed you, after "has it distressed you: yes"). It is shown
    straight after that question, saying which answer it needs, so the person need not wait
    for a page of its own; the page works the same with or without JavaScript. (GOV.UK's
    conditional reveal would hide it until the answer is chosen, but its script puts
    aria-expanded on radio buttons, which ARIA does not allow, and the pages must be axe
    clean.) It is offered only when it is already answered (so it can be changed) or when,
    with that answer given, the interview would ask it. Its answer is kept only if
    that answer is given (web/public.py). ``trials``: see ``Trials``.
    """
    if not members:
        return {}
    key = key if key is not None else page_id(kb, members[0])
    on_page = {m.id for m in members}
    found: dict[str, tuple[str, t.Any]] = {}
    trials = {} if trials is None else trials
    for q in kb.questions:
        opened_by = gate(q)
        if (not key or page_id(kb, q) != key or q.type == "incidents" or opened_by is None
                or opened_by[0] not in on_page):
            continue
        gate_id, value = opened_by
        if gate_id in found:  # a follow-up of a follow-up waits for its own page
            continue
        if q.id not in answers:
            trial = (gate_id, repr(value))
            if trial not in trials:
                trials[trial] = {x.id for x in interview(kb, {**answers, gate_id: value}).worth_asking}
            if q.id not in trials[trial]:
                continue
        found[q.id] = opened_by
    return found


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
    page = {q.id: page_id(kb, q) for q in kb.questions}
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
        question = by_id.get(qid)
        page = page_id(kb, question) if question is not None else ""
        if not (page and page == last_page):
            number += 1
        last_page = page
        if qid in on_page:
            return number
    return number + 1


def find(kb: KnowledgeBase, question_id: str) -> t.Any | None:
    """The question with this id, or None."""
    return next((q for q in kb.questions if q.id == question_id), None)
