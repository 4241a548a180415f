"""The result of an assessment: frozen types, and their plain-JSON form.

An Assessment never says an offence *is* committed: each provision has a status
(``may_apply``, ``borderline``, ``not_met``, ``unknown``) and the reasons that led there.
``to_dict()`` gives plain JSON (ISO 8601 dates, lists, strings), the same for the API, the
CLI and any tool that embeds the engine.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass
from dataclasses import field

from .model import Citation
from .model import Penalty
from .model import Provision
from .model import Service
from .model import WhoApplies

PROVISION_STATUSES = ("may_apply", "borderline", "out_of_time", "not_met", "unknown")
ELEMENT_STATUSES = ("met", "doubtful", "not_met", "unknown")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _cite(citation: Citation | None) -> dict[str, t.Any] | None:
    return citation.to_dict() if citation else None


_T = t.TypeVar("_T")


class cached_property(t.Generic[_T]):  # noqa: N801  (named as functools', which it replaces)
    """Like ``functools.cached_property`` without its lock (Python 3.11 holds one lock for
    every instance): two threads reading at once may both work the value out, and get the
    same value; the first one kept is kept."""

    def __init__(self, func: t.Callable[[t.Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @t.overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[_T]: ...

    @t.overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> t.Any:
        if instance is None:
            return self
        value = self.func(instance)
        return instance.__dict__.setdefault(self.name, value)


class Lazy:
    """A result some of whose parts are worked out only when first read, then kept.

    Two results are equal when every public value is, whether it was decided with the
    assessment or worked out on demand (``_values`` lists them all).
    """

    def _values(self) -> tuple[t.Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())


@dataclass(frozen=True)
class Reason:
    """One rule that fired: what it decided, why in plain words, and what it read."""

    rule: str
    outcome: str
    because: str
    answers: tuple[str, ...]
    facts: tuple[str, ...]
    citation: Citation | None = None

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "rule": self.rule,
            "outcome": self.outcome,
            "because": self.because,
            "answers": list(self.answers),
            "facts": list(self.facts),
            "citation": _cite(self.citation),
        }


@dataclass(frozen=True)
class ElementResult:
    id: str
    status: str
    law: str
    plain: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    would_change: str
    citation: Citation

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "id": self.id,
            "status": self.status,
            "law": self.law,
            "plain": self.plain,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing": list(self.missing),
            "would_change": self.would_change,
            "citation": _cite(self.citation),
        }


@dataclass(frozen=True)
class TimeLimitResult:
    """A limit on prosecution: the date it ends, or that it has passed."""

    provision: str
    title: str
    months: int
    status: str  # open | near | passed | unknown | depends (on when the prosecutor had enough evidence)
    last_incident: dt.date | None
    ends_on: dt.date | None  # for a limit from the prosecutor's knowledge: the end of the long stop
    plain: str
    after: str
    citation: Citation
    kind: str = "from_last_incident"  # or from_prosecutor_knowledge
    long_stop_months: int | None = None

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "provision": self.provision,
            "title": self.title,
            "kind": self.kind,
            "months": self.months,
            "long_stop_months": self.long_stop_months,
            "status": self.status,
            "last_incident": _date(self.last_incident),
            "ends_on": _date(self.ends_on),
            "plain": self.plain,
            "after": self.after,
            "citation": _cite(self.citation),
        }


class ProvisionDetails(t.NamedTuple):
    """The parts of a ProvisionResult worked out only when asked (see ``Lazy``)."""

    reason: str
    elements: tuple[ElementResult, ...]
    exceptions: tuple[Reason, ...]
    would_change: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class ProvisionResult(Lazy):
    """One offence, civil claim or protective order, with its status and why.

    ``status``, ``missing`` and ``time_limit`` are decided with the assessment; ``reason``,
    ``elements``, ``exceptions`` and ``would_change`` are worked out the first time one of
    them is read (then kept), and the rest comes from the provision in the knowledge.
    """

    id: str
    status: str
    missing: tuple[str, ...]
    time_limit: TimeLimitResult | None
    provision: Provision = field(repr=False)
    details: t.Callable[[], ProvisionDetails] = field(repr=False)
    #: The reason when the status's sentence is all of it (may apply, need more information:
    #: no part's reason is added), so reading it works out nothing; "" otherwise.
    said: str = field(default="", repr=False)

    @classmethod
    def made(cls, id: str, status: str, missing: tuple[str, ...], time_limit: TimeLimitResult | None,  # noqa: A002
             provision: Provision, details: t.Callable[[], ProvisionDetails], said: str = "") -> ProvisionResult:
        """The same as calling the class, for the explainer's many provisions: a frozen
        dataclass's ``__init__`` sets each field through ``object.__setattr__``, which cost
        more than the rest of a provision's status."""
        self = object.__new__(cls)
        self.__dict__.update(id=id, status=status, missing=missing, time_limit=time_limit, provision=provision,
                             details=details, said=said)
        return self

    @cached_property
    def _details(self) -> ProvisionDetails:
        return self.details()

    @property
    def reason(self) -> str:
        return self.said or self._details.reason

    @property
    def elements(self) -> tuple[ElementResult, ...]:
        return self._details.elements

    @property
    def exceptions(self) -> tuple[Reason, ...]:
        return self._details.exceptions

    @property
    def would_change(self) -> tuple[str, ...]:
        return self._details.would_change

    @property
    def kind(self) -> str:
        return self.provision.kind

    @property
    def title(self) -> str:
        return self.provision.title

    @property
    def summary(self) -> str:
        return self.provision.summary

    @property
    def citation(self) -> Citation:
        return self.provision.citation

    @property
    def mode_of_trial(self) -> str:
        return self.provision.mode_of_trial

    @property
    def max_penalty(self) -> Penalty | None:
        return self.provision.max_penalty

    @property
    def in_force_from(self) -> dt.date | None:
        return self.provision.in_force.start if self.provision.in_force else None

    @property
    def who_applies(self) -> tuple[WhoApplies, ...]:
        return self.provision.who_applies

    @property
    def next_steps(self) -> str:
        return self.provision.next_steps

    @property
    def open_questions(self) -> tuple[str, ...]:
        return self.provision.open_questions

    @property
    def builds_on(self) -> tuple[str, ...]:
        """The provisions whose elements this one includes (stalking builds on harassment)."""
        return self.provision.builds_on

    def _values(self) -> tuple[t.Any, ...]:
        return (self.id, self.kind, self.title, self.status, self.reason, self.summary, self.elements,
                self.exceptions, self.missing, self.would_change, self.citation, self.mode_of_trial,
                self.max_penalty, self.in_force_from, self.time_limit, self.who_applies, self.next_steps,
                self.open_questions, self.builds_on)

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "builds_on": list(self.builds_on),
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "summary": self.summary,
            "elements": [e.to_dict() for e in self.elements],
            "exceptions": [x.to_dict() for x in self.exceptions],
            "missing": list(self.missing),
            "would_change": list(self.would_change),
            "citation": _cite(self.citation),
            "mode_of_trial": self.mode_of_trial or None,
            "max_penalty": (
                {"text": self.max_penalty.text, "verification": self.max_penalty.verification,
                 "source": self.max_penalty.source}
                if self.max_penalty else None
            ),
            "in_force_from": _date(self.in_force_from),
            "time_limit": self.time_limit.to_dict() if self.time_limit else None,
            "who_applies": [{"who": w.who, "how": w.how} for w in self.who_applies],
            "next_steps": self.next_steps or None,
            "open_questions": list(self.open_questions),
        }


