"""Figures written for people: money in US$ (millions when large), shares as percentages, counts whole."""

from __future__ import annotations


def value(x: float | None, unit: str, per: bool = True) -> str:
    """One figure in its unit, e.g. 'US$ -101.1 M per year', '62.8%', '9,017' (per=False: no 'per ...')."""
    if x is None:
        return "not defined"
    if unit.startswith("US$"):
        rest = unit[3:].strip() if per else ""
        text = f"US$ {x / 1e6:,.1f} M" if abs(x) >= 1e6 else f"US$ {x:,.0f}"
        return f"{text} {rest}".strip()
    if unit == "share":
        return f"{x * 100:,.1f}%"
    if unit in ("people", "flights", "people per cell"):
        return f"{x:,.0f}" + ("" if unit == "people" or not per else f" {unit}")
    if unit == "facilities":
        return f"{x:,.2f}"
    return f"{x:,.2f} {unit}" if per else f"{x:,.2f}"


def interval(r: dict, per: bool = True) -> str:
    """'p5 to p95' of a result (the unit written once, at the end), or '(no spread)' when runs do not vary it."""
    low, high = r.get("p5"), r.get("p95")
    if low is None or high is None:
        return "not defined"
    if abs(high - low) <= 1e-9 * max(1.0, abs(high)):
        return "(no spread)"
    return f"{value(low, r['unit'], per=False)} to {value(high, r['unit'], per=per)}"


def central_and_interval(r: dict) -> str:
    """'US$ -101.1 M (central run; 5-95%: US$ -138.5 M to US$ 126.4 M)': the central run, labelled."""
    spread = interval(r)
    text = value(r.get("central"), r["unit"])
    return f"{text} (central run)" if spread in ("(no spread)", "not defined") else \
        f"{text} (central run; 5–95%: {spread})"


def headline(r: dict) -> str:
    """A headline figure: the median of the runs with its 5-95% interval, which always contains it,
    e.g. 'US$ -101.1 M (median of the runs; 5–95%: US$ -138.5 M to US$ 126.4 M)'. Without spread the
    runs all agree and the figure is given alone."""
    spread = interval(r)
    middle = r.get("p50") if r.get("p50") is not None else r.get("central")
    text = value(middle, r["unit"])
    return text if spread in ("(no spread)", "not defined") else f"{text} (median of the runs; 5–95%: {spread})"


def parameter_range(p: dict) -> str:
    """A parameter as written in the scenario: the value, or min - mode - max."""
    def n(x: float) -> str:
        return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{x:,.0f}"
    if p.get("value") is not None:
        return n(p["value"])
    mode = f", most likely {n(p['mode'])}" if p.get("mode") is not None else ""
    return f"{n(p['min'])} to {n(p['max'])}{mode}"
