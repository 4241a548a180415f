"""The small condition language the knowledge files are written in.

A condition is YAML a lawyer can read::

    {all: [{answer: relationship, in: [former_partner]},
           {fact: occasions, at_least: 2}]}

Connectives: ``all``, ``any``, ``not``; the word ``always``. Atoms name one ``answer`` (a
question id) or one ``fact`` (a value derived from the answers, see ``course_of_conduct``)
and one comparison: ``is``, ``in``, ``includes_any``, ``includes_all``, ``at_least``,
``at_most``, ``over``, ``below``, ``before``, ``after``, ``on_or_after``, ``answered``.

Evaluation is three-valued (Kleene): an atom whose answer is missing is ``None`` ("we do
not know"), and ``None`` only becomes true or false when the rest of the condition decides
it. A rule fires only when its condition is ``True``; so ``not_met`` rules fire on what the
person said, never on what they left out, and what is left out is reported as missing.

Conditions are parsed once at load (unknown questions, options and facts are load errors)
and compiled to closures, which the experta rules call and the plain-Python floor reuses.
"""

from __future__ import annotations

import datetime as dt
import typing as t
from dataclasses import dataclass

Truth = bool | None

COMPARISONS = (
    "is",
    "in",
    "includes_any",
    "includes_all",
    "at_least",
    "at_most",
    "over",
    "below",
    "before",
    "after",
    "on_or_after",
    "answered",
)

# Which comparisons make sense for which kind of value.
_FOR_KIND: dict[str, frozenset[str]] = {
    "boolean": frozenset({"is", "answered"}),
    "choice": frozenset({"is", "in", "answered"}),
    "multi_choice": frozenset({"includes_any", "includes_all", "answered"}),
    "integer": frozenset({"is", "in", "at_least", "at_most", "over", "below", "answered"}),
    "date": frozenset({"before", "after", "on_or_after", "answered"}),
    "text": frozenset({"answered"}),
    "incidents": frozenset({"answered"}),
}


class OptionLike(t.Protocol):
    """What a condition needs of an option: its id."""

    @property
    def id(self) -> str: ...


class QuestionLike(t.Protocol):
    """What a condition needs of a question: its type and its options.

    A protocol, so this module checks atoms against the questions without importing the
    model (which imports this module for ``Condition``).
    """

    @property
    def type(self) -> str: ...

    @property
    def options(self) -> t.Sequence[OptionLike]: ...


class Case:
    """Everything a rule may look at for one assessment: answers, derived facts, as-at date.

    Compared by identity on purpose: experta compares facts field by field while it
    matches, and comparing a whole set of answers costs far more than the rules themselves.
    """

    __slots__ = ("answers", "facts", "as_at", "__weakref__")

    def __init__(
        self,
        answers: t.Mapping[str, t.Any],
        facts: t.Mapping[str, t.Any],
        as_at: dt.date,
    ) -> None:
        self.answers = answers
        self.facts = facts
        self.as_at = as_at


Evaluate = t.Callable[[Case], Truth]


@dataclass(frozen=True)
class Between:
    """A count known only within bounds: some incidents say, others do not.

    A comparison holds (or fails) only if it does for every count in the bounds; otherwise
    it is unknown. So two incidents with fear and one that does not say still meet "at
    least two", while one with fear and one that does not say leaves it open.
    """

    low: int
    high: int


def known(value: t.Any) -> bool:
    """Whether a fact's value is settled (not missing and not only bounded)."""
    return value is not None and not isinstance(value, Between)


@dataclass(frozen=True)
class Condition:
    """A parsed condition: the YAML it came from, its evaluator and what it reads."""

    source: t.Any
    evaluate: Evaluate
    answers: frozenset[str]
    facts: frozenset[str]

    def holds(self, case: Case) -> bool:
        """True only when the condition is known to hold (``None`` is not enough)."""
        return self.evaluate(case) is True


def _always(case: Case) -> Truth:
    return True


ALWAYS = Condition("always", _always, frozenset(), frozenset())


def otherwise(met: t.Sequence[Condition]) -> Condition:
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


