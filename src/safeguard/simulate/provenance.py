"""Which inputs of a scenario still stand on their quoted source.

A user who copies a bundled scenario and changes a figure keeps the figure's old source and quote, which
no longer support it. Each parameter of a scenario whose id is that of a bundled scenario is compared
with the bundled one: a changed value or range under the same source is marked "changed — source no
longer applies"; a changed figure with a new source (a different URL) is the user's new sourced figure.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .scenario import Parameter

FIGURE_KEYS = ("value", "min", "max", "mode", "distribution")
CHANGED = "changed — source no longer applies"
NEW_SOURCE = "changed, with a new source"


@lru_cache(maxsize=8)
def _bundled(path: str) -> dict:
    from .load import _Loader

    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader


def bundled_parameters(scenario_id: str, path: Path) -> dict[str, dict] | None:
    """The bundled scenario's parameters (as written) when `path` is a copy of it; None otherwise."""
    from .load import bundled_dir

    original = bundled_dir() / f"{scenario_id}.yaml"
    if not original.exists() or original.resolve() == Path(path).resolve():
        return None
    raw = _bundled(str(original))
    out = {}
    for section in ("costs", "facility", "context"):
        out.update(raw.get(section) or {})
    return out


def provenance(name: str, p: Parameter, bundled: dict[str, dict] | None) -> str | None:
    """None when the input is as bundled (or there is no bundled original); else CHANGED or NEW_SOURCE."""
    if bundled is None or name not in bundled:
        return None
    before = bundled[name]
    if all(before.get(k) == getattr(p, k) for k in FIGURE_KEYS):
        return None
    return NEW_SOURCE if p.source and p.source != before.get("source") else CHANGED
