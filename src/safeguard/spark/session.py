"""A Spark session for `safeguard batch --engine spark`: local by default, quiet, dates in UTC."""

from __future__ import annotations

import os
import shutil
import sys

from pyspark.sql import SparkSession


class SparkUnavailable(RuntimeError):
    """Spark cannot start here (no Java, say); the message says what to install."""


def get_session(master: str, *, app_name: str = "safeguard batch", shuffle_partitions: int = 4) -> SparkSession:
    """The active session if there is one (under spark-submit, on Databricks), else a new one on `master`.

    On a local master the Python workers are this interpreter, which has safeguard installed; on a
    cluster they are whatever the cluster is configured with (safeguard must be installed there too).
    UI off, session time zone UTC (a timestamp's date is then the same as in the single-machine batch),
    timestamps written as Parquet TIMESTAMP_MICROS.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # one machine: no need to look for a network address
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise SparkUnavailable("--engine spark needs Java 17 (no `java` on the PATH and no JAVA_HOME)")
    try:
        spark = (SparkSession.builder.master(master).appName(app_name)
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
                 .config("spark.sql.session.timeZone", "UTC")
                 # a timestamp column written back as the batch writes it (microseconds, UTC), not INT96
                 .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                 .getOrCreate())
    except Exception as e:  # noqa: BLE001 - py4j/pyspark raise several kinds when the JVM cannot start
        raise SparkUnavailable(f"Spark could not start on master {master!r}: {type(e).__name__}: {e}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark
