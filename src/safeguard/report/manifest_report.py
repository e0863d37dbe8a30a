"""The reviewer's report of a screened manifest, rendered into a folder: report.html (opens without a
server), figures.json, outcomes.png, reasons.png, missing_facts.png, flagged.csv, flagged.xlsx and
questions.csv.

The page opens on what a reviewer acts on: which run and which exact files it speaks for (run id,
input and output SHA-256), rows in = rows out, how many must stop, then the stop list grouped by
outcome, reason and the citizenship basis (barred) or the open routes (held), then a sortable,
filterable table of the flagged rows with each held row's first three questions. Every text cell of
the CSV and XLSX files is spreadsheet-safe (render/cells.py).

Renders the figures that figures.py computes; decides nothing. The folder is written into a temporary
folder beside the target and published only when every file is complete (folder.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from safeguard.batch.flags import FLAG_ORDER, HOLD_CODES, NO_TRANSFER, NOT_SCREENED
from safeguard.render.charts import bar_chart
from safeguard.render.interactive import script_tag, sortable_table
from safeguard.render.page import Markup, esc, figure, link, number, page, paragraph, section, table
from safeguard.render.palette import OUTCOME_COLOURS, outcome_colour, swatch
from safeguard.render.sources import source_link
from safeguard.report import figures as F
from safeguard.report.folder import staged
from safeguard.report.tables import XLSX_ROWS, FlaggedCsv, write_questions, write_xlsx
from safeguard.report.texts import (
    arrangement_terms,
    category_label,
    question,
    reason,
    reasons,
    safeguards,
)

HTML, JSON, CSV, QUESTIONS, XLSX = "report.html", "figures.json", "flagged.csv", "questions.csv", "flagged.xlsx"
CHARTS = {"outcomes": "outcomes.png", "reasons": "reasons.png", "missing_facts": "missing_facts.png"}
TOP_FACTS = 20
TABLE_ROWS = 1000
GROUPS_SHOWN = 6


def _screened_columns(path: Path) -> list[str]:
    ext = path.suffix.lower()
    try:
        if ext == ".parquet":
            return list(pl.scan_parquet(path).collect_schema())
        if ext == ".csv":
            return list(pl.scan_csv(path, infer_schema=False).collect_schema())
        return F._jsonl_columns(path) if ext == ".jsonl" else []
    except (pl.exceptions.PolarsError, OSError, ValueError):
        return []


def write_report(screened: Path, out_dir: Path, *, source: str, as_of: date, run: dict | None = None,
                 id_column: str | None = None) -> Path:
    """Write the reviewer's report of a screened manifest into out_dir (the whole folder replaced by
    rename when complete); returns the path of report.html. `id_column`: the manifest's identifier
    column (default person_id when the file has one)."""
    screened, out_dir = Path(screened), Path(out_dir)
    if id_column is None and screened.exists() and "person_id" in _screened_columns(screened):
        id_column = "person_id"
    with staged(out_dir, last=HTML) as stage:
        prepared = F.prepare(screened, stage / ".rows.parquet", id_column)
        columns = F.flagged_columns(prepared)
        with FlaggedCsv(stage / CSV, columns, id_column) as flagged:
            figs, shown = F.compute(prepared, source=source, as_of=as_of, run=run, on_flagged=flagged.add,
                                    id_column=id_column)
            flagged.finish()
        write_xlsx(stage / CSV, stage / XLSX)
        write_questions(stage / QUESTIONS)
        (stage / ".rows.parquet").unlink(missing_ok=True)
        charts = draw_charts(figs)
        for key, name in CHARTS.items():
            (stage / name).write_bytes(charts[key])
        (stage / JSON).write_text(json.dumps(figs, indent=2, default=str) + "\n", encoding="utf-8")
        (stage / HTML).write_text(render_html(figs, shown, charts), encoding="utf-8")
    return out_dir / HTML


def _colour(code: str) -> str:
    return outcome_colour(code)


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
                                   colours=[OUTCOME_COLOURS["HOLD_CITIZENSHIP_UNRESOLVED"]] * max(len(facts), 1)),
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


def glance_section(figs: dict[str, Any]) -> str:
    """The first screen: which run and files, rows in = rows out, and how many must stop, by kind."""
    t, f = figs["totals"], figs["flagged"]
    check = figs["rows_check"]
    line = _rows_line(figs)
    lead = f'<p class="flag">{esc(line)}</p>' if check["equal"] is False else paragraph(line)
    stop = [(Markup(swatch(code) + f"<code>{esc(code)}</code>"), category_label(code), number(n))
            for code, n in f.items() if n]
    ident = figs.get("id_column")
    who = (f"People are named by the manifest's own identifier, column {ident!r}, and by their manifest row "
           "(1 = the first person; in a CSV, line 2)." if ident else
           "The manifest names no identifier column (--id-column or the map's id_column): people are known "
           "by their manifest row only (1 = the first person; in a CSV, line 2).")
    facts = [("Run", figs.get("run_id") or "not given"),
             ("Input file SHA-256", figs.get("input_sha256") or "not given"),
             ("Screened file SHA-256", figs.get("output_sha256") or "not given")]
    wide = (figs.get("run") or {}).get("run_wide_facts") or {}
    set_by_run = [f"{k} = {v['value']} ({number(t['rows'] - v['rows_given_own_value'])} rows; "
                  f"{number(v['rows_given_own_value'])} gave their own)" for k, v in wide.items()
                  if k != "as_of" or v["rows_given_own_value"] < t["rows"]]
    what_if = (f'<p class="flag">Screened with facts set for the whole run: {esc("; ".join(set_by_run))}. A '
               "row's own value wins.</p>") if set_by_run else ""
    if (figs.get("run") or {}).get("questions_worked_out") is False:
        what_if += ('<p class="flag">Screened with --no-questions: the facts each held row still needs were not '
                    "worked out, so the missing facts below are empty, not answered. Screen the held rows again "
                    "without --no-questions, or ask them one by one (safeguard ask).</p>")
    return section(
        "At a glance", what_if,
        f'<p class="stopline"><strong>{number(t["must_stop"])} of {number(t["rows"])} rows must stop</strong> '
        f'({number(t["barred"])} barred, {number(t["held"])} held, {number(t["no_transfer_screened"])} with no '
        f'transfer screened); {number(t["not_screened"])} rows could not be read and must be fixed.</p>',
        lead, paragraph(who),
        table(["kind", "meaning", "rows"], stop, numeric=[2]) if stop else paragraph("No row must stop."),
        table(["this report speaks for", ""], facts),
        paragraph("A report beside a screened file whose SHA-256 differs is not that file's report."))


def _run_wide_rows(figs: dict[str, Any]) -> list[tuple]:
    wide = (figs.get("run") or {}).get("run_wide_facts") or {}
    rows = figs["totals"]["rows"]
    return [(Markup(f"<code>{esc(k)}</code>"), str(v["value"]), number(rows - v["rows_given_own_value"]),
             number(v["rows_given_own_value"])) for k, v in wide.items()]


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
        (f"Listed in {CSV} and {XLSX}: those, and the rows not screened", number(t["flagged"])),
    ]
    run = [(str(k).replace("_", " "), _value(v)) for k, v in (figs["run"] or {}).items()
           if not isinstance(v, dict | list)]  # the run's own breakdowns are the counts below
    wide = _run_wide_rows(figs)
    cols = (figs.get("run") or {}).get("columns") or {}
    renamed = [(c, f) for c, f in (cols.get("read_as_facts") or {}).items() if c != f]
    same = [c for c, f in (cols.get("read_as_facts") or {}).items() if c == f]
    kept = list(cols.get("pass_through") or []) + list(cols.get("fact_like_kept_as_given") or [])
    columns = [
        paragraph(f"{len(same) + len(renamed)} columns were read as facts; {len(kept)} kept as given, never read "
                  f"({', '.join(kept) or 'none'})."
                  + (f" Looked like facts but kept as given on the user's word: "
                     f"{', '.join(cols['fact_like_kept_as_given'])}." if cols.get("fact_like_kept_as_given") else "")),
        table(["manifest column", "read as the fact"], renamed) if renamed else "",
        paragraph("Read under their own names: " + ", ".join(same) + ".") if same else "",
    ] if cols else [paragraph("The run did not say which columns it read.")]
    return section(
        "This run", table(["", "rows"], rows, numeric=[1]),
        "<h3>Facts set for the whole run</h3>",
        paragraph("A row's own value always wins; the run's value fills the rows that left the fact empty.")
        + table(["fact", "run's value", "rows that took it", "rows that gave their own"], wide, numeric=[2, 3])
        if wide else paragraph("None: every fact came from the rows."),
        "<h3>Columns read</h3>", *columns,
        table(["run fact (as given)", "value"], run, numeric=[1]) if run else "")


def _questions_cell(facts: str | None) -> Markup:
    names = [f for f in (facts or "").split(";") if f]
    if not names:
        return Markup("")
    return Markup("<ol class=\"q\">" + "".join(f"<li>{esc(question(f))} <code>{esc(f)}</code></li>" for f in names)
                  + "</ol>")


def _reasons_cell(codes: str | None) -> Markup:
    parts = [f"<strong>{esc(c)}</strong>: {esc(reason(c).text)}" for c in (codes or "").split(";") if c]
    return Markup("<br>".join(parts))


def triage_section(figs: dict[str, Any]) -> str:
    """The stop list grouped: kind, reasons, basis or open route, rows, who (a few)."""
    groups = figs["triage"]
    if not groups:
        return section("Rows that must stop first", paragraph("No row was barred, held or left unscreened."))
    rows = []
    unasked = (figs.get("run") or {}).get("questions_worked_out") is False
    for flag in FLAG_ORDER:
        kind = [g for g in groups if g["flag"] == flag]
        for g in kind[:GROUPS_SHOWN]:
            detail = g["detail"] or ""
            if flag.startswith("BARRED_US") and detail:
                detail = f"citizenship basis: {detail}"
            elif flag in HOLD_CODES or flag == NO_TRANSFER:
                detail = f"open: {detail}" if detail else ("not worked out (--no-questions)" if unasked else "")
            also = "; ".join(f"{c} {number(n)}" for c, n in g["also"].items())
            rows.append([Markup(swatch(flag) + f"<code>{esc(flag)}</code>"), detail, number(g["rows"]),
                         also, ", ".join(g["examples"])])
        rest = kind[GROUPS_SHOWN:]
        if rest:
            rows.append([Markup(swatch(flag) + f"<code>{esc(flag)}</code>"),
                         Markup(f"<em>{len(rest)} smaller groups</em>"), number(sum(g["rows"] for g in rest)), "",
                         f"in {JSON} (triage)"])
    return section(
        "Rows that must stop first",
        paragraph(f"{number(figs['totals']['flagged'])} rows, grouped: most serious kind first, the largest group "
                  "first within a kind. A group is one kind and one citizenship basis (barred citizens and "
                  "nationals) or one set of open routes (held: named from the row's missing facts, in "
                  f"alphabetical order); the examples are the group's first rows. Every row is in {CSV} and {XLSX}, "
                  "in the same order."),
        table(["kind", "basis, or what is still open", "rows", "of which also listing", "for example"], rows,
              numeric=[2]))


def rows_section(shown: pl.DataFrame, figs: dict[str, Any]) -> str:
    """The flagged rows the page lists, as a sortable, filterable table with each held row's first questions."""
    if not shown.height:
        return ""
    ident = figs.get("id_column")
    headers = ["manifest row"] + ([ident] if F.ID in shown.columns else []) + \
        ["kind", "other reasons", "basis, open route or error", "first questions (most telling first)",
         "missing facts (count)"]
    body = []
    for r in shown.head(TABLE_ROWS).iter_rows(named=True):
        detail = r.get("citizenship_basis") or r.get("open_route") or (r.get("error") or "")
        body.append([r["manifest_row"]] + ([r.get(F.ID)] if F.ID in shown.columns else []) +
                    [Markup(f"<code>{esc(r['flag'])}</code>"),
                     Markup("<br>".join(f"<code>{esc(c)}</code>" for c in (r["reason_codes"] or "").split(";")
                                        if c and c != r["flag"])),
                     detail, _questions_cell(r.get("top_questions")), r.get("missing_count") or ""])
    listed, total = min(shown.height, TABLE_ROWS), figs["totals"]["flagged"]
    kind = 2 if F.ID in shown.columns else 1
    return section(
        "The flagged rows",
        paragraph(f"This page lists {number(listed)} of {number(total)} flagged rows (the first of each kind); "
                  f"{CSV} and {XLSX} hold them all. Click a heading to sort; type to filter. For a held row, the "
                  f"first questions are the first {F.TOP_QUESTIONS} of its missing facts, most telling first (those "
                  f"whose answers tell the row's possible results apart most); every question is in {QUESTIONS}."),
        sortable_table("flagged", headers, body, filter_column=kind, numeric=[0, len(headers) - 1]))


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
    return [(Markup(f"<code>{esc(r.code)}</code>"), r.text, source_link(r.url, r.citation or r.url)) for r in items]


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
    files = [(CSV, "every flagged row, in priority order: manifest row, identifier, kind (the outcome, or why there is none), reasons, citizenship basis, "
              "the open routes and first three questions of held rows, and the error of rows not screened"),
             (XLSX, f"the same rows as a spreadsheet (the first {XLSX_ROWS:,}; its 'about' sheet says how many)"),
             (QUESTIONS, "for each fact, the question to ask to find it out"),
             (JSON, "the figures of this page, for machines"),
             *((name, "chart (PNG)") for name in CHARTS.values())]
    return section("Files of this report", table(["file", "contents"], [(link(f, f), d) for f, d in files]))


def render_html(figs: dict[str, Any], shown: pl.DataFrame, charts: dict[str, bytes]) -> str:
    """The report page: caveat, at a glance, the grouped stop list, the rows, the run, counts, how to read,
    sources, files."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    subtitle = (f"Manifest: {figs['source']} · law applied as of {figs['as_of']} · {figs['law_version']} · "
                f"run {figs.get('run_id') or 'not given'} · report made {made}")
    return page("Reviewer's report: who must not be transferred", [
        "<style>.stopline{font-size:1.15em}ol.q{margin:0;padding-left:1.2em}</style>",
        glance_section(figs),
        triage_section(figs),
        rows_section(shown, figs),
        run_section(figs),
        counts_section(figs, charts),
        how_to_read_section(),
        sources_section(),
        files_section(),
        script_tag(),
    ], subtitle=subtitle)
