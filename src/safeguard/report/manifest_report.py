"""The reviewer's report of a screened manifest, rendered into a folder: report.html (opens without a
server), figures.json, outcomes.png, reasons.png, missing_facts.png and flagged.csv.

Renders the figures that figures.py computes; decides nothing. The folder is written into a temporary
folder beside the target and published only when every file is complete (folder.py)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from safeguard.batch.flags import FLAG_ORDER, HOLD_CODES, NO_TRANSFER, NOT_SCREENED
from safeguard.render.charts import COLOURS, bar_chart
from safeguard.render.page import Markup, esc, figure, link, number, page, paragraph, section, table
from safeguard.report import figures as F
from safeguard.report.folder import staged
from safeguard.report.texts import (
    CATEGORY_LABELS,
    arrangement_terms,
    category_label,
    question,
    questions,
    reason,
    reasons,
    safeguards,
)

HTML, JSON, CSV, QUESTIONS = "report.html", "figures.json", "flagged.csv", "questions.csv"
CHARTS = {"outcomes": "outcomes.png", "reasons": "reasons.png", "missing_facts": "missing_facts.png"}
TOP_FACTS = 20


def write_report(screened: Path, out_dir: Path, *, source: str, as_of: date, run: dict | None = None) -> Path:
    """Write the reviewer's report of a screened manifest into out_dir; returns the path of report.html."""
    screened, out_dir = Path(screened), Path(out_dir)
    with staged(out_dir, last=HTML) as stage:
        prepared = F.prepare(screened, stage / ".rows.parquet")
        with FlaggedCsv(stage / CSV, F.flagged_columns(prepared)) as flagged:
            figs, shown = F.compute(prepared, source=source, as_of=as_of, run=run, on_flagged=flagged.add)
            flagged.finish()
        write_questions(stage / QUESTIONS)
        (stage / ".rows.parquet").unlink(missing_ok=True)
        charts = draw_charts(figs)
        for key, name in CHARTS.items():
            (stage / name).write_bytes(charts[key])
        (stage / JSON).write_text(json.dumps(figs, indent=2, default=str) + "\n", encoding="utf-8")
        (stage / HTML).write_text(render_html(figs, shown, charts), encoding="utf-8")
    return out_dir / HTML


def write_questions(path: Path) -> None:
    """questions.csv: each fact and the question to ask for it, so flagged.csv can name facts only
    (a question repeated on every held row made the file ~1 KB a row: 3.7 GB at 10M rows)."""
    pl.DataFrame(list(questions().items()), schema=["fact", "question"], orient="row").write_csv(path)


class FlaggedCsv:
    """flagged.csv written in pieces: each category's rows appended to its own part file as the slices come,
    then the parts joined in priority order under one header. Held rows name their missing facts (the
    question for each is in questions.csv)."""

    def __init__(self, path: Path, columns: list[str]):
        self.path = path
        self.columns = columns
        self.parts = {flag: path.with_name(f".{path.name}.{i}.part") for i, flag in enumerate(FLAG_ORDER)}
        self.handles: dict[str, BinaryIO] = {}

    def __enter__(self) -> FlaggedCsv:
        return self

    def __exit__(self, *exc) -> None:
        for fh in self.handles.values():
            fh.close()

    def add(self, flag: str, rows: pl.DataFrame) -> None:
        """Append a slice's rows of one category to that category's part."""
        if flag not in self.handles:
            self.handles[flag] = self.parts[flag].open("wb")
        rows.select(self.columns).write_csv(self.handles[flag], include_header=False)

    def finish(self) -> None:
        """Join the parts in priority order under the header into flagged.csv."""
        with self.path.open("wb") as out:
            out.write((",".join(self.columns) + "\n").encode())
            for flag in FLAG_ORDER:
                fh = self.handles.pop(flag, None)
                if fh is None:
                    continue
                fh.close()
                with self.parts[flag].open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
                self.parts[flag].unlink()


