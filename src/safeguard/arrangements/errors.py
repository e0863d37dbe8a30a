"""What the catalogue's readers raise, and the order of its partial dates: light, imported by the
snapshot's readers (facility.py) without the validation's models."""

from __future__ import annotations


class ArrangementError(ValueError):
    """A catalogue file is invalid, or an arrangement was asked for that does not exist."""


def partial_date_key(value: str) -> tuple[int, int, int]:
    """Sort key for a partial date; a missing month or day sorts first."""
    parts = [int(p) for p in value.split("-")] + [0, 0]
    return parts[0], parts[1], parts[2]
