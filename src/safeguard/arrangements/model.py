"""Data model for the arrangement catalogue.

Every class forbids unknown keys, so a misspelt key in a YAML file is an
error rather than a silently ignored value. Every figure carries at least one
source URL, and `confirmed: false` marks figures the sources flag as
UNCONFIRMED. Dates of the five status stages must be full dates written
YYYY-MM-DD; dates of reports and events may be partial (YYYY-MM or YYYY)
when the source only gives the month or the year.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _full_date(value: Any) -> dt.date:
    """Accept a date object or a string written YYYY-MM-DD; nothing else."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date written YYYY-MM-DD, not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _FULL_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"expected a real calendar date written YYYY-MM-DD ({exc})") from None
    raise ValueError("expected a date written YYYY-MM-DD")


def _partial_date(value: Any) -> str:
    """Accept YYYY-MM-DD, YYYY-MM or YYYY and return it as a string."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)  # YAML reads a bare year as a number
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
        parts = [int(p) for p in value.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"expected a real date written YYYY-MM-DD, YYYY-MM or YYYY ({exc})") from None
        return value
    raise ValueError("expected a date written YYYY-MM-DD, YYYY-MM or YYYY")


def _alpha2(code: Any) -> str:
    if not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'SV', got {code!r}")
    return code


def _nationalities(value: Any) -> str | tuple[str, ...]:
    if value == "any":
        return "any"
    if isinstance(value, list) and value:
        return tuple(_alpha2(code) for code in value)
    raise ValueError('expected "any" or a non-empty list of ISO 3166-1 alpha-2 codes')


def _check_amount(value: Any, low: Any, high: Any, what: str, note: str | None = None,
                  may_be_missing: bool = False) -> None:
    """A figure is a single value or a low/high range; some may be absent if a note says why."""
    if value is not None and (low is not None or high is not None):
        raise ValueError(f"expected either {what} or a low/high range, not both")
    if (low is None) != (high is None):
        raise ValueError("expected both ends of the range (low and high)")
    if low is not None and low > high:
        raise ValueError(f"expected low <= high, got low={low} high={high}")
    if value is None and low is None:
        if not may_be_missing:
            raise ValueError(f"expected {what} or a low/high range")
        if not note:
            raise ValueError(f"expected {what}, a low/high range, or a note saying why the figure is missing")


IsoDate = Annotated[dt.date, BeforeValidator(_full_date)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]
Alpha2 = Annotated[str, AfterValidator(_alpha2)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
Sources = Annotated[list[Url], Field(min_length=1)]
Count = Annotated[int, Field(strict=True, ge=0)]
Number = Annotated[float, Field(strict=True, ge=0)]
Qualifier = Literal["exact", "about", "at_least", "at_most"]


class Strict(BaseModel):
    """Base class: unknown keys are errors and loaded objects are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Note(Strict):
    """A short statement with its sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=1)
    sources: Sources
    confirmed: bool = True


class SourceEntry(Strict):
    """One entry of an arrangement's source list."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    url: Url
    what: str = Field(min_length=1)


