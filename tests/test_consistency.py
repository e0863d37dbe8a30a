"""Contradictory facts: one case and a manifest row reject the same inputs, with a message naming both facts."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from safeguard.facts.columns import typed_facts
from safeguard.facts.consistency import CHECKS
from safeguard.facts.parse import InputErrors, parse_case

AS_OF = date(2026, 11, 23)
BOOLS = ["mother_citizen_at_birth", "father_citizen_at_birth", "mother_national_at_birth", "father_national_at_birth",
         "mother_naturalized", "father_naturalized", "mother_deceased", "naturalized", "denaturalized", "lpr",
         "parents_legally_separated", "parents_reunited_after_separation", "adopted", "birth_father_citizen_at_birth",
         "birth_father_national_at_birth"]
DATES = ["mother_naturalization_date", "father_naturalization_date", "mother_death_date", "naturalization_date",
         "denaturalization_date", "lpr_date", "legal_separation_date", "parents_reunited_date",
         "paternity_established_date"]
NUMBERS = ["father_us_presence_years", "father_us_presence_years_after_14", "father_us_presence_years_after_16",
           "father_qualifying_service_abroad_years"]


def _random_case(rng: random.Random) -> dict[str, str]:
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
    row = {"birth_date": birth.isoformat(), "birth_place": "MX"}
    if rng.random() < 0.7:
        row["father_birth_date"] = (birth - timedelta(days=rng.randrange(13 * 365, 40 * 365))).isoformat()
    for name in rng.sample(BOOLS, 5):
        row[name] = rng.choice(["true", "false"])
    for name in rng.sample(DATES, 3):
        day = birth + timedelta(days=rng.randrange(-3 * 365, 25 * 365))
        row[name] = min(day, AS_OF).isoformat()
    for name in rng.sample(NUMBERS, 2):
        row[name] = str(rng.choice([0, 1, 2.5, 3, 5, 10, 20]))
    if rng.random() < 0.3:
        row["paternity_established_by"] = rng.choice(["none", "legitimation"])
    return row


def test_single_and_batch_reject_the_same_rows_with_the_same_message():
    rng = random.Random(14)
    rows = [_random_case(rng) for _ in range(400)]
    columns = sorted({k for r in rows for k in r})
    frame = pl.DataFrame([{c: r.get(c, "") for c in columns} for r in rows], schema={c: pl.Utf8 for c in columns})
    batch = typed_facts(frame, AS_OF)["error"].to_list()
    rejected = 0
    for row, error in zip(rows, batch):
        try:
            parse_case(row, as_of=AS_OF, text=True)
            single = None
        except InputErrors as e:
            single = str(e)
        assert single == error, (row, single, error)
        rejected += single is not None
    assert 40 < rejected < 400, rejected  # the sample exercises both sides


def test_every_check_names_the_other_fact():
    """Each message names the fact blamed (as the InputError prefix) and the one it contradicts."""
    case = {"birth_date": "1990-01-01", "birth_place": "MX", "mother_citizen_at_birth": True,
            "mother_naturalized": True, "mother_naturalization_date": "2002-05-05"}
    try:
        parse_case(case, as_of=AS_OF)
    except InputErrors as e:
        message = str(e)
    else:
        raise AssertionError("a citizen at the birth who naturalized after it must be rejected")
    assert message.startswith("mother_naturalization_date = '2002-05-05'") and "mother_citizen_at_birth" in message
    assert len({c.fact for c in CHECKS}) > 20
