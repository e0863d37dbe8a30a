"""`safeguard batch`: stream a manifest through the screening chunk by chunk, write the output
atomically, summarise (rows in = rows out), and on request the reviewer's report and the
explanations of flagged rows.

Memory is bounded by the chunk size, not the manifest: each chunk is read, screened, written and
dropped before the next. The output goes to a hidden `.partial` file renamed only at the end; Ctrl-C
or a kill (SIGTERM) deletes it, so no partial file ever stands under the output's name.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import polars as pl
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from safeguard.batch.columns_check import ColumnPlan, ColumnsError, plan_columns
from safeguard.batch.flags import must_stop
from safeguard.batch.io import ManifestError, ManifestWriter, count_rows, iter_manifest
from safeguard.batch.mapping import ColumnMap, MapError, load_map
from safeguard.batch.paths import OutputPathError, check_outputs, stale_note
from safeguard.batch.run import RESULT_COLUMNS, keep_input, screen_frame
from safeguard.batch.run_wide import RunMap, check_arrangement, run_map
from safeguard.batch.summary_view import print_summary

CHUNK = 250_000
SCREENING_AT_ONCE = 2  # chunks screened at the same time (memory, facts to ask worked out: about 1.2 GB each
# at 200k rows of the OpenFisca reference manifest; the trials are made a block of rows at a time)


def screen_chunk(chunk: pl.DataFrame, as_of: date, column_map: ColumnMap | None, questions: bool = True) -> pl.DataFrame:
    """One chunk screened: the chunk's own columns as given, then the result columns (`questions`: work out
    each open row's facts to ask; without, `missing_facts` is left empty)."""
    if column_map is None:
        return screen_frame(chunk, default_as_of=as_of, questions=questions)
    screened = screen_frame(column_map.apply(chunk), default_as_of=as_of, questions=questions)
    results = screened.select(RESULT_COLUMNS).with_columns(column_map.name_columns(screened["error"]))
    kept = keep_input(chunk)
    return kept.hstack(results) if kept.width else results


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MB blocks (a report names the exact input it speaks for)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunSetup:
    """What the run reads, settled on the manifest's columns before the first row is screened."""

    def __init__(self, column_map: ColumnMap | None, allow_unmapped: tuple[str, ...], id_column: str | None,
                 fill: dict, questions: bool = True):
        self.user_map, self.allow_unmapped, self.id_option, self.fill = column_map, allow_unmapped, id_column, fill
        self.questions = questions
        self.plan: ColumnPlan | None = None
        self.column_map: ColumnMap | None = column_map

    def id_column_of(self, columns: list[str]) -> str | None:
        if self.id_option:
            if self.id_option not in columns:
                raise ColumnsError(f"--id-column {self.id_option!r}: the manifest has no such column "
                                   f"(its columns: {', '.join(columns[:20])})")
            return self.id_option
        named = getattr(self.user_map, "id_column", None)
        if named:
            if named not in columns:
                raise ColumnsError(f"the map's id_column {named!r}: the manifest has no such column")
            return named
        mapped = [c for c, f in (self.user_map.columns if self.user_map else {}).items() if f == "person_id"]
        if mapped and mapped[0] in columns:
            return mapped[0]
        return "person_id" if "person_id" in columns else None

    def settle(self, columns: list[str]) -> ColumnMap | None:
        ident = self.id_column_of(columns)
        if self.user_map is not None:
            self.user_map.check_against(columns)
        self.plan = plan_columns(columns, self.user_map, self.allow_unmapped, ident, ignore=tuple(RESULT_COLUMNS))
        self.column_map = run_map(self.user_map, self.fill, None if "person_id" in columns else ident)
        return self.column_map


def clear_previous_report(report_dir: Path) -> None:
    """A new run first takes the previous report away (so a killed run never leaves an old report beside a
    new output); a folder that is not a safeguard report is refused rather than emptied."""
    from safeguard.cli import BadInput
    from safeguard.report.folder import ReportFolderError, clear_report

    try:
        clear_report(report_dir)
    except ReportFolderError as e:
        raise BadInput(f"--report: {e}") from None


