"""The compiled rules kept on disk, so that a process screening one case loads them instead of compiling
them again (compiling the whole law takes about half a second; loading it, a few milliseconds).

A cached module is found by a key made of the digest of the rules and parameters it was compiled from
(`safeguard.version.law_digest`, the same digest the result's `law_version` names), the source of the
compiler and the Python version: a change to any rule or parameter file, or to the compiler, gives a new
key, and the module is compiled afresh. A file that does not check out (its own checksum) is ignored.

The folder: $SAFEGUARD_CACHE_DIR (empty: keep nothing on disk), else $XDG_CACHE_HOME/safeguard, else
~/.cache/safeguard. A folder that cannot be written is no error: the rules are compiled each time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType

PREFIX, SUFFIX = "rules-", ".marshal"
KEEP = 8  # cached modules kept (other law versions, other checkouts); the oldest beyond these are removed
COMPILER_SOURCES = ("compiled.py", "rule_cache.py", "expr.py", "rules.py", "scalar.py")


def cache_dir() -> Path | None:
    env = os.environ.get("SAFEGUARD_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "safeguard"


def cache_key(law_digest: str) -> str:
    h = hashlib.sha256(f"{law_digest}|{sys.version}|{sys.implementation.cache_tag}".encode())
    here = Path(__file__).parent
    for name in COMPILER_SOURCES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:32]


def cached_code(law_digest: str, compile_fresh: Callable[[], CodeType]) -> CodeType:
    """The compiled module for rules with this digest: from the cache, else compiled (and cached)."""
    folder = cache_dir()
    if folder is None:
        return compile_fresh()
    path = folder / f"{PREFIX}{cache_key(law_digest)}{SUFFIX}"
    code = _read(path)
    if code is None:
        code = compile_fresh()
        _write(path, code)
    return code


def _read(path: Path) -> CodeType | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    check, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != check:
        return None
    try:
        code = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _write(path: Path, code: CodeType) -> None:
    payload = marshal.dumps(code)
    write_kept(path, hashlib.sha256(payload).digest() + payload, f"{PREFIX}*{SUFFIX}", KEEP)


def write_kept(path: Path, data: bytes, pattern: str, keep: int) -> None:
    """Written to a temporary file and renamed into place (a reader sees the whole file or none), then the
    oldest files of `pattern` beyond `keep` removed (never the one just written). A folder that cannot be
    written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        others = [p for p in path.parent.glob(pattern) if p != path]
        for old in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[keep - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
