"""The knowledge kept between runs (rules/knowledge_cache.py) decides exactly as a fresh load,
and a stored copy that fails any check, or names anything but the knowledge, is never used."""

from __future__ import annotations

import os
import pickle
import shutil
import typing as t
from pathlib import Path

import pytest

import rules
from rules import knowledge_cache
from rules.conditions import Condition
from rules.loader import DEFAULT_PATH
from rules.service import Assessor

from .test_engine import _scenario_answers


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("RULES_CACHE_DIR", str(where))
    return where


def _stored(folder: Path) -> Path:
    (found,) = folder.glob("knowledge-*.pickle")
    return found


def test_a_stored_knowledge_base_decides_as_a_fresh_load(folder: Path) -> None:
    fresh = rules.load_knowledge()
    knowledge_cache.load_knowledge()
    stored = _stored(folder)
    kept = knowledge_cache.load_knowledge()
    assert kept is not fresh and stored.exists()
    assert kept.version == fresh.version and len(kept.provisions) == len(fresh.provisions)
    a, b = Assessor(fresh), Assessor(kept)
    for answers, as_at in _scenario_answers():
        assert a.assess(answers, as_at).to_dict() == b.assess(answers, as_at).to_dict(), answers
    for answers, as_at in _scenario_answers()[::9]:
        first, second = a.interview(answers, as_at), b.interview(answers, as_at)
        assert [q.id for q in first.worth_asking] == [q.id for q in second.worth_asking]
        assert first.could_change == second.could_change
    # Every condition reads what it did, and gives the same value (ask_when, risk, services...).
    case = a.case(_scenario_answers()[0][0], _scenario_answers()[0][1])
    for q, r in zip(fresh.questions, kept.questions, strict=True):
        assert (q.ask_when is None) == (r.ask_when is None)
        if q.ask_when is not None and r.ask_when is not None:
            assert (q.ask_when.source, q.ask_when.answers, q.ask_when.facts) == \
                   (r.ask_when.source, r.ask_when.answers, r.ask_when.facts)
            assert q.ask_when.evaluate(case) is r.ask_when.evaluate(case)


def test_another_knowledge_folder_is_another_entry(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_PATH, copy)
    first = knowledge_cache.load_knowledge(copy)
    meta = copy / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    knowledge_cache.load_knowledge(copy)
    assert len(list(folder.glob("knowledge-*.pickle"))) == 2
    assert knowledge_cache.load_knowledge(copy).version == first.version


def test_a_tampered_copy_is_never_used(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge_cache.load_knowledge()
    stored = _stored(folder)
    data = stored.read_bytes()
    stored.write_bytes(data[:-10] + bytes(10))  # the payload no longer matches its digest
    loads: list[int] = []
    real = knowledge_cache.loader.load_knowledge
    monkeypatch.setattr(knowledge_cache.loader, "load_knowledge", lambda *a, **k: loads.append(1) or real(*a, **k))
    assert knowledge_cache.load_knowledge().version
    assert loads == [1]


def test_a_copy_naming_anything_but_the_knowledge_runs_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge_cache.load_knowledge()
    stored = _stored(folder)
    key = knowledge_cache.inputs_digest(DEFAULT_PATH, None)

    class Evil:
        def __reduce__(self) -> tuple[t.Any, ...]:
            return (os.system, ("touch " + str(folder / "pwned"),))

    import hashlib

    payload = pickle.dumps(Evil())
    stored.write_bytes(knowledge_cache._MAGIC + key + hashlib.sha256(payload).digest() + payload)
    assert knowledge_cache.load_knowledge().version  # loaded afresh
    assert not (folder / "pwned").exists()


def test_a_folder_others_can_write_is_not_read(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge_cache.load_knowledge()
    os.chmod(folder, 0o777)
    loads: list[int] = []
    real = knowledge_cache.loader.load_knowledge
    monkeypatch.setattr(knowledge_cache.loader, "load_knowledge", lambda *a, **k: loads.append(1) or real(*a, **k))
    knowledge_cache.load_knowledge()
    assert loads == [1]


def test_a_condition_it_cannot_rebuild_is_never_stored(folder: Path) -> None:
    import io

    odd = Condition({"otherwise": [{"answer": "place", "is": "england"}]}, lambda case: None, frozenset({"place"}),
                    frozenset())
    with pytest.raises(Exception):  # noqa: B017, PT011  # _Unsupported or _Unstorable
        knowledge_cache._Pickler(io.BytesIO(), {}).dump(odd)
    wrong_reads = Condition({"answer": "place", "is": "england"}, lambda case: None, frozenset(), frozenset())
    with pytest.raises(knowledge_cache._Unstorable):
        knowledge_cache._Pickler(io.BytesIO(), {}).dump(wrong_reads)


def test_problems_in_the_knowledge_are_reported_as_ever(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_PATH, copy)
    (copy / "meta.yaml").write_text("not: [valid", encoding="utf-8")
    with pytest.raises(rules.KnowledgeError):
        knowledge_cache.load_knowledge(copy)
    assert not list(folder.glob("knowledge-*.pickle"))
