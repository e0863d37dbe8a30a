"""Parameters: every date threshold and year count, as data with effective dates and sources.

Each file in `safeguard/params/` maps parameter names (namespaced by the file's stem, e.g.
`territories.cnmi_becomes_us`) to an entry:

    cnmi_becomes_us:
      description: First day a birth in the Northern Mariana Islands is a birth in the U.S.
      unit: date
      source: {citation: "Covenant §506(b); 8 FAM 302.6", url: "https://..."}
      values:
        - {value: 1986-11-04}                      # no `effective`: the value for every as_of
        - {effective: 2030-01-01, value: ...}      # a later version, in force from that date

A parameter where authorities disagree lists `readings` (authority -> value) and the
`default_reading`; the engine evaluates the alternative readings to detect contested cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from safeguard import package_yaml


class ParamError(ValueError):
    pass


@dataclass(frozen=True)
class Version:
    effective: date | None
    value: Any


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    citation: str
    url: str
    versions: tuple[Version, ...]
    readings: dict[str, Any] = field(default_factory=dict)
    default_reading: str | None = None
    discrepancy: str | None = None

    def at(self, as_of: date | None, reading: str | None = None) -> Any:
        """The value in force on `as_of` (None if the parameter was not yet in force)."""
        if self.readings:
            return self.readings[reading or self.default_reading]
        value = None
        for v in self.versions:
            if v.effective is None or (as_of is not None and v.effective <= as_of):
                value = v.value
        return value


_UNITS = {"date": date, "years": (int, float), "days": int, "text": str, "countries": list}


def _parse(stem: str, name: str, raw: dict[str, Any]) -> Parameter:
    where = f"params/{stem}.yaml: {name}"
    missing = {"description", "unit", "source"} - set(raw)
    if missing:
        raise ParamError(f"{where}: missing {sorted(missing)}")
    unit = raw["unit"]
    if unit not in _UNITS:
        raise ParamError(f"{where}: unit {unit!r} is not one of {sorted(_UNITS)}")
    src = raw["source"]
    if not isinstance(src, dict) or not src.get("url") or not src.get("citation"):
        raise ParamError(f"{where}: source needs a citation and a url")
    readings = raw.get("readings") or {}
    values = raw.get("values") or []
    if not values and not readings:
        raise ParamError(f"{where}: needs values or readings")
    versions = []
    for v in values:
        if not isinstance(v.get("value"), _UNITS[unit]):
            raise ParamError(f"{where}: value {v.get('value')!r} is not a {unit}")
        versions.append(Version(v.get("effective"), v["value"]))
    for key, value in readings.items():
        if not isinstance(value, _UNITS[unit]):
            raise ParamError(f"{where}: reading {key} = {value!r} is not a {unit}")
    if readings and raw.get("default_reading") not in readings:
        raise ParamError(f"{where}: default_reading must be one of {sorted(readings)}")
    return Parameter(
        name=f"{stem}.{name}",
        description=" ".join(str(raw["description"]).split()),
        unit=unit,
        citation=src["citation"],
        url=src["url"],
        versions=tuple(versions),
        readings=dict(readings),
        default_reading=raw.get("default_reading"),
        discrepancy=raw.get("discrepancy"),
    )


@lru_cache(maxsize=1)
def load_params() -> dict[str, Parameter]:
    """Read every parameter file shipped with the package."""
    out: dict[str, Parameter] = {}
    folder = resources.files("safeguard") / "params"
    entries = [e for e in sorted(folder.iterdir(), key=lambda p: p.name) if e.name.endswith(".yaml")]
    texts = package_yaml.load_kept("params", [e.read_text(encoding="utf-8") for e in entries])
    for entry, data in zip(entries, texts, strict=True):
        stem = entry.name[: -len(".yaml")]
        for name, raw in (data or {}).items():
            p = _parse(stem, name, raw)
            out[p.name] = p
    return out


def get_param(name: str) -> Parameter:
    params = load_params()
    if name not in params:
        raise ParamError(f"unknown parameter {name!r}")
    return params[name]


def contested_params() -> list[Parameter]:
    return [p for p in load_params().values() if p.readings]
