"""Shared test helpers: loading the YAML case files; the property tests' Hypothesis profiles."""

from __future__ import annotations

import os
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
