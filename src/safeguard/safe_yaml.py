"""Reading YAML a user gives (a scenario, a `--map`, a case file) with bounded work.

YAML anchors and aliases let a few hundred bytes stand for gigabytes ("billion laughs"): the safe
loader builds the shared structure cheaply, but validation and error messages then walk it in full.
A user's file has no need of them, so a file that uses an alias is refused before anything is built,
as is a file nested deeper than MAX_DEPTH or larger than MAX_BYTES.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent

MAX_BYTES = 10 << 20
MAX_DEPTH = 64


class UnsafeYaml(ValueError):
    """The YAML uses an alias, is nested too deeply or is too large."""


def refusing_aliases(base: type[yaml.SafeLoader] = yaml.SafeLoader) -> type[yaml.SafeLoader]:
    """A loader class like `base` that raises UnsafeYaml at the first alias or past MAX_DEPTH."""

    class Loader(base):  # type: ignore[misc, valid-type]
        _depth = 0

        def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
            if self.check_event(AliasEvent):
                mark = self.peek_event().start_mark
                raise UnsafeYaml(f"line {mark.line + 1}: uses a YAML alias (*{self.peek_event().anchor}); "
                                 "aliases are not accepted, write the value out in full")
            deeper = self.check_event(CollectionStartEvent)
            if deeper:
                self._depth += 1
                if self._depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark
                    raise UnsafeYaml(f"line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
            try:
                return super().compose_node(parent, index)
            finally:
                if deeper:
                    self._depth -= 1

    Loader.__name__ = f"AliasRefusing{base.__name__}"
    return Loader


_SAFE = refusing_aliases()


def load_text(text: str, loader: type[yaml.SafeLoader] | None = None) -> Any:
    """Parse YAML text (raises UnsafeYaml or yaml.YAMLError)."""
    if len(text) > MAX_BYTES:
        raise UnsafeYaml(f"{len(text):,} characters; at most {MAX_BYTES:,} are read")
    return yaml.load(text, Loader=loader or _SAFE)  # noqa: S506 - a SafeLoader subclass


def read_text(path: Path, encoding: str = "utf-8-sig") -> str:
    """A user's YAML file as text, refusing a file too large to be one (raises UnsafeYaml, OSError,
    UnicodeDecodeError)."""
    if path.stat().st_size > MAX_BYTES:
        raise UnsafeYaml(f"{path.stat().st_size:,} bytes; a YAML file of at most {MAX_BYTES:,} is read")
    return path.read_text(encoding=encoding)
