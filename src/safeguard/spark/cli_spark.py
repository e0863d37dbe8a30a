"""`safeguard batch IN.parquet OUT.parquet --engine spark [--master local[2]]`.

The manifest is read by Spark, screened by `safeguard.spark.screen` and written by Spark: OUT is a
folder of Parquet part files, as Spark writes it (`pl.read_parquet("OUT/*.parquet")`, or Spark, reads
it back). For one input file the part files hold the rows in input order. The folder is written under a
hidden `.partial` name beside OUT and renamed only once it is complete and rows in = rows out; an error,
Ctrl-C or a kill deletes it.
"""

from __future__ import annotations

import shutil
import signal
import time
import uuid
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Console

from safeguard.batch.flags import must_stop
from safeguard.result import DISCLAIMER

NOT_SCREENED = "(not screened: input error)"


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated()


def run_spark_batch(src: Path, dst: Path, as_of: date | None, console: Console, *, master: str = "local[*]",
                    engine: str = "spark", not_on_spark: dict | None = None) -> dict:
    """Screen the Parquet manifest `src` on Spark into the Parquet folder `dst`; the summary (also printed).
    `not_on_spark`: the command's options this engine does not do, by name (refused when given)."""
    from safeguard.cli import BadInput

    if engine != "spark":
        raise BadInput(f"--engine = {engine!r}: expected polars or spark")
    given = [name for name, value in (not_on_spark or {}).items() if value]
    if given:
        raise BadInput(f"{', '.join(given)}: not available with --engine spark (use the polars engine, "
                       "or screen with safeguard.spark.screen in your own Spark job)")
    for path, what in ((src, "input"), (dst, "output")):
        if path.suffix.lower() != ".parquet":
            raise BadInput(f"{path}: --engine spark reads and writes Parquet; expected a .parquet {what}")
    if not src.exists():
        raise BadInput(f"{src}: no such file")
    if dst.resolve() == src.resolve():
        raise BadInput(f"{dst}: the output would overwrite the input; choose another name")
    try:
        from safeguard.spark import screen
        from safeguard.spark.session import SparkUnavailable, get_session
    except ImportError as e:
        raise BadInput(str(e)) from None
    day = as_of or date.today()  # read once, here on the driver; the tasks are given it
    try:
        with console.status(f"starting Spark ({master})"):
            spark = get_session(master)
    except SparkUnavailable as e:
        raise BadInput(str(e)) from None
    tmp = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.partial")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        df = _read(spark, src)
        start = time.perf_counter()
        with console.status(f"screening {src} on Spark ({spark.sparkContext.master})"):
            rows_in = df.count()
            screen(df, as_of=day).write.parquet(str(tmp))
        seconds = time.perf_counter() - start
        tallies = _tallies(spark, tmp)
        rows_out = int(tallies["n"].sum())
        if rows_out != rows_in:
            raise RuntimeError(f"internal: {rows_in} rows read but {rows_out} written")
        _replace(tmp, dst)
    except (_Terminated, KeyboardInterrupt):
        _stop(spark)  # first stop the JVM writing, then take its partial folder away
        shutil.rmtree(tmp, ignore_errors=True)
        console.print("[red]interrupted: no output written[/red]")
        raise SystemExit(143) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary = _summary(src, dst, day, rows_in, rows_out, seconds, tallies, spark.sparkContext.master)
    _print_summary(summary, console)
    return summary


def _stop(spark) -> None:
    try:
        spark.sparkContext.cancelAllJobs()
        spark.stop()
    except Exception:  # noqa: BLE001 - already stopping; nothing more to do
        pass


def _read(spark, src: Path):
    from pyspark.errors import PySparkException

    from safeguard.cli import BadInput

    try:
        df = spark.read.parquet(str(src))
        df.schema  # noqa: B018 - resolves the file now, so a bad one is reported as bad input
        return df
    except PySparkException as e:
        raise BadInput(f"{src}: cannot be read as parquet: {str(e).splitlines()[0]}") from None


def _tallies(spark, folder: Path) -> pl.DataFrame:
    """Rows of the written output by (error or not, outcome, citizenship): a few dozen rows."""
    from pyspark.sql import functions as F

    written = spark.read.parquet(str(folder))
    groups = (written.groupBy(F.col("error").isNotNull().alias("has_error"), "transfer_outcome",
                              "citizenship_status").count().collect())
    return pl.DataFrame(
        {"error": ["x" if g["has_error"] else None for g in groups],
         "transfer_outcome": [g["transfer_outcome"] for g in groups],
         "citizenship_status": [g["citizenship_status"] for g in groups],
         "n": [g["count"] for g in groups]},
        schema={"error": pl.Utf8, "transfer_outcome": pl.Utf8, "citizenship_status": pl.Utf8, "n": pl.Int64})


def _replace(tmp: Path, dst: Path) -> None:
    """Put the complete folder under the output's name (an earlier output there is replaced)."""
    if dst.exists() or dst.is_symlink():
        old = dst.with_name(f".{dst.name}.{uuid.uuid4().hex[:8]}.old")
        dst.rename(old)
        tmp.rename(dst)
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    else:
        tmp.rename(dst)


def _summary(src: Path, dst: Path, day: date, rows_in: int, rows_out: int, seconds: float,
             tallies: pl.DataFrame, master: str) -> dict:
    unread = pl.col("error").is_not_null()
    t = tallies.with_columns(
        pl.when(unread).then(pl.lit(NOT_SCREENED)).otherwise(pl.col("transfer_outcome").fill_null(
            "(no transfer screened)")).alias("o"),
        pl.when(unread).then(pl.lit(NOT_SCREENED)).otherwise(pl.col("citizenship_status")).alias("c"),
        must_stop().alias("flagged"))

    def counts(col: str) -> dict:
        grouped = t.group_by(col).agg(pl.col("n").sum()).sort(["n", col], descending=[True, False])
        return dict(grouped.iter_rows())

    return {
        "engine": "spark", "master": master,
        "input": str(src), "output": str(dst), "as_of": day.isoformat(),
        "rows_in": rows_in, "rows_out": rows_out,
        "rows_with_error": int(t.filter(unread)["n"].sum()), "rows_flagged": int(t.filter(pl.col("flagged"))["n"].sum()),
        "seconds": round(seconds, 3), "rows_per_second": round(rows_in / seconds) if seconds > 0 else None,
        "outcomes": counts("o"), "citizenship": counts("c"),
    }


def _print_summary(summary: dict, console: Console) -> None:
    same = "=" if summary["rows_in"] == summary["rows_out"] else "≠"
    console.print(f"rows in {summary['rows_in']:,} {same} rows out {summary['rows_out']:,}; "
                  f"{summary['rows_with_error']:,} with errors (kept, with the reason in 'error'); "
                  f"{summary['rows_flagged']:,} flagged; {summary['seconds']:.1f} s on Spark {summary['master']} "
                  f"({(summary['rows_per_second'] or 0):,} rows/s); written to {summary['output']}/ "
                  "(a folder of Parquet part files)")
    console.print({"outcomes": summary["outcomes"], "citizenship": summary["citizenship"]})
    console.print(f"[dim]{DISCLAIMER}[/dim]")
