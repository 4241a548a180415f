"""The validated knowledge model: frozen dataclasses built by the loader from knowledge/.

Nothing here knows about any particular offence; these are the shapes every offence,
order, sign, service and question share. Every legal fact carries a ``Citation``; every
fact that can go stale (a law, a phone number) carries where it was checked and when.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass
from functools import cached_property

from .conditions import Condition

VERIFICATION_LEVELS = {
    "V": "checked against the legislation, judgment or official guidance",
    "PV": "partly verified: the source was found, but not all of the point",
    "GK": "general legal knowledge, not yet confirmed against a source",
}

PROVISION_KINDS = ("offence", "breach_offence", "civil_claim", "order")


@dataclass(frozen=True)
class Citation:
    """Where a legal point comes from, how well it is verified, and when it was checked."""

    title: str
    url: str
    verification: str
    checked_on: dt.date
    section: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {
            "title": self.title,
            "url": self.url,
            "verification": self.verification,
            "checked_on": self.checked_on.isoformat(),
        }
        if self.section:
            out["section"] = self.section
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    hint: str = ""
    exclusive: bool = False  # "none of these" cannot be chosen with anything else
    #: A yes/no question this option answers: chosen means yes, not chosen (once the
    #: question is answered) means no. One screening page can so stand for several.
    means: str = ""
    #: Questions that not choosing this option answers "no" (or "none of these"); when it
    #: is chosen, they are asked as follow-ups.
    rules_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemField:
    """One column of a list answer (for example each incident's date or behaviours)."""

    id: str
    label: str
    type: str
    required: bool
    options: tuple[Option, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire, in the order the file gives."""

    id: str
    section: str
    text: str
    type: str
    why: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    ask_when: Condition | None = None
    minimum: int | None = None
    maximum: int | None = None
    at_most_answer: str = ""
    not_before_answer: str = ""
    item_fields: tuple[ItemField, ...] = ()
    max_items: int = 0
    staff_label: str = ""
    source_file: str = ""
    #: Presentation only: questions of one section file with the same page id are shown
    #: together on one public page when worth asking. The engine never reads it.
    page: str = ""

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """One way an element can be decided: a condition, the reason in plain words, a source."""

    status: str  # met | doubtful | not_met
    when: Condition
    because: str
    citation: Citation | None = None


@dataclass(frozen=True)
class Element:
    """One part of a legal test, next to the words of the law it encodes."""

    id: str
    law: str
    plain: str
    citation: Citation
    outcomes: tuple[Outcome, ...]
    would_change: str = ""
    open_questions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExceptionRule:
    """A defence or a gate (time, commencement, place) that overrides the elements."""

    id: str
    effect: str  # not_met | borderline
    when: Condition
    because: str
    citation: Citation
    would_change: str = ""
    generated: bool = False


@dataclass(frozen=True)
class InForce:
    start: dt.date
    source: str
    verification: str


TIME_LIMIT_KINDS = ("from_last_incident", "from_prosecutor_knowledge", "from_dated_answer")


@dataclass(frozen=True)
class TimeLimit:
    """A limit on starting a prosecution.

    ``from_last_incident``: ``months`` from the latest incident (Magistrates' Courts Act 1980
    s.127). ``from_prosecutor_knowledge``: ``months`` from the day the prosecutor had enough
    evidence, which this tool cannot know, but never more than ``long_stop_months`` after the
    latest incident. ``from_dated_answer``: ``months`` from the date answered to the date
    question ``from_answer`` (for CJA 1988 s.39A, the first witness statement or video-recorded
    interview given to the police), and never more than ``long_stop_months`` after the latest
    incident. ``earlier_before`` and ``earlier_months`` give the rule for conduct that ended
    before that rule began (``earlier_months`` from the latest incident).
    """

    months: int
    plain: str
    citation: Citation
    after: str = ""
    kind: str = "from_last_incident"
    long_stop_months: int | None = None
    earlier_before: dt.date | None = None
    earlier_months: int | None = None
    earlier_plain: str = ""
    #: For ``from_dated_answer``: the date question the months are counted from.
    from_answer: str = ""

    def rule_for(self, last: dt.date) -> tuple[str, int]:
        """(kind, months from ``last``) that govern conduct whose latest incident was on ``last``.

        For the kinds with a long stop, the long stop is all that counts from the latest
        incident; ``from_dated_answer`` also counts ``months`` from its answer (rules.gates).
        """
        if self.kind == "from_last_incident":
            return "from_last_incident", self.months
        if self.earlier_before is not None and self.earlier_months is not None and last < self.earlier_before:
            return "from_last_incident", self.earlier_months
        return self.kind, self.long_stop_months if self.long_stop_months is not None else self.months


@dataclass(frozen=True)
class Penalty:
    text: str
    verification: str
    source: str


@dataclass(frozen=True)
class WhoApplies:
    who: str  # person | police | court | others
    how: str


@dataclass(frozen=True)
class Provision:
    """An offence, a civil claim, a breach offence or a protective order."""

    id: str
    kind: str
    title: str
    summary: str
    citation: Citation
    extent: tuple[str, ...]
    elements: tuple[str, ...]  # element keys, "definition-id" or "provision-id/element-id"
    exceptions: tuple[ExceptionRule, ...]
    mode_of_trial: str = ""
    max_penalty: Penalty | None = None
    in_force: InForce | None = None
    time_limit: TimeLimit | None = None
    builds_on: tuple[str, ...] = ()
    who_applies: tuple[WhoApplies, ...] = ()
    next_steps: str = ""
    related_services: tuple[str, ...] = ()
    open_questions: tuple[str, ...] = ()
    source_file: str = ""


@dataclass(frozen=True)
class Sign:
    """A sign the answers can show: one of the FOUR, an s.2A(3) behaviour, an s.4A effect."""

    id: str
    group: str
    label: str
    plain: str
    shown_when: Condition
    citation: Citation | None = None


@dataclass(frozen=True)
class SignGroup:
    id: str
    title: str
    plain: str
    source: str


@dataclass(frozen=True)
class Contact:
    kind: str  # phone | text | web | email
    value: str
    label: str = ""


@dataclass(frozen=True)
class Service:
    """A service to signpost, with why it fits and when its details were last checked."""

    id: str
    name: str
    what: str
    contacts: tuple[Contact, ...]
    hours: str
    who_for: str
    fits_when: Condition
    why: str
    source: str
    checked_on: dt.date
    verification: str
    order: int
    urgent: bool = False
    #: Each way the service can fit with its own reason; when given, the result gives only
    #: the reasons whose conditions held (never one the person did not give).
    fits: tuple[tuple[Condition, str], ...] = ()

    def to_dict(self) -> dict[str, t.Any]:
        """The service as an assessment gives it (when it fits is the engine's business)."""
        return {
            "id": self.id,
            "name": self.name,
            "what": self.what,
            "contacts": [{"kind": c.kind, "value": c.value, "label": c.label or None} for c in self.contacts],
            "hours": self.hours,
            "who_for": self.who_for,
            "why": self.why,
            "urgent": self.urgent,
            "source": self.source,
            "checked_on": self.checked_on.isoformat(),
            "verification": self.verification,
        }


@dataclass(frozen=True)
class AdviceFit:
    """One way a piece of safety advice fits: its condition, its reason, and its place."""

    when: Condition
    because: str
    order: int


@dataclass(frozen=True)
class SafetyAdvice:
    """A practical safety step (knowledge/safety/<group>.yaml), chosen by the answers.

    Each way it fits has its own reason and order, so the result says only what the person
    described and puts the step where that reason places it. ``caution`` says how doing it
    could alert the person doing it (empty when it could not).
    """

    id: str
    group: str
    group_title: str
    title: str
    text: str
    caution: str
    fits: tuple[AdviceFit, ...]
    source: str
    checked_on: dt.date
    verification: str
    urgent: bool = False


@dataclass(frozen=True)
class Jurisdiction:
    """A part of the UK with its own law: named, and signposted, not assessed."""

    id: str
    title: str
    applies_when: Condition
    plain: str
    laws: tuple[Citation, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class RiskIndicator:
    """A risk indicator in our own words: why it matters, its source, what alone it raises."""

    id: str
    label: str
    plain: str
    why: str
    raised_when: Condition
    alone_raises: str  # "" or a level id: the level this indicator reaches on its own
    source: str
    citation: Citation | None = None


@dataclass(frozen=True)
class RiskLevel:
    """A level of risk, most urgent first in the file; ``min_indicators`` counts any indicators."""

    id: str
    title: str
    staff: str
    plain: str
    min_indicators: int | None
    rank: int


@dataclass(frozen=True)
class Pathway:
    """Where a level of risk leads: the action for staff and the same advice in plain words."""

    id: str
    title: str
    action: str
    plain: str
    levels: tuple[str, ...]
    when: Condition
    source: str


@dataclass(frozen=True)
class Risk:
    indicators: tuple[RiskIndicator, ...]
    levels: tuple[RiskLevel, ...]
    pathways: tuple[Pathway, ...]
    note: str
    incomplete_staff: str = ""  # said instead of, or beside, the level when questions are unanswered
    incomplete_plain: str = ""


@dataclass(frozen=True)
class Meta:
    knowledge_version: str
    law_as_at: dt.date
    notice: str
    emergency: str
    emergency_silent: str
    danger_question: str
    place_question: str
    extent_names: t.Mapping[str, str]
    status_text: t.Mapping[str, str]
    near_deadline_days: int
    what_to_do_now: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything in knowledge/, validated and cross-checked; frozen once loaded."""

    meta: Meta
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    elements: t.Mapping[str, Element]
    provisions: tuple[Provision, ...]
    sign_groups: tuple[SignGroup, ...]
    signs: tuple[Sign, ...]
    services: tuple[Service, ...]
    jurisdictions: tuple[Jurisdiction, ...]
    risk: Risk | None = None
    #: Practical safety steps (knowledge/safety/), each chosen by its own conditions.
    safety_advice: tuple[SafetyAdvice, ...] = ()

    @property
    def version(self) -> str:
        return self.meta.knowledge_version

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    def provision(self, provision_id: str) -> Provision:
        return next(p for p in self.provisions if p.id == provision_id)

    def service(self, service_id: str) -> Service:
        return next(s for s in self.services if s.id == service_id)
