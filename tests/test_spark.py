"""The Spark path gives the batch's answers: the same Parquet screened by `safeguard batch` (Polars, one
machine) and on Spark in local[2] (`safeguard batch --engine spark`, and `safeguard.spark.screen`)
comes out identical, row for row and column for column, bad rows and every result kind included.

Skipped, saying why, only when Java or pyspark is not installed (`pip install 'safeguard[spark]'`).
One Spark session for the module, small data; Spark is told to cut the file into several tasks and
each task's input into many small Arrow batches, so the kernel's chunking is exercised too.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs Java 17: no `java` on the PATH and no JAVA_HOME", allow_module_level=True)
pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")

from conftest import load_cases  # noqa: E402
from safeguard.batch.flags import OUTCOME_ORDER  # noqa: E402
from safeguard.cli import app  # noqa: E402
from safeguard.facts.schema import fact_specs  # noqa: E402
from safeguard.synth.cli_support import write_manifest  # noqa: E402

AS_OF = date(2026, 11, 23)
RESULTS = ["citizenship_status", "citizenship_basis", "citizenship_since", "transfer_outcome", "reason_codes",
           "missing_facts", "error"]
runner = CliRunner()

# A removal to the country the order designates, nothing barring it, the fear screening done: the one
# outcome neither the synthetic manifest nor the case files reach (checked by screen() in the test below).
NO_BAR_FOUND_ROW = dict(
    person_id="spark-no-bar-found", birth_place="HN", mother_citizen_at_birth="false", father_citizen_at_birth="false",
    mother_national_at_birth="false", father_national_at_birth="false", mother_naturalized="false",
    father_naturalized="false", adopted="false", naturalized="false", nationalities="HN", immigration_status="other",
    removal_order="final", order_designated_country="HN", withholding_countries="none", cat_countries="none",
    fear_claim_pending="false", stay_of_removal="false", destination_country="HN", fear_screening="negative",
    nmi_domicile_on_1986_11_03="elsewhere")


@pytest.fixture(scope="module")
def spark():
    from safeguard.spark.session import get_session

    session = get_session("local[2]", app_name="safeguard tests", shuffle_partitions=2)
    session.conf.set("spark.sql.files.maxPartitionBytes", str(48 * 1024))  # several tasks per file
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "200")  # many batches per task
    yield session
    session.stop()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value) if value else "none"
    return str(value)


def _cases_manifest(path: Path) -> Path:
    """The law's test cases as one all-text manifest, a NO_BAR_FOUND row, and a column of the manifest's
    own named `error` (the result must keep it, as `error_input`)."""
    known = fact_specs()
    usable = [c for c in load_cases()
              if all(k in known and not k.endswith("_presence_periods") for k in (c["facts"] or {}))]
    rows = [{k: _text(v) for k, v in (c["facts"] or {}).items()} | {"person_id": c["id"], "as_of": _text(c["as_of"])}
            for c in usable] + [NO_BAR_FOUND_ROW]
    columns = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], schema=dict.fromkeys(columns, pl.Utf8))
    frame = frame.with_columns(pl.format("note {}", pl.int_range(pl.len())).alias("error"))
    frame.write_parquet(path, row_group_size=20)
    return path


def _typed_manifest(path: Path) -> Path:
    """Parquet as other tools write it: dates with a time of day (naive, and in UTC), lists, integers of
    several widths (unsigned too, which Spark reads as signed), booleans with nulls, an impossible date."""
    pl.DataFrame({
        "person_id": ["t1", "t2", "t3", "t4"],
        "row": pl.Series([1, 2, 3, 4], dtype=pl.UInt32),
        "birth_place": ["GU", "US", "US", "SV"],
        "birth_date": [datetime(1960, 5, 1), datetime(1990, 1, 1, 13, 30), datetime(2031, 1, 1), None],
        "mother_birth_date": pl.Series([datetime(1940, 2, 3, 23, 30), None, None, datetime(1970, 1, 1)],
                                       dtype=pl.Datetime("us", "UTC")),
        "nationalities": [["US"], None, [], ["SV", "gt"]],
        "father_us_presence_years": pl.Series([None, 3, None, 12], dtype=pl.Int16),
        "convicted": [True, False, None, True], "destination_country": ["SV"] * 4,
    }).write_parquet(path)
    return path


@pytest.fixture(scope="module")
def manifests(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("spark")
    synth = folder / "synth.parquet"
    write_manifest(synth, 3_000, seed=17, chunk_size=400, bad_row_share=0.05, as_of=AS_OF)  # = safeguard synth --bad-rows
    return {"synth": synth, "cases": _cases_manifest(folder / "cases.parquet"),
            "typed": _typed_manifest(folder / "typed.parquet")}


def _batch(*args: str) -> str:
    result = runner.invoke(app, ["batch", *args, "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def polars_outputs(manifests) -> dict[str, pl.DataFrame]:
    out = {}
    for name, src in manifests.items():
        dst = src.with_name(f"{name}-polars.parquet")
        _batch(str(src), str(dst))
        out[name] = pl.read_parquet(dst)
    return out


def _read_folder(folder: Path) -> pl.DataFrame:
    """Spark's output folder, its part files in order (part-00000, part-00001, ...)."""
    parts = sorted(folder.glob("part-*.parquet"))
    assert parts, f"no part files in {folder}"
    return pl.read_parquet(parts)


