"""The reference interview: rules/interview.py as it was before the speed work of issue 10,
kept verbatim (only relative imports made absolute) so that the fast one can be checked
against it. Slow on purpose: every rule a question reads is evaluated with every trial
answer, and every outcome is compared. Not used outside the tests.

Which questions are still worth asking: decided from the compiled conditions themselves.

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

The order: the danger question first; then the questions that could decide the most: the
place (which decides whether these laws apply at all), then the risk level, then each law
still open, with which services fit weighing least; ties keep the questionnaire's order.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass

from rules import course_of_conduct
from rules.answers import CROSS_CHECKED
from rules.answers import consistent
from rules.answers import with_implied
from rules.compiler import CompiledRule
from rules.conditions import Case
from rules.explain import element_status
from rules.explain import provision_status
from rules.explain import risk_level
from rules.model import KnowledgeBase
from rules.model import Provision
from rules.model import Question

Answers = t.Mapping[str, t.Any]

# The kinds of rule whose outcome an answer can change; signs only describe, never decide.
_MATTERS = frozenset({"safety", "jurisdiction", "risk", "pathway", "exception", "element", "service"})


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


def askable(kb: KnowledgeBase, answers: Answers, as_at: dt.date | None = None) -> list[Question]:
    """The questions whose "ask when" holds for these answers and the facts derived from them.

    Facts are derived first, so a question may depend on one (how many occasions, say).
    A question whose "ask when" is still undecided is not asked yet.
    """
    as_at = as_at or dt.date.today()
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
        # An incident's behaviours and targets count as said in answer to those questions
        # (derive), and a screening option answers the questions it means or rules out.
        extra_answers: dict[str, set[str]] = {"incidents": set(course_of_conduct.MERGED_FROM_INCIDENTS)}
        for q in kb.questions:
            for o in q.options:
                extra_answers.setdefault(q.id, set()).update(({o.means} if o.means else set()) | set(o.rules_out))
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
        self.element_rules: dict[str, list[int]] = {}
        self.exception_rules: dict[str, list[int]] = {}
        for i, r in enumerate(self.rules):
            if r.kind == "element":
                self.element_rules.setdefault(r.subject, []).append(i)
            elif r.kind == "exception":
                self.exception_rules.setdefault(r.subject, []).append(i)
        self.provisions_of: dict[str, tuple[str, ...]] = {}
        for p in kb.provisions:
            for key in p.elements:
                self.provisions_of[key] = self.provisions_of.get(key, ()) + (p.id,)
        self.provision_by_id = {p.id: p for p in kb.provisions}
        self.risk_rules = tuple(i for i, r in enumerate(self.rules) if r.kind in ("risk", "pathway"))
        self.indicators = {i.id: i for i in kb.risk.indicators} if kb.risk else {}
        self.pathway_levels = {p.id: p.levels for p in kb.risk.pathways} if kb.risk else {}
        self._thresholds = _Thresholds(kb, self.rules, facts_from)
        # A trial answer to a question outside these two sets changes neither the implied
        # answers nor the derived facts, so its case is the base case plus that answer:
        # no derivation per trial (that was most of the interview's time).
        self._derive_inputs = frozenset(
            {"incidents", "occasions", "first_incident_date", "last_incident_date", "separated_on",
             "fear_of_violence_occasions", "same_kind_of_conduct", *course_of_conduct.MERGED_FROM_INCIDENTS}
        ).union(*(spec.sources for spec in course_of_conduct.FACTS.values()))
        self._implies = frozenset(q.id for q in kb.questions if q.type == "multi_choice"
                                  and any(o.means or o.rules_out for o in q.options))

    # ----------------------------------------------------------------------------------
    def interview(self, answers: Answers, asked: t.Collection[str], as_at: dt.date,
                  ignored: tuple[str, ...] = ()) -> Interview:
        """The interview for answers already validated and applicable; ``asked`` adds the skipped ones."""
        effective, facts = course_of_conduct.derive(answers, as_at)
        base_case = Case(effective, facts, as_at)
        base = [r.condition.evaluate(base_case) for r in self.rules]
        base_signature = _Outcomes(self, base)
        # A rule still undecided is pivotal when its firing alone would change an outcome:
        # a question that can settle it, either way, can change the answer.
        pivotal: dict[int, str] = {}
        for i, value in enumerate(base):
            if value is None and self.rules[i].kind in _MATTERS:
                trial = list(base)
                trial[i] = True
                diff = base_signature.differences(trial, (i,))
                if diff:
                    pivotal[i] = min(diff)
        candidates = [q for q in self.kb.questions
                      if q.id not in asked and q.id not in answers
                      and (q.ask_when is None or q.ask_when.holds(base_case))]
        could: dict[str, tuple[str, ...]] = {}
        weight: dict[str, int] = {}
        bases: dict[int, t.Any] = {}  # derivations of the answers trials start from, this call only
        for q in candidates:
            changed = self._changes(q, answers, as_at, base, base_signature, pivotal, bases)
            if not changed:
                changed = self._opens_something(q, answers, asked, as_at, base_case, base, base_signature, pivotal,
                                                bases)
            if not changed:
                changed = self._sets_aside(q, answers, as_at, base, base_signature)
            if changed:
                could[q.id] = tuple(sorted(changed))
                weight[q.id] = sum(_weight(c) for c in changed)
        worth = sorted(
            (q for q in candidates if q.id in could),
            key=lambda q: (q.id != self.danger, -weight[q.id], self.order[q.id]),
        )
        return Interview(
            next=worth[0] if worth else None,
            worth_asking=tuple(worth),
            could_change=could,
            ignored=ignored,
            single_incident=facts.get("occasions") == 1,
            knowledge_version=self.kb.meta.knowledge_version,
        )

    def _sets_aside(self, q: Question, answers: Answers, as_at: dt.date, base: list[bool | None],
                    base_signature: _Outcomes) -> set[str]:
        """What an answer to ``q`` could change by setting aside answers already given (their
        "ask when" closes): every rule evaluated again on the answers that would still count."""
        changed: set[str] = set()
        for value in self._thresholds.values(q, answers, as_at):
            kept, _ = applicable(self.kb, with_implied(self.kb, {**answers, q.id: value}), as_at)
            if all(k in kept for k in answers):
                continue
            effective, facts = course_of_conduct.derive(kept, as_at)
            case = Case(effective, facts, as_at)
            trial = [r.condition.evaluate(case) for r in self.rules]
            moved = [i for i, r in enumerate(self.rules)
                     if r.kind in _MATTERS and (trial[i] is True) is not (base[i] is True)]
            changed |= base_signature.differences(trial, moved)
        return changed

    def _case(self, answers: Answers, as_at: dt.date) -> Case:
        """The case for trial answers, with the answers a screening option gives."""
        effective, facts = course_of_conduct.derive(with_implied(self.kb, answers), as_at)
        return Case(effective, facts, as_at)

    def _trial_case(self, answers: Answers, qid: str, value: t.Any, as_at: dt.date,
                    bases: dict[int, tuple[Answers, dict[str, t.Any], dict[str, t.Any]]]) -> Case:
        """``_case({**answers, qid: value})``, reusing the derivation of ``answers`` when the
        answer to ``qid`` can change neither the implied answers nor the derived facts."""
        if value is None or qid in self._derive_inputs or qid in self._implies:
            return self._case({**answers, qid: value}, as_at)
        found = bases.get(id(answers))
        if found is None or found[0] is not answers:
            found = bases[id(answers)] = (answers, *course_of_conduct.derive(with_implied(self.kb, answers), as_at))
        _, effective, facts = found
        return Case({**effective, qid: value}, facts, as_at)

    def _changes(self, q: Question, answers: Answers, as_at: dt.date, base: list[bool | None],
                 base_signature: _Outcomes, pivotal: dict[int, str],
                 bases: dict[int, t.Any] | None = None) -> set[str]:
        """What some answer to ``q`` could change (empty: nothing)."""
        affected = self.affects[q.id]
        if not affected:
            return set()
        changed: set[str] = set()
        for value in self._thresholds.values(q, answers, as_at):
            case = self._trial_case(answers, q.id, value, as_at, bases if bases is not None else {})
            trial = list(base)
            moved = []
            for i in affected:
                trial[i] = self.rules[i].condition.evaluate(case)
                if trial[i] != base[i]:
                    moved.append(i)
                    if i in pivotal:
                        changed.add(pivotal[i])
            if moved:
                changed.update(base_signature.differences(trial, moved))
        return changed

    def _opens_something(self, q: Question, answers: Answers, asked: t.Collection[str], as_at: dt.date,
                         base_case: Case, base: list[bool | None], base_signature: _Outcomes,
                         pivotal: dict[int, str], bases: dict[int, t.Any] | None = None) -> set[str]:
        """For a question that only opens others: what the questions it could open could change."""
        follow = [self.kb.question(o) for o in self.opens[q.id] if o not in asked and o not in answers]
        follow = [o for o in follow if o.ask_when is not None and not o.ask_when.holds(base_case)]
        changed: set[str] = set()
        for value in self._thresholds.values(q, answers, as_at) if follow else ():
            trial = with_implied(self.kb, {**answers, q.id: value})
            case = self._case(trial, as_at)
            for o in follow:
                if o.ask_when is not None and o.ask_when.holds(case):
                    changed.update(self._changes(o, trial, as_at, base, base_signature, pivotal, bases))
        return changed


class _Outcomes:
    """The outcomes for one set of rule results, and what a change to some of them would move."""

    def __init__(self, interviewer: Interviewer, truth: t.Sequence[bool | None]) -> None:
        self.iv = interviewer
        self.truth = truth
        self.elements = {key: self._element(truth, key) for key in interviewer.element_rules}
        self.provisions = {p.id: self._provision(truth, p, self.elements) for p in interviewer.kb.provisions}
        self.risk = self._risk(truth)

    def _element(self, truth: t.Sequence[bool | None], key: str) -> str:
        rules = self.iv.rules
        return element_status({rules[i].outcome for i in self.iv.element_rules[key] if truth[i] is True})

    def _provision(self, truth: t.Sequence[bool | None], p: Provision, elements: t.Mapping[str, str]) -> str:
        rules = self.iv.rules
        gates = {rules[i].outcome for i in self.iv.exception_rules.get(p.id, ()) if truth[i] is True}
        return provision_status({elements.get(k, "unknown") for k in p.elements}, gates)

    def _risk(self, truth: t.Sequence[bool | None]) -> t.Any:
        kb = self.iv.kb
        if kb.risk is None:
            return None
        fired = [self.iv.rules[i] for i in self.iv.risk_rules if truth[i] is True]
        level = risk_level(kb.risk, [self.iv.indicators[r.subject] for r in fired if r.kind == "risk"]).id
        return level, frozenset(r.subject for r in fired
                                if r.kind == "pathway" and level in self.iv.pathway_levels[r.subject])

    def differences(self, trial: t.Sequence[bool | None], moved: t.Iterable[int]) -> set[str]:
        """What differs when the rules in ``moved`` take their values from ``trial``."""
        rules = self.iv.rules
        out: set[str] = set()
        elements: set[str] = set()
        provisions: set[str] = set()
        risk = False
        for i in moved:
            rule = rules[i]
            if rule.kind == "element":
                elements.add(rule.subject)
            elif rule.kind == "exception":
                provisions.add(rule.subject)
            elif rule.kind in ("risk", "pathway"):
                risk = True
            elif (trial[i] is True) != (self.truth[i] is True):
                out.add("safety" if rule.kind == "safety" else "place" if rule.kind == "jurisdiction"
                        else f"{rule.kind}:{rule.subject}")
        if elements:
            changed = {k: self._element(trial, k) for k in elements}
            changed = {k: v for k, v in changed.items() if v != self.elements[k]}
            for k in changed:
                provisions.update(self.iv.provisions_of.get(k, ()))
            merged = {**self.elements, **changed}
        else:
            merged = self.elements
        for pid in provisions:
            if self._provision(trial, self.iv.provision_by_id[pid], merged) != self.provisions[pid]:
                out.add(pid)
        if risk and self._risk(trial) != self.risk:
            out.add("risk")
        return out




def _weight(label: str) -> int:
    """How much a change weighs when ordering questions inside a section."""
    if label in ("safety", "place", "risk"):
        return {"safety": 1000, "place": 500, "risk": 60}[label]
    return 5 if label.startswith("service:") else 30


class _Thresholds:
    """The answers worth trying for each question, read off the conditions that compare it."""

    def __init__(self, kb: KnowledgeBase, rules: tuple[CompiledRule, ...], facts_from: dict[str, set[str]]) -> None:
        self.kb = kb
        self.numbers: dict[str, set[int]] = {}  # question or fact -> numbers compared with
        self.dates: dict[str, set[dt.date]] = {}
        self.groups: dict[str, list[frozenset[str]]] = {}  # multi-choice question -> option groups named together
        self.facts_from = facts_from
        # The questions some answer is checked against (answers.consistent): only their
        # trial answers need checking.
        self.cross_checked = set(CROSS_CHECKED) | {
            ref for q in kb.questions for ref in (q.id if q.at_most_answer or q.not_before_answer else "",
                                                   q.at_most_answer, q.not_before_answer) if ref}
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
        subject = str(node.get("answer") or node.get("fact"))
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
        """Every answer to ``q`` that could fall on a different side of some condition.

        An answer that would contradict another (a date before one it must follow, more
        occasions listed than counted) is never tried: the person could not give it.
        """
        candidates = self._candidates(q, answers, as_at)
        if q.id not in self.cross_checked:
            return candidates
        return [v for v in candidates if consistent(self.kb, {**answers, q.id: v})]

    def _candidates(self, q: Question, answers: Answers, as_at: dt.date) -> list[t.Any]:
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
            return self._incidents(answers, as_at)
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

    def _incidents(self, answers: Answers, as_at: dt.date) -> list[t.Any]:
        """One incident, and two with and without fear, between the first and last dates given."""
        last = answers.get("last_incident_date") or as_at
        first = answers.get("first_incident_date") or max(dt.date(1950, 1, 1), last - dt.timedelta(days=30))
        one = ({"date": last},)
        two_feared = ({"date": first, "feared_violence": True}, {"date": last, "feared_violence": True})
        two_calm = ({"date": first, "feared_violence": False}, {"date": last, "feared_violence": False})
        return [one, two_feared, two_calm]
