"""Run the compiled rules in experta: a few coarse rules, engines pooled and built ahead.

**Rule shape.** Every knowledge condition is a ``CompiledRule``; experta sees three coarse
rules (``COARSE``): *urgent* (danger, risk indicators, other jurisdictions), *law*
(gates, defences and elements) and *help* (signs, risk pathways, services); a kind added
later gets a coarse rule of its own. A coarse rule's pattern matches the one ``CaseFact``
when at least one of its member conditions holds; its body records which members held, by
salience then rule order. So experta decides which coarse rules fire and in which order,
and the trace still names every knowledge condition that held, in the same order as one
experta rule per condition gave (tests/test_engine.py checks all three shapes against the
plain-Python floor on every scenario).

Why: experta's ``declare`` and ``retract`` each run every rule's pattern test and copy
tokens through the network, about 10 µs a rule each way, and its agenda re-sorts
activations; with 357 rules one assessment cost 6–30 ms in experta alone. With three
coarse rules the network is a handful of nodes, each member condition is evaluated once
(the pattern test keeps the members that held on the per-assessment ``_Run``, so the
retraction's re-test and the body cost nothing more), and the fire costs about a tenth.
The figures are in README.md (Speed) and come from benchmarks/engine.py. A coarse rule's
pattern test runs its members' conditions as Python written out once from the knowledge
(``rules/codegen.py``: the same three-valued logic, a third of the cost of the parsed
conditions' closures); the plain-Python floor keeps the parsed conditions, so the tests
comparing the two also check the generated code.

**Engines.** An experta instance must never be used by two threads at once (shared, it
gives wrong answers), and building one costs far more than an assessment. Engines are kept
in a pool: a call takes one, uses it alone and gives it back, so any number of threads is
safe, and ``warm(n)`` builds ``n`` before the first request (the web app does it at
start-up). experta caches its conflict-set-node list with ``lru_cache(maxsize=1)`` on the
matcher's class, one slot shared by every instance, so engines used in turn evicted each
other and walked the network again on every fire; each of our engines keeps its own list.

Between assessments the case fact is retracted, and nothing in the engine refers to the
person's answers any more (tests/test_privacy.py checks it). Our rules only record; none
declares, modifies or retracts a fact, so the agenda is complete once the case is
declared and ``run`` takes it in one pass. ``declare`` during a run is refused, which
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
from .codegen import members_test
from .compiler import CompiledRule
from .conditions import Case


class CaseFact(Fact):  # type: ignore[misc]
    """The one fact an assessment declares: ``case`` holds the assessment's ``_Run``."""


class _Run:
    """One assessment's case and, per coarse rule, the members whose conditions held.

    Compared by identity (experta compares fact fields while it matches). Dropped when
    the fact is retracted, and with it every reference to the answers.
    """

    __slots__ = ("case", "held")

    def __init__(self, case: Case) -> None:
        self.case = case
        self.held: dict[int, list[int]] = {}


class _UncachedDepthStrategy(DepthStrategy):  # type: ignore[misc]
    """experta's depth strategy without its ``lru_cache``, which kept old facts alive."""

    def get_key(self, activation: t.Any) -> tuple[int, list[int]]:
        return (activation.rule.salience, sorted((f["__factid__"] for f in activation.facts), reverse=True))


class _OnePassEngine(KnowledgeEngine):  # type: ignore[misc]
    __strategy__ = _UncachedDepthStrategy
    fired: list[int]

    def __init__(self) -> None:
        super().__init__()
        # experta's ReteMatcher._get_conflict_set_nodes is an lru_cache(maxsize=1) on the
        # class: one slot for every engine in the process, so two engines used in turn
        # evict each other and each fire walks the whole network again. The network never
        # changes after it is built, so each engine keeps its own list.
        matcher = self.matcher
        walk = getattr(type(matcher)._get_conflict_set_nodes, "__wrapped__", None)
        if walk is not None:
            nodes = walk(matcher)
            matcher._get_conflict_set_nodes = lambda: nodes

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
            activation.rule(self, **{k: v for k, v in activation.context.items() if not k.startswith("__")})
        self.running = False


#: Which coarse experta rule each kind of CompiledRule belongs to. A kind not named here
#: (a kind added to the knowledge later) gets a coarse rule of its own.
COARSE = {"safety": "urgent", "risk": "urgent", "jurisdiction": "urgent",
          "exception": "law", "element": "law",
          "sign": "help", "pathway": "help", "service": "help", "advice": "help"}