@dataclass(frozen=True)
class IncidentRecord:
    """One dated incident as the person gave it, in date order."""

    date: dt.date
    what_happened: str
    behaviours: tuple[str, ...]
    feared_violence: bool | None

    def to_dict(self) -> dict[str, t.Any]:
        return {"date": self.date.isoformat(), "what_happened": self.what_happened,
                "behaviours": list(self.behaviours), "feared_violence": self.feared_violence}


@dataclass(frozen=True)
class CourseOfConduct:
    occasions: int | None
    first_incident: dt.date | None
    last_incident: dt.date | None
    longest_gap_days: int | None
    span_days: int | None
    same_kind_of_conduct: bool | None
    same_person: bool | None
    finding: str
    reasons: tuple[Reason, ...]
    incidents: tuple[IncidentRecord, ...] = ()

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "incidents": [i.to_dict() for i in self.incidents],
            "occasions": self.occasions,
            "first_incident": _date(self.first_incident),
            "last_incident": _date(self.last_incident),
            "longest_gap_days": self.longest_gap_days,
            "span_days": self.span_days,
            "linked": {
                "same_person": self.same_person,
                "same_kind_of_conduct": self.same_kind_of_conduct,
                "longest_gap_days": self.longest_gap_days,
            },
            "finding": self.finding,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class SignResult:
    id: str
    group: str
    label: str
    plain: str
    answers: tuple[str, ...]

    def to_dict(self) -> dict[str, t.Any]:
        return {"id": self.id, "label": self.label, "plain": self.plain, "answers": list(self.answers)}


