"""Load knowledge/ into a validated, cross-checked, frozen KnowledgeBase.

Everything that can be wrong in a knowledge file is found here, at load, and reported
together: each problem names the file, the key path inside it and what is wrong. A
condition that names an unknown question, option or fact is a load error, never a run
error. Metadata that nothing checks goes wrong without anyone noticing, so citations must
have real dates, https addresses (legislation.gov.uk for statutes) and a known
verification level.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t
from dataclasses import dataclass
from dataclasses import replace
from pathlib import Path

import yaml

from . import course_of_conduct
from . import strict_yaml
from .conditions import ALWAYS
from .conditions import Case
from .conditions import Condition
from .conditions import ConditionError
from .conditions import parse_condition
from .model import TIME_LIMIT_KINDS
from .model import VERIFICATION_LEVELS
from .model import AdviceFit
from .model import Citation
from .model import Contact
from .model import Element
from .model import ExceptionRule
from .model import InForce
from .model import ItemField
from .model import Jurisdiction
from .model import KnowledgeBase
from .model import Meta
from .model import Option
from .model import Outcome
from .model import Pathway
from .model import Penalty
from .model import Provision
from .model import Question
from .model import Risk
from .model import RiskIndicator
from .model import RiskLevel
from .model import SafetyAdvice
from .model import Section
from .model import Service
from .model import Sign
from .model import SignGroup
from .model import TimeLimit
from .model import WhoApplies


def _default_path() -> Path:
    """The shipped knowledge: rules/knowledge/ when installed (package data), else knowledge/ in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "knowledge"
    return installed if (installed / "meta.yaml").is_file() else here.parent / "knowledge"


DEFAULT_PATH = _default_path()
QUESTION_TYPES = ("boolean", "choice", "multi_choice", "date", "integer", "text", "incidents")
ITEM_TYPES = ("boolean", "choice", "multi_choice", "date", "integer", "text")
OUTCOME_STATUSES = ("met", "doubtful", "not_met")
EFFECTS = ("not_met", "borderline")
WHO = ("person", "police", "court", "others")
CONTACT_KINDS = ("phone", "text", "web", "email")
_PAGE_ID = re.compile(r"[a-z][a-z0-9_]*")
_ADVICE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class KnowledgeProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge files are broken. ``problems`` lists every problem found."""

    def __init__(self, problems: list[KnowledgeProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n{lines}")


class _Node:
    """A mapping read from YAML that records what is missing, mistyped or unknown."""

    def __init__(self, data: t.Any, file: str, path: str, problems: list[KnowledgeProblem]) -> None:
        self.file = file
        self.path = path
        self.problems = problems
        self.seen: set[str] = set()
        if not isinstance(data, dict):
            self.fail("", f"expected a mapping, got {type(data).__name__}")
            data = {}
        self.data: dict[str, t.Any] = data

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, message: str) -> None:
        self.problems.append(KnowledgeProblem(self.file, self.key(name) if name else self.path, message))

    def get(self, name: str, kind: type | tuple[type, ...], required: bool = True, default: t.Any = None) -> t.Any:
        self.seen.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail(name, "is required")
            return default
        value = self.data[name]
        if kind is int and isinstance(value, bool):
            self.fail(name, f"expected a whole number, got {value!r}")
            return default
        if kind is dt.date and isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, kind):
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            self.fail(name, f"expected {_describe(names)}, got {value!r}")
            return default
        if isinstance(value, str) and not value.strip():
            if required:
                self.fail(name, "must not be empty")
            return default
        return value

    def text(self, name: str, required: bool = True) -> str:
        value = self.get(name, str, required, "")
        return " ".join(value.split()) if value else ""

    def child(self, name: str, required: bool = True) -> _Node | None:
        value = self.get(name, dict, required)
        return None if value is None else _Node(value, self.file, self.key(name), self.problems)

    def items(self, name: str, required: bool = True) -> list[tuple[str, t.Any]]:
        """A list (or a single mapping standing for a list of one), with each item's path."""
        self.seen.add(name)
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, "is required")
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.fail(name, "expected a list")
            return []
        return [(f"{self.key(name)}[{i}]", item) for i, item in enumerate(value)]

    def done(self) -> None:
        for extra in sorted(set(self.data) - self.seen):
            self.fail(extra, "is not a known key here (check the spelling; knowledge/README.md lists the keys)")


