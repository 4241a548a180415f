"""The typed shape of an assessment as the JSON API gives it, from which its JSON Schema is generated.

Two shapes: ``AssessmentSummary`` (the default, ``web.api.summary_shape``) and ``Assessment``
(``?explain=full``: ``Assessment.to_dict()`` with each citation given once in ``citations`` and
referred to by its id, ``web.api.full_shape``). Each is a tree of ``msgspec.Struct`` classes that
refuse a field they do not list; a class's docstring and each field's ``Meta(description=...)``
become the descriptions in the OpenAPI document (web/openapi.py takes the assessment's schemas
from ``msgspec.json.schema_components`` over these types). A field absent when it has nothing to
say is ``UNSET`` by default; every other field is always present, ``null`` where it may be.

The enumerations are the engine's and the knowledge's own (tests/test_result_types.py checks
each against where it comes from, and converts real responses with ``strict=True``, so these
types cannot drift from what the API returns). Nothing here is used to build a response.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from msgspec import UNSET
from msgspec import Meta
from msgspec import Struct
from msgspec import UnsetType

# -- enumerations ------------------------------------------------------------------------------

#: rules.assessment.PROVISION_STATUSES.
ProvisionStatus = t.Literal["may_apply", "borderline", "out_of_time", "not_met", "unknown"]
#: rules.assessment.ELEMENT_STATUSES.
ElementStatus = t.Literal["met", "doubtful", "not_met", "unknown"]
#: The statuses rules.explain gives a time limit.
TimeLimitStatus = t.Literal["open", "near", "passed", "unknown", "depends"]
#: rules.model.TIME_LIMIT_KINDS.
TimeLimitKind = t.Literal["from_last_incident", "from_prosecutor_knowledge", "from_dated_answer"]
#: rules.model.PROVISION_KINDS.
ProvisionKind = t.Literal["offence", "breach_offence", "civil_claim", "order"]
#: The keys of rules.model.VERIFICATION_LEVELS.
VerificationLevel = t.Literal["V", "PV", "GK"]
#: rules.load.provisions.WHO.
Who = t.Literal["person", "police", "court", "others"]
#: rules.load.help.CONTACT_KINDS.
ContactKind = t.Literal["phone", "text", "web", "email"]
#: The ids of the levels in knowledge/risk/levels.yaml.
RiskLevel = t.Literal["emergency", "high", "medium", "standard"]
#: The groups of safety advice: one file each in knowledge/safety/.
AdviceGroup = t.Literal["trackers-and-location", "accounts-and-devices", "getting-about-and-at-home",
                        "contact-and-evidence", "reporting"]

CITE_ID_PATTERN = "^cite-[0-9a-f]{12}$"


def _d(text: str) -> Meta:
    """A field's description."""
    return Meta(description=text)


Ids = tuple[str, ...]
CiteId = t.Annotated[str, Meta(pattern=CITE_ID_PATTERN,
                               description="The id of a citation in `citations` (a digest of its content).")]
Verification = t.Annotated[VerificationLevel, Meta(
    description="How well the point is verified: V checked against the source, PV partly verified, GK general"
                " legal knowledge not yet confirmed.")]
ProvisionStatusField = t.Annotated[ProvisionStatus, Meta(
    description="may_apply: every part may be met; borderline: a part is doubtful; out_of_time: it may fit"
                " but the time limit for a prosecution has passed; not_met: a part is not met or a gate"
                " holds; unknown: more answers are needed. Never that an offence is committed.")]
TimeLimitStatusField = t.Annotated[TimeLimitStatus, Meta(
    description="open: time left; near: ending soon; passed: no prosecution can start; unknown: no date of the"
                " last incident; depends: runs from when the prosecutor had enough evidence (only the long"
                " stop can be counted).")]


class _Closed(Struct, frozen=True, forbid_unknown_fields=True):
    """An object whose every field is listed; no other is allowed."""

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        # The docstring is the object's description in the schema: one line, as JSON gives it.
        super().__init_subclass__(**kwargs)
        cls.__doc__ = " ".join((cls.__doc__ or "").split())


class _Omitting(_Closed, frozen=True, omit_defaults=True):
    """A closed object some of whose fields are absent when they have nothing to say."""


