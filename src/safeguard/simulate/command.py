"""`safeguard simulate SCENARIO`: run an offer scenario and write its report. Exit codes: 0 done; 2 bad
scenario or option (the message names the field); 1 an internal error."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

DEFAULT_OUT = Path("safeguard-simulation-report")
# Listed without importing the simulator, so that `safeguard --help` stays fast.
BUNDLED = sorted(p.name.removesuffix(".yaml") for p in (resources.files("safeguard.simulate") / "scenarios").iterdir()
                 if p.name.endswith(".yaml"))


def simulate_and_report(where: str | Path, out_dir: Path, console: Console, runs: int | None = None,
                        seed: int | None = None, show_progress: bool = True) -> tuple[dict, dict[str, Path]]:
    """Load, run and write the report; a progress bar on `console` while it works."""
    from .load import load_scenario
    from .report import write_report
    from .run import run_simulation
    from .summary import progress_bar

    loaded = load_scenario(where)
    if show_progress:
        with progress_bar(console) as step:
            sim = run_simulation(loaded, runs=runs, seed=seed, progress=step)
            step("report", 0, 1)
            paths = write_report(sim.doc, out_dir)
            step("report", 1, 1)
    else:
        sim = run_simulation(loaded, runs=runs, seed=seed)
        paths = write_report(sim.doc, out_dir)
    return sim.doc, paths


def simulate(scenario: str = typer.Argument(..., help="Scenario file (.yaml), or a bundled scenario name: "
                                            + ", ".join(BUNDLED)),
             out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder for report.html, figures.json, charts/"),
             runs: int | None = typer.Option(None, "--runs", help="Monte Carlo runs (default: the scenario's)"),
             seed: int | None = typer.Option(None, "--seed", help="Monte Carlo seed (default: the scenario's)"),
             fmt: str = typer.Option("text", "--format", help="text (summary) or json (every figure)"),
             compare: str | None = typer.Option(None, "--compare", help="A second scenario, shown side by side "
                                                "with the differences")) -> None:
    """Simulate a transfer offer: who the law lets through, costs, capacity, with intervals. A model, not legal advice."""
    from safeguard.batch.io import ManifestError
    from safeguard.report.folder import ReportFolderError

    from .load import ScenarioError
    from .summary import print_summary

    out_console, err_console = Console(), Console(stderr=True)
    try:
        if fmt not in ("text", "json"):
            raise ScenarioError(f"--format = {fmt!r}: expected text or json")
        if runs is not None and not 1 <= runs <= 200_000:
            raise ScenarioError(f"--runs = {runs}: expected a whole number from 1 to 200000")
        if seed is not None and seed < 0:
            raise ScenarioError(f"--seed = {seed}: expected a whole number >= 0")
        if compare is not None:
            return _compare(scenario, compare, out, runs, seed, fmt, out_console, err_console)
        doc, paths = simulate_and_report(scenario, out, err_console if fmt == "json" else out_console,
                                         runs, seed, show_progress=fmt == "text")
    except (ScenarioError, ManifestError, NotADirectoryError, ReportFolderError) as exc:
        err_console.print(f"[red]bad scenario:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    if fmt == "json":
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    print_summary(doc, out_console)
    out_console.print(f"Report: {paths['html'].resolve()}", highlight=False, soft_wrap=True, markup=False)
    out_console.print(f"Figures (JSON): {paths['json'].resolve()}", highlight=False, soft_wrap=True, markup=False)


def _compare(first: str, second: str, out: Path, runs: int | None, seed: int | None, fmt: str, out_console: Console,
             err_console: Console) -> None:
    """Both scenarios run, then the side-by-side report (in `out`) and summary."""
    from rich.table import Table

    from . import formatting as f
    from .compare import _difference, write_compare
    from .load import load_scenario
    from .run import run_simulation

    docs = [run_simulation(load_scenario(s), runs=runs, seed=seed).doc for s in (first, second)]
    paths = write_compare(docs[0], docs[1], out)
    cmp = paths["doc"]
    if fmt == "json":
        print(json.dumps(cmp, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"A = {cmp['a']['id']}, B = {cmp['b']['id']} (medians of the runs; 5-95% in the report)",
                  title_justify="left")
    for col, justify in (("figure", "left"), ("A", "right"), ("B", "right"), ("B - A", "right")):
        table.add_column(col, justify=justify)
    for r in cmp["figures"]:
        table.add_row(r["label_a"], f.value(r["a"]["p50"], r["unit"], per=False),
                      f.value(r["b"]["p50"], r["unit"], per=False),
                      _difference(r) if r["unit"] == "share" else f.value(r["difference_of_medians"], r["unit"], per=False))
    out_console.print(table)
    out_console.print(f"Report: {paths['html'].resolve()}", highlight=False, soft_wrap=True, markup=False)
