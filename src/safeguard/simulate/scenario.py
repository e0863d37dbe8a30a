"""A scenario file: the population, the arrangement, the cost and capacity inputs, and the claims to test.

Every input is a `Parameter`: one `value`, or a range `min`/`max` (with an optional `mode`) that the
Monte Carlo samples, always with a `source` URL, or `assumption: true` with a `reason`. Unknown keys,
negative amounts, ranges with min >= max and unknown arrangement ids are errors that name the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from safeguard.arrangements import ArrangementError, get_arrangement

Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
Amount = Annotated[float, Field(strict=True, ge=0)]
Text = Annotated[str, Field(min_length=1)]


def _date(value: Any) -> dt.date:
    """A date from YAML (already a date) or text written YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date written YYYY-MM-DD, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"got {value!r}; expected a real date written YYYY-MM-DD")


def _partial_date(value: Any) -> str:
    """A report date as written: YYYY-MM-DD, YYYY-MM or YYYY."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    raise ValueError(f"got {value!r}; expected a date written YYYY-MM-DD, YYYY-MM or YYYY")


IsoDate = Annotated[dt.date, BeforeValidator(_date)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]


class Strict(BaseModel):
    """Base class: unknown keys are errors and loaded objects are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(Strict):
    """One model input: a single value, or a range to sample (min, max, optional mode), with its source."""

    label: Text
    unit: Text
    value: Amount | None = None
    min: Amount | None = None
    max: Amount | None = None
    mode: Amount | None = None
    distribution: Literal["triangular", "uniform"] | None = None
    source: Url | None = None
    also: list[Url] = []
    quote: str | None = None
    note: str | None = None
    assumption: bool = False
    reason: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        ranged = self.min is not None or self.max is not None
        if self.value is not None and ranged:
            raise ValueError("expected either value or min/max, not both")
        if self.value is None and not ranged:
            raise ValueError("expected value, or min and max")
        if ranged and (self.min is None or self.max is None):
            raise ValueError("expected both ends of the range (min and max)")
        if ranged and self.min >= self.max:
            raise ValueError(f"expected min < max (use value for a single figure); got min={self.min:g}, "
                             f"max={self.max:g}")
        if not ranged and (self.mode is not None or self.distribution is not None):
            raise ValueError("expected mode and distribution only with a min/max range")
        if self.mode is not None and not self.min <= self.mode <= self.max:
            raise ValueError(f"expected min <= mode <= max; got min={self.min:g}, mode={self.mode:g}, "
                             f"max={self.max:g}")
        if self.distribution == "triangular" and self.mode is None:
            raise ValueError("expected a mode for a triangular distribution (or distribution: uniform)")
        if self.assumption and not self.reason:
            raise ValueError("expected a reason for an assumption (assumption: true needs reason)")
        if not self.source and not self.assumption:
            raise ValueError("expected a source URL, or assumption: true with a reason")
        return self

    @property
    def is_range(self) -> bool:
        return self.value is None

    @property
    def low(self) -> float:
        return self.value if self.value is not None else self.min

    @property
    def high(self) -> float:
        return self.value if self.value is not None else self.max

    @property
    def central(self) -> float:
        """The value used in the central run: the value, else the mode, else the midpoint of the range."""
        if self.value is not None:
            return self.value
        return self.mode if self.mode is not None else (self.min + self.max) / 2

    @property
    def sampling(self) -> str | None:
        """How a range is sampled: triangular when it has a mode, uniform otherwise (or as stated)."""
        if not self.is_range:
            return None
        return self.distribution or ("triangular" if self.mode is not None else "uniform")


class Costs(Strict):
    """The money inputs. U.S. costs are what holding a person in the U.S. costs; the fee is what the
    receiving country is paid; transport is charter flights; one-off costs are paid once."""

    us_cost_bop_inmate_year: Parameter
    us_cost_ice_bed_day: Parameter
    ice_detention_days_avoided: Parameter
    us_cost_state_inmate_year: Parameter
    fee_per_person_year: Parameter
    transport_cost_per_flight_hour: Parameter
    transport_hours_per_flight: Parameter
    transport_people_per_flight: Parameter
    one_off_costs: Parameter
    horizon_years: Parameter

    @field_validator("transport_people_per_flight", "transport_hours_per_flight", "horizon_years")
    @classmethod
    def _positive(cls, p: Parameter) -> Parameter:
        if p.low <= 0:
            raise ValueError(f"got {p.low:g}; expected a number > 0")
        return p


