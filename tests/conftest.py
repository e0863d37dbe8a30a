"""Shared test helpers: loading the YAML case files."""

from __future__ import annotations

from pathlib import Path

import yaml

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
