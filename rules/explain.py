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
from .model import Provision
from .model import Risk
from .model import RiskIndicator
from .model import RiskLevel
from .model import Service

COURSE_OF_CONDUCT = "course_of_conduct"


class Explainer:
    """Builds assessments for one knowledge base; holds the indexes it needs, built once."""

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
        self._reasons: dict[int, Reason] = {}
        # What each element's conditions read, to say what is missing when it is undecided.
        self.element_reads = {
            key: (
                frozenset().union(*(o.when.answers for o in element.outcomes)),
                frozenset().union(*(o.when.facts for o in element.outcomes)),
            )
            for key, element in kb.elements.items()
        }
        self.exception_rules = {f"{p.id}/{x.id}": x for p in kb.provisions for x in p.exceptions}
        # Each piece of safety advice's rules, one per way it fits, in the order of its fits.
        self._advice_rules: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            if rule.kind == "advice":
                self._advice_rules.setdefault(rule.subject, []).append(index)

    def reason(self, index: int) -> Reason:
        """The rule's Reason, built once per rule (it is frozen, so every assessment shares it)."""
        found = self._reasons.get(index)
        if found is None:
            rule = self.rules[index]
            found = self._reasons[index] = Reason(
                rule.id, rule.outcome, rule.because, tuple(sorted(rule.condition.answers)),
                tuple(sorted(rule.condition.facts)), rule.citation)
        return found

    def missing_for(self, key: str, case: Case) -> tuple[str, ...]:
        """Unanswered questions the element reads; for a fact, the first question it comes from."""
        answers_read, facts_read = self.element_reads[key]
        missing = {q for q in answers_read if case.answers.get(q) is None}
        for fact in facts_read:
            if not known(case.facts.get(fact)):
                sources = [q for q in course_of_conduct.FACTS[fact].sources
                           if q in self.question_order and case.answers.get(q) is None]
                missing.update(sources[:1])
        return tuple(sorted(missing, key=lambda q: self.question_order.get(q, 0)))

    # ------------------------------------------------------------------------------------
    def build(self, case: Case, fired: t.Sequence[int], ignored: tuple[str, ...] = ()) -> Assessment:
        fired_set = set(fired)
        answers = case.answers
        element_results: dict[str, ElementResult] = {}
        for key, element in self.kb.elements.items():
            hits = [i for i in self.by_subject.get(key, ()) if i in fired_set]
            status = element_status({self.rules[i].outcome for i in hits})
            shown = [i for i in hits if self.rules[i].outcome == status] if status != "unknown" else []
            missing = self.missing_for(key, case) if status in ("unknown", "doubtful") else ()
            element_results[key] = ElementResult(
                id=key, status=status, law=element.law, plain=element.plain,
                reasons=tuple(self.reason(i) for i in shown), missing=missing,
                would_change=element.would_change if status != "met" else "", citation=element.citation,
            )

        offences: list[ProvisionResult] = []
        orders: list[ProvisionResult] = []
        time_limits: list[TimeLimitResult] = []
        for provision in self.kb.provisions:
            result = self._provision(provision, element_results, fired_set, case)
            (orders if provision.kind == "order" else offences).append(result)
            if result.time_limit is not None:
                time_limits.append(result.time_limit)

        missing_ids: list[str] = []
        for result in offences + orders:
            if result.status == "unknown":
                for q in result.missing:
                    if q not in missing_ids:
                        missing_ids.append(q)
        missing_ids.sort(key=lambda q: self.question_order.get(q, 0))

        meta = self.kb.meta
        advice = self._advice(fired_set)
        danger = any(self.rules[i].kind == "safety" for i in fired_set)
        return Assessment(
            knowledge_version=meta.knowledge_version,
            as_at=case.as_at,
            law_as_at=meta.law_as_at,
            notice=meta.notice,
            safety=Safety(danger, meta.emergency, meta.emergency_silent),
            jurisdiction=self._jurisdiction(fired_set, answers),
            offences=tuple(offences),
            orders=tuple(orders),
            course_of_conduct=self._course_of_conduct(case, element_results),
            time_limits=tuple(time_limits),
            signs=self._signs(fired_set),
            services=self._services(fired_set),
            missing=tuple(MissingAnswer(q, self.kb.question(q).text) for q in missing_ids),
            # The six general tips only when no specific safety advice fits (a fallback).
            what_to_do_now=() if advice else meta.what_to_do_now,
            trace=tuple(self.reason(i) for i in fired),
            risk=self._risk(fired_set, case),
            ignored=ignored,
            safety_advice=advice,
        )

    def _provision(self, p: Provision, elements: dict[str, ElementResult], fired: set[int], case: Case) -> ProvisionResult:
        results = tuple(elements[key] for key in p.elements)
        exceptions = [i for i in self.by_subject.get(p.id, ()) if i in fired and self.rules[i].kind == "exception"]
        blocking = [i for i in exceptions if self.rules[i].outcome == "not_met"]
        doubting = [i for i in exceptions if self.rules[i].outcome == "borderline"]
        element_statuses = {e.status for e in results}
        status_text = self.kb.meta.status_text
        status = provision_status(element_statuses, {self.rules[i].outcome for i in exceptions})
        reasons: list[str] = []
        if status == "not_met":
            reasons = ([self.rules[i].because for i in blocking]
                       or [r.because for e in results if e.status == "not_met" for r in e.reasons])
        elif status in ("borderline", "out_of_time"):
            reasons = [r.because for e in results if e.status == "doubtful" for r in e.reasons]
            reasons += [self.rules[i].because for i in doubting]
        if status == "out_of_time":
            reasons = [self.rules[i].because for i in exceptions if self.rules[i].outcome == "out_of_time"] + reasons
        reason = " ".join(_dedupe([status_text.get(status, "")] + reasons)).strip()

        missing: list[str] = []
        if status in ("unknown", "borderline"):
            for e in results:
                for q in e.missing:
                    if q not in missing:
                        missing.append(q)
        would_change = _dedupe(
            [e.would_change for e in results if e.status != "met"]
            + [self.exception_rules[self.rules[i].id].would_change for i in exceptions]
        )
        return ProvisionResult(
            id=p.id, kind=p.kind, title=p.title, status=status, reason=reason, summary=p.summary,
            elements=results, exceptions=tuple(self.reason(i) for i in exceptions),
            missing=tuple(missing), would_change=tuple(w for w in would_change if w),
            citation=p.citation, mode_of_trial=p.mode_of_trial, max_penalty=p.max_penalty,
            in_force_from=p.in_force.start if p.in_force else None,
            time_limit=self._time_limit(p, case), who_applies=p.who_applies, next_steps=p.next_steps,
            open_questions=p.open_questions, builds_on=p.builds_on,
        )

    def _time_limit(self, p: Provision, case: Case) -> TimeLimitResult | None:
        limit = p.time_limit
        if limit is None:
            return None
        last: dt.date | None = case.facts.get("last_incident_date")
        kind, months = limit.rule_for(last) if last else (limit.kind, limit.months)
        # For a limit from the prosecutor's knowledge only the long stop can be counted here:
        # ends_on is then the last day a prosecution could ever start, and the status is
        # "depends" (on when the prosecutor had enough evidence) until that day passes.
        ends_on = add_months(last, months) if last else None
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

    def _course_of_conduct(self, case: Case, elements: dict[str, ElementResult]) -> CourseOfConduct:
        facts = case.facts
        element = elements.get(COURSE_OF_CONDUCT)
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

    def _signs(self, fired: set[int]) -> tuple[SignGroupResult, ...]:
        groups = []
        for group in self.kb.sign_groups:
            shown = []
            for sign in self.kb.signs:
                if sign.group != group.id:
                    continue
                if self._fired(fired, "sign", f"{group.id}/{sign.id}"):
                    shown.append(SignResult(sign.id, group.id, sign.label, sign.plain,
                                            tuple(sorted(sign.shown_when.answers))))
            groups.append(SignGroupResult(group.id, group.title, group.plain, tuple(shown)))
        return tuple(groups)

    def _advice(self, fired: set[int]) -> tuple[AdviceResult, ...]:
        """Each piece of safety advice whose rules fired, with only the reasons that held.

        Ordered by fit: urgent first, then by the order of its best-fitting reason (the
        knowledge gives each reason its own), then the knowledge's order.
        """
        chosen: list[AdviceResult] = []
        for advice in self.kb.safety_advice:
            held = [(i, fit) for i, fit in zip(self._advice_rules[advice.id], advice.fits, strict=True) if i in fired]
            if not held:
                continue
            read = frozenset().union(*(fit.when.answers for _, fit in held))
            chosen.append(AdviceResult(
                id=advice.id, group=advice.group, group_title=advice.group_title, title=advice.title,
                text=advice.text, why=tuple(_dedupe(fit.because for _, fit in held)), caution=advice.caution,
                order=min(fit.order for _, fit in held), urgent=advice.urgent, source=advice.source,
                checked_on=advice.checked_on, verification=advice.verification,
                answers=tuple(sorted(read, key=lambda q: self.question_order.get(q, 0))),
            ))
        position = {a.id: n for n, a in enumerate(self.kb.safety_advice)}
        return tuple(sorted(chosen, key=lambda a: (not a.urgent, a.order, position[a.id])))

    def _services(self, fired: set[int]) -> tuple[Service, ...]:
        fitting = [self._why_it_fits(s, fired) for s in self.kb.services if self._fired(fired, "service", s.id)]
        return tuple(sorted(fitting, key=lambda s: not s.urgent))  # urgent first; otherwise knowledge order

    def _why_it_fits(self, service: Service, fired: set[int]) -> Service:
        """The service with only the reasons that held, when it has more than one way to fit."""
        if not service.fits:
            return service
        reasons = [self.rules[i].because for i in self.by_subject.get(service.id, ())
                   if i in fired and self.rules[i].kind == "service"]
        return replace(service, why=" ".join(_dedupe(reasons)))

    def _risk(self, fired: set[int], case: Case) -> RiskResult | None:
        """The highest level reached: by an indicator on its own, or by how many were raised."""
        risk = self.kb.risk
        if risk is None:
            return None
        raised = [i for i in risk.indicators if self._fired(fired, "risk", i.id)]
        level = risk_level(risk, raised)
        # Screening is incomplete when indicators still undecided could, all raised, raise the
        # level: then the level is a floor, and the questions that would settle it are named.
        askable = _Askable(self.kb, case)  # only the questions the indicators read are checked
        raised_ids = {id(i) for i in raised}
        undecided = [i for i in risk.indicators
                     if id(i) not in raised_ids and i.raised_when.evaluate(case) is None
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
        pathways = tuple(
            PathwayResult(p.id, p.title, p.action, p.plain, p.source)
            for p in risk.pathways
            if level.id in p.levels and self._fired(fired, "pathway", p.id)
        )
        return RiskResult(
            level=level.id, title=level.title, staff=staff, plain=plain,
            indicators=tuple(IndicatorResult(i.id, i.label, i.plain, i.why, i.source, i.alone_raises,
                                             tuple(sorted(i.raised_when.answers | i.raised_when.facts)))
                             for i in raised),
            decided_by=decided_by, pathways=pathways, note=risk.note,
            screening_complete=complete,
            unanswered=tuple(MissingAnswer(q, self.kb.question(q).text) for q in unanswered),
        )

    def _fired(self, fired: set[int], kind: str, subject: str) -> bool:
        return not fired.isdisjoint(self._by_kind_subject.get((kind, subject), ()))

    def _jurisdiction(self, fired: set[int], answers: t.Mapping[str, t.Any]) -> JurisdictionResult:
        place = answers.get(self.kb.meta.place_question)
        other = []
        for j in self.kb.jurisdictions:
            if self._fired(fired, "jurisdiction", j.id):
                other.append({"id": j.id, "title": j.title, "plain": j.plain,
                              "laws": [c.to_dict() for c in j.laws], "services": list(j.services)})
        extent = self.kb.meta.extent_names
        assessed = " and ".join(extent.values()) if place in extent else None
        return JurisdictionResult(place, assessed, tuple(other))


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
    return next((s for s in ("not_met", "doubtful", "met") if s in outcomes), "unknown")


def provision_status(element_statuses: t.Collection[str], exception_outcomes: t.Collection[str]) -> str:
    """A provision's status from its elements' statuses and the gates and defences that fired.

    Any not-met part rules it out; else a known doubt makes it borderline (what is also
    missing is listed beside it); else an unanswered part leaves it unknown. Out of time is
    not "does not fit": a law that may fit, or is borderline, but whose time limit has
    passed says so in its own words.
    """
    if "not_met" in exception_outcomes or "not_met" in element_statuses:
        return "not_met"
    if "doubtful" in element_statuses or "borderline" in exception_outcomes:
        status = "borderline"
    elif "unknown" in element_statuses:
        return "unknown"
    else:
        status = "may_apply"
    return "out_of_time" if "out_of_time" in exception_outcomes else status


def _dedupe(items: t.Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