@dataclass(frozen=True)
class SignGroupResult:
    id: str
    title: str
    plain: str
    shown: tuple[SignResult, ...]

    def to_dict(self) -> dict[str, t.Any]:
        return {"id": self.id, "title": self.title, "plain": self.plain, "shown": [s.to_dict() for s in self.shown]}


@dataclass(frozen=True)
class Safety:
    danger_now: bool
    emergency: str
    emergency_silent: str

    def to_dict(self) -> dict[str, t.Any]:
        return {"danger_now": self.danger_now, "emergency": self.emergency, "emergency_silent": self.emergency_silent}


@dataclass(frozen=True)
class JurisdictionResult:
    """Where the person is, and, outside England and Wales, the law that applies there."""

    place: str | None
    assessed_under: str | None
    other: tuple[dict[str, t.Any], ...]

    def to_dict(self) -> dict[str, t.Any]:
        return {"place": self.place, "assessed_under": self.assessed_under, "other_law": list(self.other)}


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    label: str
    plain: str
    why: str
    source: str
    alone_raises: str
    answers: tuple[str, ...]

    def to_dict(self) -> dict[str, t.Any]:
        return {"id": self.id, "label": self.label, "plain": self.plain, "why": self.why, "source": self.source,
                "alone_raises": self.alone_raises or None, "answers": list(self.answers)}


@dataclass(frozen=True)
class PathwayResult:
    id: str
    title: str
    action: str
    plain: str
    source: str

    def to_dict(self) -> dict[str, t.Any]:
        return {"id": self.id, "title": self.title, "action": self.action, "plain": self.plain, "source": self.source}


@dataclass(frozen=True)
class RiskResult:
    """The level of risk with the indicators that raised it (never a bare score), and where it leads."""

    level: str
    title: str
    staff: str
    plain: str
    indicators: tuple[IndicatorResult, ...]
    decided_by: tuple[str, ...]  # the indicators that set the level on their own, if any
    pathways: tuple[PathwayResult, ...]
    note: str
    #: False when unanswered questions could still raise the level; ``unanswered`` names them.
    screening_complete: bool = True
    unanswered: tuple[MissingAnswer, ...] = ()

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "level": self.level,
            "screening_complete": self.screening_complete,
            "unanswered": [m.to_dict() for m in self.unanswered],
            "title": self.title,
            "staff": self.staff,
            "plain": self.plain,
            "indicators": [i.to_dict() for i in self.indicators],
            "decided_by": list(self.decided_by),
            "pathways": [p.to_dict() for p in self.pathways],
            "note": self.note,
        }


@dataclass(frozen=True)
class AdviceResult:
    """A practical safety step chosen for this person, with only the reasons that held.

    ``order`` is where its best-fitting reason places it (lower first); ``caution`` says how
    doing it could alert the person doing it, when it could.
    """

    id: str
    group: str
    group_title: str
    title: str
    text: str
    why: tuple[str, ...]
    caution: str
    order: int
    urgent: bool
    source: str
    checked_on: dt.date
    verification: str
    answers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, t.Any]:
        return {
            "id": self.id,
            "group": self.group,
            "group_title": self.group_title,
            "title": self.title,
            "text": self.text,
            "why": list(self.why),
            "caution": self.caution or None,
            "order": self.order,
            "urgent": self.urgent,
            "answers": list(self.answers),
            "source": self.source,
            "checked_on": self.checked_on.isoformat(),
            "verification": self.verification,
        }


