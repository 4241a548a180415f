"""The help: signs, services, safety advice, places with their own law, and risk.

None of this decides whether a law may apply; it decides what the person is shown beside
it: the signs their answers show, the services that fit (each with why, and when its
number was checked), practical safety steps, the law of Scotland or Northern Ireland to
look at instead, and the level of risk with where it leads.
"""

from __future__ import annotations

import datetime as dt
import re

from ..conditions import ALWAYS
from ..conditions import Condition
from ..model import VERIFICATION_LEVELS
from ..model import AdviceFit
from ..model import Contact
from ..model import Jurisdiction
from ..model import Pathway
from ..model import Risk
from ..model import RiskIndicator
from ..model import RiskLevel
from ..model import SafetyAdvice
from ..model import Service
from ..model import Sign
from ..model import SignGroup
from .fields import Fields
from .read import KnowledgeProblem
from .read import Node

CONTACT_KINDS = ("phone", "text", "web", "email")
_ADVICE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def read_signs(fields: Fields) -> tuple[list[SignGroup], list[Sign]]:
    groups: list[SignGroup] = []
    signs: list[Sign] = []
    for path in fields.files.folder("signs"):
        top = fields.files.node(path)
        group = SignGroup(top.text("group"), top.text("title"), top.text("plain"), top.text("source"))
        parent = fields.citation(top.child("citation", required=False))
        for spath, raw in top.items("signs"):
            s = Node(raw, top.file, spath, fields.problems)
            cit = fields.citation(s.child("citation", required=False), parent) if "citation" in s.data else parent
            signs.append(Sign(s.text("id"), group.id, s.text("label"), s.text("plain"),
                              fields.condition(s, "shown_when", s.get("shown_when", (dict, str))), cit))
            s.done()
        top.done()
        groups.append(group)
    return groups, signs


def read_services(fields: Fields) -> list[Service]:
    out: list[Service] = []
    for path in fields.files.service_files():
        top = fields.files.node(path)
        sid = top.text("id")
        if sid and sid != path.stem:
            top.fail("id", f"must match the file name '{path.stem}'")
        contacts = []
        for cpath, raw in top.items("contacts"):
            c = Node(raw, top.file, cpath, fields.problems)
            kind = c.text("kind")
            if kind and kind not in CONTACT_KINDS:
                c.fail("kind", f"must be one of {', '.join(CONTACT_KINDS)}")
            value = c.get("value", (str, int))
            contacts.append(Contact(kind, str(value) if value is not None else "", c.text("label", False)))
            if kind == "web" and value and not str(value).startswith("https://"):
                c.fail("value", "a web address must start with https://")
            c.done()
        checked_on = top.get("checked_on", dt.date, default=None)
        fields.check_date(top, "checked_on", checked_on)
        verification = top.text("verification")
        if verification and verification not in VERIFICATION_LEVELS:
            top.fail("verification", f"must be one of {', '.join(VERIFICATION_LEVELS)}")
        # Either one condition and one reason, or (``fits``) each way it can fit with its
        # own reason, so the result never gives a reason the person did not give.
        fits: list[tuple[Condition, str]] = []
        if "fits" in top.data:
            for fpath, raw in top.items("fits"):
                f = Node(raw, top.file, fpath, fields.problems)
                fits.append((fields.condition(f, "when", f.get("when", (dict, str))), f.text("because")))
                f.done()
            whens = [raw.get("when") for _, raw in top.items("fits") if isinstance(raw, dict)]
            fits_when = fields.condition(top, "fits", {"any": whens}) if all(whens) and whens else ALWAYS
            why = top.text("why", required=False)
        else:
            fits_when = fields.condition(top, "fits_when", top.get("fits_when", (dict, str)))
            why = top.text("why")
        out.append(Service(
            id=sid,
            name=top.text("name"),
            what=top.text("what"),
            contacts=tuple(contacts),
            hours=top.text("hours"),
            who_for=top.text("who_for"),
            fits_when=fits_when,
            why=why,
            fits=tuple(fits),
            source=top.text("source"),
            checked_on=checked_on or dt.date(2000, 1, 1),
            verification=verification,
            order=top.get("order", int, default=100),
            urgent=bool(top.get("urgent", bool, False, False)),
        ))
        top.done()
    return out


