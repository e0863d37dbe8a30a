"""Catalogue of transfer arrangements (offers, agreements, grants, operations).

Each arrangement lives in one YAML file under `catalogue/`, with every date
and figure tied to a source URL. The data were copied from the project's
research notes; nothing is read from outside the package at run time.

The names below are loaded when first used: reading the catalogue as validated (`catalogue_snapshot`,
the facility check) needs neither YAML nor the validation's models (snapshot.py).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "Arrangement": ".model",
    "ArrangementError": ".errors",
    "facility_occupancy": ".facility",
    "get_arrangement": ".load",
    "in_force_on": ".load",
    "load_catalogue": ".load",
    "status_on": ".load",
    "date_contested_on": ".load",
    "catalogue_snapshot": ".snapshot",
}

__all__ = list(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
