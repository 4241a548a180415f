"""The review book: one page per provision for a lawyer, in HTML and in Markdown.

``python -m rules review [ID] [--out DIR] [--format html|md]`` writes it. Each page holds
what a lawyer needs to check a provision without reading YAML or Python: the section and
its legislation.gov.uk address; every element, shared definitions inlined, with the words
of the law, each way it can be met, doubtful or not met, the condition in words (each
question in its own wording, each option by its label) and the reason given; the gates the
loader generates from the metadata (extent, commencement, time limit) in words; defences;
penalty and mode of trial; the verification tag of every source with its meaning; open
questions; and when each source was checked. The Markdown pages are for diffs between
versions of the knowledge; the HTML pages are for reading and printing.

The pages are built as a small tree of blocks (headings, paragraphs, bulleted lists of
inline pieces) and rendered twice, so both formats always say the same thing. Every piece
of text from the knowledge is escaped (markupsafe for HTML).
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing as t
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from markupsafe import Markup
from markupsafe import escape

from . import course_of_conduct
from .model import VERIFICATION_LEVELS
from .model import Citation
from .model import Element
from .model import ExceptionRule
from .model import KnowledgeBase
from .model import Provision
from .model import TimeLimit

FORMATS = ("html", "md")

KIND_TITLES = {
    "offence": "Offences",
    "breach_offence": "Breach offences",
    "civil_claim": "Civil claims",
    "order": "Protective orders",
}
KIND_NAMES = {
    "offence": "offence",
    "breach_offence": "breach offence",
    "civil_claim": "civil claim",
    "order": "protective order",
}
OUTCOME_TITLES = (
    ("met", "Met when"),
    ("doubtful", "Doubtful when"),
    ("not_met", "Not met when"),
)
EFFECT_WORDS = {
    "not_met": "the provision does not fit (not met)",
    "borderline": "the provision is at most borderline",
    "out_of_time": "the provision is out of time (it may fit, but no prosecution can start)",
}
GATE_TITLES = {
    "outside_extent": "Outside where it applies (extent)",
    "before_commencement": "Everything before it came into force (commencement)",
    "straddles_commencement": "Some conduct before it came into force (commencement)",
    "time_limit_passed": "Time limit passed",
}
WHO_TITLES = {"person": "The person", "police": "The police", "court": "A court", "others": "Others"}


class UnknownProvision(LookupError):
    """``review ID`` named no provision; ``message`` says so and suggests near names."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- the document tree --------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """An identifier from the knowledge files (a question, option, fact or element id)."""

    text: str


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Tag:
    """A verification tag (V, PV, GK): shown with its meaning."""

    level: str


Inline = str | Code | Strong | Link | Tag
Line = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: Line
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    text: Line


@dataclass
class Item:
    text: Line
    children: list[Block] = field(default_factory=list)


@dataclass
class Bullets:
    items: list[Item]


Block = Heading | Para | Bullets


@dataclass
class Page:
    """One page of the book: its file stem, its title and its blocks."""

    stem: str
    title: str
    blocks: list[Block]


# -- conditions in words ------------------------------------------------------------------------


def _day(value: t.Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _quote(text: str) -> str:
    return f"“{' '.join(text.split())}”"


class _Words:
    """Renders a condition's source (the parsed YAML) as a tree of items in words."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.questions = {q.id: q for q in knowledge.questions}

    def items(self, source: t.Any, limit: TimeLimit | None = None) -> list[Item]:
        if source == "always":
            return [Item(("Always (whatever the answers).",))]
        if not isinstance(source, dict):
            return [Item((f"(a condition this book cannot put in words: {source!r})",))]
        if "all" in source:
            return [Item(("All of these:",), [Bullets([i for part in source["all"] for i in self.items(part)])])]
        if "any" in source:
            return [Item(("Any of these:",), [Bullets([i for part in source["any"] for i in self.items(part)])])]
        if "not" in source:
            return [Item(("Not so (known to be false, not merely unanswered):",), [Bullets(self.items(source["not"]))])]
        if "otherwise" in source:
            parts = [i for part in source["otherwise"] for i in self.items(part)]
            return [Item(("Otherwise: every way of being met (above) is known to fail, namely none of these holds:",),
                          [Bullets(parts)])]
        if "time_limit_passed" in source:
            return [Item(self._time_limit(source["time_limit_passed"], limit))]
        if "answer" in source:
            return [Item(self._answer(source))]
        if "fact" in source:
            return [Item(self._fact(source))]
        return [Item((f"(a condition this book cannot put in words: {source!r})",))]

    def _answer(self, atom: dict[str, t.Any]) -> Line:
        qid = str(atom["answer"])
        question = self.questions.get(qid)
        op, value = next((k, v) for k, v in atom.items() if k != "answer")
        head: Line = ("The question ", _quote(question.text) if question else qid, " (", Code(qid), ")")
        if op == "answered":
            return (*head, " has been answered" if value else " has not been answered", ".")
        if question is not None and question.type == "boolean" and op == "is":
            return (*head, " is answered ", Strong("Yes" if value else "No"), ".")
        if op in ("is", "in", "includes_any", "includes_all") and question is not None and question.options:
            values = value if isinstance(value, list) else [value]
            labels = self._options(qid, values, "and" if op == "includes_all" else "or")
            said = {
                "is": " is answered ",
                "in": " is answered with one of ",
                "includes_any": " includes any of ",
                "includes_all": " includes all of ",
            }[op]
            return (*head, said, *labels, ".")
        return (*head, self._compare(op, value), ".")

    def _options(self, qid: str, values: list[t.Any], conjunction: str) -> Line:
        question = self.questions[qid]
        out: list[Inline] = []
        for i, v in enumerate(values):
            if i:
                last = f"; {conjunction} " if len(values) > 2 else f" {conjunction} "
                out.append(last if i == len(values) - 1 else "; ")
            option = question.option(str(v))
            out.extend((Strong(_quote(option.label) if option else str(v)), " (", Code(str(v)), ")"))
        return tuple(out)

    def _fact(self, atom: dict[str, t.Any]) -> Line:
        name = str(atom["fact"])
        spec = course_of_conduct.FACTS.get(name)
        op, value = next((k, v) for k, v in atom.items() if k != "fact")
        what = spec.description if spec else name
        head: Line = ("The derived fact ", Strong(what), " (", Code(name), ")")
        if op == "answered":
            return (*head, " is known" if value else " is not known", ".")
        if spec is not None and spec.kind == "boolean" and op == "is":
            return (*head, " is ", Strong("yes" if value else "no"), ".")
        return (*head, self._compare(op, value), ".")

    @staticmethod
    def _compare(op: str, value: t.Any) -> str:
        words = {
            "is": "is",
            "in": "is one of",
            "at_least": "is at least",
            "at_most": "is at most",
            "over": "is more than",
            "below": "is less than",
            "before": "is before",
            "after": "is after",
            "on_or_after": "is on or after",
        }
        if isinstance(value, list):
            shown = ", ".join(_day(v) for v in value)
        else:
            shown = "yes" if value is True else "no" if value is False else _day(value)
        return f" {words.get(op, op)} {shown}"

    @staticmethod
    def _time_limit(source: t.Mapping[str, t.Any], limit: TimeLimit | None) -> Line:
        months = source.get("months")
        if limit is not None and limit.kind == "from_prosecutor_knowledge":
            text = (f"More than {limit.long_stop_months} months (the long stop) have passed between the latest incident "
                    f"and the date of the assessment.")
            if limit.earlier_before is not None:
                text += (f" For conduct whose latest incident was before {_day(limit.earlier_before)}: more than "
                         f"{limit.earlier_months} months.")
            text += (f" The {limit.months} months from when the prosecutor had enough evidence cannot be counted "
                     f"here: until the long stop passes the time limit 'depends'.")
            return (text,)
        return (f"More than {months} months have passed between the latest incident (the derived fact ",
                Strong(course_of_conduct.FACTS["last_incident_date"].description), " (", Code("last_incident_date"),
                ")) and the date of the assessment.")


