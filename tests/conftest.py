"""Shared test helpers: loading the YAML case files (and writing them as a text manifest); the property
tests' Hypothesis profiles."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import yaml
from hypothesis import Phase, settings

# Property tests in CI are the same examples on every run (derandomized, no example database), and a failure
# is reported as found, not shrunk (shrinking once took CI more than five minutes). A wider, random search:
#   SAFEGUARD_PROPERTY_EXAMPLES=2000 pytest tests/test_properties.py --hypothesis-profile=explore
settings.register_profile("ci", derandomize=True, database=None, print_blob=True,
                          phases=(Phase.explicit, Phase.generate))
settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
settings.load_profile(os.environ.get("SAFEGUARD_HYPOTHESIS_PROFILE", "ci"))

CASES_DIR = Path(__file__).parent / "cases"


def load_cases() -> list[dict]:
    """Every case of every file, with the file's source attached."""
    out, seen = [], set()
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in doc.get("cases", []):
            assert case["id"] not in seen, f"duplicate case id {case['id']} in {path}"
            seen.add(case["id"])
            assert doc.get("source"), f"{path}: every case file needs a source"
            assert case.get("as_of"), f"{path}: case {case['id']} needs as_of"
            out.append({**case, "_file": str(path.relative_to(CASES_DIR)), "_source": doc["source"]})
    return out


def case_text(value) -> str:
    """A fact as a CSV cell would hold it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value) if value else "none"
    return str(value)


def cases_as_text_manifest(cases: list[dict]):
    """The cases a text manifest can hold (those with presence periods are JSON-only), as one: a text column
    per fact any of them gives, `person_id` (the case id) and `as_of`."""
    import polars as pl

    from safeguard.facts.schema import fact_specs

    known = fact_specs()
    usable = [c for c in cases if all(k in known and not k.endswith("_presence_periods") for k in (c["facts"] or {}))]
    columns = sorted({k for c in usable for k in (c["facts"] or {})} | {"person_id", "as_of"})
    rows = [{col: case_text((c["facts"] or {}).get(col)) for col in columns}
            | {"person_id": c["id"], "as_of": case_text(c["as_of"])} for c in usable]
    return pl.DataFrame(rows, schema={col: pl.Utf8 for col in columns})
