"""Deciding by cases: when one unknown fact is all that stands between a case and its answer, and every
value that fact can take gives the same answer, the answer is decided.

The values tried are exhaustive, not a sample. The rules compare a date only with parameter dates, with
other dates of the case and with `as_of`, each shifted by a number of years or days the rules name; so
the answer can change only at those points. Trying the day before, the day of and the day after every
such point (and nothing between them, where nothing changes) tries every answer the date can give. A
place is compared only with the codes the rules name, so those codes and one place the rules do not
name try every place. An approximate date (a year, or a month) is the same search within its interval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from safeguard.engine import expr as X
from safeguard.engine.comparisons import days_near_turning_points
from safeguard.engine.comparisons import shift_date as _shift
from safeguard.engine.params import load_params
from safeguard.engine.rules import REGISTRY

EARLIEST, LATEST = date(1790, 1, 1), date(2200, 12, 31)  # the dates the law can reach (see facts/parse.py)


def _nodes() -> Iterable[X.Expr]:
    for r in REGISTRY.values():
        stack = [r.expr]
        while stack:
            node = stack.pop()
            yield node
            if not hasattr(node, "citation"):
                stack.extend(X.children(node))


def _param_values(name: str) -> list[Any]:
    p = load_params()[name]
    return [v.value for v in p.versions] + list(p.readings.values())


def _years(node: X.Expr) -> list[int]:
    y = node.years
    values = [y.value] if isinstance(y, X.Const) else _param_values(y.name) if isinstance(y, X.Param) else []
    return [int(v) for v in values if isinstance(v, (int, float))]


def _shift_of(node: X.Expr) -> tuple[str, list[tuple[int, int]]] | None:
    """For `fact`, `fact + y years`, `fact + d days` or `fact + y years + d days`: the fact and its shifts."""
    if isinstance(node, X.Fact):
        return node.name, [(0, 0)]
    if isinstance(node, X.AddYears):
        inner = _shift_of(node.item)
        if inner and inner[1] == [(0, 0)]:
            return inner[0], [(y, 0) for y in _years(node)]
        return None
    if isinstance(node, X.AddDays):
        inner = _shift_of(node.item)
        if inner and all(d == 0 for _, d in inner[1]):
            return inner[0], [(y, node.days) for y, _ in inner[1]]
    return None


@lru_cache(maxsize=1)
def _all_shifts() -> dict[str, tuple[tuple[int, int], ...]]:
    found: dict[str, set[tuple[int, int]]] = {}
    for node in _nodes():
        if isinstance(node, (X.AddYears, X.AddDays)):
            shift = _shift_of(node)
            if shift:
                found.setdefault(shift[0], {(0, 0)}).update(shift[1])
    return {k: tuple(sorted(v)) for k, v in found.items()}


def shifts(fact: str) -> tuple[tuple[int, int], ...]:
    """Every (years, days) the rules add to this date fact (ages, periods), and (0, 0)."""
    return _all_shifts().get(fact, ((0, 0),))


@lru_cache(maxsize=1)
def _dates_shifted_otherwise() -> bool:
    """Whether any rule shifts a date other than as `fact + years + days` (the search below would then not
    be exhaustive, and deciding by cases is refused)."""
    return any(isinstance(n, (X.AddYears, X.AddDays)) and _shift_of(n) is None for n in _nodes())


@lru_cache(maxsize=1)
def threshold_dates() -> tuple[date, ...]:
    """Every date a parameter or a constant of the rules names."""
    found = set()
    for p in load_params().values():
        found |= {v for v in _param_values(p.name) if isinstance(v, date)}
    found |= {n.value for n in _nodes() if isinstance(n, X.Const) and isinstance(n.value, date)}
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def place_codes(fact: str = "birth_place") -> tuple[str, ...]:
    """Every code the rules compare a place fact with, and one foreign place they do not name."""
    found: set[str] = set()
    for node in _nodes():
        if isinstance(node, X.IsIn) and isinstance(node.item, X.Fact) and node.item.name == fact:
            found |= {v for v in node.values if isinstance(v, str)}
        if isinstance(node, X.Cmp) and node.op in ("==", "!="):
            for a, b in ((node.left, node.right), (node.right, node.left)):
                if isinstance(a, X.Fact) and a.name == fact and isinstance(b, X.Const) and isinstance(b.value, str):
                    found.add(b.value)
    other = next(c for c in ("MX", "FR", "JP", "KE") if c not in found)
    return tuple(sorted(found)) + (other,)


def _anchors(facts: dict[str, Any], as_of: date, fact: str | None = None) -> set[date]:
    """The fixed dates a date fact is compared with: the dates the rules name, as_of, and every other date
    of the case (not `fact` itself) moved by each of its shifts."""
    anchors = set(threshold_dates()) | {as_of}
    for name, value in facts.items():
        if isinstance(value, date) and name != fact:
            anchors |= {_shift(value, y, d) for y, d in shifts(name)} - {None}
    return anchors


def _other_dates(facts: dict[str, Any], fact: str) -> tuple[tuple[str, date], ...]:
    return tuple(sorted((n, v) for n, v in facts.items() if isinstance(v, date) and n != fact))


def date_values(fact: str, facts: dict[str, Any], as_of: date, low: date = EARLIEST,
                high: date | None = None) -> list[date]:
    """Every date of `fact` at which some comparison of the rules could turn, within [low, high] (it depends
    only on the case's other dates: worked out once per distinct set of them)."""
    return list(_date_values(fact, _other_dates(facts, fact), as_of, low, high))


@lru_cache(maxsize=1 << 16)
def _date_values(fact: str, others: tuple[tuple[str, date], ...], as_of: date, low: date,
                 high: date | None) -> tuple[date, ...]:
    """Every date of `fact` at which some comparison of the rules could turn, within [low, high].

    The rules compare `fact + y years + d days` (one of its shifts) with a parameter date, with as_of, or
    with another date of the case, itself shifted (engine/comparisons.py names each pair); so the answer can
    turn only where the two meet. The day before, of and after each such point is tried, and the ends."""
    if _dates_shifted_otherwise():
        raise ValueError("a rule shifts a date in a way the case split does not follow")
    high = min(high or as_of, as_of)
    points = days_near_turning_points(fact, dict(others), as_of) | {low, high}
    return tuple(sorted(d for d in points if low <= d <= high))


JOINT_LIMIT = 20_000  # combinations of days generated for several approximate dates at most


def _meeting_days(name: str, low: date, high: date, others: list[tuple[str, date, date]]) -> set[date]:
    """The days of `name`'s interval at which some shift of it can meet some shift of another interval
    (with two days' margin for the 29th of February): there the order of the two dates can turn."""
    days: set[date] = set()
    for other, olow, ohigh in others:
        for oy, od in shifts(other):
            reach = (_shift(olow, oy, od), _shift(ohigh, oy, od))
            for y, d in shifts(name):
                if None in reach:
                    continue
                start, end = _shift(reach[0], -y, -d), _shift(reach[1], -y, -d)
                if start is None or end is None:
                    continue
                day, last = max(start - timedelta(days=2), low), min(end + timedelta(days=2), high)
                while day <= last:
                    days.add(day)
                    day += timedelta(days=1)
    return days


def _reach(low: date, high: date, y: int, d: int) -> tuple[date, date] | None:
    a, b = _shift(low, y, d), _shift(high, y, d)
    return None if a is None or b is None else (a - timedelta(days=2), b + timedelta(days=2))


def _comparisons(intervals: dict[str, tuple[date, date]], facts: dict[str, Any], as_of: date):
    """What a combination of days is compared by: each date's shifts against the fixed dates they can
    reach (parameters, as_of, the case's other dates shifted), and the shifts of two approximate dates
    that can meet. Two combinations alike in every one of these comparisons get the same answer."""
    ordered = sorted(_anchors(facts, as_of))
    fixed, pairs = [], []
    names = list(intervals)
    for name in names:
        for y, d in shifts(name):
            reach = _reach(*intervals[name], y, d)
            if reach:
                fixed += [(name, y, d, a) for a in ordered if reach[0] <= a <= reach[1]]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for ya, da in shifts(a):
                for yb, db in shifts(b):
                    ra, rb = _reach(*intervals[a], ya, da), _reach(*intervals[b], yb, db)
                    if ra and rb and ra[0] <= rb[1] and rb[0] <= ra[1]:
                        pairs.append((a, ya, da, b, yb, db))
    return fixed, pairs


def _sign(x: date | None, y: date | None) -> int:
    return 2 if x is None or y is None else (x > y) - (x < y)


def joint_values(intervals: dict[str, tuple[date, date]], facts: dict[str, Any], as_of: date,
                 possible: Callable[[dict[str, date]], bool]) -> list[dict[str, date]] | None:
    """Combinations of days of several approximate dates (in the order given), one for every way the
    rules' comparisons can come out: None when there are more than JOINT_LIMIT to sort through.

    Each date in turn takes the days `date_values` gives with the earlier ones fixed (they are then
    dates of the case like any other), and every day at which it could meet a later one: away from
    those days its order with the later dates is the same whatever they turn out to be. Of the
    combinations `possible` with the other facts, one is kept for each outcome of the comparisons."""
    names = list(intervals)
    meeting = {n: _meeting_days(n, *intervals[n], [(o, *intervals[o]) for o in names[i + 1:]])
               for i, n in enumerate(names)}
    combos: list[dict[str, date]] = []

    def walk(i: int, chosen: dict[str, date]) -> bool:
        if i == len(names):
            combos.append(dict(chosen))
            return len(combos) <= JOINT_LIMIT
        name = names[i]
        low, high = intervals[name]
        for day in sorted(set(date_values(name, {**facts, **chosen}, as_of, low, high)) | meeting[name]):
            if not walk(i + 1, {**chosen, name: day}):
                return False
        return True

    if not walk(0, {}):
        return None
    fixed, pairs = _comparisons(intervals, facts, as_of)
    kept: dict[tuple[int, ...], dict[str, date]] = {}
    for combo in combos:
        key = tuple(_sign(_shift(combo[n], y, d), a) for n, y, d, a in fixed) + tuple(
            _sign(_shift(combo[a], ya, da), _shift(combo[b], yb, db)) for a, ya, da, b, yb, db in pairs)
        if key not in kept and possible(combo):
            kept[key] = combo
    return list(kept.values())


@lru_cache(maxsize=1)
def _threshold_names() -> dict[date, tuple[str, ...]]:
    """Each date the parameters name: the parameters that name it, with their citation."""
    found: dict[date, list[str]] = {}
    for p in load_params().values():
        for v in _param_values(p.name):
            if isinstance(v, date):
                found.setdefault(v, []).append(f"{p.name} ({p.citation})")
    return {d: tuple(dict.fromkeys(names)) for d, names in found.items()}


def _shift_words(name: str, years: int, days: int) -> str:
    words = name + (f" + {years} years" if years else "") + (f" + {days} days" if days else "")
    return words


def turning_reasons(fact: str, facts: dict[str, Any], as_of: date, day: date) -> list[str]:
    """Why a comparison of the rules can turn at `day` for `fact`: each date it meets there (the same
    anchors and shifts `date_values` searches), in words."""
    named = _threshold_names()
    anchors: dict[date, list[str]] = {}
    for t in threshold_dates():
        anchors.setdefault(t, []).extend(named.get(t) or ["a date the rules name"])
    anchors.setdefault(as_of, []).append("as_of, the date the law is taken at")
    for name, value in facts.items():
        if isinstance(value, date) and name != fact:
            for y, d in shifts(name):
                shifted = _shift(value, y, d)
                if shifted is not None:
                    anchors.setdefault(shifted, []).append(_shift_words(name, y, d))
    out = []
    for anchor, words in sorted(anchors.items()):
        for y, d in shifts(fact):
            if _shift(anchor, -y, -d) == day:
                reached = "; ".join(words)
                out.append(reached if (y, d) == (0, 0) else f"{_shift_words(fact, y, d)} reaches {anchor} ({reached})")
    return out


def case_values(fact: str, kind: str, facts: dict[str, Any], as_of: date,
                interval: tuple[date, date] | None = None) -> list[Any]:
    """The exhaustive values of one unknown fact for deciding by cases."""
    if kind == "date":
        low, high = interval or (EARLIEST, as_of)
        return date_values(fact, facts, as_of, low, high)
    if kind == "country":
        seen = [v for v in (facts.get("destination_country"),) if v]
        return list(dict.fromkeys(place_codes(fact) + tuple(seen)))
    raise ValueError(f"no case split for a {kind} fact")


def split_order(fact: str, kind: str, facts: dict[str, Any], as_of: date) -> tuple[Any, ...]:
    """`case_values` of a split fact, far-apart ones first (`spread_first`); worked out once per distinct
    set of the facts they depend on (the other dates, the destination)."""
    return split_order_of(fact, kind, _other_dates(facts, fact), facts.get("destination_country"), as_of)


@lru_cache(maxsize=1 << 16)
def split_order_of(fact: str, kind: str, others: tuple[tuple[str, date], ...], destination: str | None,
                 as_of: date) -> tuple[Any, ...]:
    facts: dict[str, Any] = dict(others)
    if destination is not None:
        facts["destination_country"] = destination
    return tuple(spread_first(case_values(fact, kind, facts, as_of)))


def spread_first(values: list[Any]) -> list[Any]:
    """The same values, reordered so that far-apart ones come first (a split that fails, fails early)."""
    return [values[i] for i in _spread_order(len(values))]


@lru_cache(maxsize=4096)
def _spread_order(n: int) -> tuple[int, ...]:
    """The positions of `spread_first` for n values: every n-th, then every (n/2)-th, ..., then the rest."""
    if n < 3:
        return tuple(range(n))
    order, seen, step = [], set(), n
    while step >= 1:
        for i in range(0, n, step):
            if i not in seen:
                seen.add(i)
                order.append(i)
        step //= 2
    return tuple(order + [i for i in range(n) if i not in seen])


# The facts a case may be split on, and their kind (see `case_values`).
SPLIT_FACTS = {"birth_date": "date", "birth_place": "country"}
PROBES = 3  # values tried first, far apart: most splits that fail, fail on these


def split_fact(facts: dict[str, Any], status_known: bool) -> list[str]:
    """The facts worth splitting on for this case, in order: unknown, and (for the birth date) not needed
    to turn presence periods into years, which vary with it continuously rather than at fixed points.
    `facts` holds the approximate dates too: one is searched over its interval, never split."""
    if status_known:
        return []
    out = []
    for fact in SPLIT_FACTS:
        if fact in facts:
            continue
        if fact == "birth_date" and any(k.endswith("_presence_periods") for k in facts):
            continue
        out.append(fact)
    return out


def agree(values: list[dict[str, Any]], keys: Iterable[str]) -> dict[str, Any]:
    """For each key, the value every case gives, or None (unknown) where they differ."""
    out = {}
    for key in keys:
        first = values[0][key]
        out[key] = first if all(v[key] == first and type(v[key]) is type(first) for v in values) else None
    return out


def _routes(bases: list[Any]) -> str | None:
    """The routes the cases give, each once, in order ("a / b"); None when no case gives one."""
    return " / ".join(dict.fromkeys(b for b in bases if b)) or None


def split_basis(bases: list[Any], fact: str, n: int, given: str | None = None) -> str | None:
    """The basis of a status decided by cases: the route, or the routes case by case. `given`: the
    approximate date (a year or a month) the cases were drawn from."""
    head = _routes(bases)
    if head is None:
        return None
    if given is not None:
        return (f"{head} (decided for every day of {fact} {given}: each of the {n} days where the answer could "
                "turn gives this status)")
    return f"{head} (decided by cases: every one of {n} possible values of {fact} gives this status)"


def joint_basis(bases: list[Any], given: dict[str, str], n: int) -> str | None:
    """The basis of a status decided for every combination of days of several approximate dates."""
    head = _routes(bases)
    if head is None:
        return None
    dates = ", ".join(f"{fact} {text}" for fact, text in given.items())
    return (f"{head} (decided for every day of {dates}: each of the {n} combination"
            f"{'s' if n != 1 else ''} of days where the answer could turn gives this status)")


def needs_exact_date(fact: str, facts: dict[str, Any]) -> bool:
    """Whether an approximate `fact` cannot be searched by cases: a presence period counted from it turns
    into years continuously with it, not at fixed points."""
    if fact == "birth_date":
        return any(k.endswith("_presence_periods") for k in facts)
    return fact.endswith("_birth_date") and f"{fact[:-len('_birth_date')]}_us_presence_periods" in facts
