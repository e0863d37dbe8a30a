"""Physical presence from periods: the presence facts (total, after 12, 14 and 16, a continuous year),
derived day-exactly.

A parent's periods of physical presence ([start, end] dates, both days counted; end None = still
present) are merged (overlapping or touching periods become one), clipped to the days before the
child's birth, and counted. Years are days divided by the `presence.days_per_year` parameter.
"""

from __future__ import annotations

from datetime import date, timedelta

from safeguard.engine.params import get_param
from safeguard.engine.scalar import add_years

ONE_DAY = timedelta(days=1)


def merge_periods(periods: list[tuple[date, date | None]], as_of: date) -> list[tuple[date, date]]:
    """Union of the periods as sorted, disjoint [start, end] day ranges (ongoing ones end on as_of)."""
    spans = sorted((s, e if e is not None else as_of) for s, e in periods)
    merged: list[tuple[date, date]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _days_between(spans: list[tuple[date, date]], first: date, last: date) -> int:
    """Days of presence from `first` to `last`, both included."""
    total = 0
    for s, e in spans:
        lo, hi = max(s, first), min(e, last)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


def derive_presence(periods: list[tuple[date, date | None]], parent_birth: date, child_birth: date,
                    as_of: date) -> dict[str, float | bool]:
    """The presence facts for one parent before the child's birth (days before the birth day)."""
    per_year = get_param("presence.days_per_year").at(as_of)
    spans = merge_periods(periods, as_of)
    last = child_birth - ONE_DAY
    total = _days_between(spans, date.min, last)
    after_12 = _days_between(spans, add_years(parent_birth, 12), last)
    after_14 = _days_between(spans, add_years(parent_birth, 14), last)
    after_16 = _days_between(spans, add_years(parent_birth, 16), last)
    continuous = any(min(e, last) >= add_years(s, 1) - ONE_DAY for s, e in spans if s <= last)
    return {
        "us_presence_years": round(total / per_year, 6),
        "us_presence_years_after_12": round(after_12 / per_year, 6),
        "us_presence_years_after_14": round(after_14 / per_year, 6),
        "us_presence_years_after_16": round(after_16 / per_year, 6),
        "us_continuous_presence_year": continuous,
    }