class FacilityInputs(Strict):
    """The facility figures that are uncertain enough to sample (capacities come from the catalogue)."""

    current_population: Parameter


class Context(Strict):
    """Figures used only to set the offer's claims against the model."""

    sv_prison_system_cost_per_year: Parameter


class Synthetic(Strict):
    """A synthetic population from safeguard.synth, scaled to the population it represents."""

    rows: Annotated[int, Field(strict=True, ge=1, le=5_000_000)]
    seed: Annotated[int, Field(strict=True, ge=0)]
    represents: Literal["calibration"] | Annotated[float, Field(strict=True, gt=0)] = "calibration"


class Manifest(Strict):
    """A manifest file (.csv, .parquet, .jsonl), path relative to the scenario file."""

    path: Text
    represents: Annotated[float, Field(strict=True, gt=0)] | None = None


class Population(Strict):
    """Who is proposed for transfer: exactly one of a synthetic population or a manifest."""

    synthetic: Synthetic | None = None
    manifest: Manifest | None = None
    destination: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    # Required: it feeds the arrangement's cap on persons, so an absent value must not read as zero.
    persons_already_transferred: Annotated[int, Field(strict=True, ge=0)]

    @model_validator(mode="after")
    def _one_source(self) -> Population:
        if (self.synthetic is None) == (self.manifest is None):
            raise ValueError("expected exactly one of synthetic or manifest")
        return self


class Transferable(Strict):
    """Which screening outcomes count as transferable. NO_BAR_FOUND always does; SAFEGUARDS_REQUIRED
    (no bar, but safeguards unmet or unknown) only when this says so, with the reason."""

    include_safeguards_required: Annotated[bool, Field(strict=True)]
    reason: Text


class MonteCarlo(Strict):
    runs: Annotated[int, Field(strict=True, ge=1, le=200_000)] = 2000
    seed: Annotated[int, Field(strict=True, ge=0)] = 0


METRICS = ("fee_per_person_year", "fees_share_of_us_cost_avoided", "fees_per_year_share_of_sv_prison_budget",
           "net_cost", "net_cost_per_person_year", "fees_paid", "share_of_design_capacity",
           "share_of_alternative_capacity", "facilities_needed", "persons_transferred",
           "persons_barred_as_us_citizens_or_nationals")


class Claim(Strict):
    """A claim made for the offer, quoted with its source, and the model figure to set against it."""

    who: Text
    date: PartialDate
    quote: Text
    source: Url | None = None
    compare: Literal[METRICS]  # type: ignore[valid-type]
    note: str | None = None

    @model_validator(mode="after")
    def _sourced(self) -> Claim:
        if not self.source and not self.note:
            raise ValueError("expected a source URL, or a note saying why there is none")
        return self


class Scenario(Strict):
    """A whole scenario file."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    title: Text
    description: Text
    arrangement: Text
    as_of: IsoDate
    assume_in_force: Annotated[bool, Field(strict=True)] = False
    assume_in_force_reason: str | None = None
    transferable: Transferable
    population: Population
    monte_carlo: MonteCarlo = MonteCarlo()
    costs: Costs
    facility: FacilityInputs
    context: Context
    claims: list[Claim] = []

    @field_validator("arrangement")
    @classmethod
    def _known_arrangement(cls, arrangement_id: str) -> str:
        try:
            arrangement = get_arrangement(arrangement_id)
        except ArrangementError as exc:
            raise ValueError(f"got {arrangement_id!r}; expected an arrangement id from the catalogue "
                             f"({str(exc).split('known ids: ')[-1]})") from None
        if arrangement.facility is None:
            raise ValueError(f"got {arrangement_id!r}; expected an arrangement with a facility "
                             "(the capacity figures come from it)")
        return arrangement_id

    @model_validator(mode="after")
    def _reasons(self) -> Scenario:
        if self.assume_in_force and not self.assume_in_force_reason:
            raise ValueError("expected assume_in_force_reason when assume_in_force is true")
        return self

    def parameters(self) -> dict[str, Parameter]:
        """Every parameter by name, in file order (costs, facility, context)."""
        out: dict[str, Parameter] = {}
        for block in (self.costs, self.facility, self.context):
            out.update({name: getattr(block, name) for name in type(block).model_fields})
        return out
