"""Compile a KnowledgeBase into rules, and the rules into one experta engine class.

Every condition in the knowledge becomes one rule: each way an element can be met, doubtful
or not met; each defence and gate; each sign, service and place. The rules are generic:
each one matches the single ``CaseFact`` when its condition holds and records its own
index in the engine's trace. What the rules *mean* lives in the YAML they came from; how
their results combine into an offence's status is written once, in ``explain``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import course_of_conduct
from .conditions import Condition
from .conditions import parse_condition
from .model import Citation
from .model import KnowledgeBase

# Salience only orders the trace (every rule that holds fires): safety first, then the law.
SALIENCE = {"safety": 100, "risk": 95, "jurisdiction": 90, "exception": 50, "element": 40, "sign": 20,
            "pathway": 15, "service": 10, "advice": 5}


@dataclass(frozen=True)
class CompiledRule:
    """One rule: what it is about, what it decides, why, and the condition that fires it."""

    id: str
    kind: str  # safety | risk | jurisdiction | exception | element | sign | pathway | service | advice
    subject: str  # element key, provision id, "group/sign" id, indicator, pathway, service or place id
    outcome: str  # met | doubtful | not_met | borderline | shown | fits | applies | danger
    because: str
    condition: Condition
    citation: Citation | None = None

    @property
    def salience(self) -> int:
        return SALIENCE[self.kind]


def compile_rules(kb: KnowledgeBase) -> tuple[CompiledRule, ...]:
    """Turn every condition in the knowledge into a CompiledRule, in a stable order."""
    rules: list[CompiledRule] = []
    questions = {q.id: q for q in kb.questions}
    danger = parse_condition({"answer": kb.meta.danger_question, "is": True}, questions, course_of_conduct.FACTS)
    rules.append(CompiledRule("safety/danger_now", "safety", kb.meta.danger_question, "danger", kb.meta.emergency, danger))
    for place in kb.jurisdictions:
        rules.append(CompiledRule(f"jurisdiction/{place.id}", "jurisdiction", place.id, "applies", place.plain,
                                  place.applies_when))
    for provision in kb.provisions:
        for x in provision.exceptions:
            rules.append(CompiledRule(f"{provision.id}/{x.id}", "exception", provision.id, x.effect, x.because,
                                      x.when, x.citation))
    for key, element in kb.elements.items():
        counts: dict[str, int] = {}
        for outcome in element.outcomes:
            n = counts[outcome.status] = counts.get(outcome.status, 0) + 1
            rules.append(CompiledRule(f"{key}/{outcome.status}/{n}", "element", key, outcome.status, outcome.because,
                                      outcome.when, outcome.citation or element.citation))
    for sign in kb.signs:
        rules.append(CompiledRule(f"sign/{sign.group}/{sign.id}", "sign", f"{sign.group}/{sign.id}", "shown", sign.plain,
                                  sign.shown_when, sign.citation))
    if kb.risk is not None:
        for indicator in kb.risk.indicators:
            rules.append(CompiledRule(f"risk/{indicator.id}", "risk", indicator.id, "raised", indicator.why,
                                      indicator.raised_when, indicator.citation))
        for pathway in kb.risk.pathways:
            rules.append(CompiledRule(f"pathway/{pathway.id}", "pathway", pathway.id, "fits", pathway.action,
                                      pathway.when))
    for service in kb.services:
        if service.fits:
            for n, (when, because) in enumerate(service.fits, 1):
                rules.append(CompiledRule(f"service/{service.id}/{n}", "service", service.id, "fits", because, when))
        else:
            rules.append(CompiledRule(f"service/{service.id}", "service", service.id, "fits", service.why,
                                      service.fits_when))
    for advice in kb.safety_advice:  # one rule per way each piece of safety advice fits
        for n, fit in enumerate(advice.fits, 1):
            rules.append(CompiledRule(f"advice/{advice.id}/{n}", "advice", advice.id, "fits", fit.because, fit.when))
    return tuple(rules)
