"""The arrangement catalogue as validated, kept on disk: what the law and one screen read, without the
validation's cost (YAML and the pydantic models take about a tenth of a second to load; the snapshot, a
millisecond).

A snapshot is made only from the validated catalogue (`load.load_catalogue`), and found again by a key
made of the bytes of every catalogue file and of the modules that validate and keep it: an edited file
gives a new key, and the catalogue is validated afresh. Its values read as the models do (`arr.dates.in_force.date`,
`arr.coverage.nationalities`, ...), read-only. Where nothing can be kept on disk
(kept_json.py), the catalogue is validated each time. Never the source of truth: the YAML files
and their model (model.py) are.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogue"


class Frozen:
    """A read-only record: a validated model's fields as attributes."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{name}: a catalogue entry is read-only")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Frozen) and self._fields == other._fields

    def __hash__(self) -> int:
        return hash(tuple(self._fields))

    def __repr__(self) -> str:
        return f"Frozen({self._fields!r})"


def _frozen(value: Any) -> Any:
    """Mappings as read-only records, all the way down."""
    if isinstance(value, dict):
        return Frozen({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_frozen(v) for v in value]
    return value


def _key(folder: Path) -> str:
    """Made of the catalogue files and of the code that validates and keeps them."""
    h = hashlib.sha256()
    for code in ("snapshot.py", "model.py", "load.py"):
        h.update((Path(__file__).parent / code).read_bytes())
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


def _validated(folder: Path) -> dict[str, Any]:
    from safeguard.arrangements.load import load_catalogue

    return {k: arr.model_dump() for k, arr in load_catalogue(folder).items()}


@lru_cache(maxsize=8)
def _snapshot(folder: str) -> dict[str, Frozen]:
    from safeguard.kept_json import kept

    where = Path(folder)
    data = kept("catalogue", _key(where), lambda: _validated(where))
    return {k: _frozen(v) for k, v in data.items()}


def clear() -> None:
    """Forget the snapshots read in this process (load.clear_cache: for tests that edit files)."""
    _snapshot.cache_clear()


def catalogue_snapshot(folder: str | Path | None = None) -> dict[str, Frozen]:
    """Every arrangement of `folder` (default: the package catalogue), as validated; a fresh dict."""
    return dict(_snapshot(str(Path(folder or CATALOGUE_DIR).resolve())))