# -- shared by both shapes ---------------------------------------------------------------------


class Safety(_Closed, frozen=True):
    """Danger now, and how to call for help."""

    danger_now: t.Annotated[bool, _d("The person said they are in danger now: lead with 999.")]
    emergency: t.Annotated[str, _d("What to do in an emergency (999).")]
    emergency_silent: t.Annotated[str, _d("What to do when they cannot speak (999, then 55).")]


class Contact(_Closed, frozen=True):
    """One way to reach a service."""

    kind: t.Annotated[ContactKind, _d("How to reach it.")]
    value: t.Annotated[str, _d("The number, address or text to send.")]
    label: t.Annotated[str | None, _d("What this contact is for, when a service has several.")]


# -- the full shape (?explain=full) ------------------------------------------------------------


class Citation(_Omitting, frozen=True):
    """Where a legal point comes from, how well it is verified and when it was checked."""

    title: t.Annotated[str, _d("The Act and section, or the case.")]
    url: t.Annotated[str, Meta(description="The legislation.gov.uk (or judgment) address.",
                               extra_json_schema={"format": "uri"})]
    verification: Verification
    checked_on: t.Annotated[dt.date, _d("When the point was last checked against the source.")]
    section: t.Annotated[str | UnsetType, _d("The subsection(s) relied on (absent when none is named).")] = UNSET
    note: t.Annotated[str | UnsetType, _d("What is and is not verified (absent when there is nothing to add).")] = UNSET


class Reason(_Closed, frozen=True):
    """A rule that fired: what it decided and why, and the answers and facts it read."""

    rule: t.Annotated[str, _d("The rule's id: the provision, element or gate and the outcome.")]
    outcome: t.Annotated[str, _d(
        "What it decided: met, doubtful or not_met for an element; not_met, borderline or out_of_time for a"
        " defence or gate; and the like for signs, services, risk and advice.")]
    because: t.Annotated[str, _d("The reason, in plain words, resting only on answers given.")]
    answers: t.Annotated[Ids, _d("The question ids it read.")]
    facts: t.Annotated[Ids, _d("The derived facts it read (occasions, dates, gaps).")]
    citation: t.Annotated[CiteId | None, _d("Its source, or null.")]


class ElementResult(_Closed, frozen=True):
    """One part of the legal test."""

    id: t.Annotated[str, _d("The element's id.")]
    status: t.Annotated[ElementStatus, _d("The worst outcome that held; unknown when more answers are needed.")]
    law: t.Annotated[str, _d("The statute's test, in our words, with the section.")]
    plain: t.Annotated[str, _d("The same in plain English.")]
    reasons: t.Annotated[tuple[Reason, ...], _d("The outcomes that held, each with its reason.")]
    missing: t.Annotated[Ids, _d("Ids of the questions that would decide it.")]
    would_change: t.Annotated[str, _d("What would change it (empty when met).")]
    citation: t.Annotated[CiteId, _d("Its source: the id of a citation in `citations`.")]


class TimeLimit(_Closed, frozen=True):
    """A limit on starting a prosecution: when it ends, or that it has passed."""

    provision: t.Annotated[str, _d("The provision's id.")]
    title: t.Annotated[str, _d("The provision's title.")]
    kind: t.Annotated[TimeLimitKind, _d(
        "What the months run from: the latest incident, the day the prosecutor had enough evidence, or a date"
        " the person gave (such as their first statement to the police).")]
    months: t.Annotated[int, _d("The months allowed.")]
    long_stop_months: t.Annotated[int | None, _d(
        "For from_prosecutor_knowledge and from_dated_answer: the most months after the latest incident,"
        " whatever else.")]
    status: TimeLimitStatusField
    last_incident: t.Annotated[dt.date | None, _d("The latest incident the limit counts from.")]
    ends_on: t.Annotated[dt.date | None, _d("The last day a prosecution can start (for a long stop, its end).")]
    plain: t.Annotated[str, _d("The limit in plain words.")]
    after: t.Annotated[str, _d("What still applies after it.")]
    citation: t.Annotated[CiteId, _d("Its source: the id of a citation in `citations`.")]


