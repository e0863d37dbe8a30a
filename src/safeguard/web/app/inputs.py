"""Reading one question's form into the value stored for its fact (JSON-native: dates as text, lists
as lists). Type checks only: whether the value makes sense for the case is the engine's to say
(views call `safeguard.api.screen` with the new value and show its message)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from safeguard.facts.schema import FactSpec
from safeguard.web.app import countries


@dataclass
class Parsed:
    value: Any = None
    error: str | None = None
    suggestions: list[str] = field(default_factory=list)


def parse(spec: FactSpec, post) -> Parsed:
    t = spec.type
    if t == "bool":
        v = post.get("value")
        return Parsed(value={"yes": True, "no": False}[v]) if v in ("yes", "no") else Parsed(error=_("Choose yes or no."))
    if t == "enum":
        v = post.get("value")
        return Parsed(value=v) if v in spec.values else Parsed(error=_("Choose one of the options."))
    if t == "date":
        return parse_date(post.get("year", ""), post.get("month", ""), post.get("day", ""))
    if t == "number":
        try:
            n = float(post.get("value", "").replace(",", "."))
        except ValueError:
            return Parsed(error=_("Enter a number (0 or more), e.g. 5 or 2.5."))
        return Parsed(value=n) if n >= 0 else Parsed(error=_("Enter a number (0 or more), e.g. 5 or 2.5."))
    if t == "country":
        code, sugg = countries.resolve(post.get("value", ""))
        if code:
            return Parsed(value=code)
        return Parsed(error=_("We could not find that country. Choose one of the suggestions or check the spelling."),
                      suggestions=sugg)
    if t == "countries":
        if post.get("none") == "on":
            return Parsed(value=[])
        codes, sugg = [], []
        for part in re.split(r"[;\n]", post.get("value", "")):
            if not part.strip():
                continue
            code, s = countries.resolve(part)
            if code is None:
                return Parsed(error=_("We could not find the country “%(name)s”.") % {"name": part.strip()}, suggestions=s)
            codes.append(code)
        if not codes:
            return Parsed(error=_("Name at least one country, or tick “none”."))
        return Parsed(value=list(dict.fromkeys(codes)))
    if t == "periods":
        return parse_periods(post.get("value", ""))
    v = post.get("value", "").strip()
    return Parsed(value=v) if v else Parsed(error=_("This answer is empty."))


def parse_date(year: str, month: str, day: str) -> Parsed:
    """A full date, a month and year, or a year alone ("YYYY-MM-DD", "YYYY-MM", "YYYY")."""
    year, month, day = year.strip(), month.strip(), day.strip()
    if not re.fullmatch(r"\d{4}", year):
        return Parsed(error=_("Enter the year with four digits, e.g. 1985."))
    if day and not month:
        return Parsed(error=_("A day needs its month."))
    if not month:
        return Parsed(value=year)
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return Parsed(error=_("Choose a month."))
    if not day:
        return Parsed(value=f"{year}-{int(month):02d}")
    try:
        return Parsed(value=date(int(year), int(month), int(day)).isoformat())
    except ValueError:
        return Parsed(error=_("That day does not exist in that month."))


def parse_periods(text: str) -> Parsed:
    """One period a line: "YYYY-MM-DD to YYYY-MM-DD" (or "to now" while it goes on)."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})\s*(?:to|a|-|–)\s*(\d{4}-\d{2}-\d{2}|now|hoy)\s*", line)
        if not m:
            return Parsed(error=_("Write each period as 1990-01-01 to 1995-06-30 (or “to now”)."))
        out.append([m.group(1), None if m.group(2) in ("now", "hoy") else m.group(2)])
    return Parsed(value=out) if out else Parsed(error=_("Write at least one period."))


def date_parts(value: Any) -> dict[str, str]:
    """A stored date (full or approximate) back into the form's fields."""
    parts = (value or "").split("-") if isinstance(value, str) else []
    return {"year": parts[0] if parts else "", "month": str(int(parts[1])) if len(parts) > 1 else "",
            "day": str(int(parts[2])) if len(parts) > 2 else ""}


class _Prefixed:
    """The form's fields of one follow-up question (named `fu-<fact>-<field>`), read as a question's own."""

    def __init__(self, post, fact: str):
        self.post, self.prefix = post, f"fu-{fact}-"

    def get(self, key: str, default: str = "") -> str:
        return self.post.get(self.prefix + key, default)


def parse_follow_up(spec: FactSpec, post) -> Parsed | None:
    """A follow-up question answered on its gate's screen; None when its fields were left empty."""
    fields = _Prefixed(post, spec.name)
    keys = ("year", "month", "day") if spec.type == "date" else ("value",)
    if not any(fields.get(k).strip() for k in keys):
        return None
    return parse(spec, fields)