@dataclass(frozen=True)
class MissingAnswer:
    question: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "text": self.text}


class AssessmentDetails(t.Protocol):
    """Works out the parts of an Assessment that are given only when asked."""

    def course_of_conduct(self) -> CourseOfConduct: ...

    def signs(self) -> tuple[SignGroupResult, ...]: ...

    def trace(self) -> tuple[Reason, ...]: ...


@dataclass(frozen=True, eq=False)
class Assessment(Lazy):
    """What the answers suggest, with every reason; information, not legal advice.

    Statuses, reasons, risk, services, safety advice, missing answers and time limits are
    decided with the assessment; the course of conduct, the signs, the trace and each
    provision's elements are worked out the first time they are read (README, Speed), so a
    caller that shows only the summary does not pay for them. Every part stays reachable.
    """

    knowledge_version: str
    as_at: dt.date
    law_as_at: dt.date
    notice: str
    safety: Safety
    jurisdiction: JurisdictionResult
    offences: tuple[ProvisionResult, ...]
    orders: tuple[ProvisionResult, ...]
    time_limits: tuple[TimeLimitResult, ...]
    services: tuple[Service, ...]
    missing: tuple[MissingAnswer, ...]
    what_to_do_now: tuple[str, ...]
    risk: RiskResult | None
    #: Answers set aside because their questions would not be asked, given the other answers.
    ignored: tuple[str, ...]
    #: Practical safety steps that fit the answers, best fit first (urgent first).
    safety_advice: tuple[AdviceResult, ...]
    details: AssessmentDetails = field(repr=False)

    @cached_property
    def course_of_conduct(self) -> CourseOfConduct:
        return self.details.course_of_conduct()

    @cached_property
    def signs(self) -> tuple[SignGroupResult, ...]:
        return self.details.signs()

    @cached_property
    def trace(self) -> tuple[Reason, ...]:
        """Every knowledge condition that held, in firing order (salience, then rule order)."""
        return self.details.trace()

    def _values(self) -> tuple[t.Any, ...]:
        return (self.knowledge_version, self.as_at, self.law_as_at, self.notice, self.safety, self.jurisdiction,
                self.offences, self.orders, self.course_of_conduct, self.time_limits, self.signs, self.services,
                self.missing, self.what_to_do_now, self.trace, self.risk, self.ignored, self.safety_advice)

    def offence(self, provision_id: str) -> ProvisionResult:
        """The result for one offence or order, by its stable id."""
        for result in self.offences + self.orders:
            if result.id == provision_id:
                return result
        raise KeyError(provision_id)

    def to_dict(self) -> dict[str, t.Any]:
        return {key: part(self) for key, part in ASSESSMENT_PARTS.items()}


#: ``Assessment.to_dict()``, part by part and in its order: a presenter that reads only some
#: parts (web/presenters.ResultParts) works out only those, with the same values.
ASSESSMENT_PARTS: dict[str, t.Callable[[Assessment], t.Any]] = {
    "knowledge_version": lambda a: a.knowledge_version,
    "as_at": lambda a: a.as_at.isoformat(),
    "law_as_at": lambda a: a.law_as_at.isoformat(),
    "notice": lambda a: a.notice,
    "safety": lambda a: a.safety.to_dict(),
    "risk": lambda a: a.risk.to_dict() if a.risk else None,
    "jurisdiction": lambda a: a.jurisdiction.to_dict(),
    "offences": lambda a: [o.to_dict() for o in a.offences],
    "orders": lambda a: [o.to_dict() for o in a.orders],
    "course_of_conduct": lambda a: a.course_of_conduct.to_dict(),
    "time_limits": lambda a: [x.to_dict() for x in a.time_limits],
    "signs": lambda a: [g.to_dict() for g in a.signs],
    "services": lambda a: [s.to_dict() for s in a.services],
    "missing": lambda a: [m.to_dict() for m in a.missing],
    "safety_advice": lambda a: [x.to_dict() for x in a.safety_advice],
    "what_to_do_now": lambda a: list(a.what_to_do_now),
    "ignored": lambda a: list(a.ignored),
    "trace": lambda a: [r.to_dict() for r in a.trace],
}
