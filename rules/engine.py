"""Run the compiled rules in experta, one engine per thread.

The engine class is generated once per knowledge base with ``type()``; an instance is
reused because building one costs far more than an assessment. An instance must never be
shared between threads (shared, experta gives wrong answers), so each thread gets its own
through ``threading.local``.

Between assessments the case fact is retracted rather than the engine reset: a retraction
only visits the nodes that hold the fact's tokens, while ``reset()`` walks the whole
network. After it, nothing in the engine refers to the person's answers any more (experta's
own strategy caches activations, and so the facts in them, in an ``lru_cache``; ours does
not), which tests/test_privacy.py checks.

Our rules only record that they fired; none declares, modifies or retracts a fact. So the
agenda is complete once the case is declared, and ``run`` takes it in one pass rather than
re-polling every rule's conflict set after each firing as experta's loop does (that
re-polling was most of the time measured). ``declare`` during a run is refused, which
keeps that reasoning true.
"""

from __future__ import annotations

import threading
import typing as t

from ._experta import DepthStrategy
from ._experta import Fact
from ._experta import KnowledgeEngine
from ._experta import P
from ._experta import Rule
from .compiler import CompiledRule
from .conditions import Case


class CaseFact(Fact):  # type: ignore[misc]
    """The one fact an assessment declares: ``case`` holds the answers and derived facts."""


class _UncachedDepthStrategy(DepthStrategy):  # type: ignore[misc]
    """experta's depth strategy without its ``lru_cache``, which kept old facts alive."""

    def get_key(self, activation: t.Any) -> tuple[int, list[int]]:
        return (activation.rule.salience, sorted((f["__factid__"] for f in activation.facts), reverse=True))


class _OnePassEngine(KnowledgeEngine):  # type: ignore[misc]
    __strategy__ = _UncachedDepthStrategy
    fired: list[int]

    def declare(self, *facts: t.Any) -> t.Any:
        if self.running:
            raise RuntimeError("rules record their result; they must not declare facts")
        return super().declare(*facts)

    def run(self, steps: float = float("inf")) -> None:
        self.running = True
        added, removed = self.get_activations()
        self.strategy.update_agenda(self.agenda, added, removed)
        while self.running and steps > 0:
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            activation.rule(self)
        self.running = False


def _make_rule(index: int, rule: CompiledRule) -> t.Any:
    holds = rule.condition.holds

    def record(self: _OnePassEngine) -> None:
        self.fired.append(index)

    record.__name__ = f"rule_{index}"
    return Rule(CaseFact(case=P(holds)), salience=rule.salience)(record)


def build_engine_class(rules: t.Sequence[CompiledRule]) -> type[_OnePassEngine]:
    """One KnowledgeEngine subclass holding a generated experta rule for each CompiledRule."""
    namespace = {f"rule_{i}": _make_rule(i, rule) for i, rule in enumerate(rules)}
    return type("StalkingKnowledgeEngine", (_OnePassEngine,), namespace)


class RuleRunner:
    """Runs a case through the rules; holds the engine class and one instance per thread."""

    def __init__(self, rules: t.Sequence[CompiledRule]) -> None:
        self.rules = tuple(rules)
        self.engine_class = build_engine_class(self.rules)
        self._local = threading.local()

    def _engine(self) -> _OnePassEngine:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = self.engine_class()
            engine.reset()
        return engine

    def fire(self, case: Case) -> tuple[int, ...]:
        """Indices of the rules whose conditions hold for the case, in firing order."""
        engine = self._engine()
        engine.fired = []
        fact = engine.declare(CaseFact(case=case))
        try:
            engine.run()
        finally:
            engine.retract(fact)  # the person's answers leave working memory at once
            if len(engine.facts) != 1 or engine.agenda.activations:
                engine.reset()  # anything left over would leak into the next case
        return tuple(engine.fired)

    def fire_plain(self, case: Case) -> tuple[int, ...]:
        """The same decisions in plain Python: the speed floor and a cross-check."""
        return tuple(i for i, rule in enumerate(self.rules) if rule.condition.holds(case))
