"""The Python API: `screen` one case, `ask` what to ask next, `screen_batch` a manifest.

    from safeguard import screen, ask, screen_batch
    screen({"birth_place": "GU", "birth_date": "1960-05-01"})
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

from safeguard.approximate import (
    IntervalSearch,
    adjust_missing,
    approximate_node,
    keep_transfer,
    merge_values,
    settle_intervals,
)
from safeguard.engine.ask import rank_questions
from safeguard.engine.cases import SPLIT_FACTS, agree, split_basis, split_fact, split_order
from safeguard.engine.errors import EngineError
from safeguard.engine.missing import missing_facts_scalar
from safeguard.engine.relevance import QUESTION_PLACES, relevant_missing
from safeguard.engine.scalar import Evaluation, ScalarEngine
from safeguard.facts.parse import Case, parse_case, possible
from safeguard.facts.schema import fact_specs
from safeguard.law.outputs import OPEN_ROOTS, OUTPUTS, ROOTS
from safeguard.result import DISCLAIMER, citizenship_block, explanation_tree, transfer_block
from safeguard.version import law_version

EXPLAIN_ROOTS = [OUTPUTS["citizenship_status"], OUTPUTS["transfer_outcome"]]


@lru_cache(maxsize=1)
def scalar_engine() -> ScalarEngine:
    return ScalarEngine(ROOTS)


@lru_cache(maxsize=1)
def columnar_engine():
    """The batch engine (Polars), built on first use: one case never needs it."""
    from safeguard.engine.columnar import ColumnarEngine

    return ColumnarEngine(ROOTS)


def to_case(case: dict[str, Any] | Case, as_of: date | str | None = None) -> Case:
    """Validate raw input (a dict of facts) into a Case; raises InputErrors naming each bad fact."""
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    if isinstance(case, Case):
        return Case(case.person_id, day or case.as_of, dict(case.facts), dict(case.approx))
    return parse_case(dict(case), as_of=day)


def evaluate(case: Case, trace: bool = True) -> Evaluation:
    """Every rule's value for one case, traced from the reported roots (for the explanation and the
    presumptions: `trace=False` when neither is reported); raises EngineError on a conflict."""
    engine = scalar_engine()
    ev = engine.evaluate(case.facts, case.as_of)
    if ev.errors:
        raise EngineError("; ".join(ev.errors))
    if trace:
        engine.trace(ev, EXPLAIN_ROOTS)
    return ev


def decide(case: Case, trace: bool = True) -> tuple[Evaluation, dict[str, Any] | None, list[IntervalSearch]]:
    """The case's rule values: with what every day of each approximate date agrees on, then an unknown
    status decided by cases where every case agrees; the by-cases note and the interval searches."""
    ev = evaluate(case, trace)
    values, searches = settle_intervals(scalar_engine(), ev, case) if case.approx else (ev.values, [])
    settled = Evaluation(ev.facts, ev.as_of, ev.readings, values, ev.presumptions, ev.errors, ev.trace)
    split = split_by_cases(case, ev, values)
    return (settled, None, searches) if split is None else (*split, searches)


class SplitStarts:
    """Deciding by cases for the trials of one case (relevance): each case of a split is evaluated from the
    case's own evaluation with the split value (once per value, kept), then with the trial's own answer,
    instead of from the trial with the split value. Rule values are functions of their inputs, so both give
    the same values when the case's evaluation is plain (every value that of its facts: not settled by
    cases or by approximate dates; checked once). Neither start then holds an error, so both report one
    exactly when a rule does in the end. Otherwise (not plain, or a split value that reports an error) the
    case is evaluated as before: the trial's answer in full from the case's own evaluation, then the split
    value. Either way every rule of a case gets its value (a relevance trial itself re-evaluates only what
    relevance reads: `ScalarEngine.changed_within`). A split value changes nearly every rule and an answer
    few: this re-runs few rules for each trial's cases."""

    def __init__(self, engine: ScalarEngine, ev: Evaluation):
        self.engine, self.ev = engine, ev
        self._plain: bool | None = None
        self._starts: dict[tuple[str, Any], Evaluation] = {}

    def plain(self) -> bool:
        if self._plain is None:
            again = self.engine.evaluate(self.ev.facts, self.ev.as_of, self.ev.readings)
            self._plain = not again.errors and not self.ev.errors and again.values.keys() == self.ev.values.keys() \
                and all(type(v) is type(w) and v == w for v, w in
                        ((again.values[k], self.ev.values[k]) for k in again.values))
        return self._plain

    def case_of(self, trial: Evaluation, fact: str, value: Any) -> Evaluation:
        """The case with `trial`'s facts (answers given to the case's own) and `fact` answered `value`."""
        base = self.ev.facts
        own = {k: trial.facts.get(k) for k in trial.facts.keys() | base.keys()
               if k != fact and trial.facts.get(k) != base.get(k)}
        if self.plain():
            start = self._starts.get((fact, value))
            if start is None:
                start = self._starts[(fact, value)] = self.engine.evaluate_changed(self.ev, {fact: value})
            if not start.errors:
                return self.engine.evaluate_changed(start, own)
        return self.engine.evaluate_changed(self.engine.evaluate_changed(self.ev, own), {fact: value})


