"""Charts as PNG bytes (matplotlib, no display needed). Renderers only: they draw the figures given."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

COLOURS = {"stop": "#b2182b", "hold": "#ef8a62", "go": "#4d9221", "neutral": "#4575b4", "grey": "#999999"}


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, xlabel: str,
              colours: Sequence[str] | None = None, errors: Sequence[tuple[float, float]] | None = None,
              value_format: str = "{:,.0f}") -> bytes:
    """Horizontal bars, largest first as given, each labelled with its value; optional intervals
    as (low, high) per bar."""
    height = max(2.0, 0.42 * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(8, height))
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=list(colours) if colours else COLOURS["neutral"])
    if errors:
        low = [max(v - lo, 0) for v, (lo, _) in zip(values, errors)]
        high = [max(hi - v, 0) for v, (_, hi) in zip(values, errors)]
        ax.errorbar(values, positions, xerr=[low, high], fmt="none", ecolor="black", capsize=4)
    ax.set_yticks(positions, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ends = [(lo, hi) for lo, hi in errors] if errors else [(v, v) for v in values]
    span = max([abs(x) for pair in ends for x in pair] + [abs(v) for v in values] + [1])
    for y, v, (lo, hi) in zip(positions, values, ends):
        # the label sits past the bar and its interval, on the side the bar points to, so neither hides it
        if v >= 0:
            ax.text(max(v, hi) + span * 0.015, y, value_format.format(v), va="center", ha="left", fontsize=8)
        else:
            ax.text(min(v, lo) - span * 0.015, y, value_format.format(v), va="center", ha="right", fontsize=8)
    if any(v < 0 for v in values) or (errors and any(lo < 0 for lo, _ in errors)):
        ax.axvline(0, color="black", linewidth=0.8)
    ax.margins(x=0.18)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def tornado_chart(labels: Sequence[str], lows: Sequence[float], highs: Sequence[float], base: float,
                  title: str, xlabel: str) -> bytes:
    """Sensitivity: for each parameter, the result at its low and high value around the base."""
    height = max(2.0, 0.45 * len(labels) + 1.0)
    fig, ax = plt.subplots(figsize=(8, height))
    positions = list(range(len(labels)))[::-1]
    for y, lo, hi in zip(positions, lows, highs):
        ax.barh(y, lo - base, left=base, color=COLOURS["neutral"])
        ax.barh(y, hi - base, left=base, color=COLOURS["hold"])
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(positions, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
