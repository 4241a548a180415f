"""Which questions are still worth asking: decided from the compiled conditions themselves.

An expert asks only what decides. A question is worth asking when some answer to it could
change an outcome that is still open: the status of an offence or order that is not yet
ruled out, the risk level, the safety lead, the place the law is assessed under, or which
services fit. Nothing here is a hand-written list. For each question not yet asked, every
rule that reads it (directly, or through a fact derived from it) is evaluated with the
question unanswered and then with each answer it could take; if any such rule that still
matters would come out differently, the question is worth asking.

The answers tried are exact for the condition language: every option of a choice; for a
list of options, each option alone, each group a condition names together, all of them,
and "none"; for numbers and dates, each side of every threshold a condition compares
with (days and months counted from the as-at date and from the other dates given).

A question that only opens other questions (its answer is what their "ask when" reads) is
worth asking when a question it would open could still change something.

The order: the danger question first; then the questionnaire's own sections in order (so
the conversation stays on one subject at a time), and within a section the questions that
could change the most serious open outcomes first.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass

from . import course_of_conduct
from .compiler import CompiledRule
from .conditions import Case
from .model import KnowledgeBase
from .model import Question

Answers = t.Mapping[str, t.Any]

# How much a change to each kind of outcome weighs when ordering questions inside a section.
_WEIGHT = {"safety": 1000, "jurisdiction": 500, "risk": 60, "pathway": 40, "exception": 30, "element": 30,
           "service": 5}
_MATTERS = frozenset(_WEIGHT)  # signs only describe; they never decide anything


@dataclass(frozen=True)
class Interview:
    """Where an interview stands: what to ask next and why, and what was set aside.

    ``worth_asking`` holds every question not yet asked whose answer could still change an
    outcome, best first; ``next`` is its first (None when nothing left could change
    anything: the interview is over). ``could_change`` names, for each of them, what an
    answer could change (provision ids, ``risk``, ``safety``, ``place`` or ``service:<id>``).
    ``ignored`` lists answers given to questions that would not be asked, given the other
    answers: the engine sets them aside in every channel.
    """

    next: Question | None
    worth_asking: tuple[Question, ...]
    could_change: t.Mapping[str, tuple[str, ...]]
    ignored: tuple[str, ...]
    single_incident: bool
    knowledge_version: str

    @property
    def done(self) -> bool:
        return self.next is None

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "knowledge_version": self.knowledge_version,
            "done": self.done,
            "next": _question_dict(self.next) if self.next else None,
            "worth_asking": [q.id for q in self.worth_asking],
            "could_change": {k: list(v) for k, v in self.could_change.items()},
            "ignored": list(self.ignored),
            "single_incident": self.single_incident,
        }


def _question_dict(q: Question) -> dict[str, t.Any]:
    out: dict[str, t.Any] = {"id": q.id, "section": q.section, "text": q.text, "type": q.type, "why": q.why}
    if q.hint:
        out["hint"] = q.hint
    if q.options:
        out["options"] = [{"id": o.id, "label": o.label, "hint": o.hint or None, "exclusive": o.exclusive}
                          for o in q.options]
    if q.minimum is not None:
        out["minimum"] = q.minimum
    if q.maximum is not None:
        out["maximum"] = q.maximum
    if q.item_fields:
        out["item_fields"] = [{"id": f.id, "label": f.label, "type": f.type, "required": f.required}
                              for f in q.item_fields]
    return out


def applicable(kb: KnowledgeBase, answers: Answers, as_at: dt.date) -> tuple[dict[str, t.Any], tuple[str, ...]]:
    """Split validated answers into those that count and those to questions that would not be asked.

    A question would not be asked when its "ask when" is false for the other answers and the
    facts derived from them. Setting one answer aside can close another question, so this
    repeats until nothing changes. An "ask when" that is still undecided keeps its answer.
    """
    current = dict(answers)
    for _ in range(len(kb.questions) + 1):
        effective, facts = course_of_conduct.derive(current, as_at)
        case = Case(effective, facts, as_at)
        closed = {q.id for q in kb.questions
                  if q.id in current and q.ask_when is not None and q.ask_when.evaluate(case) is False}
        if not closed:
            break
        current = {k: v for k, v in current.items() if k not in closed}
    ignored = tuple(q.id for q in kb.questions if q.id in answers and q.id not in current)
    return current, ignored


def askable(kb: KnowledgeBase, answers: Answers, as_at: dt.date) -> list[Question]:
    """The questions whose "ask when" holds for these answers and the facts derived from them."""
    effective, facts = course_of_conduct.derive(answers, as_at)
    case = Case(effective, facts, as_at)
    return [q for q in kb.questions if q.ask_when is None or q.ask_when.holds(case)]


class Interviewer:
    """Works out the questions worth asking for one knowledge base; indexes built once."""

    def __init__(self, kb: KnowledgeBase, rules: t.Sequence[CompiledRule]) -> None:
        self.kb = kb
        self.rules = tuple(rules)
        self.order = {q.id: i for i, q in enumerate(kb.questions)}
        self.section_order = {s.id: i for i, s in enumerate(kb.sections)}
        self.danger = kb.meta.danger_question
        facts_from: dict[str, set[str]] = {}
        for fact in course_of_conduct.FACTS.values():
            for source in fact.sources:
                facts_from.setdefault(source, set()).add(fact.name)
        # An incident's behaviours count as said in answer to "behaviours" (derive).
        extra_answers = {"incidents": {"behaviours"}}
        self.affects: dict[str, tuple[int, ...]] = {}
        for q in kb.questions:
            answers_read = {q.id} | extra_answers.get(q.id, set())
            facts_read = facts_from.get(q.id, set())
            self.affects[q.id] = tuple(
                i for i, r in enumerate(self.rules)
                if r.kind in _MATTERS and (r.condition.answers & answers_read or r.condition.facts & facts_read)
            )
        self.opens: dict[str, tuple[str, ...]] = {
            q.id: tuple(o.id for o in kb.questions if o.ask_when is not None and q.id in o.ask_when.answers)
            for q in kb.questions
        }
        self.provisions_of: dict[str, tuple[str, ...]] = {}
        for p in kb.provisions:
            for key in p.elements:
                self.provisions_of[key] = self.provisions_of.get(key, ()) + (p.id,)
        self._thresholds = _Thresholds(kb, self.rules, facts_from)

    # ----------------------------------------------------------------------------------
    def interview(self, answers: Answers, asked: t.Collection[str], as_at: dt.date,
                  open_provisions: t.Collection[str], top_risk: bool, ignored: tuple[str, ...] = ()) -> Interview:
        """The interview for answers already validated and applicable; ``asked`` adds the skipped ones."""
        effective, facts = course_of_conduct.derive(answers, as_at)
        base_case = Case(effective, facts, as_at)
        base = [r.condition.evaluate(base_case) for r in self.rules]
        candidates = [q for q in self.kb.questions
                      if q.id not in asked and q.id not in answers and (q.ask_when is None or q.ask_when.holds(base_case))]
        could: dict[str, tuple[str, ...]] = {}
        weight: dict[str, int] = {}
        for q in candidates:
            changed = self._changes(q, answers, as_at, base, open_provisions, top_risk)
            if not changed:
                changed = self._opens_something(q, answers, as_at, base_case, base, open_provisions, top_risk)
            if changed:
                could[q.id] = tuple(sorted(changed))
                weight[q.id] = sum(changed.values())
        worth = sorted(
            (q for q in candidates if q.id in could),
            key=lambda q: (q.id != self.danger, self.section_order.get(q.section, 0), -weight[q.id],
                           self.order[q.id]),
        )
        return Interview(
            next=worth[0] if worth else None,
            worth_asking=tuple(worth),
            could_change=could,
            ignored=ignored,
            single_incident=facts.get("occasions") == 1,
            knowledge_version=self.kb.meta.knowledge_version,
        )

    def _changes(self, q: Question, answers: Answers, as_at: dt.date, base: list[bool | None],
                 open_provisions: t.Collection[str], top_risk: bool) -> dict[str, int]:
        """What some answer to ``q`` could change, each with its weight (empty: nothing)."""
        affected = [i for i in self.affects[q.id] if self._still_matters(i, open_provisions, top_risk)]
        if not affected:
            return {}
        changed: dict[str, int] = {}
        for value in self._thresholds.values(q, answers, as_at):
            trial = dict(answers)
            trial[q.id] = value
            effective, facts = course_of_conduct.derive(trial, as_at)
            case = Case(effective, facts, as_at)
            for i in affected:
                if self.rules[i].condition.evaluate(case) != base[i]:
                    label = self._label(i)
                    changed[label] = max(changed.get(label, 0), _WEIGHT[self.rules[i].kind])
            if len(changed) == len({self._label(i) for i in affected}):
                break  # every outcome it reads can already change
        return changed

    def _opens_something(self, q: Question, answers: Answers, as_at: dt.date, base_case: Case,
                         base: list[bool | None], open_provisions: t.Collection[str],
                         top_risk: bool) -> dict[str, int]:
        """For a question that only opens others: what the questions it could open could change."""
        follow = [self.kb.question(o) for o in self.opens[q.id] if o not in answers]  # skipped ones stay closed
        follow = [o for o in follow if o.ask_when is not None and not o.ask_when.holds(base_case)]
        if not follow:
            return {}
        changed: dict[str, int] = {}
        for value in self._thresholds.values(q, answers, as_at):
            trial = {**answers, q.id: value}
            effective, facts = course_of_conduct.derive(trial, as_at)
            case = Case(effective, facts, as_at)
            for o in follow:
                if o.ask_when is not None and o.ask_when.holds(case):
                    changed.update(self._changes(o, trial, as_at, base, open_provisions, top_risk))
        return changed

    def _still_matters(self, index: int, open_provisions: t.Collection[str], top_risk: bool) -> bool:
        rule = self.rules[index]
        if rule.kind == "element":
            return any(p in open_provisions for p in self.provisions_of.get(rule.subject, ()))
        if rule.kind == "exception":
            return rule.subject in open_provisions
        if rule.kind == "risk":
            return not top_risk
        return True

    def _label(self, index: int) -> str:
        rule = self.rules[index]
        if rule.kind == "element":
            return ",".join(self.provisions_of.get(rule.subject, ()))
        if rule.kind == "exception":
            return rule.subject
        if rule.kind in ("risk", "pathway"):
            return "risk"
        if rule.kind == "jurisdiction":
            return "place"
        if rule.kind == "service":
            return f"service:{rule.subject}"
        return rule.kind


class _Thresholds:
    """The answers worth trying for each question, read off the conditions that compare it."""

    def __init__(self, kb: KnowledgeBase, rules: tuple[CompiledRule, ...], facts_from: dict[str, set[str]]) -> None:
        self.kb = kb
        self.numbers: dict[str, set[int]] = {}  # question or fact -> numbers compared with
        self.dates: dict[str, set[dt.date]] = {}
        self.groups: dict[str, list[frozenset[str]]] = {}  # multi-choice question -> option groups named together
        self.facts_from = facts_from
        sources = [r.condition.source for r in rules] + [q.ask_when.source for q in kb.questions if q.ask_when]
        for source in sources:
            self._collect(source)

    def _collect(self, node: t.Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._collect(item)
            return
        if not isinstance(node, dict):
            return
        for key in ("all", "any"):
            if key in node:
                self._collect(node[key])
                return
        if "not" in node:
            self._collect(node["not"])
            return
        subject = node.get("answer") or node.get("fact")
        for op, value in node.items():
            if op in ("answer", "fact"):
                continue
            if op in ("at_least", "at_most", "over", "below", "is", "in") and not isinstance(value, (str, bool)):
                numbers = value if isinstance(value, list) else [value]
                self.numbers.setdefault(subject, set()).update(n for n in numbers if isinstance(n, int))
            if op in ("before", "after", "on_or_after") and isinstance(value, dt.date):
                self.dates.setdefault(subject, set()).add(value)
            if op == "includes_all" and isinstance(value, list):
                self.groups.setdefault(subject, []).append(frozenset(value))

    def values(self, q: Question, answers: Answers, as_at: dt.date) -> list[t.Any]:
        """Every answer to ``q`` that could fall on a different side of some condition."""
        if q.type == "boolean":
            return [True, False]
        if q.type == "choice":
            return [o.id for o in q.options]
        if q.type == "multi_choice":
            plain = [o.id for o in q.options if not o.exclusive]
            out: list[t.Any] = [(o.id,) for o in q.options]
            out += [tuple(sorted(g)) for g in self.groups.get(q.id, ())]
            out.append(tuple(plain))
            return out
        if q.type == "text":
            return ["(some words)"]
        if q.type == "integer":
            return self._integers(q)
        if q.type == "date":
            return self._dates(q, answers, as_at)
        if q.type == "incidents":
            return self._incidents(as_at)
        raise AssertionError(q.type)

    def _subjects(self, q: Question) -> set[str]:
        return {q.id} | self.facts_from.get(q.id, set())

    def _integers(self, q: Question) -> list[int]:
        low = q.minimum if q.minimum is not None else 0
        high = q.maximum if q.maximum is not None else 10**6
        points = {low, high}
        for subject in self._subjects(q):
            for n in self.numbers.get(subject, ()):
                points.update((n - 1, n, n + 1))
        return sorted(n for n in points if low <= n <= high)

    def _dates(self, q: Question, answers: Answers, as_at: dt.date) -> list[dt.date]:
        days = {0}
        points: set[dt.date] = {as_at}
        for subject in self._subjects(q):
            for d in self.dates.get(subject, ()):
                points.update((d - dt.timedelta(days=1), d, d + dt.timedelta(days=1)))
            spec = course_of_conduct.FACTS.get(subject)
            if spec is not None and spec.kind == "integer":
                for n in self.numbers.get(subject, ()):
                    days.update((n - 1, n, n + 1))
        anchors = [as_at] + [v for v in answers.values() if isinstance(v, dt.date)]
        for anchor in anchors:
            for n in days:
                for point in (anchor - dt.timedelta(days=n), anchor + dt.timedelta(days=n)):
                    points.add(point)
        earliest = dt.date(1950, 1, 1)
        return [p for p in sorted(points) if earliest <= p <= as_at]

    def _incidents(self, as_at: dt.date) -> list[t.Any]:
        day = dt.timedelta(days=1)
        one = ({"date": as_at},)
        two_feared = ({"date": as_at - 30 * day, "feared_violence": True}, {"date": as_at, "feared_violence": True})
        two_calm = ({"date": as_at - 30 * day, "feared_violence": False}, {"date": as_at, "feared_violence": False})
        return [one, two_feared, two_calm]