def run_batch(src: Path, dst: Path, as_of: date | None, explain_flagged: Path | None, console: Console,
              *, map_file: Path | None = None, report_dir: Path | None = None, chunk_rows: int = CHUNK,
              encoding: str | None = None,
              allow_unmapped: tuple[str, ...] = (), id_column: str | None = None, arrangement: str | None = None,
              assume_in_force: bool = False, fmt: str = "text",
              on_progress: Callable[[int, int | None], None] | None = None, questions: bool = True) -> dict:
    """Screen `src` into `dst`; return the summary (also printed: a table, or JSON with fmt="json").
    `on_progress(rows_done, rows_total)` is called after each chunk is written (the API's job status).
    With `questions=False` the open rows' facts to ask are not worked out (outcomes only: `missing_facts`
    empty; the summary's `questions_worked_out` says so)."""
    from safeguard.cli import BadInput

    if fmt not in ("text", "json"):
        raise BadInput(f"--format = {fmt!r}: expected text or json")
    if fmt == "json":
        console = Console(stderr=True)  # progress and messages on stderr; stdout is the JSON alone
    day = as_of or date.today()
    try:
        column_map = load_map(map_file) if map_file is not None else None
        if arrangement is not None:
            check_arrangement(arrangement)
    except (MapError, ValueError) as e:
        raise BadInput(f"--map: {e}" if isinstance(e, MapError) else str(e)) from None
    try:
        check_outputs({"the input": src, "--map": map_file}, {"the output": dst, "--explain-flagged": explain_flagged},
                      {"--report": report_dir})
    except OutputPathError as e:
        raise BadInput(str(e)) from None
    fill = {**({"arrangement": arrangement} if arrangement else {}),
            **({"arrangement_assumed_in_force": True} if assume_in_force else {})}
    setup = RunSetup(column_map, tuple(allow_unmapped), id_column, fill, questions)
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    # A kill cleans up as Ctrl-C does (a handler can be set only from the main thread; a worker thread's run
    # leaves the partial file to ManifestWriter's stale-file cleanup at the next run).
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main else None
    stage = "screening"
    try:
        if report_dir is not None:
            clear_previous_report(report_dir)
        checksum = file_sha256(src) if src.is_file() else None
        summary, flagged_at = _screen_all(src, dst, day, setup, console, chunk_rows, count_rows(src), encoding,
                                          on_progress)
        summary = {"run_id": run_id, **summary, "questions_worked_out": questions, "input_sha256": checksum,
                   "output_sha256": file_sha256(dst),
                   "id_column": setup.plan.id_column, "columns": setup.plan.as_dict(),
                   "run_wide_facts": {"as_of": {"value": day.isoformat(), "rows_given_own_value":
                                                summary.pop("rows_with_own_as_of")},
                                      **summary.pop("run_wide")}}
        if report_dir is not None:
            from safeguard.report.manifest_report import write_report

            stage = "the report"
            with console.status("writing the reviewer's report"):
                page = write_report(dst, report_dir, source=str(src), as_of=day, run=summary,
                                    id_column=setup.plan.id_column)
            summary["report"] = str(page)
        if explain_flagged is not None:
            from safeguard.batch.explain import write_explanations

            stage = "the explanations"
            rows = np.concatenate(flagged_at) if flagged_at else np.empty(0, dtype=np.int64)
            write_explanations(src, rows, explain_flagged, day, setup.column_map, console, chunk_rows,
                               encoding=encoding)
            summary["explanations"] = str(explain_flagged)
        if fmt == "json":
            print(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
        else:
            print_summary(summary, console)
    except ColumnsError as e:
        raise BadInput(f"{src}: {e}") from None
    except (ManifestError, MapError) as e:
        raise BadInput(str(e)) from None
    except (_Terminated, KeyboardInterrupt):
        done = "no output written" if stage == "screening" else f"{dst} is complete; {stage} not written"
        console.print(f"interrupted: {done}", style="red", markup=False)
        raise SystemExit(143 if stage == "screening" else 130) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    return summary


@contextmanager
def _pools() -> Iterator[tuple[ThreadPoolExecutor, ThreadPoolExecutor]]:
    """The reading/writing and the screening threads. Interrupted or failed, nothing more is read or screened:
    a write under way ends before the partial output is removed (ManifestWriter, whose exit comes after
    this one), and chunks still being screened are left unread (the command exits without them: cli.main)."""
    io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="batch-io")
    screening = ThreadPoolExecutor(max_workers=SCREENING_AT_ONCE, thread_name_prefix="batch-screen")
    try:
        yield io, screening
    except BaseException:
        screening.shutdown(wait=False, cancel_futures=True)
        io.shutdown(wait=True, cancel_futures=True)
        raise
    io.shutdown()
    screening.shutdown()