def read_safety_advice(fields: Fields) -> list[SafetyAdvice]:
    """Practical safety steps, one file per group (knowledge/safety/<group>.yaml).

    Every piece needs its wording, at least one way it fits (each with its own reason
    and order, so the result never gives a reason the person did not give), where it
    came from, when that was checked and how well; ``caution`` and ``urgent`` are optional.
    """
    out: list[SafetyAdvice] = []
    seen: set[str] = set()
    for path in fields.files.folder("safety"):
        top = fields.files.node(path)
        group = top.text("group")
        if group and group != path.stem:
            top.fail("group", f"must match the file name '{path.stem}'")
        title = top.text("title")
        for apath, raw in top.items("advice"):
            a = Node(raw, top.file, apath, fields.problems)
            aid = a.text("id")
            if aid and not _ADVICE_ID.fullmatch(aid):
                a.fail("id", "must be lower-case words joined by hyphens, such as 'keep-a-diary'")
            elif aid in seen:
                a.fail("id", f"advice '{aid}' is defined twice")
            seen.add(aid)
            fits: list[AdviceFit] = []
            for fpath, fraw in a.items("fits"):
                f = Node(fraw, top.file, fpath, fields.problems)
                fits.append(AdviceFit(fields.condition(f, "when", f.get("when", (dict, str))), f.text("because"),
                                      f.get("order", int, default=100)))
                f.done()
            if "fits" in a.data and not fits:
                a.fail("fits", "must give at least one way the advice fits")
            checked_on = a.get("checked_on", dt.date, default=None)
            fields.check_date(a, "checked_on", checked_on)
            verification = a.text("verification")
            if verification and verification not in VERIFICATION_LEVELS:
                a.fail("verification", f"must be one of {', '.join(VERIFICATION_LEVELS)}")
            out.append(SafetyAdvice(
                id=aid, group=group, group_title=title, title=a.text("title"), text=a.text("text"),
                caution=a.text("caution", required=False), fits=tuple(fits), source=a.text("source"),
                checked_on=checked_on or dt.date(2000, 1, 1), verification=verification,
                urgent=bool(a.get("urgent", bool, False, False)),
            ))
            a.done()
        top.done()
    return out


def read_jurisdictions(fields: Fields) -> list[Jurisdiction]:
    out = []
    for path in fields.files.folder("jurisdictions"):
        top = fields.files.node(path)
        laws = []
        for lpath, raw in top.items("laws"):
            cit = fields.citation(Node(raw, top.file, lpath, fields.problems))
            if cit:
                laws.append(cit)
        out.append(Jurisdiction(top.text("id"), top.text("title"),
                                fields.condition(top, "applies_when", top.get("applies_when", (dict, str))),
                                top.text("plain"), tuple(laws), tuple(top.get("services", list, default=[]))))
        top.done()
    return out


def read_risk(fields: Fields) -> Risk | None:
    """Risk indicators, levels and pathways (knowledge/risk/), if the folder is there."""
    folder = fields.files.root / "risk"
    if not folder.is_dir():
        return None
    levels: list[RiskLevel] = []
    path = folder / "levels.yaml"
    top = fields.files.node(path)
    note = top.text("note")
    incomplete = top.child("incomplete", required=False)
    incomplete_text = (incomplete.text("staff"), incomplete.text("plain")) if incomplete else ("", "")
    if incomplete:
        incomplete.done()
    for rank, (lpath, raw) in enumerate(reversed(top.items("levels"))):
        n = Node(raw, top.file, lpath, fields.problems)
        levels.append(RiskLevel(n.text("id"), n.text("title"), n.text("staff"), n.text("plain"),
                                n.get("min_indicators", int, False), rank))
        n.done()
    top.done()
    levels.sort(key=lambda level: -level.rank)
    level_ids = {level.id for level in levels}

    indicators: list[RiskIndicator] = []
    path = folder / "indicators.yaml"
    top = fields.files.node(path)
    for ipath, raw in top.items("indicators"):
        n = Node(raw, top.file, ipath, fields.problems)
        alone = n.text("alone_raises", False)
        if alone and alone not in level_ids:
            n.fail("alone_raises", f"'{alone}' is not a level in levels.yaml")
        cit = fields.citation(n.child("citation", required=False)) if "citation" in n.data else None
        indicators.append(RiskIndicator(n.text("id"), n.text("label"), n.text("plain"), n.text("why"),
                                        fields.condition(n, "raised_when", n.get("raised_when", (dict, str))),
                                        alone, n.text("source"), cit))
        n.done()
    top.done()

    pathways: list[Pathway] = []
    path = folder / "pathways.yaml"
    top = fields.files.node(path)
    for ppath, raw in top.items("pathways"):
        n = Node(raw, top.file, ppath, fields.problems)
        for_levels = tuple(str(x) for x in n.get("levels", list, default=[]))
        for level in for_levels:
            if level not in level_ids:
                n.fail("levels", f"'{level}' is not a level in levels.yaml")
        pathways.append(Pathway(n.text("id"), n.text("title"), n.text("action"), n.text("plain"), for_levels,
                                fields.condition(n, "when", n.get("when", (dict, str))), n.text("source")))
        n.done()
    top.done()
    for kind, ids in (("indicator", [i.id for i in indicators]), ("pathway", [p.id for p in pathways])):
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            fields.problems.append(KnowledgeProblem("knowledge/risk", dup, f"{kind} id used twice"))
    return Risk(tuple(indicators), tuple(levels), tuple(pathways), note, *incomplete_text)