def _colour(code: str) -> str:
    if code.startswith("BARRED_"):
        return COLOURS["stop"]
    if code.startswith("HOLD_"):
        return COLOURS["hold"]
    if code == "NO_BAR_FOUND":
        return COLOURS["go"]
    return COLOURS["grey"] if code in CATEGORY_LABELS else COLOURS["neutral"]


def _outcome_bars(figs: dict[str, Any]) -> dict[str, int]:
    """Every row once: each outcome, then the rows with no transfer outcome."""
    return {**figs["outcomes"], NO_TRANSFER: figs["totals"]["no_transfer_screened"],
            NOT_SCREENED: figs["totals"]["not_screened"]}


def draw_charts(figs: dict[str, Any]) -> dict[str, bytes]:
    """The three charts as PNG bytes."""
    bars = _outcome_bars(figs)
    facts = figs["missing_facts_held"][:TOP_FACTS]
    return {
        "outcomes": bar_chart(list(bars), list(bars.values()), "Rows by outcome", "rows",
                              colours=[_colour(c) for c in bars]),
        "reasons": bar_chart(list(figs["reasons"]), list(figs["reasons"].values()),
                             "Rows listing each reason (a row may list several)", "rows",
                             colours=[_colour(c) for c in figs["reasons"]]),
        "missing_facts": bar_chart([e["fact"] for e in facts] or ["(no held rows)"],
                                   [e["rows"] for e in facts] or [0],
                                   f"Missing facts most often needed by held rows (top {TOP_FACTS})", "held rows",
                                   colours=[COLOURS["hold"]] * max(len(facts), 1)),
    }


def _share(n: int, of: int) -> str:
    return f"{100 * n / of:.1f}%" if of else ""


def _rows_line(figs: dict[str, Any]) -> str:
    check = figs["rows_check"]
    if check["equal"] is None:
        return (f"Rows in the screened file: {number(check['rows_in_file'])} (the run's rows in and rows out "
                "were not given).")
    if check["equal"]:
        return (f"Rows in {number(check['rows_in'])} = rows out {number(check['rows_out'])} = rows in the "
                f"screened file {number(check['rows_in_file'])}: no row was lost or added.")
    return (f"ROWS IN ≠ ROWS OUT: rows in {number(check['rows_in'])}, rows out {number(check['rows_out'])}, "
            f"rows in the screened file {number(check['rows_in_file'])}. Rows were lost or added; do not rely "
            "on this run until the difference is explained.")


def _value(v: Any) -> Any:
    """A run fact as given: figures with separators, anything else as its text."""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return number(v, 1 if isinstance(v, float) else 0)
    return v


def run_section(figs: dict[str, Any]) -> str:
    t = figs["totals"]
    rows = [
        ("Rows in the screened file", number(t["rows"])),
        ("Screened", number(t["screened"])),
        ("Not screened — fix the input (the row could not be read)", number(t["not_screened"])),
        ("With a transfer outcome", number(t["transfer_screened"])),
        ("No transfer screened (no destination given)", number(t["no_transfer_screened"])),
        ("Barred (BARRED_*)", number(t["barred"])),
        ("Held (HOLD_*)", number(t["held"])),
        ("Must stop: barred, held, or no transfer screened with citizenship established or open",
         number(t["must_stop"])),
        (f"Listed below and in {CSV}: those, and the rows not screened", number(t["flagged"])),
    ]
    run = [(str(k).replace("_", " "), _value(v)) for k, v in (figs["run"] or {}).items()
           if not isinstance(v, dict | list)]  # the run's own breakdowns are the counts below
    line = _rows_line(figs)
    lead = f'<p class="flag">{esc(line)}</p>' if figs["rows_check"]["equal"] is False else paragraph(line)
    return section("This run", lead, table(["", "rows"], rows, numeric=[1]),
                   table(["run fact (as given)", "value"], run, numeric=[1]) if run else "")


