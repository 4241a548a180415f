"""Turn the rules that fired into an Assessment that explains itself.

This is the one generic step that combines results, written once for every provision:

* an element is ``not_met`` if a not-met rule fired, else ``doubtful`` if a doubtful rule
  fired, else ``met`` if a met rule fired, else ``unknown``;
* a provision is ``not_met`` if a gate or defence with that effect fired or an element is
  not met; else ``borderline`` if an element is doubtful or a gate or defence with that
  effect fired (listing what is also missing); else ``unknown`` if an element is unknown;
  else ``may_apply``.

What is missing is worked out from the questions each undecided condition reads, never
written by hand.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import replace

from . import course_of_conduct
from .assessment import AdviceResult
from .assessment import Assessment
from .assessment import CourseOfConduct
from .assessment import ElementResult
from .assessment import IncidentRecord
from .assessment import IndicatorResult
from .assessment import JurisdictionResult
from .assessment import MissingAnswer
from .assessment import PathwayResult
from .assessment import ProvisionDetails
from .assessment import ProvisionResult
from .assessment import Reason
from .assessment import RiskResult
from .assessment import Safety
from .assessment import SignGroupResult
from .assessment import SignResult
from .assessment import TimeLimitResult
from .compiler import CompiledRule
from .conditions import Case
from .conditions import known
from .loader import add_months
from .model import KnowledgeBase
from .model import Pathway
from .model import Provision
from .model import Risk
from .model import RiskIndicator
from .model import RiskLevel
from .model import SafetyAdvice
from .model import Service

COURSE_OF_CONDUCT = "course_of_conduct"


class Explainer:
    """Builds assessments for one knowledge base; holds the indexes it needs, built once.

    ``build`` decides what a client shows first (statuses, the missing answers, time
    limits, risk, services, safety advice); each provision's reason and elements, the
    course of conduct, the signs and the trace are worked out by ``_Explained`` the first
    time they are read (README, Speed). Every result object that depends only on the
    knowledge and on which rules held (a Reason, a service with its reasons, a piece of
    advice, an indicator, a missing answer) is frozen and built once, then shared.
    """

    def __init__(self, kb: KnowledgeBase, rules: t.Sequence[CompiledRule]) -> None:
        self.kb = kb
        self.rules = tuple(rules)
        self.question_order = {q.id: i for i, q in enumerate(kb.questions)}
        self.by_subject: dict[str, list[int]] = {}
        self._by_kind_subject: dict[tuple[str, str], tuple[int, ...]] = {}
        for index, rule in enumerate(self.rules):
            self.by_subject.setdefault(rule.subject, []).append(index)
            self._by_kind_subject[rule.kind, rule.subject] = (
                *self._by_kind_subject.get((rule.kind, rule.subject), ()), index)
        self._kind = tuple(rule.kind for rule in self.rules)
        self._subject = tuple(rule.subject for rule in self.rules)
        self._outcome = tuple(rule.outcome for rule in self.rules)
        # Each status's sentence as a reason reads it (provision_details joins, then strips).
        self._said = {status: text.strip() for status, text in kb.meta.status_text.items()}
        self._reasons: dict[int, Reason] = {}
        # What each element's conditions read, to say what is missing when it is undecided.
        self.element_reads = {
            key: (
                frozenset().union(*(o.when.answers for o in element.outcomes)),
                frozenset().union(*(o.when.facts for o in element.outcomes)),
            )
            for key, element in kb.elements.items()
        }
        # The same, ready to read: the questions in question order, and each fact with the
        # questions it comes from (every question a condition reads is in the knowledge, so
        # question order alone sorts them).
        self._element_missing_plan = {
            key: (tuple(sorted(answers_read, key=lambda q: self.question_order.get(q, 0))),
                  tuple((fact, tuple(q for q in course_of_conduct.FACTS[fact].sources if q in self.question_order))
                        for fact in sorted(facts_read)))
            for key, (answers_read, facts_read) in self.element_reads.items()
        }
        self.exception_rules = {f"{p.id}/{x.id}": x for p in kb.provisions for x in p.exceptions}
        # Each piece of safety advice's rules, one per way it fits, in the order of its fits.
        self._advice_rules: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            if rule.kind == "advice":
                self._advice_rules.setdefault(rule.subject, []).append(index)
        advice_by_id = {a.id: a for a in kb.safety_advice}
        #: rule index -> (the advice's place in the knowledge, the advice, which of its fits)
        self._advice_fit: dict[int, tuple[int, SafetyAdvice, int]] = {}
        position = {a.id: n for n, a in enumerate(kb.safety_advice)}
        for advice_id, indices in self._advice_rules.items():
            for fit, index in enumerate(indices):
                self._advice_fit[index] = (position[advice_id], advice_by_id[advice_id], fit)
        self._services_by_id = {s.id: (n, s) for n, s in enumerate(kb.services)}
        self._indicators = {i.id: (n, i) for n, i in enumerate(kb.risk.indicators)} if kb.risk else {}
        # Built once, shared by every assessment (all frozen).
        self._advice_results: dict[tuple[str, tuple[int, ...]], AdviceResult] = {}
        self._service_results: dict[tuple[str, tuple[int, ...]], Service] = {}
        self._indicator_results: dict[str, IndicatorResult] = {}
        self._pathway_results: dict[str, PathwayResult] = {}
        self._missing_answers: dict[str, MissingAnswer] = {}

    def reason(self, index: int) -> Reason:
        """The rule's Reason, built once per rule (it is frozen, so every assessment shares it)."""
        found = self._reasons.get(index)
        if found is None:
            rule = self.rules[index]
            found = self._reasons[index] = Reason(
                rule.id, rule.outcome, rule.because, tuple(sorted(rule.condition.answers)),
                tuple(sorted(rule.condition.facts)), rule.citation)
        return found

    def missing_answer(self, question: str) -> MissingAnswer:
        found = self._missing_answers.get(question)
        if found is None:
            found = self._missing_answers[question] = MissingAnswer(question, self.kb.question(question).text)
        return found

    def missing_for(self, key: str, case: Case) -> tuple[str, ...]:
        """Unanswered questions the element reads; for a fact, the first question it comes from."""
        reads, fact_sources = self._element_missing_plan[key]
        answers = case.answers
        missing = [q for q in reads if answers.get(q) is None]
        more = False
        for fact, sources in fact_sources:
            if not known(case.facts.get(fact)):
                first = next((q for q in sources if answers.get(q) is None), None)
                if first is not None and first not in missing:
                    missing.append(first)
                    more = True
        if more:
            missing.sort(key=lambda q: self.question_order.get(q, 0))
        return tuple(missing)

    # ------------------------------------------------------------------------------------
    def build(self, case: Case, fired: t.Sequence[int], ignored: tuple[str, ...] = ()) -> Assessment:
        x = _Explained(self, case, tuple(fired))
        offences: list[ProvisionResult] = []
        orders: list[ProvisionResult] = []
        time_limits: list[TimeLimitResult] = []
        missing_ids: list[str] = []
        for provision in self.kb.provisions:
            result = x.provision(provision)
            (orders if provision.kind == "order" else offences).append(result)
            if result.time_limit is not None:
                time_limits.append(result.time_limit)
            if result.status == "unknown":
                for q in result.missing:
                    if q not in missing_ids:
                        missing_ids.append(q)
        missing_ids.sort(key=lambda q: self.question_order.get(q, 0))

        meta = self.kb.meta
        advice = self._advice(x)
        return Assessment(
            knowledge_version=meta.knowledge_version,
            as_at=case.as_at,
            law_as_at=meta.law_as_at,
            notice=meta.notice,
            safety=Safety(bool(x.of_kind.get("safety")), meta.emergency, meta.emergency_silent),
            jurisdiction=self._jurisdiction(x, case.answers),
            offences=tuple(offences),
            orders=tuple(orders),
            time_limits=tuple(time_limits),
            services=self._services(x),
            missing=tuple(self.missing_answer(q) for q in missing_ids),
            # The six general tips only when no specific safety advice fits (a fallback).
            what_to_do_now=() if advice else meta.what_to_do_now,
            risk=self._risk(x, case),
            ignored=ignored,
            safety_advice=advice,
            details=x,
        )

    def _time_limit(self, p: Provision, case: Case,
                    ends: dict[tuple[dt.date, int], dt.date] | None = None) -> TimeLimitResult | None:
        limit = p.time_limit
        if limit is None:
            return None
        last: dt.date | None = case.facts.get("last_incident_date")
        kind, months = limit.rule_for(last) if last else (limit.kind, limit.months)
        # For a limit from the prosecutor's knowledge only the long stop can be counted here:
        # ends_on is then the last day a prosecution could ever start, and the status is
        # "depends" (on when the prosecutor had enough evidence) until that day passes.
        ends_on: dt.date | None = None
        if last:
            ends_on = ends.get((last, months)) if ends is not None else None
            if ends_on is None:
                ends_on = add_months(last, months)
                if ends is not None:
                    ends[last, months] = ends_on
        plain = limit.earlier_plain if last and kind != limit.kind and limit.earlier_plain else limit.plain
        if ends_on is None:
            status = "unknown"
        elif case.as_at > ends_on:
            status = "passed"
        elif kind == "from_prosecutor_knowledge":
            status = "depends"
        elif (ends_on - case.as_at).days <= self.kb.meta.near_deadline_days:
            status = "near"
        else:
            status = "open"
        return TimeLimitResult(p.id, p.title, limit.months, status, last, ends_on, plain, limit.after,
                               limit.citation, kind, limit.long_stop_months if kind == limit.kind else None)

    def _advice(self, x: _Explained) -> tuple[AdviceResult, ...]:
        """Each piece of safety advice whose rules fired, with only the reasons that held.

        Ordered by fit: urgent first, then by the order of its best-fitting reason (the
        knowledge gives each reason its own), then the knowledge's order.
        """
        held: dict[int, tuple[SafetyAdvice, list[int]]] = {}
        for index in x.of_kind.get("advice", ()):
            position, advice, fit = self._advice_fit[index]
            held.setdefault(position, (advice, []))[1].append(fit)
        chosen: list[tuple[bool, int, int, AdviceResult]] = []
        for position, (advice, fits) in held.items():
            fits.sort()
            key = (advice.id, tuple(fits))
            result = self._advice_results.get(key)
            if result is None:
                held_fits = [advice.fits[n] for n in fits]
                read = frozenset().union(*(fit.when.answers for fit in held_fits))
                result = self._advice_results[key] = AdviceResult(
                    id=advice.id, group=advice.group, group_title=advice.group_title, title=advice.title,
                    text=advice.text, why=tuple(_dedupe(fit.because for fit in held_fits)), caution=advice.caution,
                    order=min(fit.order for fit in held_fits), urgent=advice.urgent, source=advice.source,
                    checked_on=advice.checked_on, verification=advice.verification,
                    answers=tuple(sorted(read, key=lambda q: self.question_order.get(q, 0))),
                )
            chosen.append((not result.urgent, result.order, position, result))
        chosen.sort(key=lambda c: c[:3])
        return tuple(c[3] for c in chosen)

    def _services(self, x: _Explained) -> tuple[Service, ...]:
        held: dict[str, list[int]] = {}
        for index in x.of_kind.get("service", ()):
            held.setdefault(self._subject[index], []).append(index)
        fitting = sorted((self._services_by_id[s] for s in held), key=lambda ns: ns[0])
        out = [self._why_it_fits(service, sorted(held[service.id])) for _, service in fitting]
        return tuple(sorted(out, key=lambda s: not s.urgent))  # urgent first; otherwise knowledge order

    def _why_it_fits(self, service: Service, held: list[int]) -> Service:
        """The service with only the reasons that held, when it has more than one way to fit."""
        if not service.fits:
            return service
        key = (service.id, tuple(held))
        found = self._service_results.get(key)
        if found is None:
            reasons = [self.rules[i].because for i in held]
            found = self._service_results[key] = replace(service, why=" ".join(_dedupe(reasons)))
        return found

    def _risk(self, x: _Explained, case: Case) -> RiskResult | None:
        """The highest level reached: by an indicator on its own, or by how many were raised."""
        risk = self.kb.risk
        if risk is None:
            return None
        raised_ids = {self._subject[i] for i in x.of_kind.get("risk", ())}
        raised = [i for i in risk.indicators if i.id in raised_ids]
        level = risk_level(risk, raised)
        # Screening is incomplete when indicators still undecided could, all raised, raise the
        # level: then the level is a floor, and the questions that would settle it are named.
        askable = _Askable(self.kb, case)  # only the questions the indicators read are checked
        undecided = [i for i in risk.indicators
                     if i.id not in raised_ids and i.raised_when.evaluate(case) is None
                     and any(case.answers.get(q) is None and q in askable for q in i.raised_when.answers)]
        complete = risk_level(risk, raised + undecided).rank == level.rank
        unanswered: list[str] = []
        if not complete:
            for indicator in undecided:
                for q in sorted(indicator.raised_when.answers, key=lambda q: self.question_order.get(q, 0)):
                    if case.answers.get(q) is None and q in askable and q not in unanswered:
                        unanswered.append(q)
            unanswered.sort(key=lambda q: self.question_order.get(q, 0))
        staff, plain = level.staff, level.plain
        if not complete and risk.incomplete_plain:
            lowest = level.rank == min(lv.rank for lv in risk.levels)
            staff = risk.incomplete_staff if lowest else f"{level.staff} {risk.incomplete_staff}"
            plain = risk.incomplete_plain if lowest else f"{level.plain} {risk.incomplete_plain}"
        decided_by = tuple(i.id for i in raised if i.alone_raises == level.id)
        fitting = {self._subject[i] for i in x.of_kind.get("pathway", ())}
        pathways = tuple(self._pathway(p) for p in risk.pathways if level.id in p.levels and p.id in fitting)
        return RiskResult(
            level=level.id, title=level.title, staff=staff, plain=plain,
            indicators=tuple(self._indicator(i) for i in raised),
            decided_by=decided_by, pathways=pathways, note=risk.note,
            screening_complete=complete,
            unanswered=tuple(self.missing_answer(q) for q in unanswered),
        )

    def _indicator(self, i: RiskIndicator) -> IndicatorResult:
        found = self._indicator_results.get(i.id)
        if found is None:
            found = self._indicator_results[i.id] = IndicatorResult(
                i.id, i.label, i.plain, i.why, i.source, i.alone_raises,
                tuple(sorted(i.raised_when.answers | i.raised_when.facts)))
        return found

    def _pathway(self, p: Pathway) -> PathwayResult:
        found = self._pathway_results.get(p.id)
        if found is None:
            found = self._pathway_results[p.id] = PathwayResult(p.id, p.title, p.action, p.plain, p.source)
        return found

    def _fired(self, fired: t.AbstractSet[int], kind: str, subject: str) -> bool:
        return not fired.isdisjoint(self._by_kind_subject.get((kind, subject), ()))

    def _jurisdiction(self, x: _Explained, answers: t.Mapping[str, t.Any]) -> JurisdictionResult:
        place = answers.get(self.kb.meta.place_question)
        other = []
        if x.of_kind.get("jurisdiction"):
            for j in self.kb.jurisdictions:
                if self._fired(x.fired_set, "jurisdiction", j.id):
                    other.append({"id": j.id, "title": j.title, "plain": j.plain,
                                  "laws": [c.to_dict() for c in j.laws], "services": list(j.services)})
        extent = self.kb.meta.extent_names
        assessed = " and ".join(extent.values()) if place in extent else None
        return JurisdictionResult(place, assessed, tuple(other))


