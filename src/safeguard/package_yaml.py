"""Reading the YAML files shipped with the package (the parameters, facts.yaml, the arrangement catalogue):
with libyaml's parser when PyYAML was built with it (about ten times faster: a one-case screen reads every
one of these files), else PyYAML's own. The two build the same values with the same constructors; a test
checks that on every shipped file. A user's YAML is read by `safe_yaml` instead."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str, loader: type | None = None) -> Any:
    return yaml.load(text, Loader=loader or SafeLoader)  # noqa: S506 - a safe loader