def _reasons_cell(codes: str | None) -> Markup:
    parts = [f"<strong>{esc(c)}</strong>: {esc(reason(c).text)}" for c in (codes or "").split(";") if c]
    return Markup("<br>".join(parts))


def _facts_cell(facts: str | None) -> Markup:
    names = [f for f in (facts or "").split(";") if f]
    if not names:
        return Markup("<em>none listed</em>")
    return Markup("<br>".join(f"<code>{esc(f)}</code> — {esc(question(f))}" for f in names))


def _category_table(flag: str, rows: list[dict[str, Any]], with_person: bool) -> str:
    held = flag in HOLD_CODES or flag == NO_TRANSFER
    headers = ["row"] + (["person_id"] if with_person else [])
    if flag == NOT_SCREENED:
        headers += ["error"]
    elif flag == NO_TRANSFER:
        headers += ["citizenship", "missing facts that would resolve it (with the question to ask)"]
    else:
        headers += ["reasons"] + (["missing facts that would resolve it (with the question to ask)"] if held else [])
    body = []
    for r in rows:
        cells: list[Any] = [number(r["row"])] + ([r.get("person_id")] if with_person else [])
        if flag == NOT_SCREENED:
            cells.append(Markup(f'<span class="flag">{esc(r["error"])}</span>'))
        elif flag == NO_TRANSFER:
            cells += [r["citizenship_status"], _facts_cell(r["missing_facts"]) if r["citizenship_status"] == "unknown"
                      else ""]
        else:
            cells.append(_reasons_cell(r["reason_codes"]))
            if held:
                cells.append(_facts_cell(r["missing_facts"]))
        body.append(cells)
    return table(headers, body)


def flagged_section(figs: dict[str, Any], shown: pl.DataFrame) -> str:
    total, listed = figs["totals"]["flagged"], len(shown)
    if not total:
        return section("Rows that must stop first", paragraph("No row was barred, held or left unscreened."))
    intro = paragraph(
        f"{number(total)} rows must stop or be checked before anything happens. This page lists {number(listed)} "
        f"of them, the first of each kind; all {number(total)} are in {CSV}, in the same order: most serious "
        "kind first, then the order of the manifest. Row numbers count from 0, the first row of the manifest "
        "(the numbering --explain-flagged uses).")
    with_person = "person_id" in shown.columns
    blocks = [intro]
    for flag in FLAG_ORDER:
        n = figs["flagged"][flag]
        if not n:
            continue
        rows = shown.filter(pl.col("flag") == flag).to_dicts()
        more = n - len(rows)
        note = f"showing the first {number(len(rows))}; {number(more)} more in {CSV}" if more else "all shown"
        blocks.append(f"<h3>{esc(flag)} — {number(n)} rows <span class=\"meta\">({esc(note)})</span></h3>"
                      + paragraph(category_label(flag)) + _category_table(flag, rows, with_person))
    return section("Rows that must stop first", *blocks)