class _Explained:
    """One assessment's explanation: what ``build`` needs at once, the rest when first read.

    Holds the case, so an Assessment can work out its elements, course of conduct, signs
    and trace later; it is the Assessment's own (its ``details``) and goes with it.
    """

    def __init__(self, explainer: Explainer, case: Case, fired: tuple[int, ...]) -> None:
        self.explainer = explainer
        self.case = case
        self.fired = fired
        self.fired_set = frozenset(fired)
        kinds, subjects, outcomes = explainer._kind, explainer._subject, explainer._outcome
        #: rule indices that fired, by kind, in firing order
        self.of_kind: dict[str, list[int]] = {}
        element_outcomes: dict[str, set[str]] = {}
        #: the gates and defences that fired, by provision, in rule order
        self.exceptions: dict[str, list[int]] = {}
        for i in fired:
            kind = kinds[i]
            self.of_kind.setdefault(kind, []).append(i)
            if kind == "element":
                element_outcomes.setdefault(subjects[i], set()).add(outcomes[i])
            elif kind == "exception":
                self.exceptions.setdefault(subjects[i], []).append(i)
        for found in self.exceptions.values():
            found.sort()
        #: each element's status; an element none of whose rules fired is unknown
        self.status = {key: element_status(out) for key, out in element_outcomes.items()}
        self._missing: dict[str, tuple[str, ...]] = {}
        self._ends_on: dict[tuple[dt.date, int], dt.date] = {}  # add_months, once per count of months
        self._elements: dict[str, ElementResult] = {}

    def element_missing(self, key: str) -> tuple[str, ...]:
        if self.status.get(key, "unknown") not in ("unknown", "doubtful"):
            return ()
        found = self._missing.get(key)
        if found is None:
            found = self._missing[key] = self.explainer.missing_for(key, self.case)
        return found

    def provision(self, p: Provision) -> ProvisionResult:
        status_of = self.status
        exceptions = self.exceptions.get(p.id, ())
        outcomes = self.explainer._outcome
        status = provision_status({status_of.get(key, "unknown") for key in p.elements},
                                  {outcomes[i] for i in exceptions})
        missing: list[str] = []
        if status in ("unknown", "borderline"):
            for key in p.elements:
                for q in self.element_missing(key):
                    if q not in missing:
                        missing.append(q)
        limit = self.explainer._time_limit(p, self.case, self._ends_on) if p.time_limit is not None else None
        # May apply and need more information add no part's reason to the status's sentence.
        said = self.explainer._said.get(status, "") if status in ("may_apply", "unknown") else ""
        return ProvisionResult.made(p.id, status, tuple(missing), limit, p, lambda: self.provision_details(p, status),
                                    said)

    def element(self, key: str) -> ElementResult:
        found = self._elements.get(key)
        if found is None:
            x = self.explainer
            element = x.kb.elements[key]
            status = self.status.get(key, "unknown")
            shown = () if status == "unknown" else tuple(
                x.reason(i) for i in x.by_subject.get(key, ()) if i in self.fired_set and x._outcome[i] == status)
            found = self._elements[key] = ElementResult(
                id=key, status=status, law=element.law, plain=element.plain, reasons=shown,
                missing=self.element_missing(key), would_change=element.would_change if status != "met" else "",
                citation=element.citation)
        return found

    def provision_details(self, p: Provision, status: str) -> ProvisionDetails:
        x = self.explainer
        rules = x.rules
        results = tuple(self.element(key) for key in p.elements)
        exceptions = self.exceptions.get(p.id, [])
        blocking = [i for i in exceptions if rules[i].outcome == "not_met"]
        doubting = [i for i in exceptions if rules[i].outcome == "borderline"]
        reasons: list[str] = []
        if status == "not_met":
            reasons = ([rules[i].because for i in blocking]
                       or [r.because for e in results if e.status == "not_met" for r in e.reasons])
        elif status in ("borderline", "out_of_time"):
            reasons = [r.because for e in results if e.status == "doubtful" for r in e.reasons]
            reasons += [rules[i].because for i in doubting]
        if status == "out_of_time":
            reasons = [rules[i].because for i in exceptions if rules[i].outcome == "out_of_time"] + reasons
        reason = " ".join(_dedupe([x.kb.meta.status_text.get(status, "")] + reasons)).strip()
        would_change = _dedupe(
            [e.would_change for e in results if e.status != "met"]
            + [x.exception_rules[rules[i].id].would_change for i in exceptions]
        )
        return ProvisionDetails(reason, results, tuple(x.reason(i) for i in exceptions),
                                tuple(w for w in would_change if w))

    def trace(self) -> tuple[Reason, ...]:
        reason = self.explainer.reason
        return tuple(reason(i) for i in self.fired)

    def course_of_conduct(self) -> CourseOfConduct:
        case = self.case
        facts = case.facts
        element = self.element(COURSE_OF_CONDUCT) if COURSE_OF_CONDUCT in self.explainer.kb.elements else None
        same_person = case.answers.get("same_person")
        return CourseOfConduct(
            occasions=facts.get("occasions"),
            first_incident=facts.get("first_incident_date"),
            last_incident=facts.get("last_incident_date"),
            longest_gap_days=facts.get("longest_gap_days"),
            span_days=facts.get("span_days"),
            same_kind_of_conduct=facts.get("same_kind_of_conduct"),
            same_person=same_person if isinstance(same_person, bool) else None,
            finding=element.status if element else "unknown",
            reasons=element.reasons if element else (),
            incidents=tuple(
                IncidentRecord(i["date"], i.get("what_happened", ""), tuple(i.get("behaviours") or ()),
                               i.get("feared_violence"))
                for i in sorted(case.answers.get("incidents") or (), key=lambda i: i["date"])
            ),
        )

    def signs(self) -> tuple[SignGroupResult, ...]:
        kb, fired = self.explainer.kb, self.fired_set
        groups = []
        for group in kb.sign_groups:
            shown = []
            for sign in kb.signs:
                if sign.group != group.id:
                    continue
                if self.explainer._fired(fired, "sign", f"{group.id}/{sign.id}"):
                    shown.append(SignResult(sign.id, group.id, sign.label, sign.plain,
                                            tuple(sorted(sign.shown_when.answers))))
            groups.append(SignGroupResult(group.id, group.title, group.plain, tuple(shown)))
        return tuple(groups)