def split_by_cases(case: Case, ev: Evaluation, values: dict[str, Any] | None = None,
                   starts: SplitStarts | None = None) -> tuple[Evaluation, dict[str, Any]] | None:
    """Decide an unknown status by cases (engine/cases.py): the evaluation with the results every value of
    the split fact agrees on, and a note saying so; None when no split decides it. `values`: the rule
    values already settled (by approximate dates), which the split adds to; the split itself starts from
    `ev`, and never splits an approximate date (its interval search is the finer one). `starts`: `ev` is a
    trial of a case, its cases evaluated from that case's own (`SplitStarts`)."""
    engine = scalar_engine()
    values = ev.values if values is None else values
    for fact in split_fact({**case.facts, **case.approx}, values["citizenship_status"] is not None):
        results, tried = [], 0
        trial = dict(case.facts)
        for value in split_order(fact, SPLIT_FACTS[fact], case.facts, case.as_of):
            trial[fact] = value
            if not possible(trial, case.as_of, fact):
                continue  # impossible with the other facts: not a case
            tried += 1
            changed = engine.evaluate_changed(ev, {fact: value}) if starts is None else \
                starts.case_of(ev, fact, value)
            status = changed.values["citizenship_status"]
            if changed.errors or status is None or (results and status != results[0]["citizenship_status"]):
                break
            results.append({r.id: changed.values[r.id] for r in ROOTS})
        else:
            if not results:
                continue
            merged = agree(results, [r.id for r in ROOTS])
            merged = keep_transfer(merge_values(merged, replace=not case.approx), values)
            basis = split_basis([r["citizenship_basis"] for r in results], fact, tried)
            if basis is not None or not case.approx:
                merged["citizenship_basis"] = basis
            out = Evaluation(ev.facts, ev.as_of, ev.readings, {**values, **merged}, ev.presumptions, ev.errors,
                             ev.trace)
            return out, {"fact": fact, "cases": tried, "status": merged["citizenship_status"]}
    return None


def questions(case: Case, ev: Evaluation, missing: list[str],
              searches: list[IntervalSearch] = ()) -> list[dict[str, Any]]:
    """The missing facts ranked; an approximate date whose exact day changes the answer comes first."""
    engine = scalar_engine()

    def try_answer(fact: str, value: Any) -> tuple[Any, ...] | None:
        values, errors = engine.answers_changed(ev, {fact: value}, OPEN_ROOTS)
        return None if errors else values

    raw: set[str] = set()

    def moves(fact: str, value: Any) -> int | None:
        """How many of the other facts to ask (as read, before relevance) the answer adds or removes."""
        if not raw:
            raw.update(missing_facts_scalar(ev, engine, OPEN_ROOTS))
        changed = engine.evaluate_changed(ev, {fact: value})
        if changed.errors:
            return None
        return len(set(missing_facts_scalar(changed, engine, OPEN_ROOTS)) ^ (raw - {fact}))

    intervals = {f: (a.low, a.high) for f, a in case.approx.items()}
    ranked = rank_questions(case.facts, case.as_of, missing, try_answer, places=QUESTION_PLACES, intervals=intervals,
                            moves=moves)
    first = {s.fact for s in searches if s.asks}
    return [q for q in ranked if q["fact"] in first] + [q for q in ranked if q["fact"] not in first]


