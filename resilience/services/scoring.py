"""Scoring a file of practice-months, or rescoring a month from the database.

Scoring a file without saving needs no database (and imports none of its stack): rows
are read, scored and handed on one at a time. Saving, and anything read from the
database, opens the store.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from resilience.batch import ParsedRow, RowError, score_rows
from resilience.domain import NewAssessment
from resilience.findings import findings_of
from scoring import Methodology, ScoreResult


@dataclass(frozen=True, slots=True)
class Scored:
    """What a scoring run produced: the results (a stream when nothing is saved), how
    many versions were saved (None: nothing saved) and whether the month was opened."""

    results: Iterable[ScoreResult]
    saved: int | None = None
    opened_period: bool = False
    unchanged: int = 0  # practices a rescoring left as they were (nothing new to save)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a month is rescored: it builds a few
    hundred thousand objects that live until the save ends, and the collector would walk
    them again and again for nothing (measured: a quarter of a national rescoring's CPU).
    Switched back on, if it was on, when the block ends, even on an error; what is alive
    then (the results handed back) is moved out of its sight first (``gc.freeze``), or
    its next pass would walk all of it once more (0.1 s), and again at exit. Objects are
    still freed as usual when nothing refers to them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def score_file(
    rows: Iterable[ParsedRow],
    method: Methodology,
    errors: list[RowError],
    *,
    save: bool = False,
    db: str | None = None,
    period: str | None = None,
    user: str | None = None,
    source: str = "-",
) -> Scored:
    """Score parsed rows; with ``save``, store each as a new version for ``period`` (in
    one transaction, opening the month if it is not open yet). Rows that cannot be
    scored or saved are added to ``errors`` and left out; the rest still count."""
    if not save:
        return Scored(score_rows(rows, method, errors))
    from resilience.store import Store

    store = Store.open(db, method=method, user=user)
    try:
        known = set(store.register_snapshot()[0])  # the register, not every row held
        batch = []
        for parsed in rows:
            if parsed.inputs is None:
                errors.extend(parsed.errors)
                continue
            inputs = parsed.inputs
            if inputs.ods_code not in known:
                errors.append(
                    RowError(
                        parsed.row, "ods_code", f"no practice {inputs.ods_code} in the register"
                    )
                )
                continue
            if inputs.period != period:
                errors.append(
                    RowError(
                        parsed.row, "period", f"{inputs.period} differs from --period {period}"
                    )
                )
                continue
            batch.append(
                NewAssessment(
                    inputs.ods_code,
                    period,
                    findings_of(inputs),
                    reason=f"resilience score {source}",
                    based_on_version=parsed.based_on_version,
                    scripted=True,
                )
            )
        opening = bool(batch) and not any(p.period == period for p in store.periods())
        # the month is opened in the save's own transaction: only when something is saved
        saved = store.save_assessments(batch, open_missing=True)
        return Scored([version.result for version in saved], None, opening)
    finally:
        store.close()


def rescore_month(
    period: str,
    method: Methodology,
    *,
    save: bool = False,
    db: str | None = None,
    user: str | None = None,
) -> Scored:
    """Score every practice of ``period`` from what the database holds (its review, or
    its starting point carried forward); with ``save``, store each as a new version.

    Saving is one pass (``Store.rescore_period``): the month and the history its trend
    needs are read inside the save's own transaction, so nothing is read twice and a
    review saved meanwhile waits for the rescoring instead of being overwritten."""
    from resilience.store import Store
    from scoring import score

    store = Store.open(db, method=method, user=user)
    try:
        if save:
            unchanged: list[ScoreResult] = []
            with collector_paused():
                saved = store.rescore_period(
                    period, reason=f"rescored with method {method.version}", unchanged=unchanged
                )
            # every practice is printed; only those whose result changed got a version
            results = sorted([v.result for v in saved] + unchanged, key=lambda r: r.ods_code)
            return Scored(results, len(saved), unchanged=len(unchanged))
        stored = store.period_inputs(period)
        return Scored([score(inputs, method, history) for inputs, history in stored])
    finally:
        store.close()
