"""The simulator's report: one self-contained HTML page (charts embedded, print layout for PDF), the same
charts as PNG files, and the figures as JSON. Draws what the figures document says; decides nothing."""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from pathlib import Path

from safeguard.render.charts import bar_chart, tornado_chart
from safeguard.render.page import Markup, esc, figure, page, paragraph, section, table
from safeguard.render.palette import FIGURE_COLOURS, outcome_colour, swatch
from safeguard.render.sources import source_link
from safeguard.report.folder import staged

from . import formatting as fmt
from .provenance import CHANGED

REPORT_FILE, JSON_FILE, CHART_DIR = "report.html", "figures.json", "charts"
WRAP_STYLE = ("<style>td a,td .unconfirmed code{overflow-wrap:anywhere}td code{white-space:nowrap}"
              ".unconfirmed{color:#7a4100}td .unconfirmed code{white-space:normal}</style>")  # long source URLs wrap
CENTRAL_NOTE = ("The central run puts every input at its value, its most likely value (mode) or the middle of its "
                "range. Where a mode sits at one end of its range, the central run can lie near or even outside the "
                "5th-95th percentile interval; the median of the runs is then the better middle figure.")
COST_BARS = ("us_cost_avoided", "fees_paid", "transport_cost", "one_off_costs", "net_cost")
COST_TABLE = ("persons_transferred", "us_cost_avoided", "fees_paid", "transport_cost", "one_off_costs", "net_cost",
              "us_cost_avoided_per_year", "fees_paid_per_year", "net_cost_per_year", "net_cost_per_person",
              "net_cost_per_person_year", "us_cost_avoided_per_person_year", "fee_per_person_year",
              "fees_share_of_us_cost_avoided", "fees_per_year_share_of_sv_prison_budget", "flights")
CAPACITY_TABLE = ("occupancy_before", "occupancy_after", "share_of_design_capacity", "share_of_alternative_capacity",
                  "spare_design_capacity_before", "spare_alternative_capacity_before", "m2_per_person",
                  "persons_per_cell", "facilities_needed")


def _write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; a report is an ordinary file
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _finite(x: float | None) -> float:
    return 0.0 if x is None or not math.isfinite(x) else x


def _outcome_colour(row: dict) -> str:
    return outcome_colour(row["outcome"])  # one colour per outcome, as in every chart of the project