class MaxPenalty(_Closed, frozen=True):
    """The maximum penalty."""

    text: t.Annotated[str, _d("The penalty in plain words.")]
    verification: Verification
    source: t.Annotated[str, _d("Where it comes from.")]


class WhoApplies(_Closed, frozen=True):
    """Who can apply for an order, and how."""

    who: t.Annotated[Who, _d("Who.")]
    how: t.Annotated[str, _d("How, in plain words.")]


class ProvisionResult(_Closed, frozen=True):
    """One offence, civil claim or order: its stable id, title, status and reasons."""

    id: t.Annotated[str, _d("A stable id such as act-year-section.")]
    kind: t.Annotated[ProvisionKind, _d("What kind of provision it is.")]
    builds_on: t.Annotated[Ids, _d("Ids of the provisions whose elements this one includes.")]
    title: t.Annotated[str, _d("Its name.")]
    status: ProvisionStatusField
    reason: t.Annotated[str, _d("Why it has this status, in plain words.")]
    summary: t.Annotated[str, _d("What it is, in two or three plain sentences.")]
    elements: t.Annotated[tuple[ElementResult, ...], _d("Every part of the test with its status and reasons.")]
    exceptions: t.Annotated[tuple[Reason, ...], _d("The defences and gates (extent, commencement, time limit) that held.")]
    missing: t.Annotated[Ids, _d("Ids of the questions that would decide it.")]
    would_change: t.Annotated[Ids, _d("What would change the outcome, in plain words.")]
    citation: t.Annotated[CiteId, _d("Its source: the id of a citation in `citations`.")]
    mode_of_trial: t.Annotated[str | None, _d("Which courts can try it (null for an order).")]
    max_penalty: t.Annotated[MaxPenalty | None, _d("The maximum penalty, or null (orders, civil claims).")]
    in_force_from: t.Annotated[dt.date | None, _d("The date it came into force, when that matters.")]
    time_limit: t.Annotated[TimeLimit | None, _d("Its time limit for a prosecution, or null when it has none.")]
    who_applies: t.Annotated[tuple[WhoApplies, ...], _d("For orders: who can apply and how.")]
    next_steps: t.Annotated[str | None, _d("What to do about it, in plain words.")]
    open_questions: t.Annotated[Ids, _d("Doubts recorded for legal review.")]


class MissingAnswer(_Closed, frozen=True):
    """A question whose answer is missing."""

    question: t.Annotated[str, _d("The question's id.")]
    text: t.Annotated[str, _d("The question's wording.")]


class Indicator(_Closed, frozen=True):
    """One risk indicator that was raised."""

    id: t.Annotated[str, _d("The indicator's id.")]
    label: t.Annotated[str, _d("The indicator in a few words.")]
    plain: t.Annotated[str, _d("The indicator in plain words.")]
    why: t.Annotated[str, _d("Why it matters.")]
    source: t.Annotated[str, _d("Where it comes from (DASH, SASH and the like).")]
    alone_raises: t.Annotated[RiskLevel | None, _d("The level it reaches on its own, if any.")]
    answers: t.Annotated[Ids, _d("The question ids that raised it.")]


class Pathway(_Closed, frozen=True):
    """Where a risk level leads."""

    id: t.Annotated[str, _d("The pathway's id.")]
    title: t.Annotated[str, _d("Its name.")]
    action: t.Annotated[str, _d("What staff should do.")]
    plain: t.Annotated[str, _d("The same for the person.")]
    source: t.Annotated[str, _d("Where it comes from.")]


class Risk(_Closed, frozen=True):
    """The level of risk, the indicators that raised it and where it leads."""

    level: t.Annotated[RiskLevel, _d("The risk level's id (from knowledge/risk/levels).")]
    screening_complete: t.Annotated[bool, _d(
        "False when unanswered risk questions could still raise the level (`unanswered` names them).")]
    unanswered: t.Annotated[tuple[MissingAnswer, ...], _d("The risk questions still unanswered.")]
    title: t.Annotated[str, _d("The level's name.")]
    staff: t.Annotated[str, _d("The level as staff read it.")]
    plain: t.Annotated[str, _d("The level in plain words for the person.")]
    indicators: t.Annotated[tuple[Indicator, ...], _d("The indicators that raised it (never a bare score).")]
    decided_by: t.Annotated[Ids, _d("Ids of the indicators that set the level on their own, if any.")]
    pathways: t.Annotated[tuple[Pathway, ...], _d("Where the level leads.")]
    note: t.Annotated[str, _d("What the screening is and is not.")]