class _Askable:
    """``q in askable``: whether question ``q`` would be asked for the case, checked on demand."""

    def __init__(self, kb: KnowledgeBase, case: Case) -> None:
        self.kb, self.case = kb, case
        self.seen: dict[object, bool] = {}

    def __contains__(self, question_id: object) -> bool:
        found = self.seen.get(question_id)
        if found is None:
            try:
                question = self.kb.question(t.cast(str, question_id))
            except KeyError:
                found = False
            else:
                found = question.ask_when is None or question.ask_when.holds(self.case)
            self.seen[question_id] = found
        return found


def risk_level(risk: Risk, raised: t.Sequence[RiskIndicator]) -> RiskLevel:
    """The highest level reached: by how many indicators were raised, or by one on its own."""
    ranks = {level.id: level.rank for level in risk.levels}
    by_count = [level for level in risk.levels
                if level.min_indicators is not None and len(raised) >= level.min_indicators]
    level = max(by_count, key=lambda lv: lv.rank) if by_count else min(risk.levels, key=lambda lv: lv.rank)
    overriding = [i for i in raised if i.alone_raises and ranks[i.alone_raises] > level.rank]
    if overriding:
        top = max(ranks[i.alone_raises] for i in overriding)
        level = next(lv for lv in risk.levels if lv.rank == top)
    return level


