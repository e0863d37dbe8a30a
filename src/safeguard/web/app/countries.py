"""Country names as people write them (English or Spanish, official or common, or the ISO code) to the
ISO 3166-1 alpha-2 codes the engine reads, with suggestions when a name is not recognised."""

from __future__ import annotations

import difflib
import gettext
import unicodedata
from functools import lru_cache

import pycountry

EXTRA = {"PZ": ("Panama Canal Zone (former)", "Zona del Canal de Panamá (antigua)"),
         "XK": ("Kosovo", "Kosovo"),
         "US": ("United States (50 states and DC)", "Estados Unidos (50 estados y DC)")}
ALIASES = {"usa": "US", "united states of america": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
           "eeuu": "US", "ee. uu.": "US", "ee.uu.": "US", "canal zone": "PZ", "uk": "GB", "britain": "GB",
           "great britain": "GB", "england": "GB"}


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in t if not unicodedata.combining(c)).replace(",", " ").split())


@lru_cache(maxsize=1)
def _spanish() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    except OSError:
        return gettext.NullTranslations()


def name(code: str, lang: str = "en") -> str:
    es = lang.startswith("es")
    if code in EXTRA:
        return EXTRA[code][1 if es else 0]
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    english = getattr(c, "common_name", None) or c.name
    return _spanish().gettext(c.name) if es else english


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    es = _spanish()
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if n:
                out[_norm(n)] = c.alpha_2
                out[_norm(es.gettext(n))] = c.alpha_2
        out[_norm(c.alpha_2)] = c.alpha_2
        out[_norm(c.alpha_3)] = c.alpha_2
    for code, names in EXTRA.items():
        for n in names:
            out[_norm(n)] = code
        out[_norm(code)] = code
    for alias, code in ALIASES.items():
        out[_norm(alias)] = code
    return out


def choices(lang: str) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in that language (for the suggestion list)."""
    codes = {c.alpha_2 for c in pycountry.countries} | set(EXTRA)
    return sorted(((c, name(c, lang)) for c in codes), key=lambda x: _norm(x[1]))


def resolve(text: str) -> tuple[str | None, list[str]]:
    """(code, []) when the text names one country; (None, suggested codes) otherwise."""
    key = _norm(text)
    if not key:
        return None, []
    idx = _index()
    if key in idx:
        return idx[key], []
    starts = {code for n, code in idx.items() if len(key) >= 3 and (n.startswith(key) or f" {key}" in f" {n}")}
    if len(starts) == 1:
        return starts.pop(), []
    close = [idx[n] for n in difflib.get_close_matches(key, list(idx), n=8, cutoff=0.75)]
    suggestions = list(dict.fromkeys(sorted(starts) + close))[:6]
    return None, suggestions
