"""The compiled-code cache (rules/cache.py) only ever saves time: a copy that fails a check is never run."""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

import pytest

from rules import cache

SOURCE = "def answer():\n    return 42\n"


def _run(code: t.Any) -> t.Any:
    namespace: dict[str, t.Any] = {}
    exec(code, namespace)  # noqa: S102  # the test's own source
    return namespace["answer"]()


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("RULES_CACHE_DIR", str(where))
    return where


def test_compiled_code_is_kept_and_used_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(cache.compiled(SOURCE, "<test>")) == 42
    (kept,) = folder.iterdir()
    assert kept.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    monkeypatch.setattr("builtins.compile", lambda *a, **k: pytest.fail("compiled again"))
    assert _run(cache.compiled(SOURCE, "<test>")) == 42


def test_another_source_is_never_given_the_kept_code(folder: Path) -> None:
    cache.compiled(SOURCE, "<test>")
    assert _run(cache.compiled(SOURCE.replace("42", "7"), "<test>")) == 7


def test_a_tampered_copy_is_ignored_and_replaced(folder: Path) -> None:
    cache.compiled(SOURCE, "<test>")
    (kept,) = folder.iterdir()
    other = compile(SOURCE.replace("42", "666"), "<test>", "exec")
    import marshal

    data = kept.read_bytes()
    payload = marshal.dumps(other)
    kept.write_bytes(data[: len(data) - len(marshal.dumps(compile(SOURCE, "<test>", "exec")))] + payload)
    assert _run(cache.compiled(SOURCE, "<test>")) == 42  # the payload's digest no longer matches
    kept.write_bytes(b"garbage")
    assert _run(cache.compiled(SOURCE, "<test>")) == 42
    assert kept.read_bytes().startswith(cache._MAGIC)  # rewritten


def test_a_folder_others_can_write_is_not_trusted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.compiled(SOURCE, "<test>")
    os.chmod(folder, 0o777)
    calls: list[int] = []
    real = compile
    monkeypatch.setattr("builtins.compile", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert _run(cache.compiled(SOURCE, "<test>")) == 42
    assert calls, "compiled afresh rather than read from a folder anyone may write"
    os.chmod(folder, 0o700)
    (kept,) = folder.iterdir()
    os.chmod(kept, 0o666)
    calls.clear()
    assert _run(cache.compiled(SOURCE, "<test>")) == 42
    assert calls, "compiled afresh rather than read from a file anyone may write"


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RULES_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    assert _run(cache.compiled(SOURCE, "<test>")) == 42


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("RULES_CACHE_DIR", str(blocked / "cache"))
    assert _run(cache.compiled(SOURCE, "<test>")) == 42
