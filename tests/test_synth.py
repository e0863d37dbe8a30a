"""Tests of the synthetic manifest generator (safeguard.synth)."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml

from safeguard.facts.columns import typed_facts
from safeguard.synth import KINDS, generate, iter_chunks, load_calibration
from safeguard.synth.calibrate_ice import check as check_ice
from safeguard.synth.calibrate_ice import ice_figures
from safeguard.synth.cli_support import write_manifest
from safeguard.synth.generate import BAD_VALUES, BLOCK, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 23)
YEAR = 365.2425
CITIZEN_KINDS = ("us_born_citizen", "territory_born", "naturalized_citizen")


def _vocabulary() -> dict[str, dict]:
    """Fact name -> its spec (type, values), from the project's copy of facts.yaml
    (or the shared contract), with P_ expanded to mother_/father_."""
    for path in (ROOT / "src/safeguard/facts/facts.yaml", ROOT.parent / "shared/spec/facts.yaml"):
        if path.exists():
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            break
    else:
        pytest.skip("no facts.yaml found")
    facts = {}
    for section in raw.values():
        for name, spec in section.items():
            for full in ([f"mother_{name[2:]}", f"father_{name[2:]}"] if name.startswith("P_") else [name]):
                facts[full] = spec
    return facts


@pytest.fixture(scope="module")
def big() -> pl.DataFrame:
    return generate(200_000, 2024, labels=True)


@pytest.fixture(scope="module")
def cal():
    return load_calibration()


def test_same_seed_same_frame_and_other_seed_differs():
    first = generate(5_000, 11)
    assert first.equals(generate(5_000, 11))
    assert not first.equals(generate(5_000, 12))


@pytest.mark.parametrize("kwargs", [{}, {"bad_row_share": 0.03, "labels": True}])
@pytest.mark.parametrize("chunk_size", [50_000, BLOCK + 7, 1_000_000])
def test_chunked_equals_unchunked(chunk_size, kwargs):
    n = 2 * BLOCK + 123
    whole = generate(n, 5, **kwargs)
    chunks = list(iter_chunks(n, 5, chunk_size=chunk_size, **kwargs))
    assert all(c.height == chunk_size for c in chunks[:-1])
    assert pl.concat(chunks).equals(whole)


@pytest.mark.parametrize("n", [0, 1, 999, BLOCK + 1])
def test_row_count_and_ids(n):
    frame = generate(n, 3)
    assert frame.height == n
    assert frame["person_id"].n_unique() == n
    if n:
        assert frame["person_id"][0] == "S-0000001"
        assert frame["person_id"][-1] == f"S-{n:07d}"


def test_columns_are_facts_with_the_right_dtypes():
    facts = _vocabulary()
    frame = generate(2_000, 1)
    expected = {"bool": pl.Boolean, "date": pl.Date, "number": pl.Float64}
    assert "mother_us_presence_periods" not in frame.columns
    for name, dtype in frame.schema.items():
        assert name in facts, f"{name} is not a fact"
        assert dtype == expected.get(facts[name]["type"], pl.Utf8), name
        values = frame[name].drop_nulls()
        if facts[name]["type"] == "enum":
            assert set(values) <= set(facts[name]["values"]), name
        elif facts[name]["type"] in ("country", "countries"):
            assert all(re.fullmatch(r"[A-Z]{2}(;[A-Z]{2})*|none", v) for v in values), name
        elif facts[name]["type"] == "number":
            assert (values >= 0).all(), name
    assert frame.schema == pl.Schema(SCHEMA)


def _date_problems(frame: pl.DataFrame) -> dict[str, int]:
    """Count rows breaking each date-consistency rule (unknown dates are not counted)."""
    c = pl.col
    years = lambda a, b: (c(a) - c(b)).dt.total_days() / YEAR  # noqa: E731
    rules = {f"{name} after as_of": c(name) > AS_OF for name, t in SCHEMA.items() if t == pl.Date}
    rules |= {
        "lpr_date before birth": c("lpr_date") < c("birth_date"),
        "naturalized before 18": years("naturalization_date", "birth_date") < 18,
        "removal order before birth": c("removal_order_date") < c("birth_date"),
        "paternity before birth": c("paternity_established_date") < c("birth_date"),
    }
    for p in ("mother", "father"):
        gap = years("birth_date", f"{p}_birth_date")
        rules[f"{p} not 18-45 years older"] = (gap < 18) | (gap > 45)
        rules[f"{p} naturalized before own birth"] = c(f"{p}_naturalization_date") <= c(f"{p}_birth_date")
        rules[f"{p} died before birth"] = c(f"{p}_death_date") < c(f"{p}_birth_date")
        rules[f"{p} presence > age"] = c(f"{p}_us_presence_years") > gap + 0.01
        rules[f"{p} after_14 > total"] = c(f"{p}_us_presence_years_after_14") > c(f"{p}_us_presence_years")
        rules[f"{p} after_16 > after_14"] = (c(f"{p}_us_presence_years_after_16")
                                             > c(f"{p}_us_presence_years_after_14"))
    counts = frame.select([rule.fill_null(False).sum().alias(name) for name, rule in rules.items()])
    return {name: count for name, count in counts.row(0, named=True).items() if count}


def test_dates_are_consistent(big):
    assert _date_problems(big) == {}


def test_dates_are_consistent_for_another_as_of():
    frame = generate(20_000, 9, as_of="2001-06-30", destination=None, arrangement=None)
    assert frame["as_of"].unique().to_list() == [dt.date(2001, 6, 30)]
    latest = frame.select(pl.col(n).max() for n, t in SCHEMA.items() if t == pl.Date).row(0)
    assert all(day is None or day <= dt.date(2001, 6, 30) for day in latest)
    assert _date_problems(frame) == {}
    assert frame["destination_country"].null_count() == frame.height


def test_kind_shares_match_calibration(big, cal):
    n = big.height
    observed = big["_synth_kind"].value_counts()
    counts = dict(zip(observed["_synth_kind"], observed["count"]))
    assert set(counts) <= set(KINDS)
    for kind, p in cal.kind_shares().items():
        tolerance = 4 * math.sqrt(p * (1 - p) / n) + 0.001
        assert abs(counts.get(kind, 0) / n - p) < tolerance, kind


def test_published_figures_show_through(big, cal):
    bop = big.filter(pl.col("custody") == "federal_prison")
    ice = big.filter(pl.col("custody") == "immigration_detention")
    assert abs(ice.height / (ice.height + bop.height) - cal.ice_share()) < 0.005
    noncitizen = (~bop["_synth_kind"].is_in(CITIZEN_KINDS)).mean()
    assert abs(noncitizen - 22817 / 155972) < 0.006
    convicted = ice["convicted"].drop_nulls().mean()
    assert abs(convicted - ice_figures()["convicted_share"]) < 0.01
    assert bop["convicted"].drop_nulls().all() and bop["serving_sentence"].drop_nulls().all()
    plain_bop = bop.filter(pl.col("_synth_kind") == "bop_noncitizen")["removal_order"].drop_nulls()
    assert abs((plain_bop == "final").mean() - 0.542) < 0.02


def test_people_look_like_their_kind(big):
    kind = lambda k: big.filter(pl.col("_synth_kind") == k)  # noqa: E731
    assert (kind("us_born_citizen")["birth_place"].drop_nulls() == "US").all()
    assert set(kind("territory_born")["birth_place"].drop_nulls()) == {"PR", "GU", "VI", "MP", "AS"}
    assert kind("naturalized_citizen")["naturalized"].drop_nulls().all()
    lpr = kind("lpr_no_order")
    assert lpr["lpr"].drop_nulls().all()
    assert set(lpr["removal_order"].drop_nulls()) <= {"none", "proceedings_pending"}
    protected = kind("protected")
    granted = protected["withholding_countries"].is_not_null() | protected["cat_countries"].is_not_null()
    assert granted.mean() > 0.9
    assert (protected["withholding_countries"] == "SV").any() and (protected["cat_countries"] == "SV").any()
    assert set(big["removal_order"].drop_nulls()) == {"final", "expedited", "reinstated", "administrative",
                                                     "proceedings_pending", "none"}


def test_missing_rates(big, cal):
    sparse = big["_synth_sparse"]
    assert abs(sparse.mean() - cal["missing.sparse_row_share"]) < 0.003
    nulls = big.select(pl.sum_horizontal(pl.all().is_null()).alias("nulls"), "_synth_sparse")
    by_kind = nulls.group_by("_synth_sparse").agg(pl.col("nulls").mean()).sort("_synth_sparse")["nulls"]
    assert by_kind[1] > by_kind[0] + 5
    extra = cal["missing.sparse_row_missing"] * cal["missing.sparse_row_share"]
    for fact in ("birth_date", "birth_place", "convicted"):
        expected = cal.missing_rate(fact) + (1 - cal.missing_rate(fact)) * extra
        assert abs(big[fact].is_null().mean() - expected) < 0.003, fact
    case = big.select("person_id", "as_of", "destination_country", "arrangement")
    assert case.null_count().sum_horizontal()[0] == 0
    us_born = big.filter(pl.col("_synth_kind") == "us_born_citizen")["born_to_foreign_diplomat"]
    rate = cal.missing_rate("born_to_foreign_diplomat")
    assert abs(us_born.is_null().mean() - (rate + (1 - rate) * extra)) < 0.005


def _citizen_parent_presence(frame: pl.DataFrame) -> pl.DataFrame:
    """The presence facts of the parent who was a citizen at the birth."""
    mother = pl.col("mother_citizen_at_birth").fill_null(False)
    def pick(fact: str) -> pl.Expr:
        return pl.when(mother).then(pl.col(f"mother_{fact}")).otherwise(pl.col(f"father_{fact}"))

    return frame.select(years=pick("us_presence_years"), after_14=pick("us_presence_years_after_14"))


def test_the_hard_cases(big):
    kind = lambda k: big.filter(pl.col("_synth_kind") == k)  # noqa: E731
    acquired = _citizen_parent_presence(kind("usc_parent_acquired")).drop_nulls()
    assert acquired.height > 100 and (acquired["years"] >= 10).all() and (acquired["after_14"] >= 5).all()
    short = _citizen_parent_presence(kind("usc_parent_not_acquired")).drop_nulls()
    assert short.height > 100 and (short["years"] < 5).all()
    hidden = _citizen_parent_presence(kind("usc_parent_unresolved"))
    assert hidden["years"].null_count() == hidden.height
    derived = kind("usc_parent_derived").drop_nulls(["birth_date", "lpr_date"])
    age_at = lambda col: (pl.col(col) - pl.col("birth_date")).dt.total_days() / YEAR  # noqa: E731
    assert derived["lpr"].drop_nulls().all() and (derived.select(age_at("lpr_date"))["lpr_date"] < 18).all()
    first_nat = derived.select(pl.min_horizontal(age_at("mother_naturalization_date"),
                                                 age_at("father_naturalization_date")).alias("age"))["age"]
    assert (first_nat.drop_nulls() < 18).all()
    assert derived["parents_married_at_birth"].drop_nulls().all()
    assert derived["mother_citizen_at_birth"].drop_nulls().not_().all()


@pytest.mark.parametrize(("n", "share"), [(10_000, 0.05), (1_001, 0.1), (BLOCK + 500, 0.013)])
def test_bad_rows(n, share):
    """Exactly the rows labelled bad are rejected by the project's validator, each for its labelled
    fact; the columns that can hold a bad value are text and every other column keeps its type."""
    frame = generate(n, 8, bad_row_share=share)
    assert all(frame.schema[c] == pl.Utf8 for c in BAD_VALUES)
    assert all(frame.schema[c] == t for c, t in SCHEMA.items() if c not in BAD_VALUES)
    labelled = frame["_synth_bad_fact"]
    assert (labelled != "").sum() == math.floor(n * share + 1e-9)
    errors = typed_facts(frame.drop("_synth_bad_fact"), AS_OF)["error"]
    assert (errors.is_not_null() == (labelled != "")).all()
    for fact, message in zip(labelled, errors):
        if fact:
            assert message.startswith(f"{fact} = "), (fact, message)
    good = frame.filter(labelled == "").drop("_synth_bad_fact")
    parse = {pl.Date: lambda c: c.str.to_date(), pl.Float64: lambda c: c.cast(pl.Float64),
             pl.Boolean: lambda c: c.replace_strict({"true": True, "false": False}, return_dtype=pl.Boolean)}
    typed = good.with_columns(parse[SCHEMA[c]](pl.col(c)) for c in BAD_VALUES if SCHEMA[c] != pl.Utf8)
    assert _date_problems(typed) == {}
    assert set(BAD_VALUES) <= set(SCHEMA)


def test_calibration_entries_are_sourced_or_assumed(cal, tmp_path):
    for section, entries in cal.entries.items():
        for key, entry in entries.items():
            if "source" in entry:
                assert re.search(r"https?://|calibrate_ice", entry["source"]), f"{section}.{key}"
            else:
                assert entry["assumption"] is True and entry["reason"], f"{section}.{key}"
    assert check_ice(cal.entries["ice"]) == []
    figures = ice_figures()
    official = cal["ice.official_adp_convicted"] / cal["ice.official_adp_total"]
    assert figures["facilities"] == 853 and abs(figures["convicted_share"] - official) < 0.01
    assert cal["population.bop_total"] == 155972 and cal["population.bop_noncitizen"] == 22817
    assert abs(sum(cal.kind_shares().values()) - 1) < 1e-9
    broken = tmp_path / "calibration.yaml"
    broken.write_text("mix:\n  lpr_share: {value: 0.3}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mix.lpr_share"):
        load_calibration(broken)


def test_other_destination_and_arguments():
    frame = generate(5_000, 4, destination="CR", arrangement="cr-2026", labels=True)
    assert set(frame["destination_country"]) == {"CR"} and set(frame["arrangement"]) == {"cr-2026"}
    protected = frame.filter(pl.col("_synth_kind") == "protected")
    assert (pl.concat([protected["withholding_countries"], protected["cat_countries"]]) == "CR").any()
    for bad in ({"n": -1, "seed": 1}, {"n": 5, "seed": -1}, {"n": 5, "seed": 1, "destination": "XX1"},
                {"n": 5, "seed": 1, "bad_row_share": 1.5}):
        with pytest.raises(ValueError):
            generate(**bad)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_write_manifest(tmp_path, suffix):
    path = write_manifest(tmp_path / f"out/manifest{suffix}", 3_000, 6, chunk_size=1_000)
    expected = generate(3_000, 6)
    read = {".parquet": pl.read_parquet, ".csv": pl.read_csv, ".jsonl": pl.read_ndjson}[suffix]
    back = read(path) if suffix == ".parquet" else read(path, schema=expected.schema)
    assert back.equals(expected)
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    with pytest.raises(ValueError, match="format"):
        write_manifest(tmp_path / "manifest.xlsx", 10, 1)


def test_one_million_rows():
    frame = generate(1_000_000, 77)
    assert frame.height == 1_000_000
    assert frame["person_id"][-1] == "S-1000000"
    assert frame["birth_date"].max() <= AS_OF
    ice_share = frame["custody"].eq("immigration_detention").mean()
    assert np.isclose(ice_share, load_calibration().ice_share(), atol=0.003)