def coarse_groups(rules: t.Sequence[CompiledRule], by: str = "group") -> list[tuple[str, int, tuple[int, ...]]]:
    """(name, salience, member indices) for each coarse rule.

    ``by="group"`` (the default) gives the three of ``COARSE``; ``by="kind"`` one per kind.
    Members are ordered by salience, then rule order, so the trace lists the conditions
    that held in the same order one experta rule per condition recorded them.
    """
    groups: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        name = COARSE.get(rule.kind, rule.kind) if by == "group" else rule.kind
        groups.setdefault(name, []).append(index)
    out = []
    for name, members in groups.items():
        members.sort(key=lambda i: (-rules[i].salience, i))
        out.append((name, rules[members[0]].salience, tuple(members)))
    return out


def _make_coarse_rule(number: int, salience: int, members_held: t.Callable[[Case], list[int]]) -> t.Any:
    def some_member_holds(run: _Run) -> bool:
        held = run.held.get(number)
        if held is None:
            held = run.held[number] = members_held(run.case)
        return bool(held)

    def record(self: _OnePassEngine) -> None:
        self.fired.extend(self.run_now.held[number])

    record.__name__ = f"coarse_{number}"
    return Rule(CaseFact(case=P(some_member_holds)), salience=salience)(record)


def _make_rule(index: int, rule: CompiledRule) -> t.Any:
    holds = rule.condition.holds

    def record(self: _OnePassEngine) -> None:
        self.fired.append(index)

    record.__name__ = f"rule_{index}"
    return Rule(CaseFact(case=P(lambda run: holds(run.case))), salience=rule.salience)(record)


def build_engine_class(rules: t.Sequence[CompiledRule], shape: str = "coarse") -> type[_OnePassEngine]:
    """A KnowledgeEngine subclass for the rules.

    ``shape="coarse"`` (the default): the three coarse rules of ``COARSE``, whose bodies
    record the member conditions that held; ``shape="kind"``: one such rule per kind (eight);
    ``shape="fine"``: one experta rule per condition, the
    shape this project used first; kept to check equivalence and to measure the gain.
    """
    if shape not in ("coarse", "kind", "fine"):
        raise ValueError(f"unknown rule shape {shape!r}: coarse, kind or fine")
    if shape == "fine":
        namespace = {f"rule_{i}": _make_rule(i, rule) for i, rule in enumerate(rules)}
    else:
        groups = coarse_groups(rules, "group" if shape == "coarse" else "kind")
        namespace = {
            f"coarse_{n}": _make_coarse_rule(n, salience, members_test([rules[i].condition for i in members], members))
            for n, (_name, salience, members) in enumerate(groups)
        }
    return type("StalkingKnowledgeEngine", (_OnePassEngine,), namespace)


class RuleRunner:
    """Runs a case through the rules; holds the engine class and a pool of engines."""

    def __init__(self, rules: t.Sequence[CompiledRule], shape: str = "coarse") -> None:
        self.rules = tuple(rules)
        self.shape = shape
        self.engine_class = build_engine_class(self.rules, shape)
        self._pool: list[_OnePassEngine] = []
        self._lock = threading.Lock()
        self.built = 0  # engines built so far: warm(n) builds them before they are needed

    def _new_engine(self) -> _OnePassEngine:
        engine = self.engine_class()
        engine.reset()
        with self._lock:
            self.built += 1
        return engine

    def warm(self, count: int) -> None:
        """Build engines until the pool holds ``count`` (one per thread that will assess),
        so that no request pays for building one."""
        with self._lock:
            missing = count - len(self._pool)
        fresh = [self._new_engine() for _ in range(max(0, missing))]
        with self._lock:
            self._pool.extend(fresh)

    def _take(self) -> _OnePassEngine:
        with self._lock:
            if self._pool:
                return self._pool.pop()
        return self._new_engine()

    def _give_back(self, engine: _OnePassEngine) -> None:
        with self._lock:
            self._pool.append(engine)

    def _engine(self) -> _OnePassEngine:
        """The engine the next call will use (for tests that look inside it)."""
        engine = self._take()
        self._give_back(engine)
        return engine

    def fire(self, case: Case) -> tuple[int, ...]:
        """Indices of the rules whose conditions hold for the case, in firing order
        (salience, then rule order)."""
        engine = self._take()
        fired: list[int]
        run: _Run | None  # set to None after the run: no reference to the answers outlives it
        try:
            engine.fired = fired = []
            engine.run_now = run = _Run(case)
            fact = engine.declare(CaseFact(case=run))
            try:
                engine.run()
            finally:
                engine.retract(fact)  # the person's answers leave working memory at once
                if len(engine.facts) != 1 or engine.agenda.activations:
                    engine.reset()  # anything left over would leak into the next case
                engine.fired = []
                engine.run_now = run = None
        except BaseException:
            raise  # an engine that failed mid-run is dropped, never reused
        else:
            self._give_back(engine)
        return tuple(fired)

    def fire_plain(self, case: Case) -> tuple[int, ...]:
        """The same decisions in plain Python: the speed floor and a cross-check."""
        return tuple(i for i, rule in enumerate(self.rules) if rule.condition.holds(case))
