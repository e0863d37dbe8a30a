"""The `safeguard` command. Exit codes: 0 decided (whatever the outcome); 2 bad input (the message
names the fact, the value and what was expected); 1 an internal error."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.prompt import Prompt

from safeguard.engine.errors import EngineError
from safeguard.facts.parse import InputError, InputErrors, coerce
from safeguard.facts.schema import fact_specs
from safeguard.simulate.command import simulate

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="safeguard: who may lawfully be sent out of the United States. A screening aid, not legal advice.")
out = Console()
err = Console(stderr=True)


class BadInput(Exception):
    pass


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--as-of = '{value}': expected a date as YYYY-MM-DD") from None


def load_case_file(path: Path) -> dict[str, Any]:
    """Read a JSON (or YAML) case file; bad files are bad input, not crashes."""
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as e:  # noqa: BLE001 - any parse failure is the user's input
        raise BadInput(f"{path}: not valid {'YAML' if path.suffix.lower() in ('.yaml', '.yml') else 'JSON'}: {e}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path}: expected an object of facts, e.g. {{\"birth_place\": \"US\"}}")
    return data


def _run(fn) -> None:
    """Map errors to the contract's exit codes."""
    try:
        fn()
    except (BadInput, InputErrors, InputError) as e:
        err.print(f"[red]bad input:[/red] {e}", highlight=False)
        raise typer.Exit(2) from None
    except EngineError as e:
        err.print(f"[red]internal error in the rules:[/red] {e}", highlight=False)
        raise typer.Exit(1) from None


@app.command()
def screen(case_file: Path = typer.Argument(..., help="Case file (JSON) with facts named as in facts.yaml"),
           as_of: str | None = typer.Option(None, "--as-of", help="Date the law is taken at (YYYY-MM-DD)"),
           explain: bool = typer.Option(False, "--explain", help="Include the tree of rules that decided it"),
           fmt: str = typer.Option("json", "--format", help="json or text")) -> None:
    """Decide one case and print the result document."""
    from safeguard.api import screen as screen_case
    from safeguard.render.text import render_result

    def go() -> None:
        if fmt not in ("json", "text"):
            raise BadInput(f"--format = '{fmt}': expected json or text")
        doc = screen_case(load_case_file(case_file), as_of=_date_option(as_of), explain=explain)
        if fmt == "json":
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            render_result(doc, out)

    _run(go)


@app.command()
def ask(case_file: Path | None = typer.Argument(None, help="Case file; without one, in a terminal, an interview"),
        as_of: str | None = typer.Option(None, "--as-of", help="Date the law is taken at (YYYY-MM-DD)")) -> None:
    """Print the next questions whose answers can still change the result (or run an interview)."""
    from safeguard.api import ask as ask_case

    def go() -> None:
        day = _date_option(as_of)
        if case_file is not None:
            print(json.dumps(ask_case(load_case_file(case_file), as_of=day), indent=2, ensure_ascii=False))
        elif sys.stdin.isatty():
            interview({}, day)
        else:
            raise BadInput("no case file given and no terminal to run an interview in")

    _run(go)


DONT_KNOW = {"", "?", "dk", "don't know", "dont know", "unknown", "skip"}


def interview(facts: dict[str, Any], as_of: date | None) -> dict[str, Any]:
    """Ask the most decisive question, then the next, until decided or only "don't know" is left."""
    from safeguard.api import ask as ask_case
    from safeguard.api import screen as screen_case
    from safeguard.render.text import render_result

    declined: set[str] = set()
    out.print("[bold]safeguard interview[/bold] — answer each question; press Enter or type ? for \"don't know\".")
    while True:
        state = ask_case(facts, as_of=as_of)
        pending = [q for q in state["questions"] if q["fact"] not in declined]
        if state["decided"] or not pending:
            break
        q = pending[0]
        spec = fact_specs()[q["fact"]]
        hint = f" [{'/'.join(spec.values)}]" if spec.type == "enum" else (" [yes/no]" if spec.type == "bool" else "")
        answer = Prompt.ask(f"{q['text']}{hint}", default="", show_default=False, console=out)
        if answer.strip().lower() in DONT_KNOW:
            declined.add(q["fact"])
            continue
        try:
            value = coerce(spec, answer, text=True)
        except InputError as e:
            out.print(f"[red]{e}[/red]")
            continue
        facts[q["fact"]] = value.isoformat() if isinstance(value, date) else (list(value) if isinstance(value, tuple) else value)
    render_result(screen_case(facts, as_of=as_of, explain=False), out)
    return facts