# -- building the pages -------------------------------------------------------------------------


def _cite_line(c: Citation) -> Line:
    out: list[Inline] = [Link(c.title, c.url)]
    if c.section:
        out.append(f", section {c.section}")
    out.extend([" ", Tag(c.verification), f" checked {_day(c.checked_on)}."])
    if c.note:
        out.append(f" Note: {' '.join(c.note.split())}")
    return tuple(out)


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _text(value: str) -> str:
    return " ".join(value.split())


class _Builder:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.words = _Words(knowledge)
        self.ids = {p.id for p in knowledge.provisions}
        self.sources: dict[tuple[str, str, str], Citation] = {}
        self.levels: set[str] = set()
        self.ext = "html"

    def provision(self, p: Provision, ext: str) -> Page:
        self.sources = {}
        self.levels = set()
        self.ext = ext
        self._source(p.citation)
        blocks: list[Block] = [
            Heading(1, (p.title,)),
            Para((Strong("Provision: "), Code(p.id), f", {_article(KIND_NAMES.get(p.kind, p.kind))}.")),
            Para((Strong("The law: "), *self._cite(p.citation))),
            Para((Strong("In short: "), _text(p.summary))),
        ]
        blocks += self._facts(p)
        blocks.append(Heading(2, ("Elements: every part must be met",), "elements"))
        blocks.append(Para(("The provision may apply only when every element below is met. An element is not met if a "
                            "not-met outcome holds, else doubtful if a doubtful one holds, else met if a met one holds, "
                            "else unknown. A condition that reads an unanswered question is unknown, never false.",)))
        for n, key in enumerate(p.elements, 1):
            blocks += self._element(n, key, self.knowledge.elements[key])
        own = [e for e in p.exceptions if not e.generated]
        gates = [e for e in p.exceptions if e.generated]
        blocks.append(Heading(2, ("Defences and exceptions",), "exceptions"))
        if own:
            for e in own:
                blocks += self._exception(e)
        else:
            blocks.append(Para(("None written for this provision.",)))
        blocks.append(Heading(2, ("Gates generated from the metadata",), "gates"))
        blocks.append(Para(("The loader adds these to every provision from its extent, commencement and time limit; "
                            "nobody writes them by hand, so they change only when that metadata does.",)))
        if gates:
            for e in gates:
                blocks += self._exception(e, p.time_limit)
        else:
            blocks.append(Para(("None: this provision has no extent, commencement date or time limit.",)))
        blocks.append(Heading(2, ("Open questions for legal review",), "open-questions"))
        questions: list[tuple[str | None, str]] = [(None, q) for q in p.open_questions]
        questions += [(key, q) for key in p.elements for q in self.knowledge.elements[key].open_questions]
        if questions:
            blocks.append(Bullets([Item(((Code(key), ": ") if key else ()) + (_text(q),)) for key, q in questions]))
        else:
            blocks.append(Para(("None recorded.",)))
        blocks += self._sources_block()
        return Page(p.id, p.title, blocks)

    # -- parts of a provision page
    def _cite(self, c: Citation) -> Line:
        self._source(c)
        return _cite_line(c)

    def _source(self, c: Citation) -> None:
        self.levels.add(c.verification)
        self.sources.setdefault((c.title, c.section, c.url), c)

    def _facts(self, p: Provision) -> list[Block]:
        knowledge = self.knowledge
        items: list[Item] = []
        if p.extent:
            items.append(Item((Strong("Extent: "), ", ".join(knowledge.meta.extent_names.get(e, e) for e in p.extent), ".")))
        if p.in_force is not None:
            self.levels.add(p.in_force.verification)
            items.append(Item((Strong("In force: "), f"from {_day(p.in_force.start)} ({_text(p.in_force.source)}) ",
                               Tag(p.in_force.verification), ".")))
        if p.mode_of_trial:
            items.append(Item((Strong("Mode of trial: "), _text(p.mode_of_trial))))
        if p.max_penalty is not None:
            self.levels.add(p.max_penalty.verification)
            items.append(Item((Strong("Maximum penalty: "), _text(p.max_penalty.text), " ", Tag(p.max_penalty.verification)),
                              [Bullets([Item(("Source: ", _text(p.max_penalty.source)))])]))
        if p.time_limit is not None:
            items.append(self._time_limit_item(p.time_limit))
        if p.builds_on:
            line: list[Inline] = [Strong("Builds on: ")]
            for i, other in enumerate(p.builds_on):
                line += [", "] if i else []
                line.append(self._page_link(other))
            items.append(Item(tuple(line)))
        for who in p.who_applies:
            items.append(Item((Strong(f"Who applies: {WHO_TITLES.get(who.who, who.who)}. "), _text(who.how))))
        if p.next_steps:
            items.append(Item((Strong("Next steps given to the person: "), _text(p.next_steps))))
        if p.related_services:
            names = {s.id: s.name for s in knowledge.services}
            items.append(Item((Strong("Services suggested with it: "),
                               "; ".join(names.get(s, s) for s in p.related_services), ".")))
        if p.source_file:
            items.append(Item((Strong("File: "), Code(p.source_file))))
        return [Heading(2, ("At a glance",), "at-a-glance"), Bullets(items)] if items else []

    def _time_limit_item(self, limit: TimeLimit) -> Item:
        if limit.kind == "from_prosecutor_knowledge":
            head = (f"{limit.months} months from when the prosecutor had enough evidence, and never more than "
                    f"{limit.long_stop_months} months after the latest incident.")
        else:
            head = f"{limit.months} months from the latest incident."
        children = [Item((_text(limit.plain),))]
        if limit.earlier_before is not None:
            children.append(Item((f"For conduct whose latest incident was before {_day(limit.earlier_before)}: "
                                  f"{limit.earlier_months} months from the latest incident. ", _text(limit.earlier_plain))))
        if limit.after:
            children.append(Item((Strong("After it: "), _text(limit.after))))
        children.append(Item(("Source: ", *self._cite(limit.citation))))
        return Item((Strong("Time limit for a prosecution: "), head), [Bullets(children)])

    def _element(self, n: int, key: str, e: Element) -> list[Block]:
        if "/" in key:
            origin: Line = ("Written in this provision's file.",)
        else:
            origin = ("A shared definition (", Code(key), " in knowledge/definitions/), inlined here; a change to it "
                      "changes every provision that uses it.")
        blocks: list[Block] = [
            Heading(3, (f"{n}. ", e.id.replace("_", " ").capitalize(), " (", Code(e.id), ")"), f"element-{e.id}"),
            Para(origin),
            Para((Strong("The law: "), _text(e.law))),
            Para((Strong("In plain words (shown to the person): "), _text(e.plain))),
            Para((Strong("Source: "), *self._cite(e.citation))),
        ]
        if e.would_change:
            blocks.append(Para((Strong("What would change it: "), _text(e.would_change))))
        for status, title in OUTCOME_TITLES:
            outcomes = [o for o in e.outcomes if o.status == status]
            blocks.append(Para((Strong(f"{title}:"),)))
            if not outcomes:
                blocks.append(Bullets([Item(("No condition written; " + {
                    "met": "it is never met.",
                    "doubtful": "it is never doubtful.",
                    "not_met": "it is not met only as another outcome implies (otherwise it stays unknown).",
                }[status],))]))
                continue
            items: list[Item] = []
            for i, o in enumerate(outcomes, 1):
                children: list[Block] = [Bullets(self.words.items(o.when.source))]
                reason: list[Inline] = [Strong("Reason given: "), _text(o.because)]
                if o.citation is not None:
                    reason += [" Source: ", *self._cite(o.citation)]
                children.append(Bullets([Item(tuple(reason))]))
                items.append(Item((f"Way {i}:",), children))
            blocks.append(Bullets(items))
        return blocks

    def _exception(self, e: ExceptionRule, limit: TimeLimit | None = None) -> list[Block]:
        title = GATE_TITLES.get(e.id, e.id.replace("_", " ").capitalize()) if e.generated else \
            e.id.replace("_", " ").capitalize()
        blocks: list[Block] = [
            Heading(3, (title, " (", Code(e.id), ")"), f"exception-{e.id}"),
            Para((Strong("Effect when it holds: "), EFFECT_WORDS.get(e.effect, e.effect), ".")),
            Para((Strong("Holds when:"),)),
            Bullets(self.words.items(e.when.source, limit)),
            Para((Strong("Reason given: "), _text(e.because))),
        ]
        if e.would_change:
            blocks.append(Para((Strong("What would change it: "), _text(e.would_change))))
        blocks.append(Para((Strong("Source: "), *self._cite(e.citation))))
        return blocks

    def _page_link(self, other: str) -> Inline:
        if other in self.ids:
            return Link(self.knowledge.provision(other).title + f" ({other})", f"{other}.{self.ext}")
        return Code(other)

    def _sources_block(self) -> list[Block]:
        items = [Item(_cite_line(c)) for c in sorted(self.sources.values(), key=lambda c: (c.checked_on, c.title))]
        legend = [Item((Tag(level), ": ", VERIFICATION_LEVELS.get(level, "not a known level"), "."))
                  for level in VERIFICATION_LEVELS if level in self.levels]
        legend += [Item((Tag(level), ": not a known verification level."))
                   for level in sorted(self.levels - set(VERIFICATION_LEVELS))]
        return [
            Heading(2, ("Sources and when they were checked",), "sources"),
            Para(("Every source this page relies on, oldest check first.",)),
            Bullets(items),
            Heading(2, ("Verification tags on this page",), "verification"),
            Bullets(legend),
        ]

    def index(self, pages: list[Page], ext: str) -> Page:
        meta = self.knowledge.meta
        blocks: list[Block] = [
            Heading(1, ("Review book: stalking and harassment law in England and Wales",)),
            Para((f"Knowledge version {meta.knowledge_version}; the law as at {_day(meta.law_as_at)}. One page per "
                  "provision, generated from knowledge/ by ", Code("python -m rules review"), ": edit the YAML, not "
                  "these pages.",)),
            Para((Strong("Verification tags: "),)),
            Bullets([Item((Tag(level), ": ", meaning, ".")) for level, meaning in VERIFICATION_LEVELS.items()]),
        ]
        by_id = {p.id: p for p in self.knowledge.provisions}
        for kind, title in KIND_TITLES.items():
            rows = [page for page in pages if by_id[page.stem].kind == kind]
            if not rows:
                continue
            blocks.append(Heading(2, (title,), kind))
            items = []
            for page in rows:
                p = by_id[page.stem]
                opens = len(p.open_questions) + sum(len(self.knowledge.elements[k].open_questions) for k in p.elements)
                items.append(Item((Link(f"{p.title} ({p.id})", f"{p.id}.{ext}"), " ", Tag(p.citation.verification),
                                   f", checked {_day(p.citation.checked_on)}; {len(p.elements)} element{'s' if len(p.elements) != 1 else ''}; "
                                   f"{opens} open question{'s' if opens != 1 else ''}.")))
            blocks.append(Bullets(items))
        return Page("index", "Review book", blocks)


