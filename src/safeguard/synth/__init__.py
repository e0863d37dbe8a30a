"""Synthetic manifests for tests, demos and benchmarks.

``generate(n, seed)`` draws n people proposed for transfer out of the U.S. (federal prisoners
and ICE detainees, citizens and non-citizens, and the hard cases in between), calibrated to the
published figures and stated assumptions in ``calibration.yaml``. ``iter_chunks`` streams the
same rows in pieces; ``cli_support.write_manifest`` writes them to Parquet, CSV or JSONL.

The calibration is defined here (``Calibration``, ``load_calibration``) and read by
``generate.py``, which is imported at the end of this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CALIBRATION_FILE = Path(__file__).with_name("calibration.yaml")

# The kinds of people the generator draws, in a fixed order (their codes).
KINDS = (
    "us_born_citizen", "territory_born", "naturalized_citizen", "bop_noncitizen",
    "ice_convicted", "ice_not_convicted", "lpr_no_order", "protected",
    "usc_parent_acquired", "usc_parent_derived", "usc_parent_not_acquired", "usc_parent_unresolved",
)


@dataclass(frozen=True)
class Calibration:
    """The calibration entries, by section and key, as read from ``calibration.yaml``.

    ``cal["mix.lpr_share"]`` gives an entry's value. Mappings of category -> weight are
    returned as written; ``mix()`` returns them normalised to sum to 1.
    """

    entries: dict[str, dict[str, dict[str, Any]]]

    def __getitem__(self, path: str) -> Any:
        section, key = path.split(".", 1)
        try:
            return self.entries[section][key]["value"]
        except KeyError:
            raise KeyError(f"calibration has no entry {path!r}") from None

    def mix(self, path: str) -> dict[str, float]:
        """A category mix, normalised so the weights sum to 1."""
        weights = {str(k): float(v) for k, v in self[path].items()}
        total = sum(weights.values())
        return {k: v / total for k, v in weights.items()}

    def missing_rate(self, fact: str) -> float:
        """Share of rows where ``fact`` (when relevant) is left unknown."""
        rates = self["missing.by_fact"]
        for prefix in ("mother_", "father_"):
            if fact.startswith(prefix) and "P_" + fact[len(prefix):] in rates:
                return float(rates["P_" + fact[len(prefix):]])
        return float(rates.get(fact, self["missing.default"]))

    def ice_share(self) -> float:
        """Share of the manifest held by ICE (the rest by the BOP)."""
        ice = self["ice.adp_total"]
        return ice / (ice + self["population.bop_total"])

    def kind_table(self) -> list[tuple[str, bool, float]]:
        """(kind, held by ICE?, probability) for every kind a row can be drawn as.

        BOP rows: recorded citizens (born in the states, in a territory, or naturalized) and
        recorded non-citizens (BJS share). Recorded non-citizens and ICE detainees alike split
        into people with a U.S.-citizen parent, protected people, LPRs without an order and
        the rest; ICE's rest splits by the convicted share of the ICE population.
        """
        ice = self.ice_share()
        bop = 1.0 - ice
        noncit = self["population.bop_noncitizen"] / self["population.bop_total"]
        terr, nat = self["mix.territory_born_share"], self["mix.naturalized_share"]
        citizens = bop * (1.0 - noncit)
        rows = [
            ("us_born_citizen", False, citizens * (1.0 - terr - nat)),
            ("territory_born", False, citizens * terr),
            ("naturalized_citizen", False, citizens * nat),
        ]
        usc, prot = self["mix.usc_parent_share"], self["mix.protected_share"]
        lpr_no_order = self["mix.lpr_share"] * self["mix.lpr_without_order_share"]
        convicted = self["ice.adp_convicted_criminal"] / self["ice.adp_total"]
        for in_ice, mass in ((False, bop * noncit), (True, ice)):
            for outcome, share in self.mix("mix.usc_parent_outcomes").items():
                rows.append((f"usc_parent_{outcome}", in_ice, mass * usc * share))
            rest = mass * (1.0 - usc)
            rows.append(("protected", in_ice, rest * prot))
            rest *= 1.0 - prot
            rows.append(("lpr_no_order", in_ice, rest * lpr_no_order))
            rest *= 1.0 - lpr_no_order
            if in_ice:
                rows += [("ice_convicted", True, rest * convicted),
                         ("ice_not_convicted", True, rest * (1.0 - convicted))]
            else:
                rows.append(("bop_noncitizen", False, rest))
        return rows

    def kind_shares(self) -> dict[str, float]:
        """Expected share of each kind in a generated manifest."""
        shares = dict.fromkeys(KINDS, 0.0)
        for kind, _, p in self.kind_table():
            shares[kind] += p
        return shares


def load_calibration(path: str | Path | None = None) -> Calibration:
    """Read and check a calibration file (default: the packaged ``calibration.yaml``).

    Every entry must have a ``value`` and either a ``source`` or ``assumption: true`` with a
    ``reason``; otherwise ``ValueError`` names the entry.
    """
    with open(path or CALIBRATION_FILE, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    for section, entries in raw.items():
        for key, entry in entries.items():
            name = f"{section}.{key}"
            if not isinstance(entry, dict) or "value" not in entry:
                raise ValueError(f"calibration entry {name} has no value")
            sourced = bool(entry.get("source"))
            assumed = entry.get("assumption") is True and bool(entry.get("reason"))
            if sourced == assumed:
                raise ValueError(f"calibration entry {name} needs either a source "
                                 "or assumption: true with a reason")
    return Calibration(raw)


from .generate import generate, iter_chunks  # noqa: E402  (needs Calibration defined above)

__all__ = ["Calibration", "KINDS", "generate", "iter_chunks", "load_calibration"]
