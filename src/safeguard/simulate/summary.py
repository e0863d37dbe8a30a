"""The short terminal summary of a simulation (Rich), and the progress bar shown while it runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import formatting as fmt

STEPS = {"population": "Building the population", "screening": "Screening every person",
         "monte_carlo": "Monte Carlo and sensitivity", "report": "Writing the report"}
KEY_RESULTS = ("persons_transferred", "us_cost_avoided_per_year", "fees_paid_per_year", "net_cost_per_year",
               "net_cost_per_person_year", "fees_share_of_us_cost_avoided", "share_of_design_capacity",
               "share_of_alternative_capacity", "m2_per_person")


@contextmanager
def progress_bar(console: Console) -> Iterator:
    """A progress bar with one line per step; yields the callback run_simulation takes."""
    with Progress(TextColumn("{task.description:<30}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        tasks: dict[str, int] = {}

        def update(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(STEPS.get(step, step), total=max(total, 1))
            bar.update(tasks[step], completed=done, total=max(total, 1))

        yield update


def _outside_interval(r: dict) -> bool:
    values = (r.get("central"), r.get("p5"), r.get("p95"))
    return None not in values and not r["p5"] - 1e-9 * abs(r["p5"]) <= r["central"] <= r["p95"] + 1e-9 * abs(r["p95"])


def print_summary(doc: dict, console: Console) -> None:
    """Who the law lets through, the key figures with intervals, and the caveats."""
    pop, res, sc = doc["population"], doc["results"], doc["scenario"]
    console.print(f"[bold]{doc['title']}[/bold]")
    console.print(f"Scenario {sc['id']}; law as of {sc['as_of']}; arrangement {sc['arrangement']['id']} "
                  f"({sc['arrangement']['status_on_as_of']}"
                  + ("; assumed in force for this what-if)" if sc["assume_in_force"] else ")"), highlight=False)
    outcomes = Table(title=f"The population by legal outcome ({pop['represents']:,.0f} people from "
                     f"{pop['rows']:,} rows, {pop['people_per_row']:,.2f} per row)", title_justify="left")
    for col, justify in (("outcome", "left"), ("people", "right"), ("share", "right"), ("counted", "left")):
        outcomes.add_column(col, justify=justify)
    for r in pop["by_outcome"]:
        if r["rows"]:
            outcomes.add_row(r["outcome"], f"{r['persons']:,.0f}", f"{(r['share'] or 0) * 100:.1f}%",
                             "transferable" if r["transferable"] else "")
    console.print(outcomes)
    figures = Table(title=f"Key figures (median and 5th-95th percentile of {sc['monte_carlo']['runs']:,} runs)",
                    title_justify="left")
    for col, justify in (("figure", "left"), ("unit", "left"), ("median", "right"), ("5th-95th percentile", "right"),
                         ("central run", "right")):
        figures.add_column(col, justify=justify)
    for name in KEY_RESULTS:
        if name in res:
            r = res[name]
            figures.add_row(r["label"], r["unit"], fmt.value(r["p50"], r["unit"], per=False),
                            fmt.interval(r, per=False), fmt.value(r["central"], r["unit"], per=False))
    console.print(figures)
    outside = [res[n]["label"] for n in KEY_RESULTS if n in res and _outside_interval(res[n])]
    if outside:
        console.print("Note: the central run puts each input at its mode; where a mode sits at the end of its range "
                      f"the central run falls outside the interval ({'; '.join(outside)}), so the median is the "
                      "figure to quote.", highlight=False)
    changed = [p["label"] for p in doc["parameters"] if p.get("provenance") == "changed — source no longer applies"]
    if changed:
        console.print(f"Changed from the bundled scenario, source no longer applies: {'; '.join(changed)}.",
                      highlight=False)
    if doc["sensitivity"]["rows"]:
        top = doc["sensitivity"]["rows"][0]
        console.print(f"The input that moves the net cost most: {top['label']} "
                      f"(swing {fmt.value(top['swing'], 'US$')}).", highlight=False)
    console.print(f"[dim]{doc['model_caveat']}[/dim]")
    console.print(f"[bold]{doc['disclaimer']}[/bold]")
