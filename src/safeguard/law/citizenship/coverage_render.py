"""The coverage table in words, for docs/coverage.md (a pure function of the table and the rules' citations;
docs/coverage_build.py writes it and draws the chart; tests/test_coverage.py checks the file is current)."""

from __future__ import annotations

from safeguard.engine.rules import REGISTRY
from safeguard.law.citizenship import coverage_table as T
from safeguard.law.citizenship.coverage import DERIVATION_RULES, NATURALIZATION_RULES, Cell, cells_for

FLOOR_TEXT = "any earlier date"
OPEN_TEXT = "today"


def era_text(c: Cell) -> str:
    first = c.first_day.isoformat() if c.first_day else FLOOR_TEXT
    last = c.last_day.isoformat() if c.last_day else OPEN_TEXT
    return first if c.first_day and c.first_day == c.last_day else f"{first} – {last}"


def provisions(c: Cell) -> list[str]:
    """The provisions of the rules that decide a cell, in order, each once (routes after birth left out)."""
    later = set(DERIVATION_RULES) | set(NATURALIZATION_RULES)
    out: list[str] = []
    for rid in c.rules:
        if rid in later or rid not in REGISTRY:
            continue
        p = REGISTRY[rid].citation.provision
        if p not in out:
            out.append(p)
    return out


def cell_status(c: Cell) -> str:
    if c.not_encoded and not c.gap:
        return "not encoded"
    if c.not_encoded:
        return "partly encoded"
    if c.contested or "birth_turns_on_1941_start_dispute" in c.rules:
        return "contested"
    return "encoded"


def render_markdown() -> str:
    lines = [
        "# Coverage of the law of birth: every place, every era",
        "",
        "Generated from `src/safeguard/law/citizenship/coverage_table.py` by `docs/coverage_build.py`; do not edit",
        "by hand (`tests/test_coverage.py` fails when this file is out of date). The chart is `coverage.png`.",
        "",
        "Each row is one class of birth place and one era of birth dates (both days included). **encoded**:",
        "the rules named decide it, and `not_citizen` is concluded only when every one of them is closed.",
        "**not encoded**: no rule decides it; the status is `unknown` and the result's `citizenship.not_encoded`",
        "names the missing law. **partly encoded**: the rules decide it except in the case named, which is",
        "`unknown` in the same way. **contested**: authorities disagree (the 1941-01-13 start of the Nationality",
        "Act, REFERENCE §7 #3, for a birth with a citizen parent who may have resided in the U.S.; Sabangan v.",
        "Powell for a birth in the Northern Mariana Islands from 1978-01-09): `contested`, never `not_citizen`.",
        "",
        "Every era also admits naturalization (`citizen_by_naturalization`), and every birth abroad derivation",
        "through a parent (the routes of `derivation.py`). A person born anywhere before 1986-11-04 may be a",
        "citizen under Covenant §301(b) or (c) by domicile in the Northern Mariana Islands on 1986-11-03",
        "(`citizen_by_covenant_301`). A screening aid, not legal advice.",
        "",
    ]
    for key, (label, codes) in T.PLACES.items():
        code_text = ", ".join(f"`{c}`" for c in codes) if codes else "every other code"
        lines += [f"## {label} ({code_text})", "", "| Born | Coverage | Law that decides it | Rules | Note |",
                  "|---|---|---|---|---|"]
        for c in cells_for(key):
            status = cell_status(c)
            law = "; ".join(provisions(c)) or "—"
            if c.not_encoded:
                law = (law + "; " if law != "—" else "") + "**missing:** " + c.law
            later = set(DERIVATION_RULES) | set(NATURALIZATION_RULES)
            rules = ", ".join(f"`{r}`" for r in c.rules if r not in later) or "—"
            lines.append(f"| {era_text(c)} | {status} | {_cell(law)} | {rules} | {_cell(c.note)} |")
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
