"""Reading the YAML files shipped with the package (the parameters, facts.yaml, the arrangement catalogue):
with libyaml's parser when PyYAML was built with it (about ten times faster: a one-case screen reads every
one of these files), else PyYAML's own. The two build the same values with the same constructors; a test
checks that on every shipped file. A user's YAML is read by `safe_yaml` instead.

`load_kept` reads a set of them once and keeps what they hold as JSON (kept_json.py), found again by the
files' text: a screen that starts afresh then needs neither PyYAML nor the parsing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def safe_loader() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str, loader: type | None = None) -> Any:
    import yaml

    return yaml.load(text, Loader=loader or safe_loader())  # noqa: S506 - a safe loader


def load_kept(kind: str, texts: list[str]) -> list[Any]:
    """Each text's YAML, as `load` gives it; kept under `kind`, keyed by the texts and this module."""
    from safeguard.kept_json import kept

    h = hashlib.sha256(Path(__file__).read_bytes())
    for text in texts:
        h.update(hashlib.sha256(text.encode("utf-8")).digest())
    return kept(kind, h.hexdigest()[:32], lambda: [load(t) for t in texts])