def counts_section(figs: dict[str, Any], charts: dict[str, bytes]) -> str:
    rows_total, screened = figs["totals"]["rows"], figs["totals"]["screened"]
    bars = _outcome_bars(figs)
    outcome_rows = [(c, category_label(c), number(n), _share(n, rows_total)) for c, n in bars.items()]
    reason_rows = [(c, reason(c).text, number(n), _share(n, screened)) for c, n in figs["reasons"].items()]
    status_rows = [(s, number(n), _share(n, rows_total), number(figs["no_transfer_screened_by_citizenship"][s]))
                   for s, n in figs["citizenship"].items()]
    fact_rows = [(Markup(f"<code>{esc(e['fact'])}</code>"), e["question"], number(e["rows"]),
                  *(number(e["by_outcome"].get(c, 0)) for c in HOLD_CODES)) for e in figs["missing_facts_held"]]
    return section(
        "Counts",
        "<h3>By outcome</h3>",
        table(["outcome", "meaning", "rows", "share of rows"], outcome_rows, numeric=[2, 3]),
        figure(charts["outcomes"], "Rows by outcome; every row counted once."),
        "<h3>By reason</h3>",
        paragraph("A row lists every reason that applies; the first is its outcome. Shares are of screened rows."),
        table(["reason", "meaning", "rows listing it", "share of screened rows"], reason_rows, numeric=[2, 3]),
        figure(charts["reasons"], "Rows listing each reason."),
        "<h3>By citizenship status</h3>",
        table(["status", "rows", "share of rows", "of which no transfer screened"], status_rows, numeric=[1, 2, 3]),
        "<h3>Missing facts among held rows</h3>",
        paragraph("Facts whose answers could still change the result of a held (HOLD_*) row: find these out to "
                  "resolve the holds."),
        table(["fact", "question to ask", "held rows needing it", *HOLD_CODES], fact_rows, numeric=[2, 3, 4])
        if fact_rows else paragraph("No held row is missing a fact."),
        figure(charts["missing_facts"], f"The {TOP_FACTS} missing facts most often needed by held rows."),
    )


def how_to_read_section() -> str:
    return section(
        "How to read this",
        paragraph("Each row of the manifest was screened on the facts it gave. BARRED means the encoded law bars "
                  "the transfer of that person; HOLD means something that could bar it is not yet resolved, so "
                  "nothing may proceed until the missing facts are found. Where several outcomes apply, the first "
                  "in the contract's order is the outcome and every one is listed among the reasons."),
        paragraph("A fact left empty in the manifest is unknown, never false. A missing fact listed for a held row "
                  "is one whose answer could change the result; the question beside it is the one to ask."),
        paragraph("'Not screened — fix the input' rows could not be read (the message names the column and the "
                  "value); nothing is known about them until the input is fixed and the manifest screened again. "
                  "'No transfer screened' rows gave no destination: only citizenship was decided."),
        paragraph("NO_BAR_FOUND means only that the encoded rules found no bar. It is not permission to transfer."),
    )


def _source_rows(items) -> list[tuple[Any, ...]]:
    return [(Markup(f"<code>{esc(r.code)}</code>"), r.text, link(r.url, r.citation or r.url)) for r in items]


def sources_section() -> str:
    return section(
        "Sources",
        table(["outcome", "meaning", "citation"], _source_rows(reasons().values())),
        "<h3>Terms of an arrangement (OUTSIDE_ARRANGEMENT)</h3>",
        table(["term", "meaning", "citation"], _source_rows(arrangement_terms())),
        "<h3>Safeguards for a third-country removal (SAFEGUARDS_REQUIRED)</h3>",
        table(["safeguard", "met when", "citation"], _source_rows(safeguards())),
    )


def files_section() -> str:
    files = [(CSV, "every flagged row, in priority order, with its reasons, the missing facts of held rows, "
              "and the error of rows not screened"),
             (QUESTIONS, "for each fact, the question to ask to find it out"),
             (JSON, "the figures of this page, for machines"),
             *((name, "chart (PNG)") for name in CHARTS.values())]
    return section("Files of this report", table(["file", "contents"], [(link(f, f), d) for f, d in files]))


def render_html(figs: dict[str, Any], shown: pl.DataFrame, charts: dict[str, bytes]) -> str:
    """The report page: caveat, the run, the rows that must stop, the counts and charts, how to read, sources."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (f"Manifest: {figs['source']} · law applied as of {figs['as_of']} · {figs['law_version']} · "
                f"report made {made}")
    return page("Reviewer's report: who must not be transferred", [
        run_section(figs),
        flagged_section(figs, shown),
        counts_section(figs, charts),
        how_to_read_section(),
        sources_section(),
        files_section(),
    ], subtitle=subtitle)
