"""The case note: an assessment as plain text, for pasting into a case system.

Presentation only: it prints what the assessment decided and what the caller said, in the
third person, in a fixed order, safety first. It works nothing out about the law. The staff
console and ``python -m rules assess --format text`` use the same text.

What the note shows, and what it leaves out:

- the risk level once, the indicator that decided it and the others that were raised;
- the caller's answers, section by section, by their staff labels (never the questions'
  second-person wording), and the questions the engine still lists as missing;
- the incidents as a dated list;
- the actions suggested for the level, which of them the caller agreed to, and consent;
- the safe-contact details and the call-handler's own notes, whole (they never reach the
  engine: the console passes them here and nowhere else);
- only the laws that may apply, are borderline, are out of time, or need more information:
  never one that does not fit;
- each service with the answers its rule read that were actually given. The service's own
  ``why`` is written to the caller and may name answers that were not given (it covers every
  way the service can fit), so the note never quotes it.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import typing as t

from .ranking import by_fit_then_seriousness

if t.TYPE_CHECKING:
    from .model import KnowledgeBase

WIDTH = 96

#: The headings of the laws the note lists, by status, in this order. A status not named
#: here (not_met: the law does not fit the answers) is left out of the note.
LAW_GROUPS = (
    ("may_apply", "May apply"),
    ("borderline", "Borderline"),
    ("out_of_time", "Out of time (the law may fit, but a prosecution can no longer start)"),
    ("unknown", "Need more information"),
)
ORDER_GROUPS = (
    ("may_apply", "May be available"),
    ("borderline", "Possibly available"),
    ("out_of_time", "Out of time"),
    ("unknown", "Need more information"),
)

#: The note's heading for each knowledge section; a section not named here uses its title.
SECTION_HEADINGS = {
    "safety": "SAFETY AND PLACE",
    "about_you": "WHO",
    "what_happened": "WHAT HAPPENED",
    "effects": "EFFECTS",
    "risk": "RISK ANSWERS",
    "messages_and_images": "MESSAGES AND IMAGES",
    "orders": "ORDERS AND REPORTING",
}

NOTICE = ("Rule-based check, not legal advice: only a court can decide whether an offence was committed.")

CONSENT_LABEL = "Consent to referral"

DANGER_NOW = ("DANGER NOW: the caller said they are in danger now. 999; if they cannot speak, 999 from a "
              "mobile, then 55 when asked (Silent Solution).")


def _wrap(text: str, indent: str = "  ", more: str | None = None) -> list[str]:
    # A word longer than a line (a pasted address, a link) is kept whole on a line of its own.
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=more if more is not None else indent,
                         break_on_hyphens=False, break_long_words=False) or [indent.rstrip()]


_KEEP = "\x00"  # stands for a space that must not become a line break


def _wrap_items(lead: str, items: t.Sequence[str], end: str = ".", indent: str = "  ",
                whole: bool = False) -> list[str]:
    """``lead`` and the items joined by "; ", wrapped. A citation in brackets, such as
    (PHA 1997 s.4A), a number such as 07700 900123, or (``whole``) an item is never split."""
    def keep(item: str) -> str:
        if whole:
            return item.replace(" ", _KEEP)
        item = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(" ", _KEEP), item)
        return re.sub(r"(?<=\d) (?=\d)", _KEEP, item)

    text = lead + "; ".join(keep(item) for item in items) + end
    return [line.replace(_KEEP, " ") for line in _wrap(text, indent)]


def long_date(value: t.Any) -> str:
    """27 March 2026: never 03/27, whatever the reader's locale."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B} {value.year}"
    return "not known" if value is None else str(value)


def _words(option_id: str) -> str:
    """An option id as words: former_partner -> former partner."""
    return str(option_id).replace("_", " ")


def _value(kind: str, value: t.Any) -> str:
    if kind == "boolean":
        return "yes" if value else "no"
    if kind == "multi_choice":
        return ", ".join(_words(v) for v in value)
    if kind == "choice":
        return _words(value)
    if kind == "date":
        return long_date(value)
    return str(value)


def _knowledge(knowledge: KnowledgeBase | None) -> KnowledgeBase:
    if knowledge is not None:
        return knowledge
    from .service import default_assessor

    return default_assessor().knowledge


