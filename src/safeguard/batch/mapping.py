"""`--map`: read manifests whose column names or codes differ from the fact vocabulary.

A map is a small YAML file:

    columns:                 # manifest column -> fact name
      DOB: birth_date
      COB: birth_place
      Conv: convicted
    values:                  # per fact: the manifest's code -> the vocabulary's value
      birth_place: {USA: US, MEX: MX, SLV: SV}
      removal_order: {FO: final, PEND: proceedings_pending}
    date_format: "%m/%d/%Y"  # optional: how the manifest writes dates (strftime codes)

Only the screening reads the mapped columns: the output keeps the manifest's own columns and values,
and an error names the manifest's column with its fact, e.g. "DOB (birth_date) = '13/45/1960': ...".
A value the map does not list is passed on as written, for the validator to accept or reject.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from safeguard.facts.schema import fact_specs
from safeguard.safe_yaml import UnsafeYaml, load_text, read_text


class MapError(ValueError):
    pass


class ColumnMap(BaseModel):
    """A validated map: every target a fact of the vocabulary, no fact given by two columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    date_format: str | None = None
    id_column: str | None = None  # the person's own identifier (batch/columns_check.py; issue 11)
    pass_through: list[str] = []  # columns kept as given, never read as facts (issue 11)

    @field_validator("columns")
    @classmethod
    def _targets_are_facts(cls, columns: dict[str, str]) -> dict[str, str]:
        specs = fact_specs()
        for column, fact in columns.items():
            if fact not in specs:
                raise ValueError(f"column {column!r} is mapped to {fact!r}, which is not a fact name "
                                 f"of the vocabulary (facts.yaml){_did_you_mean(fact)}")
        seen: dict[str, str] = {}
        for column, fact in columns.items():
            if fact in seen:
                raise ValueError(f"columns {seen[fact]!r} and {column!r} are both mapped to {fact!r}")
            seen[fact] = column
        return columns

    @field_validator("values", mode="before")
    @classmethod
    def _codes_as_text(cls, values: object) -> object:
        """YAML reads Y/N, yes/no and numbers as non-text; codes and values are compared as text."""
        if not isinstance(values, dict):
            return values
        return {fact: ({_text(k): _text(v) for k, v in codes.items()} if isinstance(codes, dict) else codes)
                for fact, codes in values.items()}

    @field_validator("values")
    @classmethod
    def _value_facts_exist(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        specs = fact_specs()
        for fact in values:
            if fact not in specs:
                raise ValueError(f"{fact!r} is not a fact name of the vocabulary (facts.yaml){_did_you_mean(fact)}")
        return values

    @model_validator(mode="after")
    def _date_format_reads_dates(self) -> ColumnMap:
        if self.date_format is not None and not re.search(r"%[dmYyBbj]", self.date_format):
            raise ValueError(f"date_format {self.date_format!r} has no strftime codes such as %d, %m, %Y")
        return self

    def fact_of(self, column: str) -> str:
        return self.columns.get(column, column)

    def check_against(self, columns: list[str]) -> None:
        """The manifest must have the mapped columns, and no column already named as a mapped fact."""
        missing = [c for c in self.columns if c not in columns]
        if missing:
            raise MapError(f"the map names column(s) {', '.join(map(repr, missing))}, which the manifest does "
                           f"not have (its columns: {', '.join(columns[:20])}{' ...' if len(columns) > 20 else ''})")
        clash = [c for c in columns if c not in self.columns and c in set(self.columns.values())]
        if clash:
            raise MapError(f"the manifest already has a column named {clash[0]!r}, and the map also maps "
                           f"{[k for k, v in self.columns.items() if v == clash[0]][0]!r} to it")

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame the screening reads: columns renamed to facts, codes translated, dates rewritten
        as YYYY-MM-DD where they match the map's date_format."""
        out = frame.rename({c: f for c, f in self.columns.items() if c in frame.columns})
        specs = fact_specs()
        changes = []
        for fact, codes in self.values.items():
            if fact in out.columns and codes:
                text = pl.col(fact).cast(pl.Utf8).str.strip_chars()
                changes.append(text.replace(codes).alias(fact) if specs[fact].type != "countries" else
                               text.str.split(";").list.eval(pl.element().str.strip_chars().replace(codes))
                               .list.join(";").alias(fact))
        out = out.with_columns(changes) if changes else out
        if self.date_format:
            dates = [f for f in out.columns if f in specs and specs[f].type == "date" and out.schema[f] == pl.Utf8]
            out = out.with_columns(
                pl.coalesce(pl.col(f).str.strip_chars().str.strptime(pl.Date, self.date_format, strict=False)
                            .dt.to_string("%Y-%m-%d"), pl.col(f)).alias(f) for f in dates)
        return out

    def name_columns(self, errors: pl.Series) -> pl.Series:
        """Error messages naming the manifest's column beside each mapped fact."""
        out = errors
        if self.date_format:
            shown = self.date_format
            for code, words in (("%m", "MM"), ("%d", "DD"), ("%Y", "YYYY"), ("%y", "YY"), ("%b", "Mon"),
                                ("%B", "Month"), ("%j", "DDD")):
                shown = shown.replace(code, words)
            out = out.str.replace_all("expected a date as YYYY-MM-DD",
                                      f"expected a date as {shown} (the map's date_format) or YYYY-MM-DD",
                                      literal=True)
        for column, fact in self.columns.items():
            out = out.str.replace_all(rf"(^|; ){re.escape(fact)} = ", f"${{1}}{_escape(column)} ({fact}) = ")
        return out


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, list(fact_specs()), n=1) if len(name) < 100 else []
    return f" (did you mean {close[0]}?)" if close else ""


def _text(value: object) -> object:
    """A code as text (YAML reads Y/N and numbers as such); anything else is left for validation to refuse."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, float, str)) else value


def _escape(text: str) -> str:
    return text.replace("$", "$$")


def load_map(path: Path) -> ColumnMap:
    """Read and check a map file; MapError names the file, the field and what was expected."""
    if not path.exists():
        raise MapError(f"{path}: no such file")
    if not path.is_file():
        raise MapError(f"{path}: not a file; expected a YAML map")
    try:
        data = load_text(read_text(path))
    except UnsafeYaml as e:
        raise MapError(f"{path}: {e}") from None
    except yaml.YAMLError as e:
        raise MapError(f"{path}: not valid YAML: {e}") from None
    except UnicodeDecodeError as e:
        raise MapError(f"{path}: not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start:,})") from None
    except OSError as e:
        raise MapError(f"{path}: cannot be read: {e.strerror or e}") from None
    if not isinstance(data, dict):
        raise MapError(f"{path}: expected a mapping with keys columns, values, date_format, id_column, pass_through")
    try:
        return ColumnMap.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(top level)"
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "no such key; allowed keys: columns, values, date_format, id_column, pass_through"
            problems.append(f"{field}: {message}")
        raise MapError(f"{path}: " + "; ".join(problems)) from None
