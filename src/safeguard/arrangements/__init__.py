"""Catalogue of transfer arrangements (offers, agreements, grants, operations).

Each arrangement lives in one YAML file under `catalogue/`, with every date
and figure tied to a source URL. The data were copied from the project's
research notes; nothing is read from outside the package at run time.
"""

from .facility import facility_occupancy
from .load import ArrangementError, date_contested_on, get_arrangement, in_force_on, load_catalogue, status_on
from .model import Arrangement

__all__ = [
    "Arrangement",
    "ArrangementError",
    "facility_occupancy",
    "get_arrangement",
    "in_force_on",
    "load_catalogue",
    "status_on",
    "date_contested_on",
]