def charts(doc: dict) -> dict[str, tuple[bytes, str]]:
    """Every chart as (PNG bytes, caption), by file stem."""
    res, out = doc["results"], {}
    cost = [res[k] for k in COST_BARS]
    out["costs"] = (bar_chart(
        [r["label"] for r in cost], [_finite(r["p50"] if r["p50"] is not None else r["central"]) / 1e6 for r in cost],
        "Costs over the horizon", "US$ million (bar: median of the runs; line: 5th-95th percentile)",
        colours=list(FIGURE_COLOURS[:5]),
        errors=[(_finite(r["p5"]) / 1e6, _finite(r["p95"]) / 1e6) for r in cost], value_format="{:,.1f}"),
        "Costs over the horizon with 5th-95th percentile intervals. Net cost = fees + transport + one-off - U.S. cost avoided.")
    unit = doc["unit_costs"]
    out["unit-costs"] = (bar_chart(
        [u["label"] for u in unit], [u["central"] for u in unit], "Cost of holding one person for a year",
        "US$ per person-year (bar: central value; line: the scenario's range)",
        colours=[FIGURE_COLOURS[0], FIGURE_COLOURS[1], FIGURE_COLOURS[3], FIGURE_COLOURS[2]],
        errors=[(u["low"], u["high"]) for u in unit]),
        "The fee against what holding the same person in the U.S. costs.")
    rows = [r for r in doc["population"]["by_outcome"] if r["rows"]]
    out["population"] = (bar_chart(
        [r["outcome"] for r in rows], [r["persons"] for r in rows], "The population by legal outcome",
        "people (scaled from the rows screened)", colours=[_outcome_colour(r) for r in rows]),
        "One colour per outcome, the same in every chart: reds barred, oranges held, greens cleared (counted as "
        "transferable when the scenario says so), purple outside the arrangement, greys no outcome or unreadable.")
    before, after = res["occupancy_before"], res["occupancy_after"]
    bars = [("Held before the transfers", _finite(before["central"]), (_finite(before["p5"]), _finite(before["p95"]))),
            ("Held after the transfers", _finite(after["central"]), (_finite(after["p5"]), _finite(after["p95"])))]
    if doc["facility"]["alternative_capacity"]:
        alt = doc["facility"]["alternative_capacity"]
        bars.append(("Alternative capacity estimate", alt, (alt, alt)))
    bars.append(("Design capacity", doc["facility"]["design_capacity"], (doc["facility"]["design_capacity"],) * 2))
    out["occupancy"] = (bar_chart(
        [b[0] for b in bars], [b[1] for b in bars], f"{doc['facility']['name']}: occupancy against capacity",
        "people", colours=[FIGURE_COLOURS[1], FIGURE_COLOURS[2], FIGURE_COLOURS[4], FIGURE_COLOURS[5]][:len(bars)],
        errors=[b[2] for b in bars]), "People held before and after the transfers, against the two capacity figures.")
    sens = [r for r in doc["sensitivity"]["rows"] if r["swing"] > 0]
    if sens:
        out["sensitivity"] = (tornado_chart(
            [r["label"] for r in sens], [r["result_at_low"] / 1e6 for r in sens],
            [r["result_at_high"] / 1e6 for r in sens], sens[0]["base"] / 1e6,
            "Which input moves the net cost most", "net cost to the U.S., US$ million (light blue: input at its minimum; "
            "dark blue: at its maximum)"),
            "Each input set to the ends of its range, every other input at its central value.")
    return out


def _sources(p: dict) -> Markup:
    urls = ([p["source"]] if p.get("source") else []) + list(p.get("also") or [])
    if not urls:
        return Markup("<em>no source: assumption</em>")
    return Markup("<br>".join(source_link(u).html for u in urls))


def _url_in(text: str) -> str | None:
    found = re.search(r"https?://\S+", text or "")
    return found.group(0).rstrip(").,;") if found else None


def _parameter_rows(doc: dict) -> list[list]:
    rows = []
    for p in doc["parameters"]:
        words = " ".join(x for x in (p.get("quote") and f"“{p['quote']}”", p.get("note")) if x)
        if p.get("assumption"):
            words += f" Assumption: {p['reason']}"
        changed = p.get("provenance")
        label = Markup(f"{esc(p['label'])}<br><code>{esc(p['section'])}.{esc(p['name'])}</code>"
                       + (f'<br><span class="flag">{esc(changed)}</span>' if changed else ""))
        source = _sources(p)
        if changed == CHANGED:
            source = Markup(f'<span class="flag">{esc(CHANGED)}</span><br><s>{source.html}</s>')
            words = f"The bundled scenario's figure was changed here; the quote below was for it. {words}"
        rows.append([label, fmt.parameter_range(p), p["sampling"] or "fixed", p["unit"], source, words.strip()])
    check = doc["facility"]["catalogue_check"]
    for key, label, unit in (("design_capacity", "Design capacity", "people"),
                             ("alternative_capacity", "Alternative capacity estimate", "people"),
                             ("cells", "Cells", "cells"), ("cell_area_m2", "Cell floor area", "m² per cell"),
                             ("reference_m2_per_person", "Reference space per prisoner", "m² per person")):
        entry = check.get(key)
        if entry:
            rows.append([Markup(f"{esc(label)}<br><code>catalogue: {esc(check['arrangement'])}</code>"),
                         fmt.parameter_range({"value": entry["value"]}), "fixed", unit, _sources(
                             {"source": entry["sources"][0], "also": entry["sources"][1:]}), entry.get("note") or ""])
    pop = doc["population"]
    rows.append([Markup("People each row stands for<br><code>population</code>"), f"{pop['people_per_row']:,.2f}",
                 "fixed", "people per row", _sources({"source": None, "also": [u for u in map(_url_in, pop[
                     "scale_sources"]) if u]}), pop["scale_basis"]])
    return rows