def element_status(outcomes: t.Collection[str]) -> str:
    """An element's status from the outcomes of its rules that fired: the worst one wins."""
    if "not_met" in outcomes:
        return "not_met"
    if "doubtful" in outcomes:
        return "doubtful"
    return "met" if "met" in outcomes else "unknown"


def provision_status(element_statuses: t.Collection[str], exception_outcomes: t.Collection[str]) -> str:
    """A provision's status from its elements' statuses and the gates and defences that fired.

    Any not-met part rules it out; else a known doubt about a part makes it borderline (what
    is also missing is listed beside it); else an unanswered part leaves it unknown. A doubt
    from a defence or gate (a borderline exception) counts only once no part is unanswered:
    a defence answers an offence whose parts are made out, so a debt collector's claim to be
    collecting a debt does not make threats to kill "borderline" before any threat is
    described. Out of time is not "does not fit": a law that may fit, or is borderline, but
    whose time limit has passed says so in its own words.
    """
    if "not_met" in exception_outcomes or "not_met" in element_statuses:
        return "not_met"
    if "doubtful" in element_statuses:
        status = "borderline"
    elif "unknown" in element_statuses:
        return "unknown"
    elif "borderline" in exception_outcomes:
        status = "borderline"
    else:
        status = "may_apply"
    return "out_of_time" if "out_of_time" in exception_outcomes else status


def _dedupe(items: t.Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
