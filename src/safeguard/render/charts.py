"""Charts as PNG bytes (matplotlib, no display needed). Renderers only: they draw the figures given."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

from safeguard.render.palette import FIGURE_COLOURS, OUTCOME_COLOURS  # noqa: E402 - one palette for the project

# Kept for callers that name a family; the colours are the palette's.
COLOURS = {"stop": OUTCOME_COLOURS["BARRED_US_NATIONAL"], "hold": OUTCOME_COLOURS["HOLD_CITIZENSHIP_UNRESOLVED"],
           "go": OUTCOME_COLOURS["NO_BAR_FOUND"], "neutral": FIGURE_COLOURS[0], "grey": OUTCOME_COLOURS["NO_OUTCOME"]}


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
        ax.barh(y, lo - base, left=base, color=FIGURE_COLOURS[1])
        ax.barh(y, hi - base, left=base, color=FIGURE_COLOURS[2])
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(positions, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def paired_bar_chart(labels: Sequence[str], first: Sequence[float], second: Sequence[float], names: tuple[str, str],
                     title: str, xlabel: str, colours: Sequence[str]) -> bytes:
    """Two bars per label (the first scenario solid, the second hatched), each in the label's own colour."""
    height = max(2.5, 0.62 * len(labels) + 1.2)
    fig, ax = plt.subplots(figsize=(8, height))
    positions = list(range(len(labels)))[::-1]
    up = [p + 0.2 for p in positions]
    down = [p - 0.2 for p in positions]
    ax.barh(up, first, height=0.38, color=list(colours), label=names[0])
    ax.barh(down, second, height=0.38, color=list(colours), hatch="//", edgecolor="white", label=names[1])
    span = max([abs(v) for v in (*first, *second)] + [1])
    for ys, vals in ((up, first), (down, second)):
        for y, v in zip(ys, vals):
            ax.text(v + span * 0.015 if v >= 0 else v - span * 0.015, y, f"{v:,.0f}", va="center",
                    ha="left" if v >= 0 else "right", fontsize=7)
    ax.set_yticks(positions, labels)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower right", fontsize=8)
    ax.margins(x=0.18)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
