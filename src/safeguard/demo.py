"""`safeguard demo`: the main job. Runs the CECOT offer scenario end to end on the bundled synthetic
population (generated deterministically, no network), prints a short summary and writes the report
into ./safeguard-demo-report/ (report.html, figures.json, charts/); only those files are replaced."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

DEMO_SCENARIO = "cecot-offer-2025"
DEMO_REPORT_DIR = Path("safeguard-demo-report")


def run_demo(console: Console) -> None:
    from safeguard.simulate.command import simulate_and_report
    from safeguard.simulate.summary import print_summary

    out_dir = Path.cwd() / DEMO_REPORT_DIR
    console.print(f"[bold]safeguard demo[/bold]: the offer simulator on scenario {DEMO_SCENARIO} "
                  f"(synthetic population, no network). The report goes to {out_dir}/ "
                  "(report.html, figures.json and charts/ there are replaced).", highlight=False)
    started = time.perf_counter()
    doc, paths = simulate_and_report(DEMO_SCENARIO, out_dir, console)
    print_summary(doc, console)
    console.print(f"Done in {time.perf_counter() - started:.1f} s.", highlight=False)
    console.print(f"[bold]Report:[/bold] {paths['html']}  (open it in a browser; it needs no server)",
                  highlight=False, soft_wrap=True)
    console.print(f"Figures (JSON): {paths['json']}", highlight=False, soft_wrap=True)
