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
             fmt: str = typer.Option("text", "--format", help="text (summary) or json (every figure)")) -> None:
    """Simulate a transfer offer: who the law lets through, costs, capacity, with intervals. A model, not legal advice."""
    from safeguard.batch.io import ManifestError

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
        doc, paths = simulate_and_report(scenario, out, err_console if fmt == "json" else out_console,
                                         runs, seed, show_progress=fmt == "text")
    except (ScenarioError, ManifestError, NotADirectoryError) as exc:
        err_console.print(f"[red]bad scenario:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    if fmt == "json":
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    print_summary(doc, out_console)
    out_console.print(f"Report: {paths['html'].resolve()}", highlight=False, soft_wrap=True, markup=False)
    out_console.print(f"Figures (JSON): {paths['json'].resolve()}", highlight=False, soft_wrap=True, markup=False)
