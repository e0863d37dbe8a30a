"""Which law a result was decided under: the package version and a digest of the rules and parameters."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from safeguard.engine.rules import REGISTRY, Rule

PACKAGE_VERSION = "0.1.0"
LAW_TAKEN_AS_OF = "2026-11-23"  # the date the encoded law was last reviewed against its sources

_DIGESTS: dict[tuple[str, ...], str] = {}


def law_digest(rules: Iterable[Rule] | None = None) -> str:
    """sha256 (hex) of the rules (by default every rule registered so far: the law) and the parameter files.
    Kept for registered rules (the same ids, the same rules: a registered rule never changes)."""
    chosen = sorted(REGISTRY.values() if rules is None else rules, key=lambda r: r.id)
    key = tuple(r.id for r in chosen)
    if key in _DIGESTS:
        return _DIGESTS[key]
    h = hashlib.sha256()
    for r in chosen:
        h.update(f"{r.id}|{r.doc}|{r.citation}|{r.expr!r}".encode())
    folder = resources.files("safeguard") / "params"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            h.update(entry.read_bytes())
    if all(REGISTRY.get(r.id) is r for r in chosen):
        _DIGESTS[key] = h.hexdigest()
    return h.hexdigest()


@lru_cache(maxsize=1)
def law_version() -> str:
    return f"safeguard {PACKAGE_VERSION}; law reviewed {LAW_TAKEN_AS_OF}; rules+params {law_digest()[:12]}"