def _missing(case: Case, ev: Evaluation, searches: list[IntervalSearch],
             unknowable: frozenset[str] = frozenset()) -> list[str]:
    """The facts to ask that can change something on their own (engine/relevance.py), tried from the case's
    settled rule values (what its approximate dates and any decision by cases give); an approximate date as
    its search says. `unknowable` facts are left out before that (see `ask`)."""
    engine = scalar_engine()
    missing = [f for f in missing_facts_scalar(ev, engine, OPEN_ROOTS) if f not in unknowable]
    if missing:
        starts = SplitStarts(engine, ev)

        def settle(out: Evaluation) -> Evaluation:
            split = split_by_cases(Case(case.person_id, case.as_of, out.facts, case.approx), out, starts=starts)
            return out if split is None else split[0]

        decisive = frozenset(s.fact for s in searches if s.asks) - unknowable
        missing = relevant_missing(ev, engine, OPEN_ROOTS, missing, frozenset(case.approx), settle, decisive)
    return [f for f in adjust_missing(missing, searches) if f not in unknowable] if searches else missing


def screen(case: dict[str, Any] | Case, *, as_of: date | str | None = None, explain: bool = False,
           rank: bool = True) -> dict[str, Any]:
    """Decide one case: the contract's result document (with `explanation` when asked). With
    rank=False the missing facts are listed in vocabulary order and no next question is chosen
    (ranking tries every answer of every missing fact, the slow part of one screen)."""
    c = to_case(case, as_of)
    ev, by_cases, searches = decide(c)
    missing = _missing(c, ev, searches)
    if rank:
        ranked = questions(c, ev, missing, searches) if missing else []
    else:
        specs = fact_specs()
        ranked = [{"fact": f, "text": specs[f].question} for f in missing]
    doc: dict[str, Any] = {
        "person_id": c.person_id,
        "as_of": c.as_of.isoformat(),
        "law_version": law_version(),
        "citizenship": citizenship_block(ev),
    }
    transfer = transfer_block(ev)
    if transfer is not None:
        doc["transfer"] = transfer
    doc["missing_facts"] = [q["fact"] for q in ranked]
    doc["next_question"] = {"fact": ranked[0]["fact"], "text": ranked[0]["text"]} if ranked and rank else None
    doc["presumptions"] = ev.presumptions
    if by_cases:
        doc["decided_by_cases"] = by_cases
    if searches:
        doc["approximate_dates"] = {s.fact: s.as_dict() for s in searches}
    if explain:
        doc["explanation"] = explanation_tree(ev, EXPLAIN_ROOTS) + [approximate_node(s) for s in searches]
    doc["disclaimer"] = DISCLAIMER
    return doc


def ask(case: dict[str, Any] | Case, *, as_of: date | str | None = None,
        unknowable: Iterable[str] = ()) -> dict[str, Any]:
    """The questions whose answers can still change the result, most decisive first. `unknowable`: facts the
    person has said cannot be found out ("I don't know"): the questions are those worth asking without them
    (another fact may then decide what one of them would have), and none of them is asked."""
    c = to_case(case, as_of)
    ev, _, searches = decide(c, trace=False)  # no explanation, no presumptions reported
    unknown = frozenset(unknowable)
    missing = _missing(c, ev, searches, unknown)
    ranked = questions(c, ev, missing, searches) if missing else []
    # Nothing left to ask is not decided while a fact said to be unknowable is still open.
    left_open = bool(unknown) and bool(unknown & set(missing_facts_scalar(ev, scalar_engine(), OPEN_ROOTS)))
    return {
        "person_id": c.person_id,
        "as_of": c.as_of.isoformat(),
        "status": citizenship_block(ev)["status"],
        "transfer_outcome": ev.values["transfer_outcome"],
        "decided": not missing and not left_open,
        "questions": ranked,
        **({"approximate_dates": {s.fact: s.as_dict() for s in searches}} if searches else {}),
        "disclaimer": DISCLAIMER,
    }


def screen_batch(data: Any | str | Path, *, as_of: date | str | None = None) -> pl.DataFrame:
    """Screen a manifest (a DataFrame, or a .csv/.parquet/.jsonl path): every row out, in order, with the
    contract's result columns added and `error` set on rows that could not be read."""
    from safeguard.batch.io import read_manifest
    from safeguard.batch.run import screen_frame

    day = date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or date.today())
    frame = read_manifest(Path(data)) if isinstance(data, (str, Path)) else data
    return screen_frame(frame, default_as_of=day)