def to_text(
    result: t.Mapping[str, t.Any],
    contact: t.Mapping[str, t.Any] | None = None,
    *,
    answers: t.Mapping[str, t.Any] | None = None,
    knowledge: KnowledgeBase | None = None,
    agreed: t.Iterable[str] = (),
    notes: str = "",
) -> str:
    """The case note for ``Assessment.to_dict()``.

    :param contact: safe-contact details, label to value ("Consent to referral" is shown with
        the actions); never sent to the engine.
    :param answers: the answers the engine assessed, to show what the caller said.
    :param knowledge: for the questions' staff labels and sections (the shipped one by default).
    :param agreed: the ids of the suggested actions (risk pathways) the caller agreed to.
    :param notes: the call-handler's own notes, kept whole.
    """
    kb = _knowledge(knowledge)
    given = {k: v for k, v in (answers or {}).items() if v is not None and v != [] and v != ""}
    contact = dict(contact or {})
    consent = contact.pop(CONSENT_LABEL, None)
    lines: list[str] = [
        f"CASE NOTE: stalking and harassment check, {long_date(result['as_at'])} "
        f"(knowledge {result['knowledge_version']})",
        *_wrap(NOTICE, ""),
    ]
    safety = result["safety"]
    if safety["danger_now"]:
        # The engine's own words speak to the caller; a case note speaks about them.
        lines += _wrap(DANGER_NOW, "", "  ")
    lines += _risk(result.get("risk"))
    lines += _place(result["jurisdiction"])
    lines += _answers(result, kb, given)
    lines += _actions(result.get("risk"), set(agreed), consent, contact)
    lines += _laws(result)
    lines += _services(result, kb, given, _advice(result))
    if notes.strip():
        lines += ["CALL-HANDLER'S NOTES"]
        for paragraph in notes.strip().splitlines():
            lines += _wrap(paragraph) if paragraph.strip() else [""]
    return "\n".join(lines) + "\n"


def _risk(risk: t.Mapping[str, t.Any] | None) -> list[str]:
    if not risk:
        return []
    labels = {i["id"]: i["label"] for i in risk.get("indicators", [])}
    deciding = [labels.get(i, _words(i)) for i in risk.get("decided_by", [])]
    others = [i["label"] for i in risk.get("indicators", []) if i["id"] not in risk.get("decided_by", [])]
    heading = f"RISK LEVEL: {risk['title']}"
    lines: list[str] = []
    if deciding:
        lines += _wrap(f"{heading} (decided by: {'; '.join(deciding)})", "", "  ")
    else:
        lines.append(heading)
    if others:
        lines += _wrap_items("Also raised: " if deciding else f"Indicators raised ({len(others)}): ", others)
    if not deciding and not others:
        lines.append("  No risk indicators from the answers so far.")
    return lines


def _place(place: t.Mapping[str, t.Any]) -> list[str]:
    lines: list[str] = []
    for other in place["other_law"]:
        lines += [f"PLACE: {other['title']}"]
        lines += _wrap(other["plain"])
        for law in other["laws"]:
            lines += _wrap(f"- {law['title']} ({law['url']})", "  ", "    ")
    return lines


def _said(kb: KnowledgeBase, section_ids: t.Iterable[str], given: t.Mapping[str, t.Any]) -> list[str]:
    """What the caller said in these sections, by staff label (the incidents aside)."""
    out: list[str] = []
    for section in kb.sections:
        if section.id not in section_ids:
            continue
        for qid in section.questions:
            q = kb.question(qid)
            if q.type != "incidents" and qid in given:
                out.append(f"{q.staff_label or q.text}: {_value(q.type, given[qid])}")
    return out


