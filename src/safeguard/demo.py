"""`safeguard demo`: the main job on bundled data, no network.

1. The offer simulator on scenario cecot-offer-2025 (synthetic population, generated deterministically):
   report in ./safeguard-demo-report/ (report.html, figures.json, charts/).
2. The reviewer's path on a synthetic manifest: 5,000 people proposed for transfer to El Salvador under
   the 2025 offer, screened as the what-if "if the offer were in force on 2025-03-15"
   (`batch --arrangement sv-cecot-2025 --assume-in-force --as-of 2025-03-15`), so the report shows
   rows barred, held and cleared: ./safeguard-demo-manifest/ (manifest.parquet, screened.parquet,
   report/).
Each report folder is replaced whole when the new one is complete.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from rich.console import Console

DEMO_SCENARIO = "cecot-offer-2025"
DEMO_REPORT_DIR = Path("safeguard-demo-report")
DEMO_MANIFEST_DIR = Path("safeguard-demo-manifest")
WHAT_IF = {"arrangement": "sv-cecot-2025", "as_of": date(2025, 3, 15), "rows": 5000, "seed": 2025}


def run_demo(console: Console) -> None:
    from safeguard.simulate.command import simulate_and_report
    from safeguard.simulate.summary import print_summary

    out_dir = Path.cwd() / DEMO_REPORT_DIR
    console.print(f"[bold]safeguard demo[/bold]: the offer simulator on scenario {DEMO_SCENARIO} "
                  f"(synthetic population, no network). The report goes to {out_dir}/ "
                  "(the folder is replaced when the new report is complete).", highlight=False)
    started = time.perf_counter()
    doc, paths = simulate_and_report(DEMO_SCENARIO, out_dir, console)
    print_summary(doc, console)
    console.print(f"Done in {time.perf_counter() - started:.1f} s.", highlight=False)
    console.print(f"[bold]Report:[/bold] {paths['html']}  (open it in a browser; it needs no server)",
                  highlight=False, soft_wrap=True)
    console.print(f"Figures (JSON): {paths['json']}", highlight=False, soft_wrap=True)
    run_manifest_demo(console)


def run_manifest_demo(console: Console, folder: Path | None = None) -> Path:
    """The reviewer's path: a synthetic manifest screened as the what-if; returns the report page."""
    from safeguard.batch.cli_batch import run_batch
    from safeguard.synth.cli_support import write_manifest

    folder = folder or Path.cwd() / DEMO_MANIFEST_DIR
    manifest, screened = folder / "manifest.parquet", folder / "screened.parquet"
    console.rule("The reviewer's path: a manifest, screened as a what-if")
    console.print(f"{WHAT_IF['rows']:,} synthetic people proposed for transfer to El Salvador under "
                  f"{WHAT_IF['arrangement']}, the 2025 offer (never in force), screened as if it were in force on "
                  f"{WHAT_IF['as_of'].isoformat()}: safeguard batch {manifest.name} {screened.name} --arrangement "
                  f"{WHAT_IF['arrangement']} --assume-in-force --as-of {WHAT_IF['as_of'].isoformat()} --report report",
                  highlight=False)
    write_manifest(manifest, WHAT_IF["rows"], WHAT_IF["seed"], destination="SV", arrangement=None,
                   as_of=WHAT_IF["as_of"], bad_row_share=0.005)
    summary = run_batch(manifest, screened, WHAT_IF["as_of"], None, console, report_dir=folder / "report",
                        arrangement=WHAT_IF["arrangement"], assume_in_force=True)
    return Path(summary["report"])
