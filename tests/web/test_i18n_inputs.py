"""Spanish covers the whole fact vocabulary and the interface; country names and dates as people write them."""

from __future__ import annotations

from pathlib import Path

import safeguard.web
from safeguard.facts.schema import fact_specs
from safeguard.web.app import countries
from safeguard.web.app.inputs import parse_date
from safeguard.web.app.questions import question_text, value_label

PO = Path(safeguard.web.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_fact_and_enum_value_has_spanish_text():
    missing = [f for f in fact_specs() if question_text(f, "es") == fact_specs()[f].question]
    assert missing == []
    values = {v for s in fact_specs().values() for v in s.values}
    assert [v for v in values if value_label(v, "es") == v.replace("_", " ") and v not in ("no",)] == []
    assert question_text("mother_naturalized", "es") == "¿Se hizo la madre alguna vez ciudadano/a de EE. UU. por naturalización?"


def test_spanish_catalogue_has_no_untranslated_message():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first is the header
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert empty == []
    assert "fuzzy" not in text
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1  # compiled after the last edit


def test_country_names_as_written():
    assert countries.resolve("Mexico") == ("MX", [])
    assert countries.resolve("méxico") == ("MX", [])
    assert countries.resolve("Alemania") == ("DE", [])
    assert countries.resolve("united states of america") == ("US", [])
    assert countries.resolve("Canal Zone") == ("PZ", [])
    code, suggestions = countries.resolve("Guatamala")
    assert code is None and "GT" in suggestions
    assert countries.resolve("") == (None, [])


def test_dates_full_month_or_year():
    assert parse_date("1975", "", "").value == "1975"
    assert parse_date("1975", "3", "").value == "1975-03"
    assert parse_date("1975", "3", "10").value == "1975-03-10"
    assert parse_date("1975", "", "10").error
    assert parse_date("75", "", "").error
    assert parse_date("1975", "2", "30").error