@app.command()
def batch(input_file: Path = typer.Argument(..., help="Manifest: .csv, .parquet or .jsonl"),
          output_file: Path = typer.Argument(..., help="Output: .csv, .parquet or .jsonl"),
          as_of: str | None = typer.Option(None, "--as-of", help="Default date the law is taken at"),
          explain_flagged: Path | None = typer.Option(None, "--explain-flagged",
                                                         help="Write full explanations of flagged rows (JSONL)"),
          map_file: Path | None = typer.Option(None, "--map", help="YAML map for other column names and codes"),
          report: Path | None = typer.Option(None, "--report", help="Write the reviewer's report into this folder"),
          chunk_rows: int = typer.Option(250_000, "--chunk-rows", min=1000,
                                         help="Rows screened at a time (memory grows with it)")) -> None:
    """Screen a manifest: every row out, in order, with the result columns and `error` on bad rows."""
    from safeguard.batch.cli_batch import run_batch

    _run(lambda: run_batch(input_file, output_file, _date_option(as_of), explain_flagged, out,
                           map_file=map_file, report_dir=report, chunk_rows=chunk_rows))


@app.command()
def synth(output_file: Path = typer.Argument(..., help="Manifest to write: .parquet, .csv or .jsonl"),
          n: int = typer.Option(..., "--n", min=0, help="Number of people"),
          seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same manifest)"),
          bad_rows: float = typer.Option(0.0, "--bad-rows", min=0.0, max=1.0,
                                         help="Share of rows given one unreadable value"),
          destination: str | None = typer.Option("SV", "--destination", help="Destination country ('' for none)"),
          arrangement: str | None = typer.Option("sv-cecot-2025", "--arrangement", help="Arrangement id ('' for none)"),
          as_of: str | None = typer.Option(None, "--as-of", help="Date of the manifest (default today)")) -> None:
    """Write a synthetic manifest calibrated to published BOP and ICE figures (for tests, demos, benchmarks)."""
    from safeguard.synth.cli_support import write_manifest

    def go() -> None:
        if output_file.suffix.lower() not in (".parquet", ".csv", ".jsonl"):
            raise BadInput(f"{output_file}: expected a .parquet, .csv or .jsonl file name")
        day = _date_option(as_of) or date.today()
        with out.status(f"generating {n:,} rows"):
            path = write_manifest(output_file, n, seed, bad_row_share=bad_rows, destination=destination or None,
                                  arrangement=arrangement or None, as_of=day)
        out.print(f"wrote {n:,} synthetic rows to {path} (seed {seed}, as of {day.isoformat()}); "
                  "synthetic people, calibrated to published figures: see src/safeguard/synth/calibration.yaml")

    _run(go)


@app.command()
def arrangements(on: str | None = typer.Option(None, "--on", help="Date for the status (default today)"),
                 add: int = typer.Option(0, "--add", help="Facility check: crowding after this many more people")) -> None:
    """List the arrangement catalogue with each arrangement's status on a date (and the facility check)."""
    from safeguard.render.arrangements import render_arrangements

    _run(lambda: render_arrangements(_date_option(on) or date.today(), out, add))


app.command(name="simulate")(simulate)

from safeguard.web.commands import audit_app, serve  # noqa: E402 - the web app's commands (Django loads lazily)

app.command(name="serve")(serve)
app.add_typer(audit_app, name="audit")


@app.command()
def demo() -> None:
    """The main job on the bundled data."""
    from safeguard.demo import run_demo

    _run(lambda: run_demo(out))


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except Exception as e:  # noqa: BLE001 - last resort: an internal error is exit 1, never a traceback dump
        err.print(f"[red]internal error:[/red] {type(e).__name__}: {e}")
        sys.exit(1)


if __name__ == "__main__":
    main()