def _answers(result: t.Mapping[str, t.Any], kb: KnowledgeBase, given: t.Mapping[str, t.Any]) -> list[str]:
    """The caller's answers, grouped for a case note, with the incidents as a dated list."""
    lines: list[str] = []
    placed: set[str] = set()
    for heading, section_ids in NOTE_GROUPS:
        placed.update(section_ids)
        said = _said(kb, section_ids, given)
        incidents = _incidents(result["course_of_conduct"]) if "what_happened" in section_ids else []
        unasked = []
        if heading == "WHO":
            # The questions a case note needs about who they are, when the engine still lists them.
            missing = {m["question"] for m in result["missing"]}
            unasked = [q.staff_label or q.text for q in kb.questions
                       if q.section in section_ids and q.id in missing and q.id not in given]
        if not (said or incidents or unasked):
            continue
        lines += [heading]
        if said:
            lines += _wrap_items("", said)
        lines += incidents
        if unasked:
            lines += _wrap("Not asked: " + ", ".join(unasked) + ".")
    rest = _said(kb, [s.id for s in kb.sections if s.id not in placed], given)
    if rest:
        lines += ["OTHER ANSWERS", *_wrap("; ".join(rest) + ".")]
    return lines


#: How the note groups the knowledge's sections.
NOTE_GROUPS = (
    ("WHO", ("safety", "about_you")),
    ("WHAT HAPPENED", ("what_happened", "messages_and_images", "orders")),
    ("EFFECTS AND FEAR", ("effects", "risk")),
)


def _incidents(coc: t.Mapping[str, t.Any]) -> list[str]:
    lines: list[str] = []
    incidents = coc.get("incidents", [])
    for incident in incidents:
        fear = {True: "feared violence", False: "no fear of violence", None: ""}[incident["feared_violence"]]
        did = ", ".join(_words(b) for b in incident["behaviours"])
        text = "; ".join(x for x in (incident["what_happened"], did, fear) if x)
        lines += _wrap(f"- {long_date(incident['date'])}: {text}", "  ", "    ")
    if coc["occasions"] is not None or coc["first_incident"] or incidents:
        gap = coc["longest_gap_days"]
        span = f"{coc['occasions'] if coc['occasions'] is not None else 'unknown number of'} occasions"
        first, last = long_date(coc["first_incident"]), long_date(coc["last_incident"])
        if first.endswith(last[-4:]) and first != last:
            first = first[:-5]  # 10 November to 24 November 2026
        if coc["first_incident"] or coc["last_incident"]:
            span += f", {first} to {last}"
        if gap is not None:
            span += f", longest gap {gap} days"
        lines += _wrap(f"Course of conduct: {_words(coc['finding'])} ({span}).")
    return lines


def _actions(risk: t.Mapping[str, t.Any] | None, agreed: set[str], consent: str | None,
             contact: t.Mapping[str, t.Any]) -> list[str]:
    pathways = (risk or {}).get("pathways", [])
    lines = ["ACTIONS AND SAFE CONTACT"]
    if pathways:
        lines += _wrap_items(f"Suggested for {risk['title'] if risk else ''} risk: ", [p["title"] for p in pathways])
    chosen = [p["title"] for p in pathways if p["id"] in agreed]
    details = ["Agreed with the caller: " + (", ".join(chosen) if chosen else "none recorded")] if pathways else []
    details += [f"{CONSENT_LABEL}: {consent if consent is not None else 'not asked'}"]
    details += [f"{label}: {value}" for label, value in contact.items()]
    lines += _wrap_items("", details)
    return lines


#: How many laws needing more information the note names; the console lists every one.
UNKNOWN_NAMED = 10

#: Where the usual short form is not the initials of the capitalised words.
_USUAL_SHORT_FORMS = {"EA": "EqA", "OPA": "OAPA", "ABCPA": "ASBCPA"}


def short_citation(title: str) -> str:
    """Protection from Harassment Act 1997, section 4A -> PHA 1997 s.4A (the first Act named)."""
    first = title.split(";")[0]
    # An Act's name may hold a comma ("Anti-social Behaviour, Crime and Policing Act 2014"):
    # the place in it starts at ", section".
    act, _, where = first.partition(", section")
    where = "section" + where if where else ""
    words = act.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    initials = _USUAL_SHORT_FORMS.get(initials, initials)
    year = words[-1] if words and words[-1].isdigit() else ""
    where = where.replace("sections ", "ss.").replace("section ", "s.")
    return " ".join(x for x in (initials, year, where) if x)