def _unreadable_first(problems: list[KnowledgeProblem]) -> list[KnowledgeProblem]:
    """A file that cannot be read reports only that: what it then seems to lack is noise."""
    unreadable = {p.file for p in problems if p.message.startswith(("not valid YAML", "file not found"))}
    return [p for p in problems
            if p.file not in unreadable or p.message.startswith(("not valid YAML", "file not found"))]


def _describe(names: str) -> str:
    return {
        "str": "text",
        "int": "a whole number",
        "date": "a date (YYYY-MM-DD)",
        "dict": "a mapping",
        "list": "a list",
        "bool": "true or false",
    }.get(names, names)


class _Loader:
    def __init__(self, root: Path, services: Path | None = None) -> None:
        self.root = root
        self.extra_services = services
        self.problems: list[KnowledgeProblem] = []
        self.today = dt.date.today()
        self.named_sets: dict[str, tuple[str, tuple[str, ...]]] = {}

    # -- files -------------------------------------------------------------------------
    def read(self, path: Path) -> t.Any:
        rel = str(path.relative_to(self.root.parent)) if path.is_relative_to(self.root.parent) else str(path)
        try:
            with path.open(encoding="utf-8") as handle:
                return strict_yaml.load(handle)
        except FileNotFoundError:
            self.problems.append(KnowledgeProblem(rel, "", "file not found"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            self.problems.append(KnowledgeProblem(rel, where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def folder(self, name: str) -> list[Path]:
        folder = self.root / name
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []

    def service_files(self) -> list[Path]:
        """knowledge/services/, with a deployment's own folder over it: a file of the same name replaces one."""
        files = {path.name: path for path in self.folder("services")}
        if self.extra_services is not None:
            if not self.extra_services.is_dir():
                self.problems.append(KnowledgeProblem(str(self.extra_services), "", "the services folder does not exist"))
            else:
                files.update({path.name: path for path in sorted(self.extra_services.glob("*.yaml"))})
        return [files[name] for name in sorted(files)]

    # -- shared pieces -----------------------------------------------------------------
    def citation(self, node: _Node | None, parent: Citation | None = None, statute: bool = False) -> Citation | None:
        if node is None:
            return parent
        title = node.text("title", required=parent is None) or (parent.title if parent else "")
        url = node.text("url", required=parent is None) or (parent.url if parent else "")
        verification = node.text("verification", required=parent is None) or (parent.verification if parent else "")
        checked_on = node.get("checked_on", dt.date, required=parent is None) or (parent.checked_on if parent else None)
        section = node.text("section", required=False)
        note = node.text("note", required=False)
        node.done()
        if url and (not url.startswith("https://") or " " in url):
            node.fail("url", f"must be an https:// address without spaces, got {url!r}")
        if statute and url and not url.startswith("https://www.legislation.gov.uk/"):
            node.fail("url", "a statute is cited by its https://www.legislation.gov.uk/ address")
        if verification and verification not in VERIFICATION_LEVELS:
            node.fail("verification", f"must be one of {', '.join(VERIFICATION_LEVELS)}, got {verification!r}")
        self.check_date(node, "checked_on", checked_on)
        if not (title and url and verification and checked_on):
            return None
        return Citation(title, url, verification, checked_on, section, note)

    def check_date(self, node: _Node, key: str, value: dt.date | None) -> None:
        if value is not None and (value > self.today or value.year < 1990):
            node.fail(key, f"{value.isoformat()} cannot be a date it was checked on")

    def condition(self, node: _Node, key: str, value: t.Any) -> Condition:
        try:
            return parse_condition(value, self.questions_by_id, course_of_conduct.FACTS, "", self.named_sets)
        except ConditionError as exc:
            node.fail(f"{key}{exc.path}", exc.message)
            return ALWAYS

    # -- meta ---------------------------------------------------------------------------
    def meta(self) -> tuple[Meta, list[str], dict[str, str]]:
        path = self.root / "meta.yaml"
        node = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
        status = node.child("status_text")
        status_text = {}
        if status:
            for s in ("may_apply", "borderline", "not_met", "unknown", "out_of_time"):
                status_text[s] = status.text(s)
            status.done()
        gates = node.child("gate_text")
        gate_text = {}
        if gates:
            for g in ("outside_extent", "before_commencement", "straddles_commencement", "time_limit_passed",
                      "long_stop_passed"):
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

    # -- questions ------------------------------------------------------------------------
    def options(self, node: _Node, key: str) -> tuple[Option, ...]:
        out = []
        for path, raw in node.items(key, required=False):
            o = _Node(raw, node.file, path, self.problems)
            out.append(Option(o.text("id"), o.text("label"), o.text("hint", False),
                              bool(o.get("exclusive", bool, False, False)), o.text("means", False),
                              tuple(str(x) for x in o.get("rules_out", list, False, []))))
            o.done()
        ids = [o.id for o in out]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            node.fail(key, f"option '{dup}' appears twice")
        return tuple(out)

    def questions(self, files: list[str]) -> tuple[list[Question], list[Section], list[tuple[_Node, str, t.Any]]]:
        questions: list[Question] = []
        sections: list[Section] = []
        pending: list[tuple[_Node, str, t.Any]] = []  # ask_when parsed once all questions are known
        for name in files:
            path = self.root / "questions" / f"{name}.yaml"
            data = self.read(path)
            if data is None:
                continue
            top = _Node(data, self.rel(path), "", self.problems)
            sec = top.child("section")
            sec_id, sec_title = (sec.text("id"), sec.text("title")) if sec else ("", "")
            if sec:
                sec.done()
            ids = []
            for qpath, raw in top.items("questions"):
                q = _Node(raw, top.file, qpath, self.problems)
                qtype = q.text("type")
                if qtype and qtype not in QUESTION_TYPES:
                    q.fail("type", f"must be one of {', '.join(QUESTION_TYPES)}")
                options = self.options(q, "options")
                if qtype in ("choice", "multi_choice") and not options:
                    q.fail("options", f"a {qtype} question needs options")
                fields: list[ItemField] = []
                for fpath, fraw in q.items("item_fields", required=qtype == "incidents"):
                    f = _Node(fraw, top.file, fpath, self.problems)
                    ftype = f.text("type")
                    if ftype and ftype not in ITEM_TYPES:
                        f.fail("type", f"must be one of {', '.join(ITEM_TYPES)}")
                    fields.append(ItemField(f.text("id"), f.text("label"), ftype, bool(f.get("required", bool, False, False)),
                                            self.options(f, "options"), f.text("hint", False)))
                    options_from = f.text("options_from", False)  # a list column sharing a question's options
                    if options_from:
                        pending.append((f, "options_from", (len(questions), len(fields) - 1, options_from)))
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
                    source_file=top.file,
                    page=q.text("page", False),
                )
                if question.page and not _PAGE_ID.fullmatch(question.page):
                    q.fail("page", "must be a page id: lower-case letters, digits and underscores")
                if "ask_when" in q.data:
                    pending.append((q, "ask_when", (len(questions), q.data["ask_when"])))
                q.seen.add("ask_when")
                q.done()
                questions.append(question)
                ids.append(question.id)
            top.done()
            sections.append(Section(sec_id, sec_title, tuple(ids)))
        return questions, sections, pending

    def check_questions(self, questions: list[Question]) -> None:
        seen: dict[str, str] = {}
        for q in questions:
            if q.id in seen:
                self.problems.append(KnowledgeProblem(q.source_file, q.id, f"question id already used in {seen[q.id]}"))
            seen[q.id] = q.source_file
        by_id = {q.id: q for q in questions}
        for qid, qtype in course_of_conduct.QUESTION_TYPES.items():
            needed = by_id.get(qid)
            if needed is None:
                self.problems.append(KnowledgeProblem("knowledge/questions", qid,
                                                      f"the course-of-conduct arithmetic needs a {qtype} question '{qid}'"))
            elif needed.type != qtype:
                self.problems.append(KnowledgeProblem(needed.source_file, qid, f"must be of type {qtype}, not {needed.type}"))
        incidents = by_id.get("incidents")
        if incidents is not None:
            fields = {f.id: f for f in incidents.item_fields}
            for fid, ftype in course_of_conduct.INCIDENT_FIELD_TYPES.items():
                if fid not in fields or fields[fid].type != ftype:
                    self.problems.append(KnowledgeProblem(incidents.source_file, f"incidents.item_fields.{fid}", f"needs a {ftype} field '{fid}'"))
        for q in questions:
            for ref in (q.at_most_answer, q.not_before_answer):
                if ref and ref not in by_id:
                    self.problems.append(KnowledgeProblem(q.source_file, q.id, f"refers to unknown question '{ref}'"))
            for option in q.options:
                where = f"{q.id}.options.{option.id}"
                if option.means and (option.means not in by_id or by_id[option.means].type != "boolean"):
                    self.problems.append(KnowledgeProblem(q.source_file, f"{where}.means",
                                                          f"'{option.means}' is not a yes/no question"))
                for ref in option.rules_out:
                    target = by_id.get(ref)
                    if target is None or not (target.type == "boolean" or any(o.exclusive for o in target.options)):
                        self.problems.append(KnowledgeProblem(
                            q.source_file, f"{where}.rules_out",
                            f"'{ref}' is not a yes/no question or a list with a 'none of these' option"))

    def check_pages(self, questions: list[Question], danger_question: str) -> None:
        """A page id groups questions of one section file (presentation only); the
        danger question is always asked on its own page."""
        files: dict[str, str] = {}
        for q in questions:
            if not q.page:
                continue
            if q.id == danger_question:
                self.problems.append(KnowledgeProblem(q.source_file, f"{q.id}.page",
                                                      "the danger question is always asked on its own page"))
            first = files.setdefault(q.page, q.source_file)
            if first != q.source_file:
                self.problems.append(KnowledgeProblem(q.source_file, f"{q.id}.page",
                                                      f"page '{q.page}' is already used in {first}: a page groups questions of one section file"))
        # An option that means or rules out another question's answer would let one page
        # hold two answers that contradict each other: such questions are asked apart.
        page_of = {q.id: q.page for q in questions}
        for q in questions:
            for option in q.options if q.page else ():
                for ref in (option.means, *option.rules_out):
                    if ref and page_of.get(ref) == q.page:
                        self.problems.append(KnowledgeProblem(
                            q.source_file, f"{q.id}.page",
                            f"'{ref}' is on page '{q.page}' too, but option '{option.id}' answers it: ask them on separate pages"))

    # -- elements and provisions -----------------------------------------------------------
    def element(self, raw: t.Any, file: str, path: str, parent: Citation | None) -> Element | None:
        node = _Node(raw, file, path, self.problems)
        citation = self.citation(node.child("citation", required=parent is None), parent)
        outcomes: list[Outcome] = []
        met_whens: list[Condition] = []
        for status in OUTCOME_STATUSES:
            for opath, oraw in node.items(status, required=status == "met"):
                o = _Node(oraw, file, opath, self.problems)
                when_raw = o.data.get("when")
                o.seen.add("when")
                if when_raw is None:
                    o.fail("when", "is required")
                    continue
                if when_raw == "otherwise":
                    if status != "not_met":
                        o.fail("when", "'otherwise' is only for not_met: it means every 'met' condition is known to fail")
                        continue
                    when = _otherwise(met_whens)
                else:
                    when = self.condition(o, "when", when_raw)
                because = o.text("because")
                ocit = self.citation(o.child("citation", required=False), citation) if "citation" in o.data else None
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

    def exception(self, raw: t.Any, file: str, path: str, parent: Citation | None) -> ExceptionRule | None:
        x = _Node(raw, file, path, self.problems)
        effect = x.text("effect")
        if effect and effect not in EFFECTS:
            x.fail("effect", f"must be one of {', '.join(EFFECTS)}")
        when = self.condition(x, "when", x.get("when", (dict, str)))
        citation = self.citation(x.child("citation", required=parent is None), parent)
        rule = ExceptionRule(x.text("id"), effect, when, x.text("because"), citation,  # type: ignore[arg-type]
                             x.text("would_change", False))
        x.done()
        return rule if citation is not None else None

    def definitions(self) -> tuple[dict[str, Element], dict[str, ExceptionRule]]:
        """Elements and exceptions that several provisions share (``uses: id``)."""
        elements: dict[str, Element] = {}
        exceptions: dict[str, ExceptionRule] = {}
        for path in self.folder("definitions"):
            top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
            top.text("title")
            top.text("plain", False)
            parent = self.citation(top.child("citation"))
            for epath, raw in top.items("elements", required=False):
                element = self.element(raw, top.file, epath, parent)
                if element is None:
                    continue
                if element.id in elements:
                    top.fail(epath, f"element id '{element.id}' is already defined")
                elements[element.id] = element
            for xpath, raw in top.items("exceptions", required=False):
                rule = self.exception(raw, top.file, xpath, parent)
                if rule is None:
                    continue
                if rule.id in exceptions:
                    top.fail(xpath, f"exception id '{rule.id}' is already defined")
                exceptions[rule.id] = rule
            top.done()
        return elements, exceptions

    def provisions(
        self,
        definitions: dict[str, Element],
        shared_exceptions: dict[str, ExceptionRule],
        gate_text: dict[str, str],
        meta: Meta,
    ) -> tuple[list[Provision], dict[str, Element]]:
        provisions: list[Provision] = []
        elements = dict(definitions)
        for folder, kinds in (("offences", ("offence", "breach_offence", "civil_claim")), ("orders", ("order",))):
            for path in self.folder(folder):
                top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
                pid = top.text("id")
                if pid and pid != path.stem:
                    top.fail("id", f"must match the file name '{path.stem}'")
                kind = top.text("kind")
                if kind and kind not in kinds:
                    top.fail("kind", f"in {folder}/ must be one of {', '.join(kinds)}")
                citation = self.citation(top.child("citation"), statute=True)
                element_keys: list[str] = []
                for epath, raw in top.items("elements"):
                    if isinstance(raw, dict) and set(raw) == {"uses"}:
                        ref = raw["uses"]
                        if ref not in definitions:
                            self.problems.append(KnowledgeProblem(top.file, f"{epath}.uses", f"unknown definition '{ref}'"))
                        else:
                            element_keys.append(ref)
                        continue
                    element = self.element(raw, top.file, epath, citation)
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
                            self.problems.append(KnowledgeProblem(top.file, f"{xpath}.uses", f"unknown shared exception '{raw['uses']}'"))
                        else:
                            exceptions.append(shared)
                        continue
                    rule = self.exception(raw, top.file, xpath, citation)
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
                    tcit = self.citation(tl.child("citation"), None)
                    time_limit = self.time_limit(tl, tcit)  # type: ignore[arg-type]
                    tl.done()
                penalty = None
                mp = top.child("max_penalty", required=kind != "order" and kind != "civil_claim")
                if mp:
                    penalty = Penalty(mp.text("text"), mp.text("verification"), mp.text("source"))
                    mp.done()
                who: list[WhoApplies] = []
                for wpath, wraw in top.items("who_applies", required=kind == "order"):
                    w = _Node(wraw, top.file, wpath, self.problems)
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
                provision = replace(provision, exceptions=tuple(exceptions) + self.gates(provision, gate_text, meta))
                top.done()
                provisions.append(provision)
        ids = [p.id for p in provisions]
        for p in provisions:
            if ids.count(p.id) > 1:
                self.problems.append(KnowledgeProblem(p.source_file, "id", f"'{p.id}' is used by more than one file"))
            for ref in p.builds_on:
                if ref not in ids:
                    self.problems.append(KnowledgeProblem(p.source_file, "builds_on", f"unknown provision '{ref}'"))
        return provisions, elements

    def time_limit(self, tl: _Node, citation: Citation) -> TimeLimit:
        """A time limit: months from the last incident, or from the prosecutor's knowledge with a long stop."""
        kind = tl.text("kind", False) or "from_last_incident"
        if kind not in TIME_LIMIT_KINDS:
            tl.fail("kind", f"must be one of {', '.join(TIME_LIMIT_KINDS)}")
        months = tl.get("months", int)
        long_stop = tl.get("long_stop_months", int, False)
        if kind == "from_prosecutor_knowledge" and long_stop is None:
            tl.fail("long_stop_months", "is required when kind is from_prosecutor_knowledge")
        if kind == "from_last_incident" and long_stop is not None:
            tl.fail("long_stop_months", "only applies when kind is from_prosecutor_knowledge")
        earlier_before = earlier_months = None
        earlier_plain = ""
        earlier = tl.child("earlier_rule", required=False)
        if earlier:
            earlier_before = earlier.get("before", dt.date)
            earlier_months = earlier.get("months", int)
            earlier_plain = earlier.text("plain")
            earlier.done()
        return TimeLimit(months, tl.text("plain"), citation, tl.text("after", False), kind, long_stop,
                         earlier_before, earlier_months, earlier_plain)

    def gates(self, p: Provision, gate_text: dict[str, str], meta: Meta) -> tuple[ExceptionRule, ...]:
        """The gates every provision gets from its metadata: place, commencement, time."""
        gates: list[ExceptionRule] = []
        if p.citation is None:
            return ()
        place = meta.place_question
        extent = [e for e in p.extent if e in meta.extent_names]  # unknown places are already reported
        if extent and place in self.questions_by_id:
            where = " and ".join(meta.extent_names[e] for e in extent)
            try:
                when = parse_condition({"not": {"answer": place, "in": extent}}, self.questions_by_id,
                                       course_of_conduct.FACTS)
            except ConditionError as exc:
                self.problems.append(KnowledgeProblem("knowledge/meta.yaml", "extent_names", exc.message))
                return ()
            gates.append(ExceptionRule("outside_extent", "not_met", when,
                                       gate_text.get("outside_extent", "").format(extent=where), p.citation, generated=True))
        if p.in_force is not None:
            start = p.in_force.start
            text = start.strftime("%-d %B %Y")
            source = f"{p.citation.title}: in force from {text} ({p.in_force.source})"
            cite = Citation(source, p.citation.url, p.in_force.verification, p.citation.checked_on)
            before = parse_condition({"fact": "last_incident_date", "before": start}, self.questions_by_id, course_of_conduct.FACTS)
            straddles = parse_condition({"all": [{"fact": "first_incident_date", "before": start},
                                                 {"fact": "last_incident_date", "on_or_after": start}]},
                                        self.questions_by_id, course_of_conduct.FACTS)
            gates.append(ExceptionRule("before_commencement", "not_met", before,
                                       gate_text.get("before_commencement", "").format(date=text), cite, generated=True))
            gates.append(ExceptionRule("straddles_commencement", "borderline", straddles,
                                       gate_text.get("straddles_commencement", "").format(date=text), cite, generated=True))
        if p.time_limit is not None:
            # Out of time is not "does not fit": the explainer gives the provision its own
            # status, out_of_time, when its elements may be met but this gate holds.
            limit = p.time_limit
            key = "time_limit_passed" if limit.kind == "from_last_incident" else "long_stop_passed"
            months = limit.months if limit.kind == "from_last_incident" else limit.long_stop_months
            gates.append(ExceptionRule("time_limit_passed", "out_of_time", _time_limit_passed(limit),
                                       gate_text.get(key, "").format(months=months, long_stop_months=months),
                                       limit.citation, generated=True))
        return tuple(gates)

    # -- signs, services, places --------------------------------------------------------------
    def signs(self) -> tuple[list[SignGroup], list[Sign]]:
        groups: list[SignGroup] = []
        signs: list[Sign] = []
        for path in self.folder("signs"):
            top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
            group = SignGroup(top.text("group"), top.text("title"), top.text("plain"), top.text("source"))
            parent = self.citation(top.child("citation", required=False))
            for spath, raw in top.items("signs"):
                s = _Node(raw, top.file, spath, self.problems)
                cit = self.citation(s.child("citation", required=False), parent) if "citation" in s.data else parent
                signs.append(Sign(s.text("id"), group.id, s.text("label"), s.text("plain"),
                                  self.condition(s, "shown_when", s.get("shown_when", (dict, str))), cit))
                s.done()
            top.done()
            groups.append(group)
        return groups, signs

    def services(self) -> list[Service]:
        out: list[Service] = []
        for path in self.service_files():
            top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
            sid = top.text("id")
            if sid and sid != path.stem:
                top.fail("id", f"must match the file name '{path.stem}'")
            contacts = []
            for cpath, raw in top.items("contacts"):
                c = _Node(raw, top.file, cpath, self.problems)
                kind = c.text("kind")
                if kind and kind not in CONTACT_KINDS:
                    c.fail("kind", f"must be one of {', '.join(CONTACT_KINDS)}")
                value = c.get("value", (str, int))
                contacts.append(Contact(kind, str(value) if value is not None else "", c.text("label", False)))
                if kind == "web" and value and not str(value).startswith("https://"):
                    c.fail("value", "a web address must start with https://")
                c.done()
            checked_on = top.get("checked_on", dt.date, default=None)
            self.check_date(top, "checked_on", checked_on)
            verification = top.text("verification")
            if verification and verification not in VERIFICATION_LEVELS:
                top.fail("verification", f"must be one of {', '.join(VERIFICATION_LEVELS)}")
            # Either one condition and one reason, or (``fits``) each way it can fit with its
            # own reason, so the result never gives a reason the person did not give.
            fits: list[tuple[Condition, str]] = []
            if "fits" in top.data:
                for fpath, raw in top.items("fits"):
                    f = _Node(raw, top.file, fpath, self.problems)
                    fits.append((self.condition(f, "when", f.get("when", (dict, str))), f.text("because")))
                    f.done()
                whens = [raw.get("when") for _, raw in top.items("fits") if isinstance(raw, dict)]
                fits_when = self.condition(top, "fits", {"any": whens}) if all(whens) and whens else ALWAYS
                why = top.text("why", required=False)
            else:
                fits_when = self.condition(top, "fits_when", top.get("fits_when", (dict, str)))
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

    def safety_advice(self) -> list[SafetyAdvice]:
        """Practical safety steps, one file per group (knowledge/safety/<group>.yaml).

        Every piece needs its wording, at least one way it fits (each with its own reason
        and order, so the result never gives a reason the person did not give), where it
        came from, when that was checked and how well; ``caution`` and ``urgent`` are optional.
        """
        out: list[SafetyAdvice] = []
        seen: set[str] = set()
        for path in self.folder("safety"):
            top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
            group = top.text("group")
            if group and group != path.stem:
                top.fail("group", f"must match the file name '{path.stem}'")
            title = top.text("title")
            for apath, raw in top.items("advice"):
                a = _Node(raw, top.file, apath, self.problems)
                aid = a.text("id")
                if aid and not _ADVICE_ID.fullmatch(aid):
                    a.fail("id", "must be lower-case words joined by hyphens, such as 'keep-a-diary'")
                elif aid in seen:
                    a.fail("id", f"advice '{aid}' is defined twice")
                seen.add(aid)
                fits: list[AdviceFit] = []
                for fpath, fraw in a.items("fits"):
                    f = _Node(fraw, top.file, fpath, self.problems)
                    fits.append(AdviceFit(self.condition(f, "when", f.get("when", (dict, str))), f.text("because"),
                                          f.get("order", int, default=100)))
                    f.done()
                if "fits" in a.data and not fits:
                    a.fail("fits", "must give at least one way the advice fits")
                checked_on = a.get("checked_on", dt.date, default=None)
                self.check_date(a, "checked_on", checked_on)
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

    def jurisdictions(self) -> list[Jurisdiction]:
        out = []
        for path in self.folder("jurisdictions"):
            top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
            laws = []
            for lpath, raw in top.items("laws"):
                cit = self.citation(_Node(raw, top.file, lpath, self.problems))
                if cit:
                    laws.append(cit)
            out.append(Jurisdiction(top.text("id"), top.text("title"),
                                    self.condition(top, "applies_when", top.get("applies_when", (dict, str))),
                                    top.text("plain"), tuple(laws), tuple(top.get("services", list, default=[]))))
            top.done()
        return out

    def risk(self) -> Risk | None:
        """Risk indicators, levels and pathways (knowledge/risk/), if the folder is there."""
        folder = self.root / "risk"
        if not folder.is_dir():
            return None
        levels: list[RiskLevel] = []
        path = folder / "levels.yaml"
        top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
        note = top.text("note")
        incomplete = top.child("incomplete", required=False)
        incomplete_text = (incomplete.text("staff"), incomplete.text("plain")) if incomplete else ("", "")
        if incomplete:
            incomplete.done()
        for rank, (lpath, raw) in enumerate(reversed(top.items("levels"))):
            n = _Node(raw, top.file, lpath, self.problems)
            levels.append(RiskLevel(n.text("id"), n.text("title"), n.text("staff"), n.text("plain"),
                                    n.get("min_indicators", int, False), rank))
            n.done()
        top.done()
        levels.sort(key=lambda level: -level.rank)
        level_ids = {level.id for level in levels}

        indicators: list[RiskIndicator] = []
        path = folder / "indicators.yaml"
        top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
        for ipath, raw in top.items("indicators"):
            n = _Node(raw, top.file, ipath, self.problems)
            alone = n.text("alone_raises", False)
            if alone and alone not in level_ids:
                n.fail("alone_raises", f"'{alone}' is not a level in levels.yaml")
            cit = self.citation(n.child("citation", required=False)) if "citation" in n.data else None
            indicators.append(RiskIndicator(n.text("id"), n.text("label"), n.text("plain"), n.text("why"),
                                            self.condition(n, "raised_when", n.get("raised_when", (dict, str))),
                                            alone, n.text("source"), cit))
            n.done()
        top.done()

        pathways: list[Pathway] = []
        path = folder / "pathways.yaml"
        top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
        for ppath, raw in top.items("pathways"):
            n = _Node(raw, top.file, ppath, self.problems)
            for_levels = tuple(str(x) for x in n.get("levels", list, default=[]))
            for level in for_levels:
                if level not in level_ids:
                    n.fail("levels", f"'{level}' is not a level in levels.yaml")
            pathways.append(Pathway(n.text("id"), n.text("title"), n.text("action"), n.text("plain"), for_levels,
                                    self.condition(n, "when", n.get("when", (dict, str))), n.text("source")))
            n.done()
        top.done()
        for kind, ids in (("indicator", [i.id for i in indicators]), ("pathway", [p.id for p in pathways])):
            for dup in sorted({i for i in ids if ids.count(i) > 1}):
                self.problems.append(KnowledgeProblem("knowledge/risk", dup, f"{kind} id used twice"))
        return Risk(tuple(indicators), tuple(levels), tuple(pathways), note, *incomplete_text)

    # -- named sets ---------------------------------------------------------------------------
    def sets(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Lists of options used in several conditions, each defined once (knowledge/sets.yaml)."""
        path = self.root / "sets.yaml"
        if not path.exists():
            return {}
        top = _Node(self.read(path) or {}, self.rel(path), "", self.problems)
        named: dict[str, tuple[str, tuple[str, ...]]] = {}
        for spath, raw in top.items("sets"):
            n = _Node(raw, top.file, spath, self.problems)
            set_id, question_id = n.text("id"), n.text("question")
            n.text("plain")
            options = tuple(str(o) for o in n.get("options", list, default=[]))
            question = self.questions_by_id.get(question_id)
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

    # -- everything ---------------------------------------------------------------------------
    def load(self) -> KnowledgeBase:
        meta, files, gate_text = self.meta()
        questions, sections, pending = self.questions(files)
        self.check_questions(questions)
        self.questions_by_id = {q.id: q for q in questions}
        self.named_sets = self.sets()
        for node, key, payload in pending:
            if key == "ask_when":
                index, raw = payload
                questions[index] = replace(questions[index], ask_when=self.condition(node, key, raw))
            else:
                qindex, findex, ref = payload
                source = self.questions_by_id.get(ref)
                if source is None or not source.options:
                    node.fail(key, f"'{ref}' is not a question with options")
                    continue
                q = questions[qindex]
                fields = list(q.item_fields)
                fields[findex] = replace(fields[findex], options=source.options)
                questions[qindex] = replace(q, item_fields=tuple(fields))
        self.questions_by_id = {q.id: q for q in questions}
        for name in (meta.danger_question, meta.place_question):
            if name and name not in self.questions_by_id:
                self.problems.append(KnowledgeProblem("knowledge/meta.yaml", name, "names a question that does not exist"))
        self.check_pages(questions, meta.danger_question)

        definitions, shared_exceptions = self.definitions()
        provisions, elements = self.provisions(definitions, shared_exceptions, gate_text, meta)
        groups, signs = self.signs()
        services = self.services()
        safety_advice = self.safety_advice()
        jurisdictions = self.jurisdictions()
        risk = self.risk()

        service_ids = {s.id for s in services}
        for p in provisions:
            for sid in p.related_services:
                if sid not in service_ids:
                    self.problems.append(KnowledgeProblem(p.source_file, "related_services", f"unknown service '{sid}'"))
        for j in jurisdictions:
            for sid in j.services:
                if sid not in service_ids:
                    self.problems.append(KnowledgeProblem(f"knowledge/jurisdictions/{j.id}.yaml", "services", f"unknown service '{sid}'"))
        if self.problems:
            raise KnowledgeError(_unreadable_first(self.problems))
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


def _otherwise(met: list[Condition]) -> Condition:
    """'not_met when otherwise': every 'met' condition is known to be false."""

    def evaluate(case: Case) -> bool | None:
        result: bool | None = True
        for c in met:
            value = c.evaluate(case)
            if value is True:
                return False
            if value is None:
                result = None
        return result

    return Condition(
        {"otherwise": [c.source for c in met]},
        evaluate,
        frozenset().union(*(c.answers for c in met)) if met else frozenset(),
        frozenset().union(*(c.facts for c in met)) if met else frozenset(),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or the month's last day if shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError(day)


def _time_limit_passed(limit: TimeLimit) -> Condition:
    """Holds when no prosecution can start any more, whatever the prosecutor knew and when."""
    def evaluate(case: Case) -> bool | None:
        last = case.facts.get("last_incident_date")
        if last is None:
            return None
        _, months = limit.rule_for(last)
        return case.as_at > add_months(last, months)

    source: dict[str, t.Any] = {"months": limit.months, "kind": limit.kind}
    if limit.long_stop_months is not None:
        source["long_stop_months"] = limit.long_stop_months
    return Condition({"time_limit_passed": source}, evaluate, frozenset(), frozenset({"last_incident_date"}))


def load_knowledge(path: str | Path | None = None, *, services: str | Path | None = None) -> KnowledgeBase:
    """Load, validate and cross-check the knowledge files (``knowledge/`` by default).

    ``services`` names a deployment's own folder of service files (the shape of
    knowledge/services/): each is added to the shipped services, or replaces the one with
    the same file name, and is checked like them. Raises KnowledgeError listing every
    problem found, each with its file and key.
    """
    root = Path(path) if path is not None else DEFAULT_PATH
    extra = Path(services).resolve() if services is not None else None
    return _Loader(root.resolve(), extra).load()
