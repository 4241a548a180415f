"""The command line: ``python -m rules assess FILE``, ``schema``, ``check``, ``stale``, ``review``.

Bad input exits non-zero with every problem on standard error, one per line; nothing is
printed to standard output then, so a pipeline never sees half an assessment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import typing as t
from pathlib import Path

from . import __version__
from .answers import AnswersError
from .answers import answers_schema
from .knowledge_cache import load_knowledge
from .loader import KnowledgeError
from .service import Assessor

#: ``review --format`` (rules.review's FORMATS; that module, with its templates, is imported
#: only for the review command, which keeps ``assess`` quick to start).
REVIEW_FORMATS = ("html", "md")

EXIT_BAD_INPUT = 2
EXIT_BAD_KNOWLEDGE = 3


def _parser() -> argparse.ArgumentParser:
    # The console command and python -m rules are the same program: name the one that ran.
    called = Path(sys.argv[0]).name
    parser = argparse.ArgumentParser(prog=called if called == "stalking-harassment-check" else "python -m rules",
                                     description=__doc__)
    parser.add_argument("--knowledge", help="a knowledge folder other than the shipped one")
    parser.add_argument("--services", metavar="FOLDER",
                        help="a deployment's own service files, added over knowledge/services (same file name replaces)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assess", help="assess a JSON file of answers ('-' reads standard input)")
    a.add_argument("file")
    a.add_argument("--format", choices=("json", "text"), default="json")
    a.add_argument("--as-at", help="assess as at this date (YYYY-MM-DD); default today")
    sub.add_parser("schema", help="print the answers' JSON Schema")
    sub.add_parser("check", help="load and check the knowledge files")
    s = sub.add_parser("stale", help="list facts checked more than N days ago, and open questions")
    s.add_argument("--older-than", type=int, default=180, metavar="DAYS")
    r = sub.add_parser("review", help="write the review book for lawyers: one page per provision, HTML and Markdown")
    r.add_argument("id", nargs="?", help="only this provision (default: every provision and an index)")
    r.add_argument("--out", default="review-book", metavar="DIR", help="the folder to write into (default: review-book)")
    r.add_argument("--format", choices=REVIEW_FORMATS, help="only HTML or only Markdown (default: both)")
    return parser


def main(argv: t.Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        knowledge = load_knowledge(args.knowledge, services=args.services)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(f"knowledge: {problem}", file=sys.stderr)
        return EXIT_BAD_KNOWLEDGE
    if args.command == "schema":
        json.dump(answers_schema(knowledge), sys.stdout, indent=2)
        print()
        return 0
    if args.command == "check":
        print(f"knowledge {knowledge.version}: {len(knowledge.provisions)} provisions, "
              f"{len(knowledge.questions)} questions, {len(knowledge.services)} services: OK")
        return 0
    if args.command == "stale":
        return _stale(knowledge, args.older_than)
    if args.command == "review":
        return _review(knowledge, args)
    return _assess(knowledge, args)


def _assess(knowledge: t.Any, args: argparse.Namespace) -> int:
    try:
        raw = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        answers = json.loads(raw)
    except json.JSONDecodeError as exc:
        print(f"{args.file}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        result = Assessor(knowledge, interview=False).assess(answers, args.as_at)
    except AnswersError as exc:
        for problem in exc.problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "text":
        from .summary import to_text

        used = {k: v for k, v in answers.items() if k not in result.ignored} if isinstance(answers, dict) else {}
        sys.stdout.write(to_text(result.to_dict(), answers=used, knowledge=knowledge))
    else:
        json.dump(result.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        print()
    return 0


def _review(knowledge: t.Any, args: argparse.Namespace) -> int:
    from .review import FORMATS
    from .review import UnknownProvision
    from .review import write as write_review

    try:
        written = write_review(knowledge, Path(args.out), args.id, (args.format,) if args.format else FORMATS)
    except UnknownProvision as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"{args.out}: cannot write: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {len(written)} page(s) to {args.out}")
    return 0


def _stale(knowledge: t.Any, days: int) -> int:
    cutoff = dt.date.today() - dt.timedelta(days=days)
    rows: list[str] = []
    for service in knowledge.services:
        if service.checked_on < cutoff:
            rows.append(f"service {service.id}: checked {service.checked_on.isoformat()} ({service.source})")
    for p in knowledge.provisions:
        if p.citation.checked_on < cutoff:
            rows.append(f"{p.id}: citation checked {p.citation.checked_on.isoformat()}")
    for key, element in knowledge.elements.items():
        if element.citation.checked_on < cutoff:
            rows.append(f"element {key}: checked {element.citation.checked_on.isoformat()}")
    for row in rows:
        print(row)
    print(f"{len(rows)} fact(s) checked before {cutoff.isoformat()}")
    questions = [(p.id, q) for p in knowledge.provisions for q in p.open_questions]
    questions += [(key, q) for key, e in knowledge.elements.items() for q in e.open_questions]
    if questions:
        print("\nOpen questions for legal review:")
        for where, question in questions:
            print(f"- {where}: {question}")
    unverified = [(p.id, p.citation.verification) for p in knowledge.provisions if p.citation.verification != "V"]
    unverified += [(s.id, s.verification) for s in knowledge.services if s.verification != "V"]
    if unverified:
        print("\nNot fully verified (PV or GK):")
        for where, level in unverified:
            print(f"- {where}: {level}")
    return 0
