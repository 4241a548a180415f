"""The knowledge's conditions as generated Python, for experta's coarse rules to call.

A parsed ``Condition`` evaluates through a tree of closures: for each atom a reader, a
comparison and a test, each a call (``rules/conditions.py``). That tree was half of an
assessment's fire. Here each condition's ``source`` (the YAML it was parsed from, sets
already expanded) is written out once as one Python function with the same three-valued
(Kleene) logic, line for line the logic of ``conditions.py``: ``all`` is false on a false
part, else unknown on an unknown part, else true; ``any`` the mirror; ``not`` keeps
unknown; an atom whose value is missing is unknown, one whose value is a ``Between``
(a count known only within bounds) goes through ``conditions.between``, as parsed ones do.

What is written, and what is not:

* only the connectives and atoms ``parse_condition`` produces (``all``, ``any``, ``not``,
  ``always``, ``answer``/``fact`` with one comparison of the kind it checks). A condition
  with anything else in it (``otherwise``, a generated time-limit gate, a value of an
  unexpected type) is not written out: its own ``evaluate`` is called instead, so nothing
  this module does not know is ever guessed at;
* no text from the knowledge enters the generated code: question ids, fact names and the
  values compared with are passed in as constants (``k0``, ``k1``, ...); the code holds only
  names made here, numbers and operators. ``exec`` runs code this module wrote from that
  fixed vocabulary.

The plain-Python floor (``RuleRunner.fire_plain``) keeps calling the parsed conditions, so
tests/test_engine.py checks the generated code against them on every scenario, and
tests/test_codegen.py on every rule for generated answers.
"""

from __future__ import annotations

import typing as t

from .cache import compiled
from .conditions import Between
from .conditions import Case
from .conditions import Condition
from .conditions import between
from .conditions import comparison_test

_SCALAR_TESTS = {
    "is": "bool(v == {k})",
    "at_least": "bool(v >= {k})",
    "on_or_after": "bool(v >= {k})",
    "at_most": "bool(v <= {k})",
    "over": "bool(v > {k})",
    "after": "bool(v > {k})",
    "below": "bool(v < {k})",
    "before": "bool(v < {k})",
}
_LIST_TESTS = {
    "in": "(v in {k})",
    "includes_any": "(not {k}.isdisjoint(v))",
    "includes_all": "{k}.issubset(v)",
}


class _Unsupported(Exception):
    """A condition this module does not write out; its own evaluate is used."""


def _key(node: t.Any) -> str:
    """A node as a key: its repr, which tells 1, True and "1" apart, and a date from its
    text (the source holds only dicts, lists, strings, numbers, booleans and dates)."""
    return repr(node)


