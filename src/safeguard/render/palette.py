"""One colour per outcome, the same in every chart of the project (the reviewer's report, the simulator's
report, the comparison of two scenarios): a reader who learns that dark red is a U.S. citizen barred
from transfer finds it so everywhere. Bars are reds, holds oranges, cleared greens, outside-the-terms
purple, rows without an outcome greys. Colours from ColorBrewer's diverging schemes (colour-blind safe
in the red-green order used: the darkest red and the darkest green also differ in lightness)."""

from __future__ import annotations

OUTCOME_COLOURS = {
    "BARRED_US_CITIZEN": "#67001f",
    "BARRED_US_NATIONAL": "#b2182b",
    "BARRED_PROTECTION": "#d6604d",
    "BARRED_NO_FINAL_ORDER": "#f4a582",
    "HOLD_CITIZENSHIP_UNRESOLVED": "#e08214",
    "HOLD_PENDING_CLAIM": "#fdb863",
    "OUTSIDE_ARRANGEMENT": "#8073ac",
    "SAFEGUARDS_REQUIRED": "#a6dba0",
    "NO_BAR_FOUND": "#1b7837",
    # rows without a transfer outcome (the reviewer's report and the simulator name them differently)
    "NO_TRANSFER_SCREENED": "#bababa",
    "NO_OUTCOME": "#bababa",
    "NOT_SCREENED": "#4d4d4d",
    "UNREADABLE_ROW": "#4d4d4d",
}
OTHER = "#4575b4"  # a figure that is not an outcome (a cost, a capacity)
# Figures that are not outcomes (costs, capacities): blues and greys only, so that no cost bar can be read
# as an outcome colour.
FIGURE_COLOURS = ("#4575b4", "#74add1", "#313695", "#abd9e9", "#878787", "#5e5e5e")


def outcome_colour(code: str) -> str:
    """The colour of an outcome code (a code outside the list gets the colour of its family)."""
    if code in OUTCOME_COLOURS:
        return OUTCOME_COLOURS[code]
    if code.startswith("BARRED_"):
        return OUTCOME_COLOURS["BARRED_US_NATIONAL"]
    if code.startswith("HOLD_"):
        return OUTCOME_COLOURS["HOLD_CITIZENSHIP_UNRESOLVED"]
    return OTHER


def swatch(code: str) -> str:
    """A small coloured square for an HTML legend or table cell (markup)."""
    return (f'<span style="display:inline-block;width:.8em;height:.8em;background:{outcome_colour(code)};'
            'margin-right:.35em;vertical-align:baseline;border:1px solid #0003"></span>')