def render_html(doc: dict, images: dict[str, tuple[bytes, str]]) -> str:
    """The report page."""
    sc, pop, res = doc["scenario"], doc["population"], doc["results"]
    arr = sc["arrangement"]
    status = f"status on {sc['as_of']}: {arr['status_on_as_of']}" + ("; assumed in force for this what-if"
                                                                     if sc["assume_in_force"] else "")
    subtitle = (f"Scenario {sc['id']} · law as of {sc['as_of']} · arrangement {arr['id']} ({status}) · "
                f"{sc['monte_carlo']['runs']:,} Monte Carlo runs, seed {sc['monte_carlo']['seed']}")
    fig = {k: figure(png, caption) for k, (png, caption) in images.items()}
    barred = sum(r["persons"] for r in pop["by_outcome"] if r["outcome"] == "BARRED_US_CITIZEN")
    key = [
        f"Population screened: {pop['represents']:,.0f} people ({pop['rows']:,} rows, {pop['people_per_row']:,.2f} "
        f"people per row). U.S. citizens among them: {barred:,.0f}; the law bars sending any of them.",
        f"Counted as transferable ({', '.join(pop['transferable_outcomes'])}): {pop['lawful_persons']:,.0f} people; "
        f"transferred after the arrangement's cap: {pop['transferred_persons']:,.0f}.",
        f"{res['net_cost']['label']}: {fmt.headline(res['net_cost'])}.",
        f"{res['net_cost_per_year']['label']}: {fmt.headline(res['net_cost_per_year'])}.",
        f"{res['share_of_design_capacity']['label']}: {fmt.headline(res['share_of_design_capacity'])}; "
        f"cell floor space per person {fmt.headline(res['m2_per_person'])} "
        f"(reference {doc['facility']['reference_m2_per_person']:g} m²).",
    ]
    intro = section(
        "What this is", WRAP_STYLE,
        f'<p class="caveat">{esc(doc["model_caveat"])}</p>', paragraph(sc["description"]),
        "<ul>" + "".join(f"<li>{esc(k)}</li>" for k in key) + "</ul>",
        paragraph(f"Scenario file: {sc['file']}"))
    outcome_rows = [[Markup(swatch(r["outcome"]) + f"<code>{esc(r['outcome'])}</code>"), r["meaning"], f"{r['rows']:,}",
                     f"{r['persons']:,.0f}", f"{(r['share'] or 0) * 100:.1f}%", "yes" if r["transferable"] else "no"]
                    for r in pop["by_outcome"]]
    moved = pop["transferred_persons_by_custody"]
    who = section(
        "Who the law lets through",
        paragraph(f"Every row is screened with the transfer rules (the batch engine). Counted as transferable: "
                  f"{', '.join(pop['transferable_outcomes'])}. Why: {sc['transferable']['reason']}"),
        paragraph(f"Scale: {pop['scale_basis']}.") if pop["kind"] == "synthetic" else paragraph(pop["scale_basis"]),
        paragraph(f"Assumed in force: {sc['assume_in_force_reason']}") if sc["assume_in_force"] else "",
        table(["outcome", "meaning", "rows", "people", "share", "counted"], outcome_rows, numeric=(2, 3, 4)),
        paragraph("Transferred, by who holds them now: " + "; ".join(
            f"{pop['custody_words'][g]} {n:,.0f}" for g, n in moved.items() if n)
            + (f". The arrangement's cap of {pop['arrangement_cap']:,} people leaves {pop['beyond_cap']:,.0f} "
               "lawful transfers out." if pop["beyond_cap"] else ".")),
        fig["population"])

    def result_table(names):
        rows = [[res[n]["label"], fmt.value(res[n]["p50"], res[n]["unit"]), fmt.interval(res[n]),
                 fmt.value(res[n]["central"], res[n]["unit"])] for n in names if n in res]
        return table(["figure", "median of the runs", "5th to 95th percentile",
                      "central run (every input at its central value)"], rows, numeric=(1, 3))

    central_note = paragraph(CENTRAL_NOTE)
    costs = section("Costs", paragraph("Over the horizon, per year (the horizon total divided by its years) and per "
                                       "person. Net cost = fees + transport + one-off costs - U.S. cost avoided."),
                    result_table(COST_TABLE), central_note, fig["costs"], fig["unit-costs"])
    alternative = doc["facility"]["alternative_capacity"]
    capacity = section("Capacity", paragraph(
        f"{doc['facility']['name']}: design capacity {doc['facility']['design_capacity']:,.0f}; alternative "
        f"estimate {'not given' if alternative is None else f'{alternative:,.0f}'}; "
        f"{doc['facility']['cells']:,.0f} cells of "
        f"{doc['facility']['cell_area_m2']:g} m²; reference space {doc['facility']['reference_m2_per_person']:g} m² "
        "per prisoner. People held before the transfers: the reported population (a range, see the inputs)."),
        result_table(CAPACITY_TABLE), fig["occupancy"])
    sens_rows = [[r["label"], fmt.parameter_range({"value": r["low_value"]}), fmt.parameter_range(
        {"value": r["high_value"]}), fmt.value(r["result_at_low"], "US$"), fmt.value(r["result_at_high"], "US$"),
        fmt.value(r["swing"], "US$")] for r in doc["sensitivity"]["rows"]]
    mc = sc["monte_carlo"]
    uncertainty = section(
        "Uncertainty and sensitivity",
        paragraph(f"{mc['runs']:,} runs with seed {mc['seed']}: {mc['method']}. Intervals: {mc['interval']}. "
                  "The population is screened once; only the cost and capacity inputs are sampled."),
        fig.get("sensitivity", ""),
        table(["input", "min", "max", "net cost at min", "net cost at max", "swing"], sens_rows, numeric=(1, 2, 3, 4, 5)))
    claim_rows = [[f"{c['who']}, {c['date']}", f"“{c['quote']}”",
                   Markup(source_link(c["source"]).html + (f"<br>{esc(c['note'])}" if c.get("note") else ""))
                   if c.get("source") else c.get("note") or "",
                   f"{c['figure']['label']}: {fmt.headline(c['figure'])}"] for c in doc["claims"]]
    claims = section("The offer's claims against the model", table(["who, when", "claim", "source", "the model's figure"],
                                                                   claim_rows))
    sources = section("Every input and its source", table(
        ["input", "value or range", "sampling", "unit", "source", "quote, note, assumption"], _parameter_rows(doc)))
    limits = section("Assumptions and limits", "<ul>" + "".join(f"<li>{esc(a)}</li>" for a in doc["assumptions"])
                     + "</ul>", f'<p class="caveat">{esc(doc["model_caveat"])}</p>')
    return page(doc["title"], [intro, who, costs, capacity, uncertainty, claims, sources, limits], subtitle=subtitle)


def write_report(doc: dict, out_dir: Path) -> dict[str, Path]:
    """Write report.html, figures.json and charts/*.png into a temporary folder beside out_dir, then swap it
    in by rename (the previous report goes whole; a folder holding other files is refused)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir}: exists and is not a folder; expected a folder for the report")
    images = charts(doc)
    paths = {"html": out_dir / REPORT_FILE, "json": out_dir / JSON_FILE}
    with staged(out_dir) as stage:
        for stem, (png, _) in images.items():
            paths[f"chart:{stem}"] = out_dir / CHART_DIR / f"{stem}.png"
            _write(stage / CHART_DIR / f"{stem}.png", png)
        _write(stage / JSON_FILE, json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8"))
        _write(stage / REPORT_FILE, render_html(doc, images).encode("utf-8"))
    return paths
