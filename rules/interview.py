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

The order: the danger question first; then the questions that could decide the most: the
place (which decides whether these laws apply at all), then the risk level, then each law
still open, with which services fit weighing least; ties keep the questionnaire's order.

What is left out, because it cannot differ, decides nothing (issue 10): the parts of a rule
a question cannot reach, rules those parts already decide, a rule whose every outcome it
could change is already known to change (and the trials, once no rule is left), the
outcomes of a trial that moves the same rules as an earlier one, and outcomes already
known to change.
tests/reference_interview.py keeps the straightforward interview, and
tests/test_interview_equivalence.py checks both decide the same.
"""

from __future__ import annotations

import datetime as dt
import typing as t
import weakref
from dataclasses import dataclass
from dataclasses import replace

from . import course_of_conduct
from .answers import CROSS_CHECKED
from .answers import consistent
from .answers import with_implied
from .codegen import compile_conditions
from .compiler import CompiledRule
from .conditions import Case
from .conditions import Condition
from .conditions import parse_condition
from .explain import element_status
from .explain import provision_status
from .explain import risk_level
from .model import KnowledgeBase
from .model import Question

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
    kept, ignored, _case = settled(kb, answers, as_at)
    return kept, ignored


def settled(kb: KnowledgeBase, answers: Answers, as_at: dt.date) -> tuple[dict[str, t.Any], tuple[str, ...], Case]:
    """``applicable``, with the case derived from the answers that count (derived once)."""
    current = dict(answers)
    tests = _ask_when_tests(kb)
    for _ in range(len(kb.questions) + 1):
        case = Case(*course_of_conduct.derive(current, as_at), as_at)
        closed = {qid for qid, ask_when in tests if qid in current and ask_when(case) is False}
        if not closed:
            break
        current = {k: v for k, v in current.items() if k not in closed}
    else:  # never reached: each round sets aside at least one answer
        case = Case(*course_of_conduct.derive(current, as_at), as_at)
    ignored = tuple(q.id for q in kb.questions if q.id in answers and q.id not in current)
    return current, ignored, case


#: Each knowledge base's "ask when" conditions as generated code (rules/codegen.py, the same
#: values as their evaluate), made on first use; an entry goes with its knowledge base.
_ASK_WHEN: dict[int, tuple[tuple[str, t.Callable[[Case], bool | None]], ...]] = {}


def _ask_when_tests(kb: KnowledgeBase) -> tuple[tuple[str, t.Callable[[Case], bool | None]], ...]:
    found = _ASK_WHEN.get(id(kb))
    if found is None:
        asked_when = [q for q in kb.questions if q.ask_when is not None]
        tests = compile_conditions([t.cast(Condition, q.ask_when) for q in asked_when])
        found = _ASK_WHEN[id(kb)] = tuple(zip((q.id for q in asked_when), tests, strict=True))
        weakref.finalize(kb, _ASK_WHEN.pop, id(kb), None)
    return found


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
        # The rules (that matter) reading each answer and each fact, to find what each
        # question affects: the rules reading an answer or fact it gives, in rule order.
        reading_answer: dict[str, set[int]] = {}
        reading_fact: dict[str, set[int]] = {}
        for i, r in enumerate(self.rules):
            if r.kind in _MATTERS:
                for name in r.condition.answers:
                    reading_answer.setdefault(name, set()).add(i)
                for name in r.condition.facts:
                    reading_fact.setdefault(name, set()).add(i)
        self.affects: dict[str, tuple[int, ...]] = {}
        for q in kb.questions:
            answers_read = {q.id} | extra_answers.get(q.id, set())
            facts_read = facts_from.get(q.id, set())
            self.affects[q.id] = tuple(sorted(set().union(
                *(reading_answer.get(a, ()) for a in answers_read), *(reading_fact.get(f, ()) for f in facts_read))))
        self.opens: dict[str, tuple[str, ...]] = {
            q.id: tuple(o.id for o in kb.questions if o.ask_when is not None and q.id in o.ask_when.answers)
            for q in kb.questions
        }
        # The questions whose "ask when" an answer to q can close: read directly or through a fact.
        self.closes: dict[str, tuple[str, ...]] = {
            q.id: tuple(o.id for o in kb.questions if o.ask_when is not None
                        and (q.id in o.ask_when.answers or o.ask_when.facts & facts_from.get(q.id, set())))
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
        self.provisions_sorted = {key: tuple(sorted(pids)) for key, pids in self.provisions_of.items()}
        self.risk_rules = tuple(i for i, r in enumerate(self.rules) if r.kind in ("risk", "pathway"))
        self.indicators = {i.id: i for i in kb.risk.indicators} if kb.risk else {}
        self.pathway_levels = {p.id: p.levels for p in kb.risk.pathways} if kb.risk else {}
        self._thresholds = _Thresholds(kb, self.rules, facts_from)
        # The outcome a rule that decides alone changes (safety, place, a service), by rule.
        self._alone: tuple[str | None, ...] = tuple(
            None if r.kind in ("element", "exception", "risk", "pathway")
            else "safety" if r.kind == "safety" else "place" if r.kind == "jurisdiction" else f"{r.kind}:{r.subject}"
            for r in self.rules)
        # What each rule firing or not could change on its own: a law's status through its
        # element or gate, the risk, or its own outcome (see _Labels.differences).
        self._potential = tuple(
            frozenset(self.provisions_of.get(r.subject, ())) if r.kind == "element"
            else frozenset({r.subject}) if r.kind == "exception"
            else frozenset({"risk"}) if r.kind in ("risk", "pathway")
            else frozenset({"safety" if r.kind == "safety" else "place" if r.kind == "jurisdiction" else f"{r.kind}:{r.subject}"})
            for r in self.rules)
        # A trial answer to a question outside these two sets changes neither the implied
        # answers nor the derived facts, so its case is the base case plus that answer:
        # no derivation per trial (that was most of the interview's time).
        self._derive_inputs = frozenset(
            {"incidents", "occasions", "first_incident_date", "last_incident_date", "separated_on",
             "fear_of_violence_occasions", "same_kind_of_conduct", *course_of_conduct.MERGED_FROM_INCIDENTS}
        ).union(*(spec.sources for spec in course_of_conduct.FACTS.values()))
        self._implies = frozenset(q.id for q in kb.questions if q.type == "multi_choice"
                                  and any(o.means or o.rules_out for o in q.options))
        # with_implied reads only the questions that imply something (in their order) and
        # the questions they rule out: the same answers from this smaller knowledge base.
        ruled_out = {ref for q in kb.questions for o in q.options for ref in o.rules_out}
        self._implying = replace(kb, questions=tuple(q for q in kb.questions if q.id in self._implies or q.id in ruled_out))
        # The answers derive reads to work out the facts: all its inputs but the lists an
        # incident adds to, which it only merges into the answers of the same name.
        self._fact_inputs = self._derive_inputs - (
            frozenset(course_of_conduct.MERGED_FROM_INCIDENTS)
            - frozenset().union(*(spec.sources for spec in course_of_conduct.FACTS.values())))
        # How each rule a question reads is evaluated for its trial answers. A rule whose
        # condition is "all" or "any" of parts, some of which the question cannot reach, is
        # evaluated only in the parts it can reach; the others keep their value in the case
        # every trial starts from, and are combined once per call (see _plan).
        questions = {q.id: q for q in kb.questions}
        parts_of: dict[int, tuple[bool, list[Condition]]] = {}
        for i, r in enumerate(self.rules):
            source = r.condition.source
            if r.kind in _MATTERS and isinstance(source, dict) and ("all" in source or "any" in source):
                conjunction = "all" in source
                parts_of[i] = (conjunction, [parse_condition(p, questions, course_of_conduct.FACTS)
                                             for p in source["all" if conjunction else "any"]])
        # Every condition the trials evaluate, as Python written out once (rules/codegen.py:
        # the same values as each condition's evaluate, at a fraction of the cost).
        every = [r.condition for r in self.rules] + [p for _, parts in parts_of.values() for p in parts]
        fast = {id(c): e for c, e in zip(every, compile_conditions(every), strict=True)}
        self._evaluate = tuple(fast[id(r.condition)] for r in self.rules)
        self._matter_evaluators = tuple(self._evaluate[i] if r.kind in _MATTERS else None
                                        for i, r in enumerate(self.rules))
        self._part_evaluators = {i: tuple(fast[id(p)] for p in parts) for i, (_, parts) in parts_of.items()}
        # What a trial answer to a question can reach in its case: the answers it gives
        # (itself, what a screening option implies, the lists an incident adds to) and, when
        # derive reads any of them to work out facts, every derived fact (their listed
        # sources are not all the inputs: one occasion makes the first date the last, say).
        # A question of a kind whose trial answers do not depend on the other answers gets,
        # for each rule part that reads it alone, that part's value for each trial answer
        # worked out here (_StaticPlan.table): such a question is "direct" in a call when its
        # trial case is the start case with its own answer (see _direct).
        self._static_plans: dict[str, tuple[_StaticPlan, ...]] = {}
        for q in kb.questions:
            reach = frozenset({q.id} | extra_answers.get(q.id, set()))
            reaches_facts = bool(reach & self._fact_inputs)
            static = self._thresholds.static(q)
            plans = []
            for i in self.affects[q.id]:
                found = parts_of.get(i)
                rest: tuple[int, ...]
                if found is None:
                    conjunction, touched_parts, rest = True, [self.rules[i].condition], ()
                else:
                    touched = [j for j, part in enumerate(found[1])
                               if part.answers & reach or (part.facts and reaches_facts)]
                    conjunction = found[0]
                    touched_parts = [found[1][j] for j in touched]
                    rest = tuple(j for j in range(len(found[1])) if j not in touched)
                table: tuple[bool | None, ...] | None = None
                if static is not None and all(part.answers == {q.id} and not part.facts for part in touched_parts):
                    step = _StaticPlan(i, conjunction, tuple(fast[id(part)] for part in touched_parts), (), None)
                    table = tuple(step.combine(Case({q.id: value}, {}, dt.date.min), conjunction) for value in static)
                if found is None and table is None:
                    plans.append(_StaticPlan(i, None, (), (), None))
                else:
                    plans.append(_StaticPlan(i, conjunction, tuple(fast[id(part)] for part in touched_parts), rest, table,
                                             _moves(conjunction, table)))
            self._static_plans[q.id] = tuple(plans)

    # ----------------------------------------------------------------------------------
    def interview(self, answers: Answers, asked: t.Collection[str], as_at: dt.date,
                  ignored: tuple[str, ...] = ()) -> Interview:
        """The interview for answers already validated and applicable; ``asked`` adds the skipped ones."""
        effective, facts = course_of_conduct.derive(answers, as_at)
        base_case = Case(effective, facts, as_at)
        # Only the rules that matter are read (signs and advice decide nothing here).
        base = [None if evaluate is None else evaluate(base_case) for evaluate in self._matter_evaluators]
        labels = _Labels(self, base)
        # Trials start from the answers with what screening options imply: usually the
        # answers themselves, whose derivation is then the base one.
        bases: dict[int, _Start] = {}  # this call only
        implied = with_implied(self._implying, answers)
        same = implied == answers  # the start case is the base case
        if same:
            start = bases[id(answers)] = _Start(answers, implied, effective, facts)
        else:
            start = bases[id(answers)] = _Start(answers, implied, *course_of_conduct.derive(implied, as_at))
        start_case = Case(start.effective, start.facts, as_at)
        parts: dict[int, list[bool | None]] = {}  # each rule's parts evaluated in start_case, when needed
        candidates = [q for q in self.kb.questions
                      if q.id not in asked and q.id not in answers
                      and (q.ask_when is None or q.ask_when.holds(base_case))]
        could: dict[str, tuple[str, ...]] = {}
        weight: dict[str, int] = {}
        for q in candidates:
            plan = self._plan(q.id, start_case, base, parts, self._direct(q, start), same)
            changed = self._changes(q, answers, as_at, base, labels, bases, plan)
            if not changed:
                changed = self._opens_something(q, answers, asked, as_at, base_case, base, labels, bases)
            if not changed and any(o in answers for o in self.closes[q.id]):
                changed = self._sets_aside(q, answers, as_at, base, labels)
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
                    labels: _Labels) -> set[str]:
        """What an answer to ``q`` could change by closing a question already answered.

        An answer given to a question whose "ask when" reads ``q`` is set aside when an
        answer to ``q`` makes that "ask when" false (say "no" to being distressed, and how
        distressed is no longer asked). Only answers given before their gate (through the
        API) reach here: the pages ask the gate first.
        """
        changed: set[str] = set()
        for value in self._thresholds.values(q, answers, as_at):
            kept, _ = applicable(self.kb, with_implied(self.kb, {**answers, q.id: value}), as_at)
            if all(k in kept for k in answers):
                continue
            effective, facts = course_of_conduct.derive(kept, as_at)
            case = Case(effective, facts, as_at)
            flips = []
            for i, evaluate in enumerate(self._matter_evaluators):
                if evaluate is not None and (evaluate(case) is True) is not (base[i] is True):
                    flips.append((i, evaluate(case) is True))
            changed |= labels.differences(flips)
        return changed

    def _plan(self, qid: str, start_case: Case, base: list[bool | None],
              parts: dict[int, list[bool | None]], direct: bool, same: bool = False) -> _Plan:
        """How to evaluate, for every trial answer to ``qid``, the rules it reads.

        A rule whose parts that ``qid`` cannot reach already decide it ("all" with one of
        them false, "any" with one true) has that value for every trial answer: it moves
        for every trial or for none. Otherwise the parts it cannot reach are combined once
        here (three-valued "and"/"or" is order-free), and each trial evaluates the rest, or,
        when ``direct``, looks up what the rest is for that answer.
        """
        evaluate: list[tuple[int, bool | None, t.Any, t.Any]] = []
        always: list[tuple[int, bool | None]] = []
        for step in self._static_plans[qid]:
            i = step.rule
            if step.conjunction is None:
                evaluate.append((i, base[i], self._evaluate[i], None))
                continue
            rest: bool | None
            if step.rest and same and base[i] is step.conjunction:
                # In the base case, "all" true has every part true, "any" false every part false.
                rest = step.conjunction
            elif step.rest:
                values = parts.get(i)
                if values is None:
                    values = parts[i] = [part(start_case) for part in self._part_evaluators[i]]
                decided = step.conjunction is False  # "all" starts true and is decided by false; "any" the reverse
                rest = not decided
                for j in step.rest:
                    v = values[j]
                    if v is decided:
                        rest = decided
                        break
                    if v is None:
                        rest = None
                if rest is decided:
                    if rest != base[i]:
                        always.append((i, rest))
                    continue
            else:
                rest = step.conjunction  # nothing else: "all" of nothing is true, "any" false
            if direct and step.table is not None:
                # The rule's value for each value of the parts reached; a rule that has its
                # base value whatever they are never moves, so is not looked at.
                if (rest is None, base[i]) in step.moves:
                    evaluate.append((i, base[i], step.table, _outcome(step.conjunction, rest)))
            else:
                evaluate.append((i, base[i], step, rest))
        return _Plan(tuple(evaluate), tuple(always), direct)

    def _case(self, answers: Answers, as_at: dt.date) -> Case:
        """The case for trial answers, with the answers a screening option gives."""
        effective, facts = course_of_conduct.derive(with_implied(self._implying, answers), as_at)
        return Case(effective, facts, as_at)

    def _trial_case(self, answers: Answers, qid: str, value: t.Any, as_at: dt.date, bases: dict[int, _Start]) -> Case:
        """``_case({**answers, qid: value})``, without what need not be done again.

        The answers implied with a trial answer are those ``answers`` imply with the trial
        answer and what it implies (an answer given stands over an implied one; nothing
        implied goes away). So when none of those is read by derive, the derivation is that
        of ``answers`` with them; otherwise derive runs on them, without working out again
        what ``answers`` imply when ``qid`` implies nothing.
        """
        if value is None:
            return self._case({**answers, qid: value}, as_at)
        found = bases.get(id(answers))
        if found is None or found.answers is not answers:
            implied = with_implied(self._implying, answers)
            found = bases[id(answers)] = _Start(answers, implied, *course_of_conduct.derive(implied, as_at))
        if qid in self._implies:
            trial = with_implied(self._implying, {**answers, qid: value})
            start = found.implied
            changed = {k: v for k, v in trial.items() if k not in start or start[k] != v}
            if len(trial) - len(start) != sum(1 for k in changed if k not in start) or not changed.keys().isdisjoint(
                    self._derive_inputs):
                return Case(*course_of_conduct.derive(trial, as_at), as_at)
            return Case({**found.effective, **changed}, found.facts, as_at)
        if qid in self._derive_inputs:
            effective, facts = course_of_conduct.derive({**found.implied, qid: value}, as_at)
            return Case(effective, facts, as_at)
        return Case({**found.effective, qid: value}, found.facts, as_at)

    def _direct(self, q: Question, start: _Start) -> bool:
        """Whether a trial answer to ``q`` gives the start case with only that answer set as
        given: it implies nothing, derive works no fact out of it, and no incident listed
        adds to it (the lists an incident adds to are merged into the answer)."""
        if q.id in self._implies or self._thresholds.static(q) is None:
            return False
        if q.id not in self._derive_inputs:
            return True
        return q.id not in self._fact_inputs and not start.implied.get("incidents")

    def _changes(self, q: Question, answers: Answers, as_at: dt.date, base: list[bool | None],
                 labels: _Labels, bases: dict[int, _Start], plan: _Plan | None = None) -> set[str]:
        """What some answer to ``q`` could change (empty: nothing). Without a ``plan`` (the
        answers are not those of the call), every rule ``q`` reads is evaluated in full.

        The outcomes changed by a trial are the pivotal outcome of each undecided rule that
        moved and the outcomes that differ with the rules that now fire or no longer do; so
        for all trials together, the pivotal outcomes of every undecided rule that moved in
        some trial, and the differences of each trial.
        """
        if plan is None:
            plan = _Plan(tuple((i, base[i], self._evaluate[i], None) for i in self.affects[q.id]), (), False)
        if not plan.evaluate and not plan.always:
            return set()
        values = self._thresholds.values(q, answers, as_at)
        if not values:
            return set()
        changed: set[str] = set()
        movers = {i for i, _ in plan.always if base[i] is None}
        always_flips = [(i, v is True) for i, v in plan.always if (v is True) is not (base[i] is True)]
        index = self._thresholds.index(q) if plan.direct else {}
        potential = self._potential
        seen_flips: set[tuple[tuple[int, bool], ...]] = set()
        evaluate = plan.evaluate
        tried = False
        for value in values:
            if tried and not evaluate:
                # Every rule left to evaluate could change only what is known to change, and
                # the rules that move whatever the answer were weighed in the first trial.
                break
            tried = True
            case: Case | None = None
            flips = list(always_flips)
            moved: list[int] = []
            k = index.get(id(value), -1)
            for i, was, how, rest in evaluate:
                if how.__class__ is tuple:  # a direct question's table; rest maps its values to the rule's
                    v = rest[how[k]]
                else:
                    if case is None:
                        case = self._trial_case(answers, q.id, value, as_at, bases)
                    v = how(case) if rest is None and how.__class__ is not _StaticPlan else how.combine(case, rest)
                if v != was:
                    if was is None and i not in movers:
                        movers.add(i)
                        moved.append(i)
                    if (v is True) is not (was is True):
                        flips.append((i, v is True))
            known = len(changed)
            if moved:
                for i in moved:
                    if not potential[i] <= changed:
                        label = labels.pivotal(i)
                        if label is not None:
                            changed.add(label)
                moved.clear()
            # What a set of flips can change lies among what each rule can change alone
            # (its potential): once that is all known to change, it need not be worked out.
            if flips and not all(potential[i] <= changed for i, _ in flips):
                # The same flips as an earlier trial's change nothing new: what they change
                # is already in ``changed``.
                moves = tuple(flips)
                if moves not in seen_flips:
                    seen_flips.add(moves)
                    changed |= labels.differences(flips, changed)
            if len(changed) != known:
                    # A rule that could change only what is known to change need not be
                    # evaluated again: an outcome not yet known reads only the rules that
                    # could change it, and its pivotal outcome is among what it could change.
                    evaluate = tuple(step for step in evaluate if not potential[step[0]] <= changed)
        for i in movers:
            if not potential[i] <= changed:
                label = labels.pivotal(i)
                if label is not None:
                    changed.add(label)
        return changed

    def _opens_something(self, q: Question, answers: Answers, asked: t.Collection[str], as_at: dt.date,
                         base_case: Case, base: list[bool | None], labels: _Labels,
                         bases: dict[int, _Start]) -> set[str]:
        """For a question that only opens others: what the questions it could open could change."""
        follow = [self.kb.question(o) for o in self.opens[q.id] if o not in asked and o not in answers]
        follow = [o for o in follow if o.ask_when is not None and not o.ask_when.holds(base_case)]
        changed: set[str] = set()
        for value in self._thresholds.values(q, answers, as_at) if follow else ():
            trial = with_implied(self._implying, {**answers, q.id: value})
            case = self._case(trial, as_at)
            for o in follow:
                if o.ask_when is not None and o.ask_when.holds(case):
                    changed.update(self._changes(o, trial, as_at, base, labels, bases))
        return changed


@dataclass(frozen=True)
class _Start:
    """Answers trials start from: themselves, with what they imply, and its derivation."""

    answers: Answers
    implied: dict[str, t.Any]
    effective: dict[str, t.Any]
    facts: dict[str, t.Any]


@dataclass(frozen=True)
class _StaticPlan:
    """How one rule is evaluated for trial answers to one question (built once).

    ``conjunction`` None: the whole condition. Otherwise the rule is "all" (True) or "any"
    (False) of parts; ``touched`` evaluates the parts the question can reach and ``rest``
    indexes those it cannot (a whole condition the question reaches is one part).
    """

    rule: int
    conjunction: bool | None
    touched: tuple[t.Callable[[Case], bool | None], ...]
    rest: tuple[int, ...]
    table: tuple[bool | None, ...] | None  # the parts reached, for each static trial answer
    # With a table: (whether the rest is undecided, the rule's base value) for each pair
    # under which some trial answer gives the rule another value.
    moves: frozenset[tuple[bool, bool | None]] = frozenset()

    def combine(self, case: Case, rest: bool | None) -> bool | None:
        """The rule's value: the parts reached, evaluated in ``case``, with the rest's value."""
        result = rest
        if self.conjunction:
            for part in self.touched:
                v = part(case)
                if v is False:
                    return False
                if v is None:
                    result = None
        else:
            for part in self.touched:
                v = part(case)
                if v is True:
                    return True
                if v is None:
                    result = None
        return result


@dataclass(frozen=True)
class _Plan:
    """For one question in one call: the rules to evaluate per trial, as (rule, base value,
    how, rest), and the rules that move, to the value given, whatever the answer."""

    evaluate: tuple[tuple[int, bool | None, t.Any, t.Any], ...]
    always: tuple[tuple[int, bool | None], ...]
    direct: bool


class _Labels:
    """What some rules moving from their base values would change, for one call.

    The outcomes: each offence or order's status (from its elements' and gates' rules),
    the risk level and pathways, and the rules that decide alone (safety, place, services).
    Kept as counts, so that a change is worked out from the rules that moved only; each
    set of moves is worked out once. A rule undecided at base that moves also brings its
    pivotal outcome: the first outcome its firing alone would change.
    """

    def __init__(self, interviewer: Interviewer, base: list[bool | None]) -> None:
        self.iv = iv = interviewer
        self.base = base
        rules = iv.rules
        self.fired: dict[str, dict[str, int]] = {}  # element -> outcome -> rules fired
        for key, members in iv.element_rules.items():
            counts: dict[str, int] = {}
            for i in members:
                if base[i] is True:
                    counts[rules[i].outcome] = counts.get(rules[i].outcome, 0) + 1
            self.fired[key] = counts
        self.element = {key: element_status(counts) for key, counts in self.fired.items()}
        self.statuses: dict[str, dict[str, int]] = {}  # provision -> element status -> elements
        self.gates: dict[str, dict[str, int]] = {}  # provision -> gate outcome -> rules fired
        self.provision: dict[str, str] = {}
        for p in iv.kb.provisions:
            statuses: dict[str, int] = {}
            for k in p.elements:
                status = self.element.get(k, "unknown")
                statuses[status] = statuses.get(status, 0) + 1
            gates: dict[str, int] = {}
            for i in iv.exception_rules.get(p.id, ()):
                if base[i] is True:
                    gates[rules[i].outcome] = gates.get(rules[i].outcome, 0) + 1
            self.statuses[p.id], self.gates[p.id] = statuses, gates
            self.provision[p.id] = provision_status(statuses, gates)
        # The risk rules that fire at base (a set: which fire, not in what order, decides).
        self.risk_fired = frozenset(i for i in iv.risk_rules if base[i] is True)
        self.risks: dict[frozenset[tuple[int, bool]], t.Any] = {}
        self.risk = self._risk({})
        self.pivots: dict[int, str | None] = {}

    def _risk(self, flips: dict[int, bool]) -> t.Any:
        """The risk level and the pathways that fit, with the risk rules in ``flips`` firing
        or not (each set of flips worked out once a call)."""
        kb = self.iv.kb
        if kb.risk is None:
            return None
        key = frozenset(flips.items())
        if key in self.risks:
            return self.risks[key]
        rules = self.iv.rules
        fired = [rules[i] for i in self.risk_fired if flips.get(i, True)]
        fired += [rules[i] for i, now in flips.items() if now and i not in self.risk_fired]
        level = risk_level(kb.risk, [self.iv.indicators[r.subject] for r in fired if r.kind == "risk"]).id
        found = self.risks[key] = (level, frozenset(r.subject for r in fired if r.kind == "pathway"
                                                    and level in self.iv.pathway_levels[r.subject]))
        return found

    def differences(self, flips: t.Sequence[tuple[int, bool]], known: t.Collection[str] = ()) -> set[str]:
        """The outcomes that differ when each rule ``i`` of ``flips`` fires (``True``) or
        not, against base (an outcome reads only whether rules fired); those in ``known``
        are not looked at, so may be missing."""
        rules = self.iv.rules
        alone = self.iv._alone
        out: set[str] = set()
        elements: dict[str, dict[str, int]] = {}
        gates: dict[str, dict[str, int]] = {}
        risk: dict[int, bool] = {}
        for i, now in flips:
            label = alone[i]
            if label is not None:
                out.add(label)
                continue
            rule = rules[i]
            kind = rule.kind
            if kind == "element":
                delta = elements.get(rule.subject)
                if delta is None:
                    delta = elements[rule.subject] = {}
                delta[rule.outcome] = delta.get(rule.outcome, 0) + (1 if now else -1)
            elif kind == "exception":
                delta = gates.get(rule.subject)
                if delta is None:
                    delta = gates[rule.subject] = {}
                delta[rule.outcome] = delta.get(rule.outcome, 0) + (1 if now else -1)
            else:  # risk or pathway
                risk[i] = now
        statuses: dict[str, dict[str, int]] = {}
        provisions_of = self.iv.provisions_of
        for key, delta in elements.items():
            provisions = provisions_of.get(key, ())
            if known and all(pid in known for pid in provisions):
                continue
            status = _element_with(self.fired[key], delta)
            was = self.element[key]
            if status != was:
                for pid in provisions:
                    change = statuses.get(pid)
                    if change is None:
                        change = statuses[pid] = {}
                    change[was] = change.get(was, 0) - 1
                    change[status] = change.get(status, 0) + 1
        for pid, change in statuses.items():
            if pid not in known and _provision_with(self.statuses[pid], change, self.gates[pid],
                                                    gates.get(pid, _NONE)) != self.provision[pid]:
                out.add(pid)
        for pid, change in gates.items():
            if pid not in statuses and pid not in known and _provision_with(
                    self.statuses[pid], _NONE, self.gates[pid], change) != self.provision[pid]:
                out.add(pid)
        if risk and "risk" not in known and self._risk(risk) != self.risk:
            out.add("risk")
        return out

    def pivotal(self, i: int) -> str | None:
        """For a rule undecided at base: the first outcome its firing alone would change
        (the least of ``differences(((i, True),))``, worked out for that one rule)."""
        if i in self.pivots:
            return self.pivots[i]
        iv = self.iv
        label = iv._alone[i]
        if label is None:
            rule = iv.rules[i]
            kind = rule.kind
            if kind == "element":
                key = rule.subject
                status = _element_with(self.fired[key], {rule.outcome: 1})
                was = self.element[key]
                if status != was:
                    change = {was: -1, status: 1}
                    for pid in iv.provisions_sorted.get(key, ()):
                        if _provision_with(self.statuses[pid], change, self.gates[pid], _NONE) != self.provision[pid]:
                            label = pid
                            break
            elif kind == "exception":
                pid = rule.subject
                if _provision_with(self.statuses[pid], _NONE, self.gates[pid], {rule.outcome: 1}) != self.provision[pid]:
                    label = pid
            elif self._risk({i: True}) != self.risk:
                label = "risk"
        self.pivots[i] = label
        return label


def _outcome(conjunction: bool | None, rest: bool | None) -> dict[bool | None, bool | None]:
    """A rule's value for each value of the parts a question reaches, given the rest's."""
    if rest is None:
        # "all": an undecided rest makes true undecided; "any": it makes false undecided
        return _UNDECIDED_ALL if conjunction else _UNDECIDED_ANY
    return _AS_IS


_UNDECIDED_ALL: dict[bool | None, bool | None] = {True: None, False: False, None: None}
_UNDECIDED_ANY: dict[bool | None, bool | None] = {True: True, False: None, None: None}
_AS_IS: dict[bool | None, bool | None] = {True: True, False: False, None: None}


def _moves(conjunction: bool | None, table: tuple[bool | None, ...] | None) -> frozenset[tuple[bool, bool | None]]:
    """``_StaticPlan.moves``: the (rest undecided, base value) pairs under which the rule's
    value for some trial answer differs from its base value."""
    if table is None:
        return frozenset()
    return frozenset((undecided, was) for undecided in (False, True) for was in (True, False, None)
                     if any(_outcome(conjunction, None if undecided else True)[v] != was for v in set(table)))
_NONE: dict[str, int] = {}


def _element_with(counts: dict[str, int], delta: dict[str, int]) -> str:
    """``element_status`` of the outcomes counted at least once once ``delta`` is added to ``counts``."""
    return element_status(_present(counts, delta))


def _provision_with(statuses: dict[str, int], change: dict[str, int], gates: dict[str, int],
                    delta: dict[str, int]) -> str:
    """``provision_status`` of the element statuses and gate outcomes counted at least once
    once ``change`` and ``delta`` are added to their counts."""
    return provision_status(_present(statuses, change), _present(gates, delta))


def _present(counts: dict[str, int], delta: dict[str, int]) -> t.Collection[str]:
    """The outcomes counted at least once once ``delta`` is added to ``counts``."""
    if not delta:
        return counts  # every count is at least one
    out = [k for k, n in counts.items() if n + delta.get(k, 0) > 0]
    out += [k for k, n in delta.items() if n > 0 and k not in counts]
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
        self._static: dict[str, list[t.Any]] = {}
        self._index: dict[str, dict[int, int]] = {}
        # The questions some answer is checked against (answers.consistent): only their
        # trial answers need checking.
        self.cross_checked = set(CROSS_CHECKED) | {
            ref for q in kb.questions for ref in (q.id if q.at_most_answer or q.not_before_answer else "",
                                                   q.at_most_answer, q.not_before_answer) if ref}
        self._checked = replace(kb, questions=tuple(q for q in kb.questions if q.at_most_answer or q.not_before_answer))
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
        # Only the questions checked against another (and the incidents' checks, which read
        # only cross-checked answers) can find a problem: checked alone, the same verdict.
        kept = {k: answers[k] for k in self.cross_checked if k in answers}
        return [v for v in candidates if consistent(self._checked, {**kept, q.id: v})]

    def static(self, q: Question) -> list[t.Any] | None:
        """The answers worth trying for a question whose kind makes them depend on nothing
        else (all but dates and incidents), worked out once; None for the others."""
        found = self._static.get(q.id)
        if found is None and q.type not in ("date", "incidents"):
            found = self._static[q.id] = self._candidates(q, {}, dt.date.min)
            self._index[q.id] = {id(v): k for k, v in enumerate(found)}
        return found

    def index(self, q: Question) -> dict[int, int]:
        """Where each of ``static(q)`` stands in it, by identity (``values`` returns them)."""
        return self._index[q.id]

    def _candidates(self, q: Question, answers: Answers, as_at: dt.date) -> list[t.Any]:
        if q.id in self._static:
            return self._static[q.id]
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