def _normalised(frame: pl.DataFrame) -> pl.DataFrame:
    """Integer widths and text types as one dtype each (Spark stores unsigned integers as signed, say)."""
    def norm(dtype: pl.DataType) -> pl.DataType:
        if dtype.is_integer():
            return pl.Int64
        if dtype in (pl.Categorical, pl.Enum) or isinstance(dtype, pl.Enum | pl.Categorical):
            return pl.Utf8
        return dtype
    return frame.with_columns(pl.col(c).cast(norm(t)) for c, t in frame.schema.items() if norm(t) != t)


def assert_same_output(polars_out: pl.DataFrame, spark_out: pl.DataFrame) -> None:
    assert spark_out.columns == polars_out.columns
    assert spark_out.height == polars_out.height, "rows in must equal rows out on both paths"
    assert spark_out["person_id"].to_list() == polars_out["person_id"].to_list(), "rows must keep their order"
    for name in RESULTS:
        assert spark_out.schema[name] == polars_out.schema[name], name
    assert_frame_equal(_normalised(spark_out), _normalised(polars_out), check_exact=True)


@pytest.mark.parametrize("name", ["synth", "cases", "typed"])
def test_spark_command_gives_the_polars_output_row_for_row(spark, manifests, polars_outputs, name):
    dst = manifests[name].with_name(f"{name}-spark.parquet")
    printed = _batch(str(manifests[name]), str(dst), "--engine", "spark", "--master", "local[2]")
    rows = polars_outputs[name].height
    assert f"rows in {rows:,} = rows out {rows:,}" in " ".join(printed.split())
    assert dst.is_dir() and not list(dst.parent.glob(f".{dst.name}.*")), "the folder is complete, no leftovers"
    assert_same_output(polars_outputs[name], _read_folder(dst))


def test_screen_on_a_dataframe_in_small_chunks_gives_the_same_rows(spark, manifests, polars_outputs, tmp_path):
    from safeguard.spark import screen

    df = spark.read.parquet(str(manifests["synth"]))
    assert df.rdd.getNumPartitions() >= 2, "the test is meant to run several tasks"
    screened = screen(df, as_of=AS_OF, chunk_rows=700)  # 200-row Arrow batches gathered into 700-row chunks
    screened.write.parquet(str(tmp_path / "out"))
    assert_same_output(polars_outputs["synth"], _read_folder(tmp_path / "out"))
    assert screened.schema.names[-len(RESULTS):] == RESULTS


def test_the_outputs_cover_every_result_kind_and_bad_rows(polars_outputs):
    """What the two tests above compared includes every outcome, every status, bad rows and no transfer."""
    both = pl.concat([f.select(RESULTS) for f in polars_outputs.values()])
    assert set(OUTCOME_ORDER) <= set(both["transfer_outcome"].drop_nulls())
    assert {"citizen", "national", "not_citizen", "unknown"} <= set(both["citizenship_status"].drop_nulls())
    screened = both.filter(pl.col("error").is_null())
    assert screened["transfer_outcome"].null_count() > 0, "rows without a destination (no transfer screened)"
    assert screened["citizenship_since"].null_count() < screened.height
    bad = polars_outputs["synth"].filter(pl.col("error").is_not_null())
    assert bad.height == 150  # 5% of 3,000, as generated; kept in place with their error
    assert bad["transfer_outcome"].null_count() == bad.height
    cases = polars_outputs["cases"]
    assert cases["error_input"].to_list()[:2] == ["note 0", "note 1"]  # the manifest's own `error` kept
    row = cases.filter(pl.col("person_id") == "spark-no-bar-found").row(0, named=True)
    assert (row["citizenship_status"], row["transfer_outcome"]) == ("not_citizen", "NO_BAR_FOUND")


def test_options_spark_does_not_take_are_bad_input_not_ignored(manifests, tmp_path):
    src = str(manifests["synth"])
    cases = [
        ([src, str(tmp_path / "o.csv"), "--engine", "spark"], "expected a .parquet output"),
        ([src, str(tmp_path / "o.parquet"), "--engine", "spark", "--report", str(tmp_path / "r")], "--report"),
        ([src, str(tmp_path / "o.parquet"), "--engine", "flink"], "expected polars or spark"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["batch", *args])
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())


def test_the_kernel_is_picklable_repeatable_and_gives_spark_string_types(manifests):
    """What a retried or speculative task runs: the kernel as shipped (pickled), twice on the same batches."""
    import pickle

    import pyarrow as pa
    import pyarrow.parquet as pq
    from pyspark.sql.pandas.types import from_arrow_schema

    from safeguard.spark.kernel import ScreeningKernel
    from safeguard.spark.schema import output_schema

    table = pq.read_table(manifests["synth"]).slice(0, 500)
    assert pa.large_string() in table.schema.types  # as polars writes text
    schema = output_schema(from_arrow_schema(table.schema), AS_OF, timezone="UTC", large_types=False)
    kernel = pickle.loads(pickle.dumps(ScreeningKernel(AS_OF, schema.arrow, chunk_rows=120)))
    runs = [pa.Table.from_batches(list(kernel(iter(table.to_batches(max_chunksize=50)))), schema=schema.arrow)
            for _ in range(2)]
    assert runs[0].num_rows == 500 and runs[0].equals(runs[1])
    assert runs[0].schema == schema.arrow
    assert pa.large_string() not in runs[0].schema.types and pa.string_view() not in runs[0].schema.types
    assert runs[0].column("person_id").to_pylist() == table.column("person_id").to_pylist()
