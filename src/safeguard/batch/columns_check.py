"""Every column of a manifest accounted for, before a row is screened.

Each input column is one of:

- **a fact**: its name (after the map) is a fact of the vocabulary (facts.yaml), so the screening reads it;
- **pass-through**: kept in the output as given and never read (a name the map lists under
  `pass_through`, one given with `--allow-unmapped`, the identifier column, or a name too unlike any
  fact to be a misspelling of one: `Name`, `Facility`, `Notes`);
- **unknown but fact-like**: a near miss of a fact name (`withholding_country` for
  `withholding_countries`, `birthdate` or `DOB` for `birth_date`). Such a column would be silently dropped
  by the screening, and a dropped fact can turn a barred person into a cleared one, so the run stops
  (exit 2) with a did-you-mean, unless the user says the column is pass-through.

A near miss is found three ways: the names are equal once case, spaces, dots and underscores are
ignored, or once their words are sorted (`date_of_birth`); the names are close by edit distance
(difflib ratio >= 0.85, which catches one or two letters wrong, a singular for a plural); or the name
is one of the common manifest spellings of a fact in VOCABULARY below (`DOB`, `COB`), or a map column
name written differently (`D.O.B.` when the map says `DOB`).

A manifest none of whose columns is read as a fact is refused too: every row would come out unknown.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from safeguard.facts.schema import fact_specs

RATIO = 0.85
FILLER = {"of", "the", "a", "an", "is", "date", "dt"}  # words a spelling may add or drop ("date of birth")
# Manifest spellings of facts seen on real rosters; each must name a fact of the vocabulary (a test checks).
VOCABULARY = {
    "dob": "birth_date", "birthdate": "birth_date", "dateofbirth": "birth_date", "birthday": "birth_date",
    "cob": "birth_place", "pob": "birth_place", "placeofbirth": "birth_place", "countryofbirth": "birth_place",
    "birthcountry": "birth_place",
    "destination": "destination_country", "dest": "destination_country", "removalcountry": "destination_country",
    "withholding": "withholding_countries", "withholdingcountry": "withholding_countries",
    "catcountry": "cat_countries", "cat": "cat_countries",
}


class ColumnsError(ValueError):
    """The manifest's columns cannot be screened as they stand; the message says what to do."""


@dataclass
class ColumnPlan:
    """How every column of the manifest is read."""

    facts: dict[str, str] = field(default_factory=dict)  # manifest column -> fact
    pass_through: list[str] = field(default_factory=list)  # kept, never read
    allowed: list[str] = field(default_factory=list)  # fact-like, but the user said pass-through
    id_column: str | None = None

    def as_dict(self) -> dict:
        return {"read_as_facts": dict(self.facts), "pass_through": list(self.pass_through),
                "fact_like_kept_as_given": list(self.allowed), "id_column": self.id_column}


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _words(name: str) -> tuple[str, ...]:
    parts = [w for w in re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()) if w]
    return tuple(sorted(w for w in parts if w not in FILLER))


def _stem(squashed: str) -> str:
    """A plural read as its singular (countries -> country, nationalities -> nationality)."""
    if squashed.endswith("ies"):
        return squashed[:-3] + "y"
    return squashed[:-1] if squashed.endswith("s") else squashed


def near_miss(column: str, facts: list[str], map_columns: list[str] = ()) -> str | None:
    """The fact (or map column) `column` looks like a misspelling of, or None."""
    squashed = _squash(column)
    if not squashed:
        return None
    for name in (*facts, *map_columns):
        if name != column and (_stem(_squash(name)) == _stem(squashed)
                               or (_words(name) and _words(name) == _words(column))):
            return name
    if squashed in VOCABULARY:
        return VOCABULARY[squashed]
    if len(squashed) >= 5:
        close = difflib.get_close_matches(column.lower(), facts, n=1, cutoff=RATIO)
        if close:
            return close[0]
    return None


def plan_columns(columns: list[str], column_map=None, allow_unmapped: tuple[str, ...] = (),
                 id_column: str | None = None, ignore: tuple[str, ...] = ()) -> ColumnPlan:
    """Classify every column; ColumnsError (exit 2) on a near miss or when no column is a fact.

    `ignore`: columns the screening adds itself (results of an earlier run read back), kept as given."""
    specs = fact_specs()
    facts = list(specs)
    mapped = dict(column_map.columns) if column_map is not None else {}
    declared = set(getattr(column_map, "pass_through", ()) or ()) | set(allow_unmapped)
    unknown_allowed = [c for c in allow_unmapped if c not in columns]
    if unknown_allowed:
        raise ColumnsError(f"--allow-unmapped {unknown_allowed[0]!r}: the manifest has no such column "
                           f"(its columns: {_list(columns)})")
    plan = ColumnPlan(id_column=id_column)
    plan.facts = {c: mapped.get(c, c) for c in columns if mapped.get(c, c) in specs and c not in declared}
    unread = [f for f in facts if f not in plan.facts.values()]
    problems: list[str] = []
    for column in columns:
        if column in plan.facts:
            continue
        if column == id_column or column in ignore:
            plan.pass_through.append(column)
            continue
        like = near_miss(column, unread, [c for c in mapped if c not in columns])
        if like is None:
            plan.pass_through.append(column)
        elif column in declared:
            plan.allowed.append(column)
        else:
            target = mapped.get(like, like)
            shown = like if like in specs else f"{like!r} (mapped to {target})"
            problems.append(f"column {column!r} is not read as any fact, but looks like {shown}: did you mean "
                            f"{target}? Rename the column, map it (--map with columns: {{{column}: {target}}}), "
                            f"or, if it is not that fact, keep it as given with --allow-unmapped {column} "
                            f"(or pass_through: [{column}] in the map)")
    if problems:
        raise ColumnsError("; ".join(problems) + ". A misspelled fact column would be dropped without a word, "
                           "and a dropped fact can clear a person the law bars.")
    if not plan.facts:
        raise ColumnsError(f"no column is a fact of the vocabulary (its columns: {_list(columns)}); every "
                           "row would come out unknown. If the file has no header row, its first person was read as "
                           "the column names: add the header. Name the columns as in facts.yaml (birth_date, birth_place, "
                           "...) or give a map with --map map.yaml (columns: {DOB: birth_date, ...}; see "
                           "examples/roster-map.yaml)")
    return plan


def _list(columns: list[str]) -> str:
    shown = ", ".join(columns[:20])
    return shown + (f" ... ({len(columns)} in all)" if len(columns) > 20 else "") if columns else "none"
