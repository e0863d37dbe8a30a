"""`safeguard simulate A --compare B`: two scenarios side by side (people by outcome, costs, occupancy), with
the differences B - A. Every figure is the median of each scenario's runs with its 5-95% interval; the
difference is between the medians (the runs of the two scenarios are not paired). Renders what the two
figure documents say; decides nothing."""

from __future__ import annotations

import json
from pathlib import Path

from safeguard.render.charts import paired_bar_chart
from safeguard.render.page import Markup, esc, figure, page, paragraph, section, table
from safeguard.render.palette import outcome_colour, swatch
from safeguard.report.folder import staged

from . import formatting as fmt

FIGURES = ("persons_transferred", "persons_barred_as_us_citizens_or_nationals", "us_cost_avoided", "fees_paid",
           "transport_cost", "one_off_costs", "net_cost", "net_cost_per_year", "net_cost_per_person_year",
           "occupancy_after", "share_of_design_capacity", "share_of_alternative_capacity", "m2_per_person")


def _middle(r: dict) -> float | None:
    return r.get("p50") if r.get("p50") is not None else r.get("central")


def compare_docs(a: dict, b: dict) -> dict:
    """The comparison document: each figure for A and B (median, interval) and B - A (medians)."""
    rows = []
    for name in FIGURES:
        ra, rb = a["results"].get(name), b["results"].get(name)
        if ra is None or rb is None:
            continue
        ma, mb = _middle(ra), _middle(rb)
        rows.append({"name": name, "label_a": ra["label"], "label_b": rb["label"], "unit": ra["unit"],
                     "a": {k: ra[k] for k in ("p50", "p5", "p95", "central")},
                     "b": {k: rb[k] for k in ("p50", "p5", "p95", "central")},
                     "difference_of_medians": None if ma is None or mb is None else mb - ma})
    codes = list(dict.fromkeys([r["outcome"] for r in a["population"]["by_outcome"]]
                               + [r["outcome"] for r in b["population"]["by_outcome"]]))
    people = {doc_key: {r["outcome"]: r["persons"] for r in doc["population"]["by_outcome"]}
              for doc_key, doc in (("a", a), ("b", b))}
    outcomes = [{"outcome": c, "a": people["a"].get(c, 0.0), "b": people["b"].get(c, 0.0),
                 "difference": people["b"].get(c, 0.0) - people["a"].get(c, 0.0)} for c in codes]
    return {"report": "safeguard scenario comparison", "format_version": 1,
            "a": {"id": a["scenario"]["id"], "title": a["title"], "as_of": a["scenario"]["as_of"],
                  "arrangement": a["scenario"]["arrangement"]["id"], "runs": a["scenario"]["monte_carlo"]["runs"]},
            "b": {"id": b["scenario"]["id"], "title": b["title"], "as_of": b["scenario"]["as_of"],
                  "arrangement": b["scenario"]["arrangement"]["id"], "runs": b["scenario"]["monte_carlo"]["runs"]},
            "figures": rows, "outcomes": outcomes, "disclaimer": a["disclaimer"], "model_caveat": a["model_caveat"]}


def _figure(r: dict, unit: str) -> str:
    return fmt.headline({**r, "unit": unit})


def _difference(r: dict) -> str:
    """B - A in the figure's unit; a difference of shares in percentage points."""
    d = r["difference_of_medians"]
    if d is not None and r["unit"] == "share":
        return f"{d * 100:+,.1f} percentage points"
    return fmt.value(d, r["unit"])


def render_compare(cmp: dict, outcome_png: bytes) -> str:
    a, b = cmp["a"], cmp["b"]
    heads = ["figure", f"A: {a['id']}", f"B: {b['id']}", "B − A (medians)"]
    rows = [[r["label_a"] if r["label_a"] == r["label_b"] else f"{r['label_a']} / {r['label_b']}",
             _figure(r["a"], r["unit"]), _figure(r["b"], r["unit"]), _difference(r)]
            for r in cmp["figures"]]
    people = [[Markup(swatch(o["outcome"]) + f"<code>{esc(o['outcome'])}</code>"), f"{o['a']:,.0f}", f"{o['b']:,.0f}",
               f"{o['difference']:+,.0f}"] for o in cmp["outcomes"]]
    return page(f"Two scenarios side by side: {a['id']} and {b['id']}", [
        section("What this is", f'<p class="caveat">{esc(cmp["model_caveat"])}</p>',
                paragraph(f"A: {a['title']} (law as of {a['as_of']}, arrangement {a['arrangement']}, {a['runs']:,} runs)."),
                paragraph(f"B: {b['title']} (law as of {b['as_of']}, arrangement {b['arrangement']}, {b['runs']:,} runs)."),
                paragraph("Each figure is the median of its scenario's runs with the 5–95% interval; the difference is "
                          "B's median less A's. Totals are over each scenario's own horizon, as their labels say.")),
        section("Costs and capacity", table(heads, rows, numeric=(3,))),
        section("People by legal outcome", table(["outcome", f"A: {a['id']}", f"B: {b['id']}", "B − A"], people,
                                                 numeric=(1, 2, 3)),
                figure(outcome_png, "People by outcome: A solid, B hatched; one colour per outcome, as in every chart.")),
    ], subtitle=f"A = {a['id']} · B = {b['id']}")


def write_compare(a: dict, b: dict, out_dir: Path) -> dict[str, Path]:
    """report.html, figures.json and charts/outcomes.png of the comparison, swapped in whole by rename."""
    cmp = compare_docs(a, b)
    shown = [o for o in cmp["outcomes"] if o["a"] or o["b"]]
    png = paired_bar_chart([o["outcome"] for o in shown], [o["a"] for o in shown], [o["b"] for o in shown],
                           (f"A: {cmp['a']['id']}", f"B: {cmp['b']['id']}"), "People by legal outcome", "people",
                           [outcome_colour(o["outcome"]) for o in shown])
    out_dir = Path(out_dir)
    with staged(out_dir) as stage:
        (stage / "charts").mkdir()
        (stage / "charts" / "outcomes.png").write_bytes(png)
        (stage / "figures.json").write_text(json.dumps(cmp, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                            encoding="utf-8")
        (stage / "report.html").write_text(render_compare(cmp, png), encoding="utf-8")
    return {"html": out_dir / "report.html", "json": out_dir / "figures.json", "doc": cmp}