class OtherLaw(_Closed, frozen=True):
    """A part of the UK with its own law."""

    id: t.Annotated[str, _d("Its id.")]
    title: t.Annotated[str, _d("Its name.")]
    plain: t.Annotated[str, _d("What applies there, in plain words.")]
    laws: t.Annotated[tuple[CiteId, ...], _d("The main offences there: ids of citations in `citations`.")]
    services: t.Annotated[Ids, _d("Ids of services there.")]


class Jurisdiction(_Closed, frozen=True):
    """Where the person is, and elsewhere in the UK the law that applies there."""

    place: t.Annotated[str | None, _d("The answer to the place question.")]
    assessed_under: t.Annotated[str | None, _d("The law the assessment applies (England and Wales), or null.")]
    other_law: t.Annotated[tuple[OtherLaw, ...], _d("Outside England and Wales: the law there, named and signposted.")]


class Incident(_Closed, frozen=True):
    """One dated incident as the person gave it."""

    date: t.Annotated[dt.date, _d("When it happened.")]
    what_happened: t.Annotated[str, _d("What happened, as given.")]
    behaviours: t.Annotated[Ids, _d("Behaviour ids (options of `behaviours`).")]
    feared_violence: t.Annotated[bool | None, _d("Whether the person feared violence (null: not said).")]


class Linked(_Closed, frozen=True):
    """What links the incidents."""

    same_person: t.Annotated[bool | None, _d("One person behind all of it (null: not said).")]
    same_kind_of_conduct: t.Annotated[bool | None, _d("The incidents are of the same kind (null: not said).")]
    longest_gap_days: t.Annotated[int | None, _d("The longest gap between two incidents, in days.")]


_OCCASIONS = "How many separate occasions (null: not known)."
_FIRST = "The date of the first incident."
_LAST = "The date of the latest incident."
_GAP = "The longest gap between two incidents, in days."
_SPAN = "Days from the first incident to the latest."
_FINDING = "The course-of-conduct element's status."


class CourseOfConduct(_Closed, frozen=True):
    """The incidents counted and whether they form a course of conduct."""

    incidents: t.Annotated[tuple[Incident, ...], _d("The dated incidents given, in date order.")]
    occasions: t.Annotated[int | None, _d(_OCCASIONS)]
    first_incident: t.Annotated[dt.date | None, _d(_FIRST)]
    last_incident: t.Annotated[dt.date | None, _d(_LAST)]
    longest_gap_days: t.Annotated[int | None, _d(_GAP)]
    span_days: t.Annotated[int | None, _d(_SPAN)]
    linked: t.Annotated[Linked, _d("What links the incidents.")]
    finding: t.Annotated[ElementStatus, _d(_FINDING)]
    reasons: t.Annotated[tuple[Reason, ...], _d("The course-of-conduct outcomes that held.")]


class Sign(_Closed, frozen=True):
    """One sign the answers show."""

    id: t.Annotated[str, _d("The sign's id.")]
    label: t.Annotated[str, _d("Its name.")]
    plain: t.Annotated[str, _d("It in plain words.")]
    answers: t.Annotated[Ids, _d("The question ids that show it.")]


class SignGroup(_Closed, frozen=True):
    """One group of signs."""

    id: t.Annotated[str, _d("The group's id (four, s2a3, s4a).")]
    title: t.Annotated[str, _d("The group's name.")]
    plain: t.Annotated[str, _d("The group in plain words.")]
    shown: t.Annotated[tuple[Sign, ...], _d("The signs shown.")]


