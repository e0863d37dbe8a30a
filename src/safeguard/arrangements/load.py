"""Load and validate the arrangement catalogue, and answer status questions.

The catalogue is a folder of YAML files, one arrangement per file, the file
name (without .yaml) equal to the arrangement id. YAML is read with a
reduced safe loader: dates stay text until the model checks them (so a bad
date is reported with its field path), and only true/false are booleans (so
a country code such as NO stays a string).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from .. import package_yaml
from ..validation_messages import model_at
from .errors import ArrangementError
from .model import STAGES, Arrangement
from .snapshot import CATALOGUE_DIR
from .snapshot import clear as clear_snapshot

MAX_REPORTED_ERRORS = 10


class _Loader(package_yaml.safe_loader()):  # type: ignore[misc, valid-type]
    """Safe loader without implicit timestamps and with YAML 1.2 booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _describe(path: Path, exc: ValidationError) -> str:
    """Turn a pydantic error into lines naming file, field path, bad value and expectation."""
    lines = [f"{path}: {exc.error_count()} problem(s)"]
    for err in exc.errors()[:MAX_REPORTED_ERRORS]:
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(top level)"
        expected = err["msg"].removeprefix("Value error, ").removeprefix("expected ")
        if err["type"] == "extra_forbidden":
            model = model_at(Arrangement, loc[:-1])
            expected = "no such key" + (f"; allowed keys here: {', '.join(model.model_fields)}" if model else "")
        elif err["type"] == "missing":
            expected = "this key to be present"
        value = err.get("input")
        shown = "nothing" if err["type"] == "missing" else repr(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        lines.append(f"  field {field}: got {shown}; expected {expected}")
    return "\n".join(lines)


def load_file(path: Path) -> Arrangement:
    """Read and validate one arrangement file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe subclass
    except (OSError, yaml.YAMLError) as exc:
        raise ArrangementError(f"{path}: cannot read YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ArrangementError(f"{path}: got {type(raw).__name__}; expected a mapping of keys at top level")
    try:
        arrangement = Arrangement.model_validate(raw)
    except ValidationError as exc:
        raise ArrangementError(_describe(path, exc)) from None
    if arrangement.id != path.stem:
        raise ArrangementError(
            f"{path}: field id: got {arrangement.id!r}; expected {path.stem!r} (the file name)")
    return arrangement


@functools.lru_cache(maxsize=8)
def _load_folder(folder: str) -> dict[str, Arrangement]:
    files = sorted(Path(folder).glob("*.yaml")) + sorted(Path(folder).glob("*.yml"))
    if not files:
        raise ArrangementError(f"{folder}: no .yaml files; expected one file per arrangement")
    catalogue: dict[str, Arrangement] = {}
    for path in files:
        arrangement = load_file(path)
        if arrangement.id in catalogue:
            raise ArrangementError(
                f"{path}: field id: got {arrangement.id!r}; expected an id not used by another file")
        catalogue[arrangement.id] = arrangement
    return catalogue


def load_catalogue(folder: str | Path | None = None) -> dict[str, Arrangement]:
    """Load every arrangement file in `folder` (default: the package catalogue).

    Results are cached per folder; the returned dict is a fresh copy, and the
    arrangements themselves are read-only.
    """
    return dict(_load_folder(str(Path(folder or CATALOGUE_DIR).resolve())))


def clear_cache() -> None:
    """Forget loaded catalogues (for tests that edit files)."""
    _load_folder.cache_clear()
    clear_snapshot()


def get_arrangement(arrangement_id: str, folder: str | Path | None = None) -> Arrangement:
    """Return one arrangement by id; an unknown id lists the known ones."""
    catalogue = load_catalogue(folder)
    try:
        return catalogue[arrangement_id]
    except KeyError:
        raise ArrangementError(
            f"unknown arrangement id {arrangement_id!r}; known ids: {', '.join(sorted(catalogue))}"
        ) from None


def status_on(arrangement: Arrangement, on: dt.date) -> str:
    """Status of an arrangement on a given day, derived from its dates.

    The stages are ordered announced < signed < in_force < suspended < ended.
    A stage counts from the start of its date (inclusive). The status is the
    furthest stage whose date is known and not after `on`; if none is,
    the status is "not_yet_announced". A stage with a null date is never
    reached, so an offer that was never signed stays "announced", and an
    agreement suspended with no known end date stays "suspended".
    """
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(on).__name__}")
    status = "not_yet_announced"
    for stage in STAGES:
        reached = getattr(arrangement.dates, stage).date
        if reached is not None and reached <= on:
            status = stage
    return status


def date_contested_on(arrangement: Arrangement, on: dt.date) -> str | None:
    """When the sources only bound an unconfirmed start or end date and `on` falls between the bound and the
    date taken (the screening rules leave the arrangement's being in force unknown then): which, in words."""
    d = arrangement.dates
    if d.in_force.date is not None and d.in_force.earliest is not None and d.in_force.earliest <= on < d.in_force.date:
        return f"in force or not yet: the sources put its start between {d.in_force.earliest} and {d.in_force.date}"
    for name in ("suspended", "ended"):
        stop = getattr(d, name)
        if stop.date is not None and stop.latest is not None and stop.date <= on < stop.latest:
            return f"{name} or still in force: the sources put that between {stop.date} and {stop.latest}"
    return None


def in_force_on(arrangement: Arrangement, on: dt.date) -> bool:
    """True when the status on that day is exactly "in_force"."""
    return status_on(arrangement, on) == "in_force"
