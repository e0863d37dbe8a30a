"""A result document as readable terminal text (Rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.tree import Tree

STATUS_STYLE = {"citizen": "bold green", "national": "bold green", "not_citizen": "bold yellow", "unknown": "bold red"}


def _explanation(nodes: list[dict[str, Any]]) -> Tree:
    tree = Tree("[bold]Why[/bold]")

    def add(parent: Tree, node: dict[str, Any]) -> None:
        value = node["value"]
        label = f"[cyan]{node['rule']}[/cyan] = [bold]{value}[/bold]"
        if node.get("see"):
            parent.add(label + " [dim](see above)[/dim]")
            return
        branch = parent.add(f"{label}  [dim]{node['citation']['text']}[/dim]\n{node['doc']}")
        if node["inputs"]:
            branch.add("[dim]facts: " + escape(", ".join(f"{k}={v}" for k, v in node["inputs"].items())) + "[/dim]")
        for child in node["children"]:
            add(branch, child)

    for n in nodes:
        add(tree, n)
    return tree


def render_result(doc: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    c = doc["citizenship"]
    lines = [f"[{STATUS_STYLE[c['status']]}]{c['status'].upper()}[/]" + (f"  since {c['since']}" if c["since"] else "")]
    if c["basis"]:
        lines.append(f"basis: {c['basis']}")
    if c.get("lost"):
        lines.append(f"[red]lost by {c['lost']['how']} on {c['lost']['date']}[/red]")
    if c.get("contested"):
        lines.append(f"[magenta]contested: {c['contested']}[/magenta]")
    parts: list[Any] = ["\n".join(lines)]
    t = doc.get("transfer")
    if t:
        table = Table(title=f"Transfer: [bold]{t['outcome']}[/bold]", show_lines=False, expand=True)
        table.add_column("code")
        table.add_column("reason")
        table.add_column("authority", style="dim")
        for r in t["reasons"]:
            table.add_row(r["code"], r["text"], r["citation"].split(" (")[0])
        parts.append(table)
        if t.get("provisional"):
            parts.append("[yellow]provisional: a bar or hold that comes first is still open and could replace this "
                         f"outcome: {', '.join(t.get('open_bars') or [])}[/yellow]")
        if t.get("contested"):
            parts.append(f"[magenta]contested: {escape(t['contested'])}[/magenta]")
        if t["safeguards"]:
            sg = Table(title="Safeguards for a third-country removal", expand=True)
            sg.add_column("safeguard")
            sg.add_column("status")
            sg.add_column("authority", style="dim")
            for s in t["safeguards"]:
                style = {"met": "green", "unmet": "red", "unknown": "yellow"}[s["status"]]
                sg.add_row(s["name"], f"[{style}]{s['status']}[/]", s["citation"].split(" (")[0])
            parts.append(sg)
    for approx in (doc.get("approximate_dates") or {}).values():
        parts.append(f"approximate date — {escape(approx['note'])}")
    if doc["missing_facts"]:
        parts.append("missing facts: " + ", ".join(doc["missing_facts"]))
    if doc.get("next_question"):
        parts.append(f"[bold]next question[/bold] ({doc['next_question']['fact']}): {doc['next_question']['text']}")
    for p in doc.get("presumptions", []):
        parts.append(f"[dim]presumed {p['fact']} = {p['presumed']}: {p['authority']}[/dim]")
    title = escape(f"{doc.get('person_id') or 'case'} — law as of {doc['as_of']}")  # the person_id is the user's text
    console.print(Panel(Group(*parts), title=title, subtitle=doc["law_version"]))
    if doc.get("explanation"):
        console.print(_explanation(doc["explanation"]))
    console.print(f"[dim]{doc['disclaimer']}[/dim]")
