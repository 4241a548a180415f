"""The checked knowledge, kept between runs: ``load_knowledge`` without reading the YAML again.

Loading and checking knowledge/ (about 120 YAML files) is most of a one-shot ``python -m
rules assess``. ``load_knowledge`` here wraps ``rules.loader.load_knowledge`` (it changes
nothing inside the loader): the first load stores the KnowledgeBase it returns; a later one
with the same inputs reads it back.

**Same inputs.** The file is found by a SHA-256 of every file of the knowledge folder (and
of a deployment's ``--services`` folder), of every module of this package (a change to the
loader's code is a change of inputs), of this Python's version and of today's date (the
loader reads it). Any difference and the knowledge is loaded and checked afresh.

**Conditions.** A condition's evaluator is a closure, which pickle cannot keep; each is
stored as its source and rebuilt on reading with ``rules/codegen.py`` (the same values,
tests/test_codegen.py), a generated time-limit gate through ``rules.gates`` from its time
limit. A knowledge base with any condition this module cannot rebuild exactly (checked when
storing: the source is written out by codegen and reads the same answers and facts; the
gate rebuilds with the same source) is not stored, so it is always loaded afresh.

**A tampered file cannot run code.** It is read only from a folder and a file owned by the
user and writable by no one else (rules/cache.py's rule, as Python trusts ``__pycache__``),
only if its payload matches the digest it carries, and with an unpickler that refuses every
class but the knowledge model's own, its conditions, dates and this module's rebuilders: a
pickle naming anything else (``os.system``, ``builtins.eval``...) fails, and the knowledge
is loaded afresh. ``RULES_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle  # nosec B403  # read only through _Unpickler, which admits the knowledge model's classes alone
import sys
import threading
import typing as t
from pathlib import Path

from . import cache
from . import codegen
from . import conditions
from . import gates
from . import loader
from .conditions import Case
from .conditions import Condition
from .model import KnowledgeBase
from .model import TimeLimit

_MAGIC = b"rules-knowledge-cache-1\n"
_PACKAGE = Path(__file__).resolve().parent


def load_knowledge(path: str | Path | None = None, *, services: str | Path | None = None) -> KnowledgeBase:
    """``rules.loader.load_knowledge``, from the cache when a trusted copy of the same inputs is
    there (raises KnowledgeError as it does: a knowledge base with problems is never stored)."""
    folder = cache.cache_dir() if hasattr(os, "getuid") else None
    if folder is None:
        return loader.load_knowledge(path, services=services)
    try:
        key = inputs_digest(Path(path) if path is not None else loader.DEFAULT_PATH,
                            Path(services) if services is not None else None)
    except OSError:
        return loader.load_knowledge(path, services=services)
    file = folder / f"knowledge-{key.hex()[:32]}.pickle"
    found = _read(folder, file, key)
    if found is not None:
        return found
    kb = loader.load_knowledge(path, services=services)
    _write(folder, file, key, kb)
    return kb


def inputs_digest(root: Path, services: Path | None) -> bytes:
    """What a load depends on: the knowledge files, the services folder, this package's code,
    the Python version and today's date."""
    digest = hashlib.sha256()
    digest.update(f"{sys.implementation.cache_tag}|{dt.date.today().isoformat()}|".encode())
    for label, folder, pattern in (("knowledge", root, "*"), ("services", services, "*"), ("code", _PACKAGE, "*.py")):
        if folder is None:
            continue
        folder = folder.resolve()
        digest.update(f"[{label}:{folder}]".encode())
        for file in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            data = file.read_bytes()
            digest.update(f"{file.relative_to(folder)}|{len(data)}|".encode())
            digest.update(data)
    return digest.digest()


# -- storing ------------------------------------------------------------------------------------
class _Unstorable(Exception):
    """The knowledge holds something this module cannot rebuild exactly."""


def _reads(node: t.Any) -> tuple[frozenset[str], frozenset[str]]:
    """The answers and facts a standard condition's source reads (as parse_condition records)."""
    answers: set[str] = set()
    facts: set[str] = set()

    def walk(n: t.Any) -> None:
        if isinstance(n, list):
            for item in n:
                walk(item)
        elif isinstance(n, dict):
            if "answer" in n:
                answers.add(n["answer"])
            elif "fact" in n:
                facts.add(n["fact"])
            for key in ("all", "any", "not"):
                if key in n:
                    walk(n[key])

    walk(node)
    return frozenset(answers), frozenset(facts)