def _screen_all(src: Path, dst: Path, day: date, setup: RunSetup, console: Console,
                chunk_rows: int, total: int | None, encoding: str | None = None,
                on_progress: Callable[[int, int | None], None] | None = None) -> tuple[dict, list[np.ndarray]]:
    """Screen and write every chunk; the summary, and the row numbers of the flagged rows."""
    column_map: ColumnMap | None = None
    own: Counter[str] = Counter()
    flagged_at: list[np.ndarray] = []
    outcomes: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    errors = flagged = rows_in = 0
    start = time.perf_counter()
    columns = [TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
    with ManifestWriter(dst) as writer, Progress(*columns, console=console, transient=True) as progress, \
            _pools() as (io, screening):
        # Reading the next chunk, screening two chunks and writing the last one all overlap (Polars and
        # Arrow release the interpreter while they work): measured 25% faster on 2 CPUs than one chunk at
        # a time. Order is kept: chunks are read, and their results written, strictly in turn.
        if note := stale_note(writer.stale_removed):
            console.print(note, markup=False)
        task = progress.add_task("rows", total=total, rate="")
        chunks = iter_manifest(src, chunk_rows, encoding=encoding)
        upcoming = io.submit(next, chunks, None)
        writing: Future | None = None
        in_flight: deque[tuple[pl.DataFrame, Future]] = deque()
        reading = True
        while reading or in_flight:
            while reading and len(in_flight) < SCREENING_AT_ONCE:
                chunk = upcoming.result()
                if chunk is None:
                    reading = False
                    break
                upcoming = io.submit(next, chunks, None)
                if setup.plan is None:
                    column_map = setup.settle(chunk.columns)  # every column accounted for, or exit 2
                if isinstance(column_map, RunMap) and column_map.fill:
                    own.update(column_map.own_values(chunk))
                if "as_of" in chunk.columns:
                    own["as_of"] += int(chunk["as_of"].cast(pl.Utf8).str.strip_chars().fill_null("").ne("").sum())
                in_flight.append((chunk, screening.submit(screen_chunk, chunk, day, column_map, setup.questions)))
            if not in_flight:
                break
            chunk, pending = in_flight.popleft()
            result = pending.result()
            if writing is not None:
                writing.result()
            writing = io.submit(writer.write, result)
            rows_in += chunk.height
            errors += int(result["error"].is_not_null().sum())
            is_flagged = result.select(must_stop()).to_series()
            flagged += int(is_flagged.sum())
            unread = pl.col("error").is_not_null()
            counted = result.select(
                pl.when(unread).then(pl.lit("(not screened: input error)"))
                .otherwise(pl.col("transfer_outcome").fill_null("(no transfer screened)")).alias("o"),
                pl.when(unread).then(pl.lit("(not screened: input error)"))
                .otherwise(pl.col("citizenship_status")).alias("c"))
            outcomes.update(dict(counted["o"].value_counts().iter_rows()))
            statuses.update(dict(counted["c"].value_counts().iter_rows()))
            flagged_at.append(is_flagged.arg_true().to_numpy().astype(np.int64) + (rows_in - chunk.height))
            seconds = time.perf_counter() - start
            progress.update(task, completed=rows_in, total=max(total or 0, rows_in),
                            rate=f"{rows_in / seconds:,.0f} rows/s" if seconds > 0 else "")
            if on_progress is not None:
                on_progress(rows_in, total)
        if writing is not None:
            writing.result()
        if writer.rows != rows_in:
            raise ManifestError(f"internal: {rows_in} rows read but {writer.rows} written")
    seconds = time.perf_counter() - start
    return {
        "input": str(src), "output": str(dst), "as_of": day.isoformat(),
        "rows_in": rows_in, "rows_out": writer.rows, "rows_with_error": errors, "rows_flagged": flagged,
        "seconds": round(seconds, 3), "rows_per_second": round(rows_in / seconds) if seconds > 0 else None,
        "outcomes": dict(outcomes.most_common()), "citizenship": dict(statuses.most_common()),
        "rows_with_own_as_of": own.pop("as_of", 0),
        "run_wide": {fact: {"value": value, "rows_given_own_value": own[fact]}
                     for fact, value in setup.fill.items()},
    }, flagged_at
