"""A plain-text summary of an assessment, for pasting into a case system.

Presentation only: it prints what the assessment decided, in a fixed order, safety first.
The staff console and ``python -m rules assess --format text`` use the same text.
"""

from __future__ import annotations

import textwrap
import typing as t

STATUS_WORDS = {
    "may_apply": "MAY APPLY",
    "borderline": "BORDERLINE",
    "not_met": "does not seem to fit",
    "unknown": "not enough information",
}
ORDER_WORDS = {
    "may_apply": "MAY BE AVAILABLE",
    "borderline": "POSSIBLY AVAILABLE",
    "not_met": "does not seem to fit",
    "unknown": "not enough information",
}
WIDTH = 96


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


def to_text(result: t.Mapping[str, t.Any], contact: t.Mapping[str, t.Any] | None = None) -> str:
    """Render ``Assessment.to_dict()`` (and optional safe-contact notes) as plain text."""
    lines: list[str] = []
    lines.append(f"STALKING AND HARASSMENT CHECK - as at {result['as_at']} (knowledge {result['knowledge_version']})")
    safety = result["safety"]
    if safety["danger_now"]:
        lines.append("")
        lines.append("DANGER NOW: " + safety["emergency"].strip())
        lines += _wrap(safety["emergency_silent"])
    if contact:
        lines.append("")
        lines.append("SAFE CONTACT")
        for label, value in contact.items():
            lines.append(f"  {label}: {value}")
    risk = result.get("risk")
    if risk:
        lines.append("")
        lines.append(f"RISK LEVEL: {risk['level'].upper()} - {risk['title']}")
        for indicator in risk.get("indicators", []):
            lines += _wrap(f"- {indicator['label']}", "  ")
        if risk.get("pathways"):
            lines.append("  Pathways:")
            for pathway in risk["pathways"]:
                lines += _wrap(f"- {pathway['title']}: {pathway['action']}", "    ")
    place = result["jurisdiction"]
    for other in place["other_law"]:
        lines.append("")
        lines.append(f"PLACE: {other['title']}")
        lines += _wrap(other["plain"])
        for law in other["laws"]:
            lines += _wrap(f"- {law['title']} ({law['url']})", "  ")
    coc = result["course_of_conduct"]
    lines.append("")
    lines.append("COURSE OF CONDUCT")
    gap = coc["longest_gap_days"]
    lines.append(f"  Occasions: {coc['occasions'] if coc['occasions'] is not None else 'not known'}; "
                 f"first {coc['first_incident'] or 'not known'}; latest {coc['last_incident'] or 'not known'}; "
                 f"longest gap {'not known' if gap is None else f'{gap} days'}")
    for incident in coc.get("incidents", []):
        fear = {True: "feared violence", False: "no fear of violence", None: "fear not recorded"}[incident["feared_violence"]]
        did = ", ".join(b.replace("_", " ") for b in incident["behaviours"])
        text = "; ".join(x for x in (incident["what_happened"], did, fear) if x)
        lines += _wrap(f"- {incident['date']}: {text}", "    ")
    lines.append(f"  Finding: {coc['finding']}")
    for reason in coc["reasons"]:
        lines += _wrap(f"- {reason['because']}", "    ")
    for heading, key, words in (("OFFENCES", "offences", STATUS_WORDS), ("PROTECTIVE ORDERS", "orders", ORDER_WORDS)):
        lines.append("")
        lines.append(heading)
        ranked = sorted(result[key], key=lambda p: ("may_apply", "borderline", "unknown", "not_met").index(p["status"]))
        for p in ranked:
            cite = p["citation"]
            lines.append(f"  [{words[p['status']]}] {p['title']} - {cite['title']} ({p['id']})")
            if p["status"] in ("may_apply", "borderline"):
                lines += _wrap(p["reason"], "      ")
    limits = [t_ for t_ in result["time_limits"] if t_["status"] in ("near", "passed")]
    if limits:
        lines.append("")
        lines.append("TIME LIMITS")
        for limit in limits:
            state = "PASSED" if limit["status"] == "passed" else f"ends {limit['ends_on']}"
            lines.append(f"  {limit['title']} ({limit['provision']}): {state}")
    shown = [(g["title"], [s["label"] for s in g["shown"]]) for g in result["signs"] if g["shown"]]
    if shown:
        lines.append("")
        lines.append("SIGNS SEEN")
        for title, labels in shown:
            lines += _wrap(f"{title}: {', '.join(labels)}")
    lines.append("")
    lines.append("SERVICES")
    for s in result["services"]:
        contacts = "; ".join(c["value"] for c in s["contacts"])
        lines += _wrap(f"- {s['name']}: {contacts}. {s['why']}", "  ")
    if result["missing"]:
        lines.append("")
        lines.append("NOT YET ASKED")
        for m in result["missing"]:
            lines += _wrap(f"- {m['text']}", "  ")
    lines.append("")
    lines += _wrap(result["notice"], "")
    return "\n".join(lines) + "\n"
