"""``resilience validate``: the month's scores against real outcomes (AUC)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail
from resilience.errors import DatabaseError
from resilience.safe_text import clean


def validate(
    outcomes: Annotated[
        Path, typer.Argument(help="CSV: ods_code plus a 0/1 outcome column.", show_default=False)
    ],
    period: Annotated[str, typer.Option("--period", help="The review month, YYYY-MM.")],
    column: Annotated[
        str | None,
        typer.Option(
            "--column",
            help="The outcome column (default: the only 0/1 column; names in any case).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """How well the month's scores rank practices by a real outcome (closed or merged
    later): the AUC with its 95% interval, beside list size alone.

    Exit codes: 0 reported; 2 file, period or database errors."""
    from collections import Counter

    from resilience.method_words import method_note, scored_with
    from resilience.store import Store, StoreError
    from resilience.validation import OutcomesError, describe, read_outcomes
    from resilience.validation import validate as run
    from scoring.inputs import PERIOD_PATTERN

    if not PERIOD_PATTERN.match(period):
        raise fail(f"--period {clean(period, one_line=True)} is not a month (YYYY-MM, month 01-12)")
    try:
        read = read_outcomes(outcomes, column)
        store = Store.open(db)
        try:
            months = [p.period for p in store.periods()]
            if period not in months:
                raise StoreError(
                    f"no review month {period} in this database; the months are "
                    + (", ".join(months) if months else "none yet (open one first)")
                )
            result = run(period, store.agenda_rows(period), read)
            current = store.method.version
            # the method that made the scores measured: a month's saved results keep
            # theirs until it is rescored; the live public-data scores use the current one
            made = Counter(store.result_methods(period))
            if result.live:
                made[current] += result.live
        finally:
            store.close()
    except (OutcomesError, StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    for line in describe(result, scored_with(made, current)):
        typer.echo(line)
    note = method_note(made, current)
    if note:
        typer.echo(note[0].upper() + note[1:] + ".")
