"""The `safeguard` command. Exit codes: 0 decided (whatever the outcome); 2 bad input (the message
names the fact, the value and what was expected); 1 an internal error."""

from __future__ import annotations

import json
import os
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from safeguard.engine.errors import EngineError
from safeguard.facts.errors import NoFactColumns
from safeguard.simulate.command import simulate

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="safeguard: who may lawfully be sent out of the United States. A screening aid, not legal advice.")
out = Console()
err = Console(stderr=True)


class BadInput(Exception):
    pass


def _date_option(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    from safeguard.facts.parse import FIRST_DAY, ISO_DATE, LAST_DAY

    try:
        day = date.fromisoformat(value) if ISO_DATE.match(value) else None
    except ValueError:
        day = None
    if day is None:
        raise BadInput(f"{option} = {value[:40]!r}: expected a date as YYYY-MM-DD")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadInput(f"{option} = '{value}': expected a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return day


MAX_CASE_BYTES = 10 << 20


def load_case_file(path: Path, encoding: str | None = None) -> dict[str, Any]:
    """Read a JSON (or YAML) case file; bad files are bad input (the path and the reason), not crashes."""
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if not path.is_file():
        raise BadInput(f"{path}: not a file ({'a folder' if path.is_dir() else 'a special file'}); expected a case file")
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    try:
        if path.stat().st_size > MAX_CASE_BYTES:
            raise BadInput(f"{path}: {path.stat().st_size:,} bytes; a case file of at most {MAX_CASE_BYTES:,} is read")
        data = path.read_bytes()
    except OSError as e:
        raise BadInput(f"{path}: cannot be read: {e.strerror or e}") from None
    text = _decode(path, data, encoding)
    try:
        if is_yaml:
            from safeguard.safe_yaml import load_text

            loaded = load_text(text)
        else:
            loaded = json.loads(text)
    except Exception as e:  # noqa: BLE001 - any parse failure (aliases, nesting, bad syntax) is the user's input
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise BadInput(f"{path}: not valid {'YAML' if is_yaml else 'JSON'}: {reason[:300]}") from None
    if not isinstance(loaded, dict):
        raise BadInput(f"{path}: expected an object of facts, e.g. {{\"birth_place\": \"US\"}}")
    return loaded


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    """UTF-8 (a byte-order mark skipped) unless --encoding says otherwise; the byte offset when not."""
    enc = encoding or "utf-8-sig"
    if encoding is None and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BadInput(f"{path}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                       "give --encoding utf-16 or save it as UTF-8")
    try:
        return data.decode(enc)
    except LookupError:
        raise BadInput(f"--encoding {encoding!r}: not an encoding Python knows (e.g. utf-8, latin-1, utf-16)") from None
    except UnicodeDecodeError as e:
        raise BadInput(f"{path}: not {enc.removesuffix('-sig')} text: byte 0x{data[e.start]:02x} at offset {e.start:,} "
                       "(give the file's encoding with --encoding, e.g. --encoding latin-1)") from None


def _say_bad(message: str) -> None:
    err.print(f"[red]bad input:[/red] {escape(message)}", highlight=False, soft_wrap=True)  # a path or a value is never broken mid-word


def _run(fn) -> None:
    """Map errors to the contract's exit codes."""
    from safeguard.facts.parse import InputError, InputErrors  # not at the top: `--help` needs no parsing

    try:
        fn()
    except (BadInput, InputErrors, InputError, NoFactColumns) as e:
        _say_bad(str(e))
        raise typer.Exit(2) from None
    except EngineError as e:
        err.print(f"[red]internal error in the rules:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


ENCODING_HELP = "Encoding of the input file (default UTF-8, with or without a byte-order mark)"


@app.command()
def screen(case_file: Path = typer.Argument(..., help="Case file (JSON) with facts named as in facts.yaml"),
           as_of: str | None = typer.Option(None, "--as-of", help="Date the law is taken at (YYYY-MM-DD)"),
           explain: bool = typer.Option(False, "--explain", help="Include the tree of rules that decided it"),
           fmt: str = typer.Option("json", "--format", help="json or text"),
           encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP)) -> None:
    """Decide one case and print the result document."""
    from safeguard.api import screen as screen_case
    from safeguard.render.text import render_result

    def go() -> None:
        if fmt not in ("json", "text"):
            raise BadInput(f"--format = '{fmt}': expected json or text")
        doc = screen_case(load_case_file(case_file, encoding), as_of=_date_option(as_of), explain=explain)
        if fmt == "json":
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            render_result(doc, out)

    _run(go)


@app.command()
def ask(case_file: Path | None = typer.Argument(None, help="Case file; without one, in a terminal, an interview"),
        as_of: str | None = typer.Option(None, "--as-of", help="Date the law is taken at (YYYY-MM-DD)"),
        encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP)) -> None:
    """Print the next questions whose answers can still change the result (or run an interview)."""
    from safeguard.api import ask as ask_case

    def go() -> None:
        day = _date_option(as_of)
        if case_file is not None:
            print(json.dumps(ask_case(load_case_file(case_file, encoding), as_of=day), indent=2, ensure_ascii=False))
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
    from safeguard.facts.parse import ApproxDate, InputError, coerce
    from safeguard.facts.schema import fact_specs
    from safeguard.render.text import render_result

    declined: set[str] = set()
    out.print("[bold]safeguard interview[/bold] — answer each question; press Enter or type ? for \"don't know\".")
    while True:
        state = ask_case(facts, as_of=as_of, unknowable=declined)
        if not state["questions"]:  # none of the declined facts is asked again
            break
        q = state["questions"][0]
        spec = fact_specs()[q["fact"]]
        hint = f" [{'/'.join(spec.values)}]" if spec.type == "enum" else (" [yes/no]" if spec.type == "bool" else "")
        answer = Prompt.ask(escape(f"{q['text']}{hint}"), default="", show_default=False, console=out)
        if answer.strip().lower() in DONT_KNOW:
            declined.add(q["fact"])
            continue
        try:
            value = coerce(spec, answer, text=True)
        except InputError as e:
            out.print(f"[red]{escape(str(e))}[/red]", highlight=False)
            continue
        if isinstance(value, ApproxDate):
            value = value.given  # a year or a month: the engine searches its days
        facts[q["fact"]] = value.isoformat() if isinstance(value, date) else (list(value) if isinstance(value, tuple) else value)
    render_result(screen_case(facts, as_of=as_of, explain=False), out)
    return facts


@app.command()
def batch(input_file: Path = typer.Argument(..., help="Manifest: .csv, .parquet or .jsonl"),
          output_file: Path = typer.Argument(..., help="Output: .csv, .parquet or .jsonl"),
          as_of: str | None = typer.Option(None, "--as-of", help="Default date the law is taken at"),
          engine: str = typer.Option("polars", "--engine", help="polars (this machine) or spark (Parquet in, a Parquet folder out)"),
          master: str = typer.Option("local[*]", "--master", help="Spark master, with --engine spark (e.g. local[2])"),
          explain_flagged: Path | None = typer.Option(None, "--explain-flagged",
                                                         help="Write full explanations of flagged rows (JSONL)"),
          map_file: Path | None = typer.Option(None, "--map", help="YAML map for other column names and codes"),
          report: Path | None = typer.Option(None, "--report", help="Write the reviewer's report into this folder"),
          chunk_rows: int = typer.Option(250_000, "--chunk-rows", min=1000,
                                         help="Rows screened at a time (memory grows with it)"),
          allow_unmapped: list[str] = typer.Option([], "--allow-unmapped",
                                                   help="Keep this fact-like column as given, unread (repeatable)"),
          id_column: str | None = typer.Option(None, "--id-column", help="The column with the person's own identifier"),
          arrangement: str | None = typer.Option(None, "--arrangement",
                                                 help="Arrangement for every row that names none (what-if)"),
          assume_in_force: bool = typer.Option(False, "--assume-in-force",
                                               help="What-if: treat the arrangement as in force (rows may say otherwise)"),
          fmt: str = typer.Option("text", "--format", help="Summary as text (tables) or json"),
          encoding: str | None = typer.Option(None, "--encoding", help=ENCODING_HELP + "; CSV only"),
          questions: bool = typer.Option(True, "--questions/--no-questions",
                                         help="Work out each open row's facts to ask, most telling first (most of "
                                              "a batch's time); --no-questions: outcomes only, missing_facts empty")) -> None:
    """Screen a manifest: every row out, in order, with the result columns and `error` on bad rows."""
    if engine != "polars":
        from safeguard.spark.cli_spark import run_spark_batch

        not_on_spark = {"--map": map_file, "--report": report, "--explain-flagged": explain_flagged,
                        "--allow-unmapped": allow_unmapped or None, "--id-column": id_column,
                        "--arrangement": arrangement, "--assume-in-force": assume_in_force or None,
                        "--encoding": encoding, "--no-questions": None if questions else True}
        return _run(lambda: run_spark_batch(input_file, output_file, _date_option(as_of), out, master=master,
                                            engine=engine, not_on_spark=not_on_spark))
    from safeguard.batch.cli_batch import run_batch

    def go() -> None:
        try:
            run_batch(input_file, output_file, _date_option(as_of), explain_flagged, out,
                      map_file=map_file, report_dir=report, chunk_rows=chunk_rows, encoding=encoding,
                      allow_unmapped=tuple(allow_unmapped), id_column=id_column, arrangement=arrangement,
                      assume_in_force=assume_in_force, fmt=fmt, questions=questions)
        except NoFactColumns as e:
            raise BadInput(f"{input_file}: {e}") from None

    _run(go)


@app.command()
def synth(output_file: Path = typer.Argument(..., help="Manifest to write: .parquet, .csv or .jsonl"),
          n: int = typer.Option(..., "--n", min=0, help="Number of people"),
          seed: int = typer.Option(..., "--seed", help="Random seed (same seed, same manifest)"),
          bad_rows: float = typer.Option(0.0, "--bad-rows", min=0.0, max=1.0,
                                         help="Share of rows given one unreadable value"),
          destination: str | None = typer.Option("SV", "--destination", help="Destination country ('' for none)"),
          arrangement: str | None = typer.Option("sv-cecot-2025", "--arrangement", help="Arrangement id ('' for none)"),
          as_of: str | None = typer.Option("2025-03-15", "--as-of",
                                           help="Date of the manifest (default 2025-03-15, while the 2025 transfers ran)")) -> None:
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
        if arrangement:  # the 2025 offer was never in force: the what-if is what shows cleared rows
            out.print(f"to screen it as the what-if (the arrangement in force): safeguard batch {path} screened.parquet "
                      f"--assume-in-force --as-of {day.isoformat()} --report report/", highlight=False)

    _run(go)


@app.command()
def arrangements(on: str | None = typer.Option(None, "--on", help="Date for the status (default today)"),
                 add: int = typer.Option(0, "--add", help="Facility check: crowding after this many more people")) -> None:
    """List the arrangement catalogue with each arrangement's status on a date (and the facility check)."""
    from safeguard.render.arrangements import render_arrangements

    _run(lambda: render_arrangements(_date_option(on) or date.today(), out, add))


app.command(name="simulate")(simulate)

from safeguard.web.commands import audit_app, serve, token_app, totp_app, worker  # noqa: E402 - the web app's commands (Django loads lazily)

app.command(name="serve")(serve)
app.command(name="worker")(worker)
app.add_typer(audit_app, name="audit")
app.add_typer(token_app, name="token")
app.add_typer(totp_app, name="totp")


@app.command(name="diff")
def diff_command(old: Path = typer.Argument(..., help="The earlier screened file (.csv, .parquet, .jsonl)"),
                 new: Path = typer.Argument(..., help="The later screened file"),
                 id_column: str | None = typer.Option(None, "--id-column", help="Match people by this column"),
                 out_file: Path | None = typer.Option(None, "--out", help="Write every change to this .csv"),
                 fmt: str = typer.Option("text", "--format", help="text or json")) -> None:
    """Who changed outcome between two screenings, and why (the input facts that differ)."""
    from safeguard.batch.diff import DiffError, run_diff

    def go() -> None:
        try:
            run_diff(old, new, id_column, out_file, fmt, out)
        except DiffError as e:
            raise BadInput(str(e)) from None

    _run(go)


@app.command()
def demo() -> None:
    """The main job on the bundled data."""
    from safeguard.demo import run_demo

    _run(lambda: run_demo(out))


INTERRUPTED = (130, 143)  # a run stopped by Ctrl-C or SIGTERM (batch/cli_batch.py)


def main() -> None:
    try:
        app()
    except SystemExit as e:
        if e.code in INTERRUPTED and threading.active_count() > 1:
            # An interrupted batch has removed its partial output; the chunks its threads are still screening
            # are not wanted: end now rather than wait for them.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(e.code)
        raise
    except Exception as e:  # noqa: BLE001 - last resort: an internal error is exit 1, never a traceback dump
        err.print(f"[red]internal error:[/red] {type(e).__name__}: {escape(str(e))}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