class Service(_Closed, frozen=True):
    """A service that fits."""

    id: t.Annotated[str, _d("Its id.")]
    name: t.Annotated[str, _d("Its name.")]
    what: t.Annotated[str, _d("What it does.")]
    contacts: t.Annotated[tuple[Contact, ...], _d("How to reach it.")]
    hours: t.Annotated[str, _d("When it is open.")]
    who_for: t.Annotated[str, _d("Whom it is for.")]
    why: t.Annotated[str, _d("Why it was suggested, from the reasons that held.")]
    urgent: t.Annotated[bool, _d("Comes before the others (999).")]
    source: t.Annotated[str, _d("Where its details were checked.")]
    checked_on: t.Annotated[dt.date, _d("When its details were checked.")]
    verification: Verification


class SafetyAdvice(_Closed, frozen=True):
    """One safety step from knowledge/safety/, with only the reasons that held."""

    id: t.Annotated[str, _d("Its id.")]
    group: t.Annotated[AdviceGroup, _d("The group it belongs to (a file of knowledge/safety/).")]
    group_title: t.Annotated[str, _d("The group's name.")]
    title: t.Annotated[str, _d("The step in a few words.")]
    text: t.Annotated[str, _d("What to do, in plain words.")]
    why: t.Annotated[Ids, _d("Why it was chosen: the reasons that held.")]
    caution: t.Annotated[str | None, _d("How doing it could alert them, when it could.")]
    order: t.Annotated[int, _d("Where its best-fitting reason places it; lower first.")]
    urgent: t.Annotated[bool, _d("Comes before every other step (danger now).")]
    answers: t.Annotated[Ids, _d("The question ids its reasons read.")]
    source: t.Annotated[str, _d("Where the advice comes from.")]
    checked_on: t.Annotated[dt.date, _d("When it was checked.")]
    verification: Verification


_KNOWLEDGE_VERSION = "The version of the knowledge (the law as encoded) that answered."
_AS_AT = "The date the assessment was made as at (time limits and ages count to it)."
_LAW_AS_AT = "The date the encoded law was last checked as a whole."
_NOTICE = "That this is information, not legal advice; show it with the result."
_SAFETY = "Danger now, and how to call for help."
_RISK = "Risk screening, or null when the knowledge has none."
_JURISDICTION = "Where the person is, and elsewhere in the UK the law that applies there."
_WHAT_TO_DO_NOW = "General tips, given only when no specific safety advice fits (a fallback)."
_IGNORED = "Ids of answers set aside because their questions would not be asked given the other answers."


class Assessment(_Closed, frozen=True):
    """The whole assessment (`?explain=full`): every part with its reasons and sources, each citation
    given once in `citations` and referred to by its id elsewhere."""

    knowledge_version: t.Annotated[str, _d(_KNOWLEDGE_VERSION)]
    as_at: t.Annotated[dt.date, _d(_AS_AT)]
    law_as_at: t.Annotated[dt.date, _d(_LAW_AS_AT)]
    notice: t.Annotated[str, _d(_NOTICE)]
    safety: t.Annotated[Safety, _d(_SAFETY)]
    risk: t.Annotated[Risk | None, _d(_RISK)]
    jurisdiction: t.Annotated[Jurisdiction, _d(_JURISDICTION)]
    offences: t.Annotated[tuple[ProvisionResult, ...], _d("Every offence and civil claim.")]
    orders: t.Annotated[tuple[ProvisionResult, ...], _d("Every protective order.")]
    course_of_conduct: t.Annotated[CourseOfConduct, _d("The incidents counted and whether they form a course of conduct.")]
    time_limits: t.Annotated[tuple[TimeLimit, ...], _d("Every time limit that applies.")]
    signs: t.Annotated[tuple[SignGroup, ...], _d("Signs the answers show, by group.")]
    services: t.Annotated[tuple[Service, ...], _d("Services that fit, urgent first.")]
    missing: t.Annotated[tuple[MissingAnswer, ...], _d("The questions whose answers would decide more.")]
    safety_advice: t.Annotated[tuple[SafetyAdvice, ...], _d(
        "Practical safety steps that fit the answers, best fit first (urgent first); each with why it was"
        " chosen, a caution where doing it could alert the person doing it, and its source and checked date.")]
    what_to_do_now: t.Annotated[Ids, _d(_WHAT_TO_DO_NOW)]
    ignored: t.Annotated[Ids, _d(_IGNORED)]
    trace: t.Annotated[tuple[Reason, ...], _d("Every rule that fired, in firing order.")]
    explain: t.Annotated[t.Literal["full"], _d("This shape.")]
    citations: t.Annotated[dict[CiteId, Citation], _d(
        "Every citation in the response once, by id; each `citation` (and each jurisdiction's `laws`)"
        " elsewhere gives an id from here. An id is a digest of the citation, the same in every response.")]