class _Writer:
    """Writes each distinct node once (the same atom recurs in many conditions); an atom
    inside ``all`` or ``any`` is written inline, a connective as a function of its own."""

    def __init__(self) -> None:
        self.constants: dict[str, t.Any] = {"Between": Between, "between": between}
        self.functions: list[str] = []
        self.written: dict[str, str] = {}
        self.bodies: dict[str, list[str]] = {}  # each function's body, for its case-taking twin

    def constant(self, value: t.Any) -> str:
        name = f"k{len(self.constants)}"
        self.constants[name] = value
        return name

    def function(self, node: t.Any) -> str:
        """Write a function ``cN(A, F)`` for the node (once); return its name."""
        key = _key(node)
        found = self.written.get(key)
        if found is not None:
            return found
        if node == "always":
            lines = ["    return True"]
        elif not isinstance(node, dict):
            raise _Unsupported(node)
        elif set(node) in ({"all"}, {"any"}):
            kind = "all" if "all" in node else "any"
            items = node[kind]
            if not isinstance(items, list) or not items:
                raise _Unsupported(node)
            stop, start = ("False", "True") if kind == "all" else ("True", "False")
            lines = [f"    r = {start}"]
            for item in items:
                if isinstance(item, dict) and ({"answer", "fact"} & set(item)):
                    lines += self.atom_part(item, stop)
                else:
                    part = self.function(item)
                    lines += [f"    v = {part}(A, F)", f"    if v is {stop}:", f"        return {stop}",
                              "    elif v is None:", "        r = None"]
            lines.append("    return r")
        elif set(node) == {"not"}:
            part = self.function(node["not"])
            lines = [f"    v = {part}(A, F)", "    return None if v is None else not v"]
        else:
            lines = self.atom(node)
        name = self.written[key] = f"c{len(self.functions)}"
        self.functions.append("\n".join([f"def {name}(A, F):", *lines]))
        self.bodies[name] = lines
        return name

    def on_case(self, name: str) -> str:
        """A twin of ``name`` taking the case itself (one call fewer for each evaluation)."""
        twin = f"e{name[1:]}"
        if twin not in self.bodies:
            self.bodies[twin] = self.bodies[name]
            self.functions.append("\n".join([f"def {twin}(case):", "    A = case.answers", "    F = case.facts",
                                             *self.bodies[name]]))
        return twin

    def _parts(self, node: dict[str, t.Any]) -> tuple[str, str, t.Any, str | None, str | None]:
        """(read, op, value, expression on ``v``, the test's constant) for an atom."""
        subjects = [k for k in ("answer", "fact") if k in node]
        if len(subjects) != 1 or len(node) != 2:
            raise _Unsupported(node)
        subject = subjects[0]
        (op,) = (k for k in node if k != subject)
        value = node[op]
        name = node[subject]
        if not isinstance(name, str):
            raise _Unsupported(node)
        read = f"{'A' if subject == 'answer' else 'F'}.get({self.constant(name)})"
        if op == "answered":
            if not isinstance(value, bool):
                raise _Unsupported(node)
            return read, op, value, None, None
        if op in _LIST_TESTS:
            if not isinstance(value, list) or not value:
                raise _Unsupported(node)
            expression = _LIST_TESTS[op].format(k=self.constant(frozenset(value)))
        elif op in _SCALAR_TESTS:
            if isinstance(value, (list, dict)):
                raise _Unsupported(node)
            expression = _SCALAR_TESTS[op].format(k=self.constant(value))
        else:
            raise _Unsupported(node)
        return read, op, value, expression, self.constant(comparison_test(op, value))

    def atom(self, node: dict[str, t.Any]) -> list[str]:
        """The body of a function for an atom on its own."""
        read, op, value, expression, test = self._parts(node)
        if expression is None:
            return [f"    return ({read} is not None) is {value!r}"]
        return [f"    v = {read}",
                "    if v is None:",
                "        return None",
                "    if isinstance(v, Between):",
                f"        return between({self.constant(op)}, {self.constant(value)}, {test}, v)",
                f"    return {expression}"]

    def atom_part(self, node: dict[str, t.Any], stop: str) -> list[str]:
        """An atom inside ``all`` (``stop`` False) or ``any`` (True), inline: returns ``stop``
        when the atom gives it, sets ``r`` to None when the atom is unknown."""
        read, op, value, expression, test = self._parts(node)
        if expression is None:  # answered: never unknown
            return [f"    if ({read} is not None) is {'not ' if stop == 'False' else ''}{value!r}:",
                    f"        return {stop}"]
        return [f"    v = {read}",
                "    if v is None:",
                "        r = None",
                "    elif isinstance(v, Between):",
                f"        v = between({self.constant(op)}, {self.constant(value)}, {test}, v)",
                f"        if v is {stop}:",
                f"            return {stop}",
                "        elif v is None:",
                "            r = None",
                f"    elif {'not ' if stop == 'False' else ''}{expression}:",
                f"        return {stop}"]


def _compile(conditions: t.Sequence[Condition], on_case: bool = False) -> list[tuple[bool, t.Callable[..., bool | None]]]:
    """For each condition (True, its generated ``f(answers, facts)``, or ``f(case)`` with
    ``on_case``), or (False, its own ``evaluate(case)``) when this module does not write it out."""
    writer = _Writer()
    roots: list[str | None] = []
    for condition in conditions:
        try:  # a function is kept only once written whole, so a failed one leaves nothing behind
            roots.append(writer.function(condition.source))
        except _Unsupported:
            roots.append(None)
    if on_case:
        roots = [None if root is None else writer.on_case(root) for root in roots]
    namespace = dict(writer.constants)
    exec(compiled("\n\n".join(writer.functions), "<rules.codegen>"), namespace)  # nosec B102  # code written here from a fixed vocabulary, no knowledge text
    return [(True, namespace[root]) if root is not None else (False, condition.evaluate)
            for condition, root in zip(conditions, roots, strict=True)]


def compile_conditions(conditions: t.Sequence[Condition]) -> list[t.Callable[[Case], bool | None]]:
    """An evaluator for each condition that gives what its ``evaluate`` gives: generated
    where this module can write it, the condition's own ``evaluate`` where it cannot."""
    return [function for _generated, function in _compile(conditions, on_case=True)]


def generated_share(conditions: t.Sequence[Condition]) -> tuple[int, int]:
    """(how many of the conditions are written out, how many in all)."""
    compiled = _compile(conditions)
    return sum(1 for generated, _ in compiled if generated), len(compiled)


def members_test(conditions: t.Sequence[Condition], indices: t.Sequence[int]) -> t.Callable[[Case], list[int]]:
    """One function giving, of ``indices`` (in their order), those whose condition holds (is
    True) for the case: what a coarse rule's pattern test records."""
    lines = ["def held(case):", "    A = case.answers", "    F = case.facts", "    out = []"]
    namespace: dict[str, t.Any] = {}
    for n, (index, (generated, function)) in enumerate(zip(indices, _compile(conditions), strict=True)):
        namespace[f"f{n}"] = function
        call = f"f{n}(A, F)" if generated else f"f{n}(case)"
        lines += [f"    if {call} is True:", f"        out.append({int(index)})"]
    lines.append("    return out")
    exec(compiled("\n".join(lines), "<rules.codegen.held>"), namespace)  # nosec B102  # code written here: names and numbers only
    return t.cast(t.Callable[[Case], list[int]], namespace["held"])
