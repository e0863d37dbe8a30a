"""Small data kept as JSON beside the compiled rules (engine/rule_cache.cache_dir), each file named by a key
of what it was made from: read back in a millisecond instead of being made again (the package's YAML files
parsed, the arrangement catalogue as validated, the country codes). Dates and tuples are tagged so that they
read back as they were; data that would not read back equal is not kept. A file that cannot be read or
written is no error: the data is then made each time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

KEEP = 4  # files kept per kind (other versions, other checkouts); the oldest beyond these are removed


def encode(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only text keys are kept")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dt.datetime):
        raise TypeError("a date and time is not kept")
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"{type(value).__name__} is not kept")


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$tuple" in value:
            return tuple(decode(v) for v in value["$tuple"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def kept(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """The data of this `kind` made from what `key` names: from the file kept, else made (and kept)."""
    from safeguard.engine.rule_cache import cache_dir, write_kept

    base = cache_dir()
    if base is None:
        return make()
    path = base / f"{kind}-{key}.json"
    try:
        return decode(json.loads(path.read_text(encoding="utf-8"))["data"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    data = make()
    try:
        text = json.dumps({"data": encode(data)})
    except (TypeError, ValueError):
        return data
    if decode(json.loads(text)["data"]) == data:  # kept only what reads back the same
        write_kept(path, text.encode("utf-8"), f"{kind}-*.json", KEEP)
    return data
