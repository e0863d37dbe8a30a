"""The population of a scenario: built (synthetic, or read from a manifest), screened once with the
transfer rules (the batch engine), and counted by legal outcome and by who holds each person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from safeguard.arrangements import Arrangement
from safeguard.batch.flags import OUTCOME_ORDER
from safeguard.batch.io import ManifestError, read_manifest
from safeguard.batch.run import screen_frame
from safeguard.law.removal.arrangement_terms import receiving_country
from safeguard.synth import generate, load_calibration

from .load import LoadedScenario, ScenarioError

# The contract's outcome codes, in its priority order (taken from the law, not spelt out again).
OUTCOMES = tuple(OUTCOME_ORDER)
UNREADABLE = "UNREADABLE_ROW"
NO_OUTCOME = "NO_OUTCOME"
# Who holds the person, from the `custody` fact: each group has its own U.S. cost of holding.
CUSTODY_GROUPS = {"federal_prison": "bop", "immigration_detention": "ice", "state_prison": "state"}
GROUPS = ("bop", "ice", "state", "other")
ScreenProgress = Callable[[int, int], None]


def transferable_outcomes(include_safeguards_required: bool) -> tuple[str, ...]:
    """NO_BAR_FOUND always counts as transferable; SAFEGUARDS_REQUIRED only when the scenario says so.
    Every BARRED_ and HOLD_ outcome, and OUTSIDE_ARRANGEMENT, never does."""
    return ("NO_BAR_FOUND", "SAFEGUARDS_REQUIRED") if include_safeguards_required else ("NO_BAR_FOUND",)


@dataclass(frozen=True)
class PopulationCounts:
    """Rows by outcome and custody group, and how many people each row stands for."""

    rows: int
    represents: float
    scale_basis: str
    scale_sources: list[str]
    by_outcome_group: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        """People per row: the population represented divided by the rows screened."""
        return self.represents / self.rows if self.rows else 0.0

    def rows_with(self, outcomes: tuple[str, ...] | str, group: str | None = None) -> int:
        wanted = (outcomes,) if isinstance(outcomes, str) else outcomes
        return sum(n for (o, g), n in self.by_outcome_group.items() if o in wanted and (group is None or g == group))

    def persons_with(self, outcomes: tuple[str, ...] | str, group: str | None = None) -> float:
        return self.rows_with(outcomes, group) * self.scale


def _synthetic_scale(rows: int, represents) -> tuple[float, str, list[str]]:
    if represents != "calibration":
        return float(represents), f"given in the scenario: {represents:,.0f} people", []
    cal = load_calibration()
    bop, ice = cal["population.bop_total"], cal["ice.adp_total"]
    entries = cal.entries
    sources = [entries["population"]["bop_total"]["source"], entries["ice"]["adp_total"]["source"]]
    text = (f"the BOP population ({bop:,.0f}, year-end 2023) plus the ICE average daily population "
            f"({ice:,.1f}, FY2025), from the synthetic generator's calibration.yaml: "
            f"{bop + ice:,.1f} people, {(bop + ice) / rows:,.2f} per row")
    return float(bop + ice), text, sources


def build_population(loaded: LoadedScenario, arrangement: Arrangement) -> tuple[pl.DataFrame, float, str, list[str]]:
    """The rows to screen, with the scenario's transfer columns set; and the population they represent."""
    sc = loaded.scenario
    pop = sc.population
    destination = pop.destination or receiving_country(arrangement)
    if pop.synthetic is not None:
        frame = generate(pop.synthetic.rows, pop.synthetic.seed, destination=destination,
                         arrangement=sc.arrangement, as_of=sc.as_of)
        represents, basis, sources = _synthetic_scale(frame.height, pop.synthetic.represents)
    else:
        path = Path(pop.manifest.path)
        path = path if path.is_absolute() else loaded.path.parent / path
        try:
            frame = read_manifest(path)
        except ManifestError as exc:
            raise ScenarioError(f"field population.manifest.path: {exc}") from None
        represents = pop.manifest.represents or float(frame.height)
        basis = (f"given in the scenario: {represents:,.0f} people" if pop.manifest.represents
                 else "the manifest itself (one row = one person)")
        sources = []
        frame = frame.with_columns(pl.lit(destination).alias("destination_country"),
                                   pl.lit(sc.arrangement).alias("arrangement"))
    frame = frame.with_columns(
        pl.lit(True if sc.assume_in_force else None, dtype=pl.Boolean).alias("arrangement_assumed_in_force"),
        pl.lit(float(pop.persons_already_transferred)).alias("arrangement_persons_transferred"))
    return frame, represents, basis, sources


def screen_population(frame: pl.DataFrame, as_of, chunk_rows: int = 50_000,
                      progress: ScreenProgress | None = None) -> pl.DataFrame:
    """Screen every row with the batch engine, in chunks so a progress bar can follow (outcomes only: the
    facts still to ask are not worked out)."""
    parts = []
    for start in range(0, max(frame.height, 1), chunk_rows):
        parts.append(screen_frame(frame.slice(start, chunk_rows), as_of, questions=False))
        if progress:
            progress(min(start + chunk_rows, frame.height), frame.height)
    return pl.concat(parts, how="vertical_relaxed") if len(parts) > 1 else parts[0]


def count_outcomes(screened: pl.DataFrame, represents: float, basis: str, sources: list[str]) -> PopulationCounts:
    """Rows by (outcome, custody group). Unreadable rows and rows with no outcome are kept as their own codes."""
    custody = screened["custody"] if "custody" in screened.columns else pl.Series([None] * screened.height)
    table = pl.DataFrame({
        "outcome": screened["transfer_outcome"],
        "error": screened["error"],
        "custody": custody.cast(pl.Utf8),
    }).select(
        pl.when(pl.col("error").is_not_null()).then(pl.lit(UNREADABLE))
        .otherwise(pl.col("outcome").fill_null(NO_OUTCOME)).alias("outcome"),
        pl.col("custody").replace_strict(CUSTODY_GROUPS, default="other").alias("group"),
    ).group_by("outcome", "group").len()
    counts = {(o, g): int(n) for o, g, n in table.iter_rows()}
    return PopulationCounts(screened.height, represents, basis, sources, counts)