class ConditionError(ValueError):
    """A condition is malformed. ``path`` says where inside it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class FactSpec:
    """A derived fact that conditions may read: its kind, and the questions it comes from."""

    name: str
    kind: str
    sources: tuple[str, ...]
    description: str


#: Named sets: a list of options used in several conditions, defined once in
#: knowledge/sets.yaml. Each name maps to (the question whose options it lists, the options).
NamedSets = t.Mapping[str, tuple[str, tuple[str, ...]]]
_LIST_COMPARISONS = ("in", "includes_any", "includes_all")


def expand_sets(node: t.Any, sets: NamedSets, path: str = "") -> t.Any:
    """The condition with each ``{set: name}`` replaced by the options the set lists.

    A set may stand for the list of ``in``, ``includes_any`` or ``includes_all``, and only
    in an atom about the question whose options it lists.
    """
    if isinstance(node, list):
        return [expand_sets(item, sets, f"{path}[{i}]") for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        where = f"{path}.{key}"
        if key in _LIST_COMPARISONS and isinstance(value, dict):
            if set(value) != {"set"}:
                raise ConditionError(where, "a list written as a mapping must be {set: name}")
            named = sets.get(value["set"])
            if named is None:
                raise ConditionError(f"{where}.set", f"unknown set '{value['set']}'; sets are defined in sets.yaml")
            if node.get("answer") != named[0]:
                raise ConditionError(f"{where}.set", f"set '{value['set']}' lists options of '{named[0]}', "
                                                     f"not of '{node.get('answer') or node.get('fact')}'")
            out[key] = list(named[1])
        else:
            out[key] = expand_sets(value, sets, where) if key in ("all", "any", "not") else value
    return out


def parse_condition(
    node: t.Any,
    questions: t.Mapping[str, QuestionLike],
    facts: t.Mapping[str, FactSpec],
    path: str = "",
    sets: NamedSets | None = None,
) -> Condition:
    """Parse and check one condition; raise ConditionError naming the bad part."""
    if sets:
        node = expand_sets(node, sets, path)
    if node == "always":
        return ALWAYS
    if not isinstance(node, dict) or not node:
        raise ConditionError(path, "a condition must be 'always' or a mapping")
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        if set(node) != {key}:
            raise ConditionError(path, f"'{key}' must stand alone; found {sorted(node)}")
        items = node[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{path}.{key}", "must be a non-empty list of conditions")
        parts = [
            parse_condition(item, questions, facts, f"{path}.{key}[{i}]")
            for i, item in enumerate(items)
        ]
        evaluators = [p.evaluate for p in parts]
        evaluate = _all(evaluators) if key == "all" else _any(evaluators)
        return Condition(
            node,
            evaluate,
            frozenset().union(*(p.answers for p in parts)),
            frozenset().union(*(p.facts for p in parts)),
        )
    if "not" in node:
        if set(node) != {"not"}:
            raise ConditionError(path, f"'not' must stand alone; found {sorted(node)}")
        inner = parse_condition(node["not"], questions, facts, f"{path}.not")
        return Condition(node, _not(inner.evaluate), inner.answers, inner.facts)
    return _parse_atom(node, questions, facts, path)


def _parse_atom(
    node: dict[str, t.Any],
    questions: t.Mapping[str, QuestionLike],
    facts: t.Mapping[str, FactSpec],
    path: str,
) -> Condition:
    subjects = [k for k in ("answer", "fact") if k in node]
    if len(subjects) != 1:
        raise ConditionError(path, "an atom names exactly one 'answer' or one 'fact'")
    subject = subjects[0]
    name = node[subject]
    comparisons = [k for k in node if k != subject]
    if len(comparisons) != 1 or comparisons[0] not in COMPARISONS:
        raise ConditionError(
            path,
            f"an atom needs exactly one comparison out of {', '.join(COMPARISONS)}; found {comparisons}",
        )
    op = comparisons[0]
    value = node[op]

    options: frozenset[str] | None = None
    if subject == "answer":
        question = questions.get(name)
        if question is None:
            raise ConditionError(f"{path}.answer", f"unknown question '{name}'")
        kind = question.type
        if question.options:
            options = frozenset(o.id for o in question.options)
    else:
        spec = facts.get(name)
        if spec is None:
            raise ConditionError(f"{path}.fact", f"unknown fact '{name}'; known facts: {', '.join(sorted(facts))}")
        kind = spec.kind

    if op not in _FOR_KIND[kind]:
        raise ConditionError(f"{path}.{op}", f"'{op}' cannot be used with {subject} '{name}', which is a {kind}")
    _check_value(op, value, kind, options, f"{path}.{op}")

    read: t.Callable[[Case], t.Any]
    if subject == "answer":
        read = _answer_reader(name)
    else:
        read = _fact_reader(name)
    evaluate = _comparison(op, value, read)
    if subject == "answer":
        return Condition(node, evaluate, frozenset({name}), frozenset())
    return Condition(node, evaluate, frozenset(), frozenset({name}))


def _check_value(op: str, value: t.Any, kind: str, options: frozenset[str] | None, path: str) -> None:
    if op == "answered":
        if not isinstance(value, bool):
            raise ConditionError(path, "'answered' takes true or false")
        return
    if op in ("in", "includes_any", "includes_all"):
        if not isinstance(value, list) or not value:
            raise ConditionError(path, f"'{op}' takes a non-empty list")
        values = value
    else:
        values = [value]
    for v in values:
        if kind == "boolean" and not isinstance(v, bool):
            raise ConditionError(path, f"expected true or false, got {v!r}")
        if kind == "integer" and (isinstance(v, bool) or not isinstance(v, int)):
            raise ConditionError(path, f"expected a whole number, got {v!r}")
        if kind == "date" and not isinstance(v, dt.date):
            raise ConditionError(path, f"expected a date (YYYY-MM-DD), got {v!r}")
        if kind in ("choice", "multi_choice") and options is not None and v not in options:
            raise ConditionError(path, f"'{v}' is not one of the options: {', '.join(sorted(options))}")


def _answer_reader(name: str) -> t.Callable[[Case], t.Any]:
    def read(case: Case) -> t.Any:
        return case.answers.get(name)

    return read


def _fact_reader(name: str) -> t.Callable[[Case], t.Any]:
    def read(case: Case) -> t.Any:
        return case.facts.get(name)

    return read


def _comparison(op: str, value: t.Any, read: t.Callable[[Case], t.Any]) -> Evaluate:
    if op == "answered":
        want = bool(value)
        return lambda case: (read(case) is not None) is want
    test = comparison_test(op, value)

    def evaluate(case: Case) -> Truth:
        v = read(case)
        if v is None:
            return None
        if isinstance(v, Between):
            return between(op, value, test, v)
        return test(v)

    return evaluate


def between(op: str, value: t.Any, test: t.Callable[[t.Any], bool], v: Between) -> Truth:
    """A comparison on a count known only within bounds: decided when both bounds agree;
    "is"/"in" on a range holding a wanted value is unknown, on one holding none false."""
    low, high = test(v.low), test(v.high)
    if op in ("is", "in") and v.low != v.high:
        wanted = value if isinstance(value, list) else [value]
        return None if any(v.low <= w <= v.high for w in wanted) else False
    return low if low == high else None


def comparison_test(op: str, value: t.Any) -> t.Callable[[t.Any], bool]:
    """The comparison itself, on a value that is known (here and in rules/codegen.py)."""
    if op == "is":
        return lambda v: bool(v == value)
    if op == "in":
        allowed = frozenset(value)
        return lambda v: v in allowed
    if op == "includes_any":
        wanted = frozenset(value)
        return lambda v: not wanted.isdisjoint(v)
    if op == "includes_all":
        wanted = frozenset(value)
        return lambda v: wanted.issubset(v)
    if op in ("at_least", "on_or_after"):
        return lambda v: bool(v >= value)
    if op == "at_most":
        return lambda v: bool(v <= value)
    if op in ("over", "after"):
        return lambda v: bool(v > value)
    if op in ("below", "before"):
        return lambda v: bool(v < value)
    raise AssertionError(op)  # parse_condition only lets known comparisons through


def _all(parts: list[Evaluate]) -> Evaluate:
    def evaluate(case: Case) -> Truth:
        result: Truth = True
        for part in parts:
            value = part(case)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    return evaluate


def _any(parts: list[Evaluate]) -> Evaluate:
    def evaluate(case: Case) -> Truth:
        result: Truth = False
        for part in parts:
            value = part(case)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    return evaluate


def _not(inner: Evaluate) -> Evaluate:
    def evaluate(case: Case) -> Truth:
        value = inner(case)
        return None if value is None else not value

    return evaluate
