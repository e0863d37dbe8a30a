"""The catalogue kept on disk (arrangements/snapshot.py) reads exactly as the validated catalogue, is made
afresh when a file changes, and a folder that cannot be written costs only time."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

from safeguard.arrangements.load import CATALOGUE_DIR, clear_cache, load_catalogue
from safeguard.arrangements.snapshot import Frozen, catalogue_snapshot


def _plain(value):
    """A snapshot value as the model dump would give it."""
    if isinstance(value, Frozen):
        return {k: _plain(v) for k, v in value._fields.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def test_the_snapshot_reads_as_the_validated_catalogue(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path))
    clear_cache()
    first = catalogue_snapshot()  # made from the models, and kept
    assert list(tmp_path.glob("catalogue-*.json"))
    clear_cache()
    again = catalogue_snapshot()  # read back from the file kept
    validated = load_catalogue()
    assert set(first) == set(again) == set(validated) and len(validated) >= 4
    for arr_id, arr in validated.items():
        assert _plain(again[arr_id]) == arr.model_dump() == _plain(first[arr_id])
    cecot = again["sv-cecot-2025-grant"]
    assert isinstance(cecot.dates.in_force.date, dt.date)  # dates stay dates, tuples stay tuples
    assert again["sv-cecot-2025"].facility.country == "SV"


def test_an_edited_catalogue_file_is_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFEGUARD_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    clear_cache()
    assert catalogue_snapshot(folder)["sv-cecot-2025"].coverage.max_persons is None
    path = folder / "sv-cecot-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("max_persons: null") == 1
    path.write_text(text.replace("max_persons: null", "max_persons: 300"), encoding="utf-8")
    clear_cache()
    assert catalogue_snapshot(folder)["sv-cecot-2025"].coverage.max_persons == 300
    assert len(list((tmp_path / "cache").glob("catalogue-*.json"))) == 2


def test_a_screen_needs_neither_yaml_models_nor_pycountry_once_kept(tmp_path):
    """With the catalogue and the country codes kept, one screen imports neither pydantic's catalogue
    models nor pycountry (what made a one-case screen slow to start)."""
    code = ("import sys, json\nfrom safeguard.api import screen\n"
            "doc = screen({'birth_place': 'GU', 'birth_date': '1960-05-01', 'destination_country': 'SV',"
            " 'arrangement': 'sv-cecot-2025'}, as_of='2026-01-01')\n"
            "print(json.dumps([doc['citizenship']['status'], doc['transfer']['facility']['added_persons'],"
            " 'safeguard.arrangements.model' in sys.modules, 'pycountry' in sys.modules]))")
    env = {"SAFEGUARD_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    assert runs[0].stdout.strip() == '["citizen", 1, true, true]'  # the first run makes what is kept
    assert runs[1].stdout.strip() == '["citizen", 1, false, false]'
