"""The questionnaire: questions and their options, list columns, pages, ``ask_when`` and named sets.

Questions are read first, since every condition elsewhere is checked against them. An
``ask_when`` or a column's ``options_from`` may name a question of a later file, so both
wait (``Pending``) until every question is known.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import replace

from .. import course_of_conduct
from ..conditions import NamedSets
from ..model import ItemField
from ..model import Option
from ..model import Question
from ..model import Section
from .fields import Fields
from .read import KnowledgeProblem
from .read import Node

QUESTION_TYPES = ("boolean", "choice", "multi_choice", "date", "integer", "text", "incidents")
ITEM_TYPES = ("boolean", "choice", "multi_choice", "date", "integer", "text")
_PAGE_ID = re.compile(r"[a-z][a-z0-9_]*")

#: What waits until every question is known: (where, "ask_when" or "options_from", what).
Pending = list[tuple[Node, str, t.Any]]


def read_options(node: Node, key: str) -> tuple[Option, ...]:
    out = []
    for path, raw in node.items(key, required=False):
        o = Node(raw, node.file, path, node.problems)
        out.append(Option(o.text("id"), o.text("label"), o.text("hint", False),
                          bool(o.get("exclusive", bool, False, False)), o.text("means", False),
                          tuple(str(x) for x in o.get("rules_out", list, False, []))))
        o.done()
    ids = [o.id for o in out]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        node.fail(key, f"option '{dup}' appears twice")
    return tuple(out)


def read_questions(fields: Fields, files: list[str]) -> tuple[list[Question], list[Section], Pending]:
    """The questions of each section file meta.yaml names, in order, and what waits for them all."""
    questions: list[Question] = []
    sections: list[Section] = []
    pending: Pending = []  # ask_when parsed once all questions are known
    for name in files:
        path = fields.files.root / "questions" / f"{name}.yaml"
        data = fields.files.read(path)
        if data is None:
            continue
        top = Node(data, fields.files.rel(path), "", fields.problems)
        sec = top.child("section")
        sec_id, sec_title = (sec.text("id"), sec.text("title")) if sec else ("", "")
        if sec:
            sec.done()
        ids = []
        for qpath, raw in top.items("questions"):
            question = _read_question(Node(raw, top.file, qpath, fields.problems), sec_id, len(questions), pending)
            questions.append(question)
            ids.append(question.id)
        top.done()
        sections.append(Section(sec_id, sec_title, tuple(ids)))
    return questions, sections, pending


def _read_question(q: Node, sec_id: str, index: int, pending: Pending) -> Question:
    qtype = q.text("type")
    if qtype and qtype not in QUESTION_TYPES:
        q.fail("type", f"must be one of {', '.join(QUESTION_TYPES)}")
    options = read_options(q, "options")
    if qtype in ("choice", "multi_choice") and not options:
        q.fail("options", f"a {qtype} question needs options")
    fields: list[ItemField] = []
    for fpath, fraw in q.items("item_fields", required=qtype == "incidents"):
        f = Node(fraw, q.file, fpath, q.problems)
        ftype = f.text("type")
        if ftype and ftype not in ITEM_TYPES:
            f.fail("type", f"must be one of {', '.join(ITEM_TYPES)}")
        fields.append(ItemField(f.text("id"), f.text("label"), ftype, bool(f.get("required", bool, False, False)),
                                read_options(f, "options"), f.text("hint", False)))
        options_from = f.text("options_from", False)  # a list column sharing a question's options
        if options_from:
            pending.append((f, "options_from", (index, len(fields) - 1, options_from)))
        f.done()
    question = Question(
        id=q.text("id"),
        section=sec_id,
        text=q.text("text"),
        type=qtype,
        why=q.text("why"),
        hint=q.text("hint", False),
        options=options,
        minimum=q.get("minimum", int, False),
        maximum=q.get("maximum", int, False),
        at_most_answer=q.text("at_most_answer", False),
        not_before_answer=q.text("not_before_answer", False),
        item_fields=tuple(fields),
        max_items=q.get("max_items", int, False, 0),
        staff_label=q.text("staff_label", False),
        source_file=q.file,
        page=q.text("page", False),
    )
    if question.page and not _PAGE_ID.fullmatch(question.page):
        q.fail("page", "must be a page id: lower-case letters, digits and underscores")
    if "ask_when" in q.data:
        pending.append((q, "ask_when", (index, q.data["ask_when"])))
    q.seen.add("ask_when")
    q.done()
    return question


def resolve_pending(fields: Fields, questions: list[Question], pending: Pending) -> None:
    """Parse each ``ask_when`` and fill each ``options_from``, now every question is known (in place)."""
    for node, key, payload in pending:
        if key == "ask_when":
            index, raw = payload
            questions[index] = replace(questions[index], ask_when=fields.condition(node, key, raw))
        else:
            qindex, findex, ref = payload
            source = fields.questions.get(ref)
            if source is None or not source.options:
                node.fail(key, f"'{ref}' is not a question with options")
                continue
            q = questions[qindex]
            item_fields = list(q.item_fields)
            item_fields[findex] = replace(item_fields[findex], options=source.options)
            questions[qindex] = replace(q, item_fields=tuple(item_fields))


def check_questions(problems: list[KnowledgeProblem], questions: list[Question]) -> None:
    """Ids are unique; the arithmetic's questions exist with their types; every reference is to a question that fits."""
    seen: dict[str, str] = {}
    for q in questions:
        if q.id in seen:
            problems.append(KnowledgeProblem(q.source_file, q.id, f"question id already used in {seen[q.id]}"))
        seen[q.id] = q.source_file
    by_id = {q.id: q for q in questions}
    for qid, qtype in course_of_conduct.QUESTION_TYPES.items():
        needed = by_id.get(qid)
        if needed is None:
            problems.append(KnowledgeProblem("knowledge/questions", qid,
                                             f"the course-of-conduct arithmetic needs a {qtype} question '{qid}'"))
        elif needed.type != qtype:
            problems.append(KnowledgeProblem(needed.source_file, qid, f"must be of type {qtype}, not {needed.type}"))
    incidents = by_id.get("incidents")
    if incidents is not None:
        fields = {f.id: f for f in incidents.item_fields}
        for fid, ftype in course_of_conduct.INCIDENT_FIELD_TYPES.items():
            if fid not in fields or fields[fid].type != ftype:
                problems.append(KnowledgeProblem(incidents.source_file, f"incidents.item_fields.{fid}", f"needs a {ftype} field '{fid}'"))
    for q in questions:
        for ref in (q.at_most_answer, q.not_before_answer):
            if ref and ref not in by_id:
                problems.append(KnowledgeProblem(q.source_file, q.id, f"refers to unknown question '{ref}'"))
        for option in q.options:
            where = f"{q.id}.options.{option.id}"
            if option.means and (option.means not in by_id or by_id[option.means].type != "boolean"):
                problems.append(KnowledgeProblem(q.source_file, f"{where}.means",
                                                 f"'{option.means}' is not a yes/no question"))
            for ref in option.rules_out:
                target = by_id.get(ref)
                if target is None or not (target.type == "boolean" or any(o.exclusive for o in target.options)):
                    problems.append(KnowledgeProblem(
                        q.source_file, f"{where}.rules_out",
                        f"'{ref}' is not a yes/no question or a list with a 'none of these' option"))


