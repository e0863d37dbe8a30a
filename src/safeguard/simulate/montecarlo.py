"""Uncertainty: seeded sampling of every range, intervals of the results, and one-at-a-time sensitivity.

Each parameter draws from its own random stream, numpy.random.default_rng([seed, crc32(name)]), so the
same seed gives the same figures, and changing one parameter leaves every other parameter's draws as
they were. Intervals are the 5th and 95th percentiles over the runs.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np

from .scenario import Parameter

Values = dict[str, np.ndarray]
LOW_PERCENTILE, HIGH_PERCENTILE = 5.0, 95.0


def central_values(params: dict[str, Parameter]) -> Values:
    """The central run: each value, or each range's mode, or its midpoint when it has no mode."""
    return {name: np.asarray([p.central], dtype=float) for name, p in params.items()}


def draw(params: dict[str, Parameter], runs: int, seed: int) -> Values:
    """`runs` values of every parameter: fixed values repeated; ranges triangular (min, mode, max) or
    uniform (min, max) as the scenario says."""
    out: Values = {}
    for name, p in params.items():
        if not p.is_range:
            out[name] = np.full(runs, p.value, dtype=float)
            continue
        rng = np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])
        if p.sampling == "triangular":
            out[name] = rng.triangular(p.min, p.mode, p.max, runs)
        else:
            out[name] = rng.uniform(p.min, p.max, runs)
    return out


def summarise(samples: np.ndarray, central: float) -> dict[str, float | None]:
    """Central run, mean, median and the 5th-95th percentile interval of one result over the runs."""
    finite = samples[np.isfinite(samples)]

    def clean(x) -> float | None:
        return None if x is None or not np.isfinite(x) else float(x)

    if finite.size == 0:
        return {"central": clean(central), "mean": None, "p50": None, "p5": None, "p95": None}
    return {"central": clean(central), "mean": clean(finite.mean()), "p50": clean(np.percentile(finite, 50)),
            "p5": clean(np.percentile(finite, LOW_PERCENTILE)), "p95": clean(np.percentile(finite, HIGH_PERCENTILE))}


def sensitivity(params: dict[str, Parameter], result: Callable[[Values], float]) -> list[dict]:
    """One at a time: each range set to its min and then its max, every other parameter at its central
    value; the swing is how far the result moves. Largest swing first; fixed values are not listed."""
    base_values = central_values(params)
    base = float(result(base_values))
    rows = []
    for name, p in params.items():
        if not p.is_range:
            continue
        at = {}
        for end, value in (("low", p.min), ("high", p.max)):
            at[end] = float(result({**base_values, name: np.asarray([value], dtype=float)}))
        rows.append({"parameter": name, "label": p.label, "low_value": p.min, "high_value": p.max,
                     "result_at_low": at["low"], "result_at_high": at["high"],
                     "swing": abs(at["high"] - at["low"]), "base": base})
    return sorted(rows, key=lambda r: (-r["swing"], r["parameter"]))