class _Pickler(pickle.Pickler):
    def __init__(self, file: t.IO[bytes], limits: dict[int, TimeLimit]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.limits = limits

    def reducer_override(self, obj: t.Any) -> t.Any:
        if obj.__class__ is not Condition:
            if callable(obj) and not isinstance(obj, type) and obj not in _REBUILDERS:
                raise _Unstorable(f"a function: {obj!r}")
            return NotImplemented
        limit = self.limits.get(id(obj))
        if limit is not None:
            if gates.time_limit_passed(limit).source != obj.source:
                raise _Unstorable("a time-limit gate not built by rules.gates.time_limit_passed")
            return _time_limit_condition, (limit,)
        if obj is conditions.ALWAYS:
            return _always, ()
        codegen._Writer().function(obj.source)  # raises _Unsupported for anything else
        if _reads(obj.source) != (obj.answers, obj.facts):
            raise _Unstorable(f"a condition reading other than its source: {obj.source!r}")
        return _standard_condition, (obj.source, obj.answers, obj.facts)


def _limits(kb: KnowledgeBase) -> dict[int, TimeLimit]:
    """Each generated time-limit gate's condition, by identity, with its provision's time limit."""
    out: dict[int, TimeLimit] = {}
    for p in kb.provisions:
        for x in p.exceptions:
            source = x.when.source
            if isinstance(source, dict) and "time_limit_passed" in source and p.time_limit is not None:
                out[id(x.when)] = p.time_limit
    return out


def _write(folder: Path, file: Path, key: bytes, kb: KnowledgeBase) -> None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, _limits(kb)).dump(kb)
    except (_Unstorable, codegen._Unsupported, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # loaded afresh every time: nothing is stored that could not be rebuilt exactly
    cache.write_trusted(folder, file, _MAGIC, key, buffer.getvalue())


# -- reading ------------------------------------------------------------------------------------
#: The only globals a stored knowledge base may name: the model, conditions, dates, containers
#: and this module's rebuilders. Anything else fails the read.
_ALLOWED_MODULES = ("rules.model",)
_ALLOWED = {
    ("rules.conditions", "Condition"), ("rules.conditions", "Between"), ("datetime", "date"),
    ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "tuple"), ("builtins", "dict"),
    ("builtins", "list"), ("copyreg", "_reconstructor"), ("builtins", "object"),
    ("rules.knowledge_cache", "_standard_condition"), ("rules.knowledge_cache", "_time_limit_condition"),
    ("rules.knowledge_cache", "_always"),
}


class _Unpickler(pickle.Unpickler):  # nosec B301  # a restricted unpickler: find_class admits only _ALLOWED
    def find_class(self, module: str, name: str) -> t.Any:
        if (module, name) in _ALLOWED or (module in _ALLOWED_MODULES and not name.startswith("_")):
            found = super().find_class(module, name)
            if module in _ALLOWED_MODULES and not isinstance(found, type):
                raise pickle.UnpicklingError(f"{module}.{name} is not a class")
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of the knowledge")


_loading = threading.local()


def _standard_condition(source: t.Any, answers: frozenset[str], facts: frozenset[str]) -> Condition:
    """A condition rebuilt from its source; its evaluator is filled in once the whole knowledge
    is read (every condition is written out by codegen at once)."""
    cell: list[t.Callable[[Case], bool | None]] = []

    def evaluate(case: Case) -> bool | None:
        return cell[0](case)

    condition = Condition(source, evaluate, answers, facts)
    _loading.pending.append((condition, cell))
    return condition


def _time_limit_condition(limit: TimeLimit) -> Condition:
    return gates.time_limit_passed(limit)


def _always() -> Condition:
    return conditions.ALWAYS


_REBUILDERS = (_standard_condition, _time_limit_condition, _always)


def _read(folder: Path, file: Path, key: bytes) -> KnowledgeBase | None:
    payload = cache.read_trusted(folder, file, _MAGIC, key)
    if payload is None:
        return None
    _loading.pending = []
    try:
        kb = _Unpickler(io.BytesIO(payload)).load()
        if not isinstance(kb, KnowledgeBase):
            return None
        pending = _loading.pending
        rebuilt = [c for c, _ in pending]
        for condition, (_, cell), evaluate in zip(rebuilt, pending, codegen.compile_conditions(rebuilt), strict=True):
            if evaluate is condition.evaluate:  # not written out: stored by mistake, so not used
                return None
            cell.append(evaluate)
    except Exception:  # noqa: BLE001  # any failure to read a stored copy means loading afresh
        return None
    finally:
        _loading.pending = []
    return kb
