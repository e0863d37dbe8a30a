"""Small data kept as JSON beside the compiled rules (engine/rule_cache.cache_dir), each file named by a key
of what it was made from: read back in a millisecond instead of being made again. A file that cannot be
read or written is no error: the data is then made each time."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

KEEP = 4  # files kept per kind (other versions, other checkouts); the oldest beyond these are removed


def kept(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """The data of this `kind` made from what `key` names: from the file kept, else made (and kept)."""
    from safeguard.engine.rule_cache import cache_dir

    base = cache_dir()
    if base is None:
        return make()
    path = base / f"{kind}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    data = make()
    _write(path, kind, {"data": data})
    return data


def _write(path: Path, kind: str, doc: Any) -> None:
    """Written to a temporary file and renamed into place: a reader sees the whole file or none."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        others = [p for p in path.parent.glob(f"{kind}-*.json") if p != path]
        for old in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