def build(knowledge: KnowledgeBase, provision_id: str | None = None, fmt: str = "html") -> list[Page]:
    """The pages of the book (with an index when the whole book is built)."""
    if provision_id is not None and provision_id not in {p.id for p in knowledge.provisions}:
        near = difflib.get_close_matches(provision_id, [p.id for p in knowledge.provisions], n=3)
        known = ', '.join(p.id for p in knowledge.provisions)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; the provisions are: {known}"
        raise UnknownProvision(f"unknown provision '{provision_id}'{hint}")
    builder = _Builder(knowledge)
    chosen = [p for p in knowledge.provisions if provision_id is None or p.id == provision_id]
    pages = [builder.provision(p, fmt) for p in chosen]
    if provision_id is None:
        pages.insert(0, builder.index(pages, fmt))
    return pages


def write(knowledge: KnowledgeBase, out: Path, provision_id: str | None = None,
          formats: t.Sequence[str] = FORMATS) -> list[Path]:
    """Write the book into ``out`` (created if need be); return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in formats:
        render = to_html if fmt == "html" else to_markdown
        for page in build(knowledge, provision_id, fmt):
            path = out / f"{page.stem}.{fmt}"
            path.write_text(render(page, knowledge), encoding="utf-8")
            written.append(path)
    return written


# -- HTML ---------------------------------------------------------------------------------------

_CSS = Markup("""
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
h1{font-size:2rem}h2{margin-top:2.5rem;border-bottom:2px solid #b1b4b6}h3{margin-top:2rem}
code{font-size:.85em;background:#f3f2f1;padding:0 .2em}a{color:#1d70b8}
.tag{font:bold .75rem system-ui,sans-serif;padding:0 .3em;border:1px solid;border-radius:3px}
.tag-V{color:#00703c}.tag-PV{color:#b35900}.tag-GK{color:#d4351c}
footer{margin-top:3rem;color:#505a5f;font-size:.9rem}
@media print{a{color:inherit}h2,h3{break-after:avoid}}
""")


def _safe_url(url: str) -> bool:
    return url.startswith(("https://", "http://")) or (url.endswith((".html", ".md")) and "/" not in url and ":" not in url)


def _inline_html(line: Line) -> Markup:
    out = Markup("")
    for piece in line:
        if isinstance(piece, str):
            out += escape(piece)
        elif isinstance(piece, Code):
            out += Markup("<code>{}</code>").format(piece.text)
        elif isinstance(piece, Strong):
            out += Markup("<strong>{}</strong>").format(piece.text)
        elif isinstance(piece, Link):
            if _safe_url(piece.url):
                out += Markup('<a href="{}">{}</a>').format(piece.url, piece.text)
            else:
                out += Markup("{} ({})").format(piece.text, piece.url)
        else:
            meaning = VERIFICATION_LEVELS.get(piece.level, "not a known verification level")
            cls = piece.level if piece.level in VERIFICATION_LEVELS else "unknown"
            out += Markup('<abbr class="tag tag-{}" title="{}">{}</abbr>').format(cls, meaning, piece.level)
    return out


def _blocks_html(blocks: t.Sequence[Block]) -> Markup:
    out = Markup("")
    for block in blocks:
        if isinstance(block, Heading):
            anchor = Markup(' id="{}"').format(block.anchor) if block.anchor else Markup("")
            out += Markup("<h{0}{1}>{2}</h{0}>\n").format(block.level, anchor, _inline_html(block.text))
        elif isinstance(block, Para):
            out += Markup("<p>{}</p>\n").format(_inline_html(block.text))
        else:
            out += Markup("<ul>\n")
            for item in block.items:
                out += Markup("<li>{}{}</li>\n").format(_inline_html(item.text), _blocks_html(item.children))
            out += Markup("</ul>\n")
    return out


def to_html(page: Page, knowledge: KnowledgeBase) -> str:
    back = Markup("") if page.stem == "index" else Markup('<p><a href="index.html">All provisions</a></p>\n')
    return str(Markup(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{title}: review book, knowledge {version}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        "{back}<main>\n{body}</main>\n<footer>Knowledge version {version}, law as at {law_as_at}. Generated by "
        "<code>python -m rules review</code> from knowledge/; information for review, not legal advice."
        "</footer>\n</body>\n</html>\n"
    ).format(title=page.title, version=knowledge.meta.knowledge_version, css=_CSS, back=back,
             body=_blocks_html(page.blocks), law_as_at=_day(knowledge.meta.law_as_at)))


# -- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _inline_md(line: Line) -> str:
    out: list[str] = []
    for piece in line:
        if isinstance(piece, str):
            out.append(_md(piece))
        elif isinstance(piece, Code):
            out.append(f"`{piece.text.replace('`', '')}`")
        elif isinstance(piece, Strong):
            # CommonMark closes ** only right after a non-space: the space goes outside.
            text = piece.text.rstrip()
            out.append(f"**{_md(text)}**" + " " * (len(piece.text) - len(text)))
        elif isinstance(piece, Link):
            url = piece.url.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
            out.append(f"[{_md(piece.text)}]({url})" if _safe_url(piece.url) else f"{_md(piece.text)} ({_md(piece.url)})")
        else:
            out.append(f"[{_md(piece.level)}]")
    return "".join(out)


def _blocks_md(blocks: t.Sequence[Block], depth: int = 0) -> list[str]:
    lines: list[str] = []
    pad = "  " * depth
    for block in blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * block.level} {_inline_md(block.text)}", ""]
        elif isinstance(block, Para):
            lines += [pad + _inline_md(block.text), ""] if depth == 0 else [pad + _inline_md(block.text)]
        else:
            for item in block.items:
                lines.append(f"{pad}- {_inline_md(item.text)}")
                lines += _blocks_md(item.children, depth + 1)
            if depth == 0:
                lines.append("")
    return lines


def to_markdown(page: Page, knowledge: KnowledgeBase) -> str:
    meta = knowledge.meta
    head = [] if page.stem == "index" else ["[All provisions](index.md)", ""]
    foot = ["---", "", f"Knowledge version {_md(meta.knowledge_version)}, law as at {_day(meta.law_as_at)}. Generated by "
            "`python -m rules review` from knowledge/; information for review, not legal advice.", ""]
    return "\n".join(head + _blocks_md(page.blocks) + foot)
