"""The offer simulator: a scenario (population, arrangement, sourced cost and capacity inputs) screened
with the transfer rules and turned into costs, capacity and intervals. A model, not legal advice.

`load_scenario`, `run_simulation`, `write_report` and friends are imported on first use, so that the
command line starts fast."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {"LoadedScenario": "load", "ScenarioError": "load", "bundled_names": "load", "load_scenario": "load",
            "parse_scenario": "load", "MODEL_CAVEAT": "run", "Simulation": "run", "run_simulation": "run",
            "write_report": "report"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
