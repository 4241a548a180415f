"""A cache of compiled code, kept between runs, trusted only where Python trusts its own.

``rules/codegen.py`` writes the knowledge's conditions out as Python; compiling that text
costs about a tenth of a second, on every start of the web app and of every ``python -m
rules`` call. Here the compiled code object is kept (``marshal``, as Python keeps ``.pyc``
files) and used again while the text is the same.

Why a cached file cannot change what runs:

* it is looked up by the SHA-256 of the exact source text and of this Python's bytecode
  version, and read only if it names that same source digest and its payload matches the
  payload digest it carries (a truncated, corrupt or stale file is ignored and rewritten);
* it is read only from a folder and a file owned by the user running the code and writable
  by nobody else (not a symlink), which is the trust Python gives its own ``__pycache__``:
  anyone who could write there could already change the code itself. A cache that fails any
  check is never loaded; the source is compiled instead, so the cache can only save time.

The folder is ``$RULES_CACHE_DIR`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/stalking-rules`` or ``~/.cache/stalking-rules``. Nothing about a person
is ever written: only code made from the knowledge.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import stat
import sys
import tempfile
import types
from pathlib import Path

_MAGIC = b"rules-code-cache-1\n"


def cache_dir() -> Path | None:
    """Where compiled code is kept, or None when caching is off."""
    explicit = os.environ.get("RULES_CACHE_DIR")
    if explicit is not None:
        return None if explicit.strip().lower() in ("", "off", "0", "no") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stalking-rules"


def _safe(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def compiled(source: str, filename: str) -> types.CodeType:
    """``compile(source, filename, "exec")``, from the cache when a trusted copy is there."""
    folder = cache_dir() if hasattr(os, "getuid") else None
    if folder is None:
        return compile(source, filename, "exec")
    source_digest = hashlib.sha256(source.encode("utf-8")).digest()
    version = importlib.util.MAGIC_NUMBER + sys.implementation.cache_tag.encode()
    name = hashlib.sha256(source_digest + version + filename.encode()).hexdigest()[:32] + ".code"
    path = folder / name
    code = _read(folder, path, source_digest + version)
    if code is not None:
        return code
    code = compile(source, filename, "exec")
    _write(folder, path, source_digest + version, marshal.dumps(code))
    return code


def _read(folder: Path, path: Path, key: bytes) -> types.CodeType | None:
    payload = read_trusted(folder, path, _MAGIC, key)
    if payload is None:
        return None
    try:
        code = marshal.loads(payload)  # noqa: S302  # nosec B302  # only a file that passed every check in read_trusted
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, types.CodeType) else None


def _write(folder: Path, path: Path, key: bytes, payload: bytes) -> None:
    write_trusted(folder, path, _MAGIC, key, payload)


def read_trusted(folder: Path, path: Path, magic: bytes, key: bytes) -> bytes | None:
    """The payload of a cache file, or None unless the folder and the file are owned by this
    user and writable by no one else (the file not a symlink), the file starts with
    ``magic`` and ``key``, and the payload matches the digest stored with it."""
    try:
        if not _safe(os.stat(folder, follow_symlinks=False)) or not stat.S_ISDIR(os.stat(folder).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not _safe(os.fstat(handle.fileno())):
                return None
            data = handle.read()
    except OSError:
        return None
    head = len(magic) + len(key)
    if not data.startswith(magic) or data[len(magic):head] != key:
        return None
    digest, payload = data[head:head + 32], data[head + 32:]
    return payload if hashlib.sha256(payload).digest() == digest else None


def write_trusted(folder: Path, path: Path, magic: bytes, key: bytes, payload: bytes) -> None:
    """Keep a cache file that ``read_trusted`` will accept, atomically; any failure only
    means no cache."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(os.stat(folder, follow_symlinks=False)):
            return
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(magic + key + hashlib.sha256(payload).digest() + payload)
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return
