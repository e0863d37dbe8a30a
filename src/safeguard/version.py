"""Which law a result was decided under: the package version and a digest of the rules and parameters."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from safeguard.engine.rules import REGISTRY

PACKAGE_VERSION = "0.1.0"
LAW_TAKEN_AS_OF = "2026-11-23"  # the date the encoded law was last reviewed against its sources


@lru_cache(maxsize=1)
def law_version() -> str:
    h = hashlib.sha256()
    for rid in sorted(REGISTRY):
        r = REGISTRY[rid]
        h.update(f"{rid}|{r.doc}|{r.citation}|{r.expr!r}".encode())
    folder = resources.files("safeguard") / "params"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            h.update(entry.read_bytes())
    return f"safeguard {PACKAGE_VERSION}; law reviewed {LAW_TAKEN_AS_OF}; rules+params {h.hexdigest()[:12]}"
