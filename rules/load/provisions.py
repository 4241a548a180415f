"""The law: elements, exceptions, shared definitions (``uses:``) and the provisions built from them.

A provision (an offence, a breach offence, a civil claim or an order) lists its elements,
each written out or borrowed from knowledge/definitions/ with ``uses: id``, and its
exceptions, likewise. The gates every provision gets from its own metadata (place,
commencement, time) are added from ``rules.gates``.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import replace

from ..conditions import Condition
from ..conditions import ConditionError
from ..conditions import otherwise
from ..gates import OPTIONAL_GATE_TEXTS
from ..gates import gates_for
from ..model import TIME_LIMIT_KINDS
from ..model import Citation
from ..model import Element
from ..model import ExceptionRule
from ..model import InForce
from ..model import Meta
from ..model import Outcome
from ..model import Penalty
from ..model import Provision
from ..model import TimeLimit
from ..model import WhoApplies
from .fields import Fields
from .read import KnowledgeProblem
from .read import Node

OUTCOME_STATUSES = ("met", "doubtful", "not_met")
#: What a written exception does when it holds. out_of_time is for a time limit the generated
#: gates cannot state (CJA 1988 s.39A: six months, or two years where the abuse is domestic).
EFFECTS = ("not_met", "borderline", "out_of_time")
WHO = ("person", "police", "court", "others")


def read_element(fields: Fields, raw: t.Any, file: str, path: str, parent: Citation | None) -> Element | None:
    """One element with its outcomes; ``when: otherwise`` (for not_met) is every met condition known to fail."""
    node = Node(raw, file, path, fields.problems)
    citation = fields.citation(node.child("citation", required=parent is None), parent)
    outcomes: list[Outcome] = []
    met_whens: list[Condition] = []
    for status in OUTCOME_STATUSES:
        for opath, oraw in node.items(status, required=status == "met"):
            o = Node(oraw, file, opath, fields.problems)
            when_raw = o.data.get("when")
            o.seen.add("when")
            if when_raw is None:
                o.fail("when", "is required")
                continue
            if when_raw == "otherwise":
                if status != "not_met":
                    o.fail("when", "'otherwise' is only for not_met: it means every 'met' condition is known to fail")
                    continue
                when = otherwise(met_whens)
            else:
                when = fields.condition(o, "when", when_raw)
            because = o.text("because")
            ocit = fields.citation(o.child("citation", required=False), citation) if "citation" in o.data else None
            o.done()
            if status == "met":
                met_whens.append(when)
            outcomes.append(Outcome(status, when, because, ocit))
    element = Element(
        id=node.text("id"),
        law=node.text("law"),
        plain=node.text("plain"),
        citation=citation,  # type: ignore[arg-type]
        outcomes=tuple(outcomes),
        would_change=node.text("would_change", False),
        open_questions=tuple(" ".join(str(x).split()) for x in node.get("open_questions", list, False, [])),
    )
    node.done()
    return element if citation is not None else None


def read_exception(fields: Fields, raw: t.Any, file: str, path: str, parent: Citation | None) -> ExceptionRule | None:
    """A defence or gate written in a file, with its effect on the status."""
    x = Node(raw, file, path, fields.problems)
    effect = x.text("effect")
    if effect and effect not in EFFECTS:
        x.fail("effect", f"must be one of {', '.join(EFFECTS)}")
    when = fields.condition(x, "when", x.get("when", (dict, str)))
    citation = fields.citation(x.child("citation", required=parent is None), parent)
    rule = ExceptionRule(x.text("id"), effect, when, x.text("because"), citation,  # type: ignore[arg-type]
                         x.text("would_change", False))
    x.done()
    return rule if citation is not None else None


def read_definitions(fields: Fields) -> tuple[dict[str, Element], dict[str, ExceptionRule]]:
    """Elements and exceptions that several provisions share (``uses: id``)."""
    elements: dict[str, Element] = {}
    exceptions: dict[str, ExceptionRule] = {}
    for path in fields.files.folder("definitions"):
        top = fields.files.node(path)
        top.text("title")
        top.text("plain", False)
        parent = fields.citation(top.child("citation"))
        for epath, raw in top.items("elements", required=False):
            element = read_element(fields, raw, top.file, epath, parent)
            if element is None:
                continue
            if element.id in elements:
                top.fail(epath, f"element id '{element.id}' is already defined")
            elements[element.id] = element
        for xpath, raw in top.items("exceptions", required=False):
            rule = read_exception(fields, raw, top.file, xpath, parent)
            if rule is None:
                continue
            if rule.id in exceptions:
                top.fail(xpath, f"exception id '{rule.id}' is already defined")
            exceptions[rule.id] = rule
        top.done()
    return elements, exceptions


def read_provisions(
    fields: Fields,
    definitions: dict[str, Element],
    shared_exceptions: dict[str, ExceptionRule],
    gate_text: dict[str, str],
    meta: Meta,
) -> tuple[list[Provision], dict[str, Element]]:
    """Every offence and order, each with its gates; and every element by key ("definition-id" or "provision-id/element-id")."""
    provisions: list[Provision] = []
    elements = dict(definitions)
    for folder, kinds in (("offences", ("offence", "breach_offence", "civil_claim")), ("orders", ("order",))):
        for path in fields.files.folder(folder):
            top = fields.files.node(path)
            pid = top.text("id")
            if pid and pid != path.stem:
                top.fail("id", f"must match the file name '{path.stem}'")
            kind = top.text("kind")
            if kind and kind not in kinds:
                top.fail("kind", f"in {folder}/ must be one of {', '.join(kinds)}")
            citation = fields.citation(top.child("citation"), statute=True)
            element_keys: list[str] = []
            for epath, raw in top.items("elements"):
                if isinstance(raw, dict) and set(raw) == {"uses"}:
                    ref = raw["uses"]
                    if ref not in definitions:
                        fields.problems.append(KnowledgeProblem(top.file, f"{epath}.uses", f"unknown definition '{ref}'"))
                    else:
                        element_keys.append(ref)
                    continue
                element = read_element(fields, raw, top.file, epath, citation)
                if element is None:
                    continue
                key = f"{pid}/{element.id}"
                if key in elements:
                    top.fail(epath, f"element id '{element.id}' is used twice")
                elements[key] = element
                element_keys.append(key)
            exceptions: list[ExceptionRule] = []
            for xpath, raw in top.items("exceptions", required=False):
                if isinstance(raw, dict) and set(raw) == {"uses"}:
                    shared = shared_exceptions.get(raw["uses"])
                    if shared is None:
                        fields.problems.append(KnowledgeProblem(top.file, f"{xpath}.uses", f"unknown shared exception '{raw['uses']}'"))
                    else:
                        exceptions.append(shared)
                    continue
                rule = read_exception(fields, raw, top.file, xpath, citation)
                if rule is not None:
                    exceptions.append(rule)
            extent = tuple(str(e) for e in top.get("extent", list, default=[]))
            for e in extent:
                if e not in meta.extent_names:
                    top.fail("extent", f"'{e}' is not a place named in meta.yaml extent_names")
            in_force = None
            f = top.child("in_force", required=False)
            if f:
                in_force = InForce(f.get("from", dt.date), f.text("source"), f.text("verification"))
                f.done()
            time_limit = None
            tl = top.child("time_limit", required=False)
            if tl:
                tcit = fields.citation(tl.child("citation"), None)
                time_limit = read_time_limit(fields, tl, tcit)  # type: ignore[arg-type]
                tl.done()
            penalty = None
            mp = top.child("max_penalty", required=kind != "order" and kind != "civil_claim")
            if mp:
                penalty = Penalty(mp.text("text"), mp.text("verification"), mp.text("source"))
                mp.done()
            who: list[WhoApplies] = []
            for wpath, wraw in top.items("who_applies", required=kind == "order"):
                w = Node(wraw, top.file, wpath, fields.problems)
                wk = w.text("who")
                if wk and wk not in WHO:
                    w.fail("who", f"must be one of {', '.join(WHO)}")
                who.append(WhoApplies(wk, w.text("how")))
                w.done()
            provision = Provision(
                id=pid,
                kind=kind,
                title=top.text("title"),
                summary=top.text("summary"),
                citation=citation,  # type: ignore[arg-type]
                extent=extent,
                elements=tuple(element_keys),
                exceptions=(),
                mode_of_trial=top.text("mode_of_trial", kind in ("offence", "breach_offence")),
                max_penalty=penalty,
                in_force=in_force,
                time_limit=time_limit,
                builds_on=tuple(top.get("builds_on", list, False, [])),
                who_applies=tuple(who),
                next_steps=top.text("next_steps", False),
                related_services=tuple(top.get("related_services", list, False, [])),
                open_questions=tuple(" ".join(str(x).split()) for x in top.get("open_questions", list, False, [])),
                source_file=top.file,
            )
            if time_limit is not None:
                for key, needed_by in OPTIONAL_GATE_TEXTS.items():
                    if time_limit.kind == needed_by and key not in gate_text:
                        fields.problems.append(KnowledgeProblem(
                            "knowledge/meta.yaml", f"gate_text.{key}", f"is required: {top.file} has a time limit {needed_by}"))
            provision = replace(provision, exceptions=tuple(exceptions) + _gates(fields, provision, gate_text, meta))
            top.done()
            provisions.append(provision)
    ids = [p.id for p in provisions]
    for p in provisions:
        if ids.count(p.id) > 1:
            fields.problems.append(KnowledgeProblem(p.source_file, "id", f"'{p.id}' is used by more than one file"))
        for ref in p.builds_on:
            if ref not in ids:
                fields.problems.append(KnowledgeProblem(p.source_file, "builds_on", f"unknown provision '{ref}'"))
    return provisions, elements


def _gates(fields: Fields, provision: Provision, gate_text: dict[str, str], meta: Meta) -> tuple[ExceptionRule, ...]:
    try:
        return gates_for(provision, meta, gate_text, fields.questions)
    except ConditionError as exc:
        fields.problems.append(KnowledgeProblem("knowledge/meta.yaml", "extent_names", exc.message))
        return ()


def read_time_limit(fields: Fields, tl: Node, citation: Citation) -> TimeLimit:
    """A time limit: months from the last incident; from the prosecutor's knowledge, with a long
    stop; or from a dated answer (``from_answer``, a date question), with a long stop."""
    kind = tl.text("kind", False) or "from_last_incident"
    if kind not in TIME_LIMIT_KINDS:
        tl.fail("kind", f"must be one of {', '.join(TIME_LIMIT_KINDS)}")
    months = tl.get("months", int)
    long_stop = tl.get("long_stop_months", int, False)
    if kind in ("from_prosecutor_knowledge", "from_dated_answer") and long_stop is None:
        tl.fail("long_stop_months", f"is required when kind is {kind}")
    if kind == "from_last_incident" and long_stop is not None:
        tl.fail("long_stop_months", "only applies when kind is from_prosecutor_knowledge or from_dated_answer")
    from_answer = tl.text("from_answer", kind == "from_dated_answer")
    if from_answer and kind != "from_dated_answer":
        tl.fail("from_answer", "only applies when kind is from_dated_answer")
    elif from_answer:
        question = fields.questions.get(from_answer)
        if question is None or question.type != "date":
            tl.fail("from_answer", f"'{from_answer}' is not a date question")
    earlier_before = earlier_months = None
    earlier_plain = ""
    earlier = tl.child("earlier_rule", required=False)
    if earlier:
        earlier_before = earlier.get("before", dt.date)
        earlier_months = earlier.get("months", int)
        earlier_plain = earlier.text("plain")
        earlier.done()
    return TimeLimit(months, tl.text("plain"), citation, tl.text("after", False), kind, long_stop,
                     earlier_before, earlier_months, earlier_plain, from_answer)
