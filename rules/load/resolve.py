"""load_knowledge(): the stages in order, the cross-references between them, the frozen KnowledgeBase.

meta.yaml first (it names the question files and words the gates), then the questions
(every condition is checked against them), the named sets, the provisions with their
shared definitions and generated gates, then the help. What refers across files (a
provision's services, a place's services) is checked last. Every problem of every stage is
reported together; nothing is returned unless there are none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..gates import GATE_TEXTS
from ..gates import OPTIONAL_GATE_TEXTS
from ..model import KnowledgeBase
from ..model import Meta
from . import help
from . import provisions as law
from . import questions as questionnaire
from .fields import Fields
from .read import Files
from .read import KnowledgeError
from .read import KnowledgeProblem
from .read import unreadable_first

STATUSES = ("may_apply", "borderline", "not_met", "unknown", "out_of_time")


def _default_path() -> Path:
    """The shipped knowledge: rules/knowledge/ when installed (package data), else knowledge/ in a checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "knowledge"
    return installed if (installed / "meta.yaml").is_file() else here.parent / "knowledge"


DEFAULT_PATH = _default_path()


def load_knowledge(path: str | Path | None = None, *, services: str | Path | None = None) -> KnowledgeBase:
    """Load, validate and cross-check the knowledge files (``knowledge/`` by default).

    ``services`` names a deployment's own folder of service files (the shape of
    knowledge/services/): each is added to the shipped services, or replaces the one with
    the same file name, and is checked like them. Raises KnowledgeError listing every
    problem found, each with its file and key.
    """
    root = Path(path) if path is not None else DEFAULT_PATH
    extra = Path(services).resolve() if services is not None else None
    return resolve(Fields(Files(root.resolve(), extra), dt.date.today()))


def read_meta(fields: Fields) -> tuple[Meta, list[str], dict[str, str]]:
    """meta.yaml: the knowledge version and wording, the question files in order, the gates' wording."""
    path = fields.files.root / "meta.yaml"
    node = fields.files.node(path)
    status = node.child("status_text")
    status_text = {}
    if status:
        for s in STATUSES:
            status_text[s] = status.text(s)
        status.done()
    gates = node.child("gate_text")
    gate_text = {}
    if gates:
        for g in GATE_TEXTS:
            gate_text[g] = gates.text(g)
        for g in OPTIONAL_GATE_TEXTS:  # required only by a provision that needs it (provisions.py)
            if gates.text(g, required=False):
                gate_text[g] = gates.text(g)
        gates.done()
    extent = node.get("extent_names", dict, default={})
    meta = Meta(
        knowledge_version=node.text("knowledge_version"),
        law_as_at=node.get("law_as_at", dt.date, default=dt.date(2000, 1, 1)),
        notice=node.text("notice"),
        emergency=node.text("emergency"),
        emergency_silent=node.text("emergency_silent"),
        danger_question=node.text("danger_question"),
        place_question=node.text("place_question"),
        extent_names={str(k): str(v) for k, v in extent.items()},
        status_text=status_text,
        near_deadline_days=node.get("near_deadline_days", int, default=28),
        what_to_do_now=tuple(" ".join(str(x).split()) for x in node.get("what_to_do_now", list, default=[])),
    )
    files = [str(f) for f in node.get("question_files", list, default=[])]
    node.done()
    version = meta.knowledge_version.split(".")
    if len(version) != 3 or not all(p.isdigit() for p in version):
        node.fail("knowledge_version", "must be MAJOR.MINOR.PATCH, for example 1.0.0")
    return meta, files, gate_text


def resolve(fields: Fields) -> KnowledgeBase:
    """Run every stage over the files, check what refers across them, and freeze the result."""
    problems = fields.problems
    meta, files, gate_text = read_meta(fields)
    questions, sections, pending = questionnaire.read_questions(fields, files)
    questionnaire.check_questions(problems, questions)
    fields.questions = {q.id: q for q in questions}
    fields.sets = questionnaire.read_sets(fields)
    questionnaire.resolve_pending(fields, questions, pending)
    fields.questions = {q.id: q for q in questions}
    for name in (meta.danger_question, meta.place_question):
        if name and name not in fields.questions:
            problems.append(KnowledgeProblem("knowledge/meta.yaml", name, "names a question that does not exist"))
    questionnaire.check_pages(problems, questions, meta.danger_question)

    definitions, shared_exceptions = law.read_definitions(fields)
    provisions, elements = law.read_provisions(fields, definitions, shared_exceptions, gate_text, meta)
    groups, signs = help.read_signs(fields)
    services = help.read_services(fields)
    safety_advice = help.read_safety_advice(fields)
    jurisdictions = help.read_jurisdictions(fields)
    risk = help.read_risk(fields)

    service_ids = {s.id for s in services}
    for p in provisions:
        for sid in p.related_services:
            if sid not in service_ids:
                problems.append(KnowledgeProblem(p.source_file, "related_services", f"unknown service '{sid}'"))
    for j in jurisdictions:
        for sid in j.services:
            if sid not in service_ids:
                problems.append(KnowledgeProblem(f"knowledge/jurisdictions/{j.id}.yaml", "services", f"unknown service '{sid}'"))
    if problems:
        raise KnowledgeError(unreadable_first(problems))
    return KnowledgeBase(
        meta=meta,
        questions=tuple(questions),
        sections=tuple(sections),
        elements=elements,
        provisions=tuple(provisions),
        sign_groups=tuple(groups),
        signs=tuple(signs),
        services=tuple(sorted(services, key=lambda s: (s.order, s.name))),
        jurisdictions=tuple(jurisdictions),
        risk=risk,
        safety_advice=tuple(safety_advice),
    )