class Party(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    country: Alpha2
    role: str = Field(min_length=1)


class DateEntry(Strict):
    """The date a stage was reached, or null with a note saying why."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    date: IsoDate | None
    sources: Sources
    confirmed: bool = True
    note: str | None = None
    # An unconfirmed date the sources only bound: it may be as early as `earliest` or as late as `latest`.
    # The rules then leave the stage unknown between the bound and `date` (never one side's reading alone).
    earliest: IsoDate | None = None
    latest: IsoDate | None = None

    @model_validator(mode="after")
    def _null_needs_note(self) -> DateEntry:
        if self.date is None and not self.note:
            raise ValueError("expected a note explaining why the date is null")
        if (self.earliest or self.latest) and (self.confirmed or self.date is None or not self.note):
            raise ValueError("expected earliest/latest only on an unconfirmed date (confirmed: false), with a "
                             "note saying what bounds it")
        if self.earliest and self.date and self.earliest > self.date:
            raise ValueError(f"expected earliest ({self.earliest}) on or before the date ({self.date})")
        if self.latest and self.date and self.latest < self.date:
            raise ValueError(f"expected latest ({self.latest}) on or after the date ({self.date})")
        return self


STAGES = ("announced", "signed", "in_force", "suspended", "ended")


class Dates(Strict):
    """The five status stages. All keys are required so absence is explicit."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    announced: DateEntry
    signed: DateEntry
    in_force: DateEntry
    suspended: DateEntry
    ended: DateEntry

    @model_validator(mode="after")
    def _order(self) -> Dates:
        # in_force may come before signed (a deal applied before its paper
        # was dated), so only these pairs are checked.
        pairs = [("announced", "signed"), ("announced", "in_force"), ("in_force", "suspended")]
        pairs += [(stage, "ended") for stage in STAGES[:-1]]
        for first, later in pairs:
            a, b = getattr(self, first).date, getattr(self, later).date
            if a is not None and b is not None and b < a:
                raise ValueError(f"expected {later} ({b}) on or after {first} ({a})")
        return self


class Coverage(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)
    nationalities: Annotated[Any, AfterValidator(_nationalities)]
    convicted_only: bool | None
    claims_to_cover_us_citizens: bool
    max_persons: Annotated[int, Field(strict=True, ge=1)] | None
    sources: Sources
    notes: list[Note] = []


class Figure(Strict):
    """A single sourced number (capacity, size, standard)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Number
    date: PartialDate | None = None
    sources: Sources
    confirmed: bool = True
    note: str | None = None


class CountFigure(Figure):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Count


class Report(Strict):
    """A reported count (population, persons per cell): a value or a range."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Count | None = None
    low: Count | None = None
    high: Count | None = None
    qualifier: Qualifier = "exact"
    date: PartialDate
    sources: Sources
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _amount(self) -> Report:
        _check_amount(self.value, self.low, self.high, "a value")
        return self


class Facility(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    country: Alpha2
    location: str | None = None
    design_capacity: CountFigure
    alternative_capacity: CountFigure | None = None
    blocks: CountFigure | None = None
    cells_per_block: CountFigure | None = None
    cells: CountFigure
    places_per_cell: CountFigure | None = None
    cell_area_m2: Figure
    space_standard_m2_per_person: Figure
    cell_occupancy_reports: list[Report] = []
    population_reports: list[Report] = []
    conditions: list[Note] = []
    notes: list[Note] = []

    @model_validator(mode="after")
    def _cells_add_up(self) -> Facility:
        if self.blocks and self.cells_per_block:
            product = self.blocks.value * self.cells_per_block.value
            if product != self.cells.value:
                raise ValueError(
                    f"expected cells = blocks x cells_per_block = {product}, got {self.cells.value}")
        if self.cells.value == 0:
            raise ValueError("expected at least one cell")
        return self


class Fee(Strict):
    """Fee per person per year in US dollars: a value, a range, or null with a note."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    sources: Sources
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _amount(self) -> Fee:
        _check_amount(self.value, self.low, self.high, "a value", self.note, may_be_missing=True)
        return self


class Sum(Strict):
    """A sum of money reported, authorised or paid, in US dollars."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    usd: Number | None = None
    usd_low: Number | None = None
    usd_high: Number | None = None
    qualifier: Qualifier = "exact"
    date: PartialDate | None
    what: str = Field(min_length=1)
    sources: Sources
    confirmed: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _amount(self) -> Sum:
        _check_amount(self.usd, self.usd_low, self.usd_high, "usd")
        return self


class UnitCost(Sum):
    """A cost per unit (person-day, person, flight hour)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    per: Literal["person-day", "person-year", "person", "flight-hour"]


class Money(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fee_per_person_year_usd: Fee
    sums_reported: list[Sum] = []
    sums_disbursed: list[Sum] = []
    unit_costs: list[UnitCost] = []


class Event(Strict):
    """Something that happened under the arrangement, such as a transfer."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    date: PartialDate
    what: str = Field(min_length=1)
    persons: Count | None = None
    qualifier: Qualifier = "exact"
    sources: Sources
    confirmed: bool = True
    note: str | None = None


def cited_urls(data: Any) -> set[str]:
    """Every URL found under a `sources` key anywhere in a dumped model."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, item in data.items():
            if key == "sources" and isinstance(item, list) and all(isinstance(u, str) for u in item):
                found.update(item)
            else:
                found |= cited_urls(item)
    elif isinstance(data, (list, tuple)):
        for item in data:
            found |= cited_urls(item)
    return found


class Arrangement(Strict):
    """One arrangement (offer, agreement, grant or operation) and its facts."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    kind: Literal["offer", "agreement", "grant", "operation"]
    parties: Annotated[list[Party], Field(min_length=1)]
    dates: Dates
    status_notes: list[Note]
    coverage: Coverage
    facility: Facility | None
    money: Money
    events: list[Event] = []
    sources: Annotated[list[SourceEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def _every_url_listed(self) -> Arrangement:
        listed = {entry.url for entry in self.sources}
        missing = sorted(cited_urls(self.model_dump(exclude={"sources"})) - listed)
        if missing:
            raise ValueError("expected every cited URL to appear in the top-level sources list; missing: "
                             + ", ".join(missing))
        return self
