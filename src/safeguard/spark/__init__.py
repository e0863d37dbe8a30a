"""Screening past one machine on Apache Spark (install `safeguard[spark]`).

    from safeguard.spark import screen
    screened = screen(spark.read.parquet("manifest.parquet"), as_of="2025-06-01")

The DataFrame is screened by the batch engine inside `DataFrame.mapInArrow` (Arrow record batches in,
record batches out); the kernel is pure, so Spark's task retries and speculative runs are harmless.
Nothing below `safeguard.spark` imports it.
"""

from __future__ import annotations

try:
    import pyspark  # noqa: F401
except ImportError as e:  # pragma: no cover - depends on the install
    raise ImportError("safeguard.spark needs pyspark: pip install 'safeguard[spark]' (and Java 17)") from e

from safeguard.spark.screen import screen

__all__ = ["screen"]