# -- the summary (the default) -----------------------------------------------------------------


class IndicatorSummary(_Closed, frozen=True):
    """One risk indicator that was raised (`?explain=full` says why it matters)."""

    id: t.Annotated[str, _d("The indicator's id.")]
    label: t.Annotated[str, _d("The indicator in a few words.")]


class PathwaySummary(_Closed, frozen=True):
    """Where a risk level leads (`?explain=full` adds what staff should do)."""

    id: t.Annotated[str, _d("The pathway's id.")]
    title: t.Annotated[str, _d("Its name.")]


class RiskSummary(_Closed, frozen=True):
    """The level of risk and the indicators that raised it."""

    level: t.Annotated[RiskLevel, _d("The risk level's id (from knowledge/risk/levels).")]
    title: t.Annotated[str, _d("The level's name.")]
    plain: t.Annotated[str, _d("The level in plain words for the person.")]
    indicators: t.Annotated[tuple[IndicatorSummary, ...], _d("The indicators that raised it (never a bare score).")]
    decided_by: t.Annotated[Ids, _d("Ids of the indicators that set the level on their own, if any.")]
    pathways: t.Annotated[tuple[PathwaySummary, ...], _d("Where the level leads (`?explain=full` adds what staff should do).")]
    screening_complete: t.Annotated[bool, _d(
        "False when unanswered risk questions could still raise the level (`unanswered` names them).")]
    unanswered: t.Annotated[Ids, _d("Ids of the risk questions still unanswered.")]


class OtherLawSummary(_Closed, frozen=True):
    """A part of the UK with its own law (`?explain=full` names its main offences)."""

    id: t.Annotated[str, _d("Its id.")]
    title: t.Annotated[str, _d("Its name.")]
    plain: t.Annotated[str, _d("What applies there, in plain words.")]
    services: t.Annotated[Ids, _d("Ids of services there.")]


class JurisdictionSummary(_Closed, frozen=True):
    """Where the person is, and elsewhere in the UK the law that applies there."""

    place: t.Annotated[str | None, _d("The answer to the place question.")]
    assessed_under: t.Annotated[str | None, _d("The law the assessment applies (England and Wales), or null.")]
    other_law: t.Annotated[tuple[OtherLawSummary, ...], _d("Outside England and Wales: the law there, named and signposted.")]


class StatusText(_Closed, frozen=True):
    """Each provision status's sentence, in the knowledge's words: a provision's whole reason is this
    sentence followed by its own `reason`, when it has one."""

    may_apply: t.Annotated[str, _d("The sentence for may_apply.")]
    borderline: t.Annotated[str, _d("The sentence for borderline.")]
    out_of_time: t.Annotated[str, _d("The sentence for out_of_time.")]
    not_met: t.Annotated[str, _d("The sentence for not_met.")]
    unknown: t.Annotated[str, _d("The sentence for unknown.")]


class ProvisionSummary(_Omitting, frozen=True, kw_only=True):
    """One offence or order in the summary: `id` and `status` always; `title` unless the status is
    not_met; `reason` and `missing` when they say something (`?explain=full` gives them all)."""

    id: t.Annotated[str, _d("A stable id such as act-year-section.")]
    title: t.Annotated[str | UnsetType, _d("Its name (absent when not_met).")] = UNSET
    status: ProvisionStatusField
    reason: t.Annotated[str | UnsetType, _d(
        "What its answers add to the sentence for its status in `status_text` (absent when nothing, and"
        " when not_met).")] = UNSET
    missing: t.Annotated[t.Annotated[Ids, Meta(min_length=1)] | UnsetType, _d(
        "Ids of the questions that would decide it (absent when none).")] = UNSET


class CourseOfConductSummary(_Closed, frozen=True):
    """The incidents counted and whether they form a course of conduct (`?explain=full` lists them)."""

    occasions: t.Annotated[int | None, _d(_OCCASIONS)]
    first_incident: t.Annotated[dt.date | None, _d(_FIRST)]
    last_incident: t.Annotated[dt.date | None, _d(_LAST)]
    span_days: t.Annotated[int | None, _d(_SPAN)]
    longest_gap_days: t.Annotated[int | None, _d(_GAP)]
    finding: t.Annotated[ElementStatus, _d(_FINDING)]


class TimeLimitSummary(_Closed, frozen=True):
    """A time limit (`?explain=full` says what it runs from and what applies after it)."""

    provision: t.Annotated[str, _d("The provision's id.")]
    status: TimeLimitStatusField
    ends_on: t.Annotated[dt.date | None, _d("The last day a prosecution can start.")]


class ServiceSummary(_Closed, frozen=True):
    """A service that fits (`?explain=full` adds what it does, whom it is for and its source)."""

    id: t.Annotated[str, _d("Its id.")]
    name: t.Annotated[str, _d("Its name.")]
    urgent: t.Annotated[bool, _d("Comes before the others (999).")]
    why: t.Annotated[str, _d("Why it was suggested, from the reasons that held.")]
    hours: t.Annotated[str, _d("When it is open.")]
    contacts: t.Annotated[tuple[Contact, ...], _d("How to reach it.")]


class SafetyAdviceSummary(_Closed, frozen=True):
    """A safety step (`?explain=full` gives what to do and why)."""

    id: t.Annotated[str, _d("Its id.")]
    title: t.Annotated[str, _d("The step in a few words.")]
    urgent: t.Annotated[bool, _d("Comes before every other step (danger now).")]


class AssessmentSummary(_Closed, frozen=True):
    """What a client shows first (the default shape): each offence and order with its status; for one
    that may fit, its name, what its answers add to its status's sentence (the sentences are given once,
    in `status_text`) and the questions that would decide it (a law that does not fit is given by id and
    status: `?explain=full` names it and says why); the risk level and the indicators that raised it; the
    services with their contacts; the safety advice by id and title; time limits; and the questions still
    to answer, as ids (GET /questions gives their wording)."""

    explain: t.Annotated[t.Literal["summary"], _d("This shape.")]
    knowledge_version: t.Annotated[str, _d(_KNOWLEDGE_VERSION)]
    as_at: t.Annotated[dt.date, _d(_AS_AT)]
    law_as_at: t.Annotated[dt.date, _d(_LAW_AS_AT)]
    notice: t.Annotated[str, _d(_NOTICE)]
    safety: t.Annotated[Safety, _d(_SAFETY)]
    risk: t.Annotated[RiskSummary | None, _d(_RISK)]
    jurisdiction: t.Annotated[JurisdictionSummary, _d(_JURISDICTION)]
    status_text: t.Annotated[StatusText, _d("Each provision status's sentence, in the knowledge's words.")]
    offences: t.Annotated[tuple[ProvisionSummary, ...], _d("Every offence and civil claim.")]
    orders: t.Annotated[tuple[ProvisionSummary, ...], _d("Every protective order.")]
    course_of_conduct: t.Annotated[CourseOfConductSummary, _d(
        "The incidents counted and whether they form a course of conduct.")]
    time_limits: t.Annotated[tuple[TimeLimitSummary, ...], _d("Every time limit that applies.")]
    services: t.Annotated[tuple[ServiceSummary, ...], _d("Services that fit, urgent first.")]
    safety_advice: t.Annotated[tuple[SafetyAdviceSummary, ...], _d(
        "Safety steps that fit, best first (`?explain=full` gives why).")]
    missing: t.Annotated[Ids, _d("Ids of the questions whose answers would decide more.")]
    what_to_do_now: t.Annotated[Ids, _d(_WHAT_TO_DO_NOW)]
    ignored: t.Annotated[Ids, _d(_IGNORED)]


#: The shapes of an assessment the API gives, by the value of ``?explain=``.
SHAPES: dict[str, type[Struct]] = {"summary": AssessmentSummary, "full": Assessment}
