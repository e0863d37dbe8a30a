"""The fact vocabulary, read from the project's copy of the contract (facts.yaml beside this file)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from safeguard import package_yaml

PARENTS = {"mother": "the mother", "father": "the father"}
TYPES = ("bool", "date", "number", "country", "countries", "enum", "periods", "string")


@dataclass(frozen=True)
class FactSpec:
    """One input fact: its name, type, allowed values (enums), meaning and interview question."""

    name: str
    type: str
    doc: str
    question: str
    group: str
    values: tuple[str, ...] = ()
    asked_after: tuple[tuple[str, tuple], ...] = ()  # (gate fact, values), ...: a follow-up question


GROUPS = ("case", "birth", "parent", "paternity", "derivation", "own_status", "immigration", "transfer")


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    """Every fact by name, in the vocabulary's order (parent facts expanded for mother and father)."""
    [raw] = package_yaml.load_kept("facts", [(resources.files("safeguard") / "facts" / "facts.yaml").read_text("utf-8")])
    out: dict[str, FactSpec] = {}
    for group, facts in raw.items():
        for name, d in facts.items():
            if d["type"] not in TYPES:
                raise ValueError(f"facts.yaml: {name} has unknown type {d['type']!r}")
            if group == "parent":
                for prefix, words in PARENTS.items():
                    full = prefix + name[1:]  # P_x -> mother_x
                    out[full] = FactSpec(
                        full, d["type"], _capital(d["doc"].replace("P", words, 1)), d["question"].format(the_parent=words),
                        group, tuple(d.get("values", ())), _gate(d, lambda g, p=prefix: p + g[1:] if g.startswith("P_") else g),
                    )
            else:
                out[name] = FactSpec(name, d["type"], d["doc"], d["question"], d.get("group", group), tuple(d.get("values", ())),
                                     _gate(d, lambda g: g))
    for spec in out.values():
        if spec.group not in GROUPS:
            raise ValueError(f"facts.yaml: {spec.name} is in group {spec.group!r}, expected one of {', '.join(GROUPS)}")
        for gate, _ in spec.asked_after:
            if gate not in out:
                raise ValueError(f"facts.yaml: {spec.name} is asked after {gate!r}, which is no fact")
    return out


def _gate(d: dict, name) -> tuple[tuple[str, tuple], ...]:
    return tuple((name(gate), tuple(values)) for gate, values in (d.get("asked_after") or {}).items())


def input_facts() -> list[str]:
    """Fact names a rule may read (everything but the case's own identifiers)."""
    return [n for n, s in fact_specs().items() if s.group != "case"]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
