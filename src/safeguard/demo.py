"""`safeguard demo`: the main job on the bundled data. Until the offer simulator exists, it screens the
bundled example cases and prints each result."""

from __future__ import annotations

import json
from importlib import resources

from rich.console import Console
from rich.table import Table

from safeguard.api import screen
from safeguard.result import DISCLAIMER


def example_cases() -> list[dict]:
    folder = resources.files("safeguard") / "examples"
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".json")]


def run_demo(console: Console) -> None:
    table = Table(title="safeguard — bundled example cases", expand=True)
    for col in ("person", "citizenship", "basis", "transfer", "next question"):
        table.add_column(col)
    for case in example_cases():
        doc = screen(case, as_of="2026-11-23")
        c, t = doc["citizenship"], doc.get("transfer") or {}
        nq = doc["next_question"]["fact"] if doc["next_question"] else ""
        table.add_row(doc["person_id"], c["status"], c["basis"] or "", t.get("outcome", ""), nq)
    console.print(table)
    console.print(f"[dim]{DISCLAIMER}[/dim]")
