"""Read a scenario file (or a bundled scenario by name) and turn validation errors into plain lines:
the field, the value found, and what was expected."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..safe_yaml import UnsafeYaml, load_text, read_text, refusing_aliases
from ..validation_messages import model_at
from .scenario import Scenario

MAX_REPORTED_ERRORS = 12


class ScenarioError(ValueError):
    """A scenario file is missing, unreadable or invalid; the message names the field."""


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and where it was read from (manifest paths are relative to its folder)."""

    scenario: Scenario
    path: Path
    name: str


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads 5e7 (no dot) as text; a scenario means the number, as YAML 1.2 and JSON do."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def bundled_dir() -> Path:
    """The folder of scenarios shipped inside the package (the copy the installed package reads)."""
    return Path(str(resources.files("safeguard.simulate") / "scenarios"))


def bundled_names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.yaml"))


def _expected(err: dict[str, Any]) -> str:
    """What the field expected, in plain words."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"a number >= {ctx['ge']:g}" if isinstance(ctx["ge"], int | float) else f">= {ctx['ge']}"
    if kind == "greater_than":
        return f"a number > {ctx['gt']:g}" if isinstance(ctx["gt"], int | float) else f"> {ctx['gt']}"
    if kind == "less_than_equal":
        return f"a number <= {ctx['le']:g}" if isinstance(ctx["le"], int | float) else f"<= {ctx['le']}"
    simple = {"float_type": "a number", "int_type": "a whole number", "bool_type": "true or false",
              "string_type": "text", "model_type": "a mapping of keys", "list_type": "a list",
              "missing": "this key to be present", "string_too_short": "non-empty text",
              "int_from_float": "a whole number"}
    if kind in simple:
        return simple[kind]
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^https?"):
            return "a URL starting with http:// or https://"
        if pattern == "^[A-Z]{2}$":
            return "an upper-case two-letter country code such as 'SV'"
        return f"text matching {pattern}"
    if kind == "literal_error":
        return "one of " + str(ctx.get("expected", ""))
    return err["msg"]


def describe(source: str, exc: ValidationError) -> str:
    """One line per problem: `field costs.fee_per_person_year.min: got -5.0; expected a number >= 0`."""
    lines = [f"{source}: {exc.error_count()} problem(s) in the scenario"]
    for err in exc.errors()[:MAX_REPORTED_ERRORS]:
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        if err["type"] == "value_error":
            message = err["msg"].removeprefix("Value error, ")
            lines.append(f"  field {field}: {message}")
            continue
        if err["type"] == "extra_forbidden":
            model = model_at(Scenario, loc[:-1])
            allowed = f"; allowed keys here: {', '.join(model.model_fields)}" if model else ""
            lines.append(f"  field {field}: unknown key; expected no such key{allowed}")
            continue
        shown = "nothing" if err["type"] == "missing" else repr(err.get("input"))
        if len(shown) > 120:
            shown = shown[:117] + "..."
        lines.append(f"  field {field}: got {shown}; expected {_expected(err)}")
    if exc.error_count() > MAX_REPORTED_ERRORS:
        lines.append(f"  ... and {exc.error_count() - MAX_REPORTED_ERRORS} more")
    return "\n".join(lines)


def parse_scenario(raw: Any, source: str = "scenario") -> Scenario:
    """Validate already-read YAML data."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: got {type(raw).__name__}; expected a mapping of keys at top level")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(describe(source, exc)) from None


def load_scenario(where: str | Path) -> LoadedScenario:
    """Read a scenario from a file path, or a bundled scenario by name (e.g. 'cecot-offer-2025')."""
    path = Path(where)
    if not path.exists() and str(where) in bundled_names():
        path = bundled_dir() / f"{where}.yaml"
    if not path.exists():
        raise ScenarioError(f"{where}: no such scenario file; expected a .yaml path or a bundled scenario "
                            f"name ({', '.join(bundled_names())})")
    try:
        raw = load_text(read_text(path), refusing_aliases(_Loader))  # aliases refused before validation
    except (OSError, UnicodeDecodeError, yaml.YAMLError, UnsafeYaml) as exc:
        raise ScenarioError(f"{path}: cannot read YAML: {exc}") from None
    return LoadedScenario(parse_scenario(raw, str(path)), path.resolve(), path.stem)
