"""Compute the ICE detention figures that the synthetic generator is calibrated to.

The input is the project's copy of the FY2025 facility summary (one row per detention
facility, built from the Deportation Data Project's ICE detention records; see
``safeguard/data/ice/PROVENANCE.md``). Summing the facility rows gives the nationwide average
daily population (ADP), the part of it with a criminal conviction, and the part possibly under
18. ``calibration.yaml`` stores these sums under ``ice:``; ``check`` says whether they still
agree with the CSV.

Run ``python -m safeguard.synth.calibrate_ice`` to print the figures as YAML.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

ICE_CSV = Path(__file__).resolve().parents[1] / "data" / "ice" / "fy25-facility-summary.csv"

# calibration.yaml key under `ice:` -> CSV column summed to produce it.
SUMMED = {
    "adp_total": "adp_total",
    "adp_convicted_criminal": "adp_convicted_criminal",
    "adp_possibly_under_18": "adp_possibly_under_18",
}


def ice_figures(csv_path: str | Path | None = None) -> dict[str, float]:
    """Return the nationwide FY2025 figures summed over all facilities in the CSV.

    Keys: the ``SUMMED`` keys (rounded to 0.1 person), plus ``facilities`` (row count),
    ``convicted_share`` and ``under_18_share`` (shares of the total ADP).
    """
    frame = pl.read_csv(csv_path or ICE_CSV, columns=list(SUMMED.values()))
    sums = frame.sum().row(0, named=True)
    out: dict[str, float] = {key: round(float(sums[col]), 1) for key, col in SUMMED.items()}
    out["facilities"] = frame.height
    out["convicted_share"] = sums["adp_convicted_criminal"] / sums["adp_total"]
    out["under_18_share"] = sums["adp_possibly_under_18"] / sums["adp_total"]
    return out


def check(calibration_ice: dict, csv_path: str | Path | None = None, tolerance: float = 0.05) -> list[str]:
    """Compare the ``ice:`` section of calibration.yaml with the CSV.

    ``calibration_ice`` maps each key to its entry (a dict with ``value``). Returns a list of
    plain-words mismatches; empty when every summed figure agrees within ``tolerance`` persons.
    """
    figures = ice_figures(csv_path)
    problems = []
    for key in SUMMED:
        stored = calibration_ice.get(key, {}).get("value")
        if stored is None or abs(float(stored) - figures[key]) > tolerance:
            problems.append(f"ice.{key}: calibration.yaml has {stored}, the CSV gives {figures[key]}")
    return problems


def main() -> None:
    """Print the figures as a YAML fragment that can be pasted under ``ice:``."""
    figures = ice_figures()
    for key in SUMMED:
        print(f"  {key}: {{value: {figures[key]}}}")
    print(f"# facilities: {figures['facilities']}")
    print(f"# convicted share: {figures['convicted_share']:.4f}")
    print(f"# possibly-under-18 share: {figures['under_18_share']:.5f}")


if __name__ == "__main__":
    main()
