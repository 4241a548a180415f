"""The review book (python -m rules review): one page per provision, HTML and Markdown."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

import rules
from rules import cli
from rules import review

ROOT = Path(__file__).resolve().parent.parent
VOID = {"meta", "br", "hr", "img", "link", "input"}


class _Balance(HTMLParser):
    """Checks that every element opened is closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'} at {self.getpos()}")
        else:
            self.stack.pop()


def _balanced(text: str) -> list[str]:
    parser = _Balance()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"<{tag}> never closed" for tag in parser.stack]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory, knowledge: rules.KnowledgeBase) -> Path:
    out = tmp_path_factory.mktemp("book")
    assert cli.main(["review", "--out", str(out)]) == 0
    return out


def test_builds_a_page_for_every_provision_in_html_and_markdown(book: Path, knowledge: rules.KnowledgeBase) -> None:
    expected = {f"{p.id}.{ext}" for p in knowledge.provisions for ext in ("html", "md")} | {"index.html", "index.md"}
    assert {path.name for path in book.iterdir()} == expected
    index_html = (book / "index.html").read_text(encoding="utf-8")
    index_md = (book / "index.md").read_text(encoding="utf-8")
    for p in knowledge.provisions:
        page = (book / f"{p.id}.html").read_text(encoding="utf-8")
        assert not _balanced(page), (p.id, _balanced(page))
        assert f'href="{escape(p.citation.url)}"' in page
        assert f'href="{p.id}.html"' in index_html and f"({p.id}.md)" in index_md
        assert "cannot put in words" not in page  # every kind of condition has its words
        md = (book / f"{p.id}.md").read_text(encoding="utf-8")
        assert md.count(f"]({p.citation.url})") >= 1
        # Every element, shared definitions inlined, and every gate the loader generated.
        for key in p.elements:
            element = knowledge.elements[key]
            assert f'id="element-{element.id}"' in page
            assert escape(" ".join(element.law.split())) in page
        for e in p.exceptions:
            assert f'id="exception-{e.id}"' in page
        for q in p.open_questions:
            assert escape(" ".join(q.split())) in page
    assert not _balanced(index_html)


def test_a_condition_is_shown_with_the_questions_own_wording_and_option_labels(
        book: Path, knowledge: rules.KnowledgeBase) -> None:
    page = (book / "pha-1997-s2a.html").read_text(encoding="utf-8")
    target = knowledge.question("target")
    organisation = target.option("organisation")
    assert organisation is not None
    # victim_is_individual: not met when the answer to 'target' is 'organisation'.
    assert escape(f"“{target.text}”") in page
    assert escape(f"“{organisation.label}”") in page
    # A derived fact by its description, and a gate in words.
    assert "how many separate occasions" in page
    assert "before 25 November 2012" in page
    assert "More than 6 months have passed between the latest incident" in page
    # Penalty, mode of trial, verification tags with their meaning, checked dates.
    assert "Magistrates&#39; court only" in page
    assert 'title="partly verified: the source was found, but not all of the point">PV</abbr>' in page
    assert "checked 21 November 2026" in page
    md = (book / "pha-1997-s2a.md").read_text(encoding="utf-8")
    assert f"“{target.text}”" in md and "(`target`)" in md
    assert "**Provision:** `pha-1997-s2a`" in md


def test_one_provision_and_one_format(tmp_path: Path) -> None:
    assert cli.main(["review", "pha-1997-s4", "--out", str(tmp_path), "--format", "md"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["pha-1997-s4.md"]


def test_an_unknown_provision_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "rules", "review", "pha-1997-s2x", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown provision 'pha-1997-s2x'; did you mean pha-1997-s2" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_piece_of_text_is_escaped(knowledge: rules.KnowledgeBase) -> None:
    p = knowledge.provision("pha-1997-s2")
    hostile = dataclasses.replace(p, title="<script>alert(1)</script>", summary='"><img src=x onerror=alert(1)>')
    kb = dataclasses.replace(knowledge, provisions=(hostile,))
    page = review.to_html(review.build(kb, p.id)[0], kb)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    md = review.to_markdown(review.build(kb, p.id, "md")[0], kb)
    assert "<script>" not in md and "\\<script\\>" in md
