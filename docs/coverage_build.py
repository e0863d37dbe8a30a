"""Write docs/coverage.md and docs/coverage.png from the coverage table.

    .venv/bin/python docs/coverage_build.py

The chart is a timeline per class of birth place, like the USCIS Nationality Charts read across: each era
of birth dates is a bar, coloured by whether the law that decides it is encoded, and labelled with that law.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import safeguard.api  # noqa: E402,F401  (registers every rule: the chart names each cell's provisions)
from safeguard.law.citizenship import coverage_table as T  # noqa: E402
from safeguard.law.citizenship.coverage import cells_for  # noqa: E402
from safeguard.law.citizenship.coverage_render import cell_status, render_markdown  # noqa: E402

HERE = Path(__file__).resolve().parent
FIRST_YEAR, LAST_YEAR = 1890, 2027
COLOURS = {"encoded": "#4c9a5f", "partly encoded": "#e3a13b", "not encoded": "#c8473d", "contested": "#7b5ea7"}


def _year(d: date | None, default: float) -> float:
    return default if d is None else d.year + (d.timetuple().tm_yday - 1) / 365.25


def draw(path: Path) -> None:
    places = list(T.PLACES.items())
    fig, ax = plt.subplots(figsize=(19, 0.9 * len(places) + 2.2))
    for row, (key, (label, codes)) in enumerate(places):
        y = len(places) - 1 - row
        for c in cells_for(key):
            x0 = max(_year(c.first_day, FIRST_YEAR), FIRST_YEAR)
            x1 = _year(c.last_day, LAST_YEAR) + (1 / 365.25 if c.last_day else 0)
            width = max(x1 - x0, 0.35)
            status = cell_status(c)
            ax.barh(y, width, left=x0, height=0.72, color=COLOURS[status], edgecolor="white", linewidth=0.8)
            text = "not encoded" if status == "not encoded" else c.label
            if status == "contested":
                ax.plot([x0, x0], [y - 0.36, y + 0.36], color=COLOURS[status], linewidth=3)
            elif width > 4 and text:
                ax.text(x0 + width / 2, y, _wrap(text, int(width * 1.3)), ha="center", va="center", fontsize=6.5,
                        color="white")
        ax.text(FIRST_YEAR - 1, y, f"{label}\n({', '.join(codes) or 'other codes'})", ha="right", va="center",
                fontsize=8)
    for year in (1899, 1917, 1927, 1934, 1941, 1950, 1952, 1979, 1986):
        ax.axvline(year + 0.02, color="#999999", linewidth=0.5, linestyle=":")
    ax.set_xlim(FIRST_YEAR, LAST_YEAR)
    ax.set_ylim(-0.6, len(places) - 0.4)
    ax.set_yticks([])
    ax.set_xticks(range(FIRST_YEAR, LAST_YEAR + 1, 10))
    ax.set_xlabel("date of birth")
    fig.suptitle("Which law decides U.S. citizenship by place and date of birth, as encoded in safeguard "
                 "(every cell, with its rules and notes: docs/coverage.md). A screening aid, not legal advice.",
                 fontsize=11)
    ax.legend(handles=[Patch(color=v, label=k + (" (1941-01-13: the NA 1940's first day, REFERENCE §7 #3)"
                                                  if k == "contested" else "")) for k, v in COLOURS.items()],
              loc="lower left", fontsize=8, bbox_to_anchor=(0, 1.0), ncol=4, frameon=False)
    fig.subplots_adjust(left=0.2, right=0.99, top=0.9, bottom=0.07)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > max(width, 12):
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def main() -> None:
    (HERE / "coverage.md").write_text(render_markdown() + "\n", encoding="utf-8")
    draw(HERE / "coverage.png")
    print("wrote docs/coverage.md and docs/coverage.png")


if __name__ == "__main__":
    main()