def check_pages(problems: list[KnowledgeProblem], questions: list[Question], danger_question: str) -> None:
    """A page id groups questions of one section file (presentation only); the
    danger question takes no page group: the app asks it first, with its own section's
    questions that have none, and a yes interrupts whatever else the page holds."""
    files: dict[str, str] = {}
    for q in questions:
        if not q.page:
            continue
        if q.id == danger_question:
            problems.append(KnowledgeProblem(q.source_file, f"{q.id}.page",
                                             "the danger question takes no page group: the app always asks it first"))
        first = files.setdefault(q.page, q.source_file)
        if first != q.source_file:
            problems.append(KnowledgeProblem(q.source_file, f"{q.id}.page",
                                             f"page '{q.page}' is already used in {first}: a page groups questions of one section file"))
    # An option that means or rules out another question's answer would let one page
    # hold two answers that contradict each other: such questions are asked apart.
    page_of = {q.id: q.page for q in questions}
    for q in questions:
        for option in q.options if q.page else ():
            for ref in (option.means, *option.rules_out):
                if ref and page_of.get(ref) == q.page:
                    problems.append(KnowledgeProblem(
                        q.source_file, f"{q.id}.page",
                        f"'{ref}' is on page '{q.page}' too, but option '{option.id}' answers it: ask them on separate pages"))


def read_sets(fields: Fields) -> NamedSets:
    """Lists of options used in several conditions, each defined once (knowledge/sets.yaml)."""
    path = fields.files.root / "sets.yaml"
    if not path.exists():
        return {}
    top = fields.files.node(path)
    named: dict[str, tuple[str, tuple[str, ...]]] = {}
    for spath, raw in top.items("sets"):
        n = Node(raw, top.file, spath, fields.problems)
        set_id, question_id = n.text("id"), n.text("question")
        n.text("plain")
        options = tuple(str(o) for o in n.get("options", list, default=[]))
        question = fields.questions.get(question_id)
        if question is None:
            n.fail("question", f"unknown question '{question_id}'")
        else:
            known_options = {o.id for o in question.options}
            for option in options:
                if option not in known_options:
                    n.fail("options", f"'{option}' is not an option of '{question_id}'")
        if set_id in named:
            n.fail("id", f"set '{set_id}' is defined twice")
        named[set_id] = (question_id, options)
        n.done()
    top.done()
    return named