def _laws(result: t.Mapping[str, t.Any]) -> list[str]:
    lines = ["LAW THAT MAY APPLY (none that does not fit is listed)"]
    unknown: list[t.Mapping[str, t.Any]] = []
    for heading, key, groups in (("Offences", "offences", LAW_GROUPS), ("Orders", "orders", ORDER_GROUPS)):
        for status, title in groups:
            group = [p for p in result[key] if p["status"] == status]
            if status == "unknown":
                unknown += group
            elif group:
                names = [f"{p['title']} ({short_citation(p['citation']['title'])})" for p in group]
                lines += _wrap_items(f"{heading}, {title.lower()} ({len(group)}): ", names)
    if unknown:
        # Many laws can need more information: the most serious are named (a threat to kill
        # before a communications offence), the rest counted; the console lists them all.
        ranked = by_fit_then_seriousness(unknown)
        named_unknown = [short_citation(p["citation"]["title"]) for p in ranked[:UNKNOWN_NAMED]]
        rest = len(ranked) - UNKNOWN_NAMED
        more = f"; and {rest} more, listed in the console." if rest > 0 else "."
        lines += _wrap_items(f"Need more information ({len(unknown)}), most serious first: ",
                             _by_act(named_unknown), end=more, whole=True)
    # Time limits for the laws listed by name (a law that needs more information has its
    # limit in the console, not in the note).
    named = {p["id"] for p in [*result["offences"], *result["orders"]] if p["status"] != "unknown"}
    for limit in result["time_limits"]:
        if limit["provision"] in named and limit["status"] in ("near", "passed", "depends"):
            state = {"passed": "passed",
                     "depends": (f"{limit['months']} months from when the prosecutor had enough evidence, "
                                 f"and no later than {long_date(limit['ends_on'])}")
                     }.get(limit["status"], f"ends {long_date(limit['ends_on'])}")
            lines += _wrap(f"Time limit for {limit['title']}: {state}.")
    return lines


def _by_act(citations: list[str]) -> list[str]:
    """Short citations grouped by Act: "PHA 1997 s.3, s.4" rather than the Act twice."""
    acts: dict[str, list[str]] = {}
    for citation in citations:
        parts = citation.split(" ")
        act, where = " ".join(parts[:2]), " ".join(parts[2:])
        places = acts.setdefault(act, [])
        if where and where not in places:
            places.append(where)
    return [f"{act} {', '.join(places)}".strip() for act, places in acts.items()]


def _advice(result: t.Mapping[str, t.Any]) -> str:
    """How many safety steps were suggested, and how many could alert the person doing it.

    Only a count: the steps themselves are worded to the caller (the console lists them as
    prompts), and the note is kept to about 40 lines.
    """
    advice = result.get("safety_advice") or []
    if not advice:
        return ""
    alerting = sum(1 for a in advice if a.get("caution"))
    return f"{len(advice)} safety steps suggested, {alerting} of which could alert the other person if taken"


def _services(result: t.Mapping[str, t.Any], kb: KnowledgeBase, given: t.Mapping[str, t.Any],
              advice: str = "") -> list[str]:
    """Each service with the given answers its rule read: never a reason that was not given."""
    if not result["services"]:
        return [f"SAFETY STEPS: {advice}"] if advice else []
    read: dict[str, tuple[list[str], list[str]]] = {}
    for reason in result.get("trace", []):
        kind, _, rest = reason["rule"].partition("/")
        if kind == "service":  # service/<id>, or service/<id>/<n> for each way it can fit
            answers_read, facts_read = read.setdefault(rest.split("/")[0], ([], []))
            answers_read += [a for a in reason.get("answers", []) if a not in answers_read]
            facts_read += [f for f in reason.get("facts", []) if f not in facts_read]
    labels = {q.id: q.staff_label or q.text for q in kb.questions}
    lines = [f"SERVICES ({advice})" if advice else "SERVICES"]
    for s in result["services"]:
        numbers = "; ".join(c["value"] for c in s["contacts"] if c["kind"] in ("phone", "text")) or \
            "; ".join(c["value"] for c in s["contacts"])
        answers_read, facts_read = read.get(s["id"], ([], []))
        on = [labels.get(a, a) for a in answers_read if a in given]
        on += [_words(f) for f in facts_read if f not in answers_read]
        why = f" (rule read: {', '.join(on)})" if on else ""
        lines += _wrap(f"- {s['name']}: {numbers}{why}", "  ", "    ")
    return lines
