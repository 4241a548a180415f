"""The public call: validate answers, derive facts, run the rules, explain the result."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import typing as t

from . import answers as answers_module
from .assessment import Assessment
from .compiler import compile_rules
from .conditions import Case
from .engine import RuleRunner
from .explain import Explainer
from .interview import Interview
from .interview import Interviewer
from .interview import applicable
from .interview import settled
from .knowledge_cache import load_knowledge
from .model import KnowledgeBase


class Assessor:
    """A knowledge base compiled once, ready to assess answers from any thread.

    Build one per process (loading and compiling is the slow part) and share it: the
    experta engine inside is kept per thread. Without a knowledge base it loads the shipped
    one through rules/knowledge_cache.py (the checked knowledge kept between runs).
    """

    def __init__(self, knowledge: KnowledgeBase | None = None, *, interview: bool = True) -> None:
        """``interview=False`` leaves the interview's tables to be built on first use: a
        one-shot assessment (``python -m rules assess``) never asks what to ask next."""
        self.knowledge = knowledge if knowledge is not None else load_knowledge()
        self.rules = compile_rules(self.knowledge)
        self.runner = RuleRunner(self.rules)
        self.explainer = Explainer(self.knowledge, self.rules)
        if interview:
            self.interviewer  # noqa: B018  # built now, before the first request

    @functools.cached_property
    def interviewer(self) -> Interviewer:
        return Interviewer(self.knowledge, self.rules)

    def case(self, answers: t.Any, as_at: dt.date | str | None = None) -> Case:
        """Validate the answers (raising AnswersError) and derive the facts the rules read."""
        return self._case(answers, as_at)[0]

    def _case(self, answers: t.Any, as_at: dt.date | str | None) -> tuple[Case, tuple[str, ...]]:
        """The case, and the answers set aside because their questions would not be asked.

        Every channel (this API, the CLI, the JSON API, the web) comes through here, so the
        same answers always give the same result.
        """
        day = answers_module.parse_as_at(as_at)
        clean = answers_module.with_implied(self.knowledge, answers_module.validate(self.knowledge, answers, day))
        _kept, ignored, case = settled(self.knowledge, clean, day)
        return case, tuple(q for q in ignored if q in answers)

    def assess(self, answers: t.Any, as_at: dt.date | str | None = None, *, plain: bool = False) -> Assessment:
        """Assess the answers as at a date (default today). ``plain`` skips experta (the floor)."""
        case, ignored = self._case(answers, as_at)
        fired = self.runner.fire_plain(case) if plain else self.runner.fire(case)
        return self.explainer.build(case, fired, ignored)

    def interview(self, answers: t.Any, as_at: dt.date | str | None = None) -> Interview:
        """What to ask next: the questions whose answers could still change an outcome.

        A question present with the value None was asked and skipped; it is not asked again.
        """
        day = answers_module.parse_as_at(as_at)
        clean = answers_module.with_implied(self.knowledge, answers_module.validate(self.knowledge, answers, day))
        kept, ignored = applicable(self.knowledge, clean, day)
        ignored = tuple(q for q in ignored if q in answers)
        skipped = {k for k, v in answers.items() if v is None}
        return self.interviewer.interview(kept, set(kept) | skipped, day, ignored)


_default: Assessor | None = None
_default_lock = threading.Lock()
_by_knowledge: dict[int, Assessor] = {}


def default_assessor() -> Assessor:
    """The Assessor for the knowledge shipped with this package, built on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Assessor()
    return _default


def assess(
    answers: t.Mapping[str, t.Any],
    as_at: dt.date | str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Assessment:
    """Assess a person's answers: which offences and orders may apply, why, and where to get help.

    :param answers: question id to answer, as JSON would give it (dates as YYYY-MM-DD).
    :param as_at: the date to assess at (default today), so that results reproduce.
    :param knowledge: a KnowledgeBase from load_knowledge(); the shipped one by default.
    :raises AnswersError: listing every problem with the answers; nothing is assessed.
    """
    return assessor_for(knowledge).assess(answers, as_at)


def interview(
    answers: t.Mapping[str, t.Any],
    as_at: dt.date | str | None = None,
    knowledge: KnowledgeBase | None = None,
) -> Interview:
    """The next question worth asking, and every question that could still change the outcome.

    :param answers: as for :func:`assess`; a question given as None was asked and skipped.
    :raises AnswersError: listing every problem with the answers.
    """
    return assessor_for(knowledge).interview(answers, as_at)


def assessor_for(knowledge: KnowledgeBase | None) -> Assessor:
    """The Assessor for a knowledge base, compiled once and then reused."""
    if knowledge is None:
        return default_assessor()
    with _default_lock:
        found = _by_knowledge.get(id(knowledge))
        if found is None or found.knowledge is not knowledge:
            found = _by_knowledge[id(knowledge)] = Assessor(knowledge)
        return found
