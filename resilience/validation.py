"""Validation as a use case: do this month's scores rank practices that later closed or
merged above those that did not? (``resilience validate``)

Reads an outcomes CSV (``ods_code`` plus a 0/1 column), matches it to the month's
agenda (each practice's stored result for the month, the result carried forward, or
its public-data score when nobody has reviewed it) and reports the AUC of the score
with its 95% interval beside the AUC of list size alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from resilience.domain import AgendaRow
from scoring.validation import Auc, auc


class OutcomesError(ValueError):
    """The outcomes file cannot be used; the message says where and what is accepted."""


@dataclass(frozen=True, slots=True)
class Validation:
    period: str
    column: str
    outcome_rows: int
    score: Auc
    list_size: Auc | None  # None when too few matched practices have a list size
    list_size_matched: int
    not_in_database: int
    without_score: int
    reviewed: int  # matched practices scored from a saved review this month
    public_only: int  # matched practices scored on public data alone


def read_outcomes(path: Path, column: str | None = None) -> tuple[str, dict[str, int]]:
    """(the outcome column, ODS code -> 0/1). The column is detected when it is the only
    one, besides ``ods_code``, whose every value is 0 or 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise OutcomesError(f"{path}: cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise OutcomesError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    names = [n.strip() for n in reader.fieldnames or []]
    if "ods_code" not in names:
        raise OutcomesError(f"{path}: no 'ods_code' column; the columns are {', '.join(names)}")
    rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    if not rows:
        raise OutcomesError(f"{path}: no rows below the header")
    if column is None:
        binary = [n for n in names if n != "ods_code" and all(r.get(n) in ("0", "1") for r in rows)]
        if len(binary) != 1:
            found = ", ".join(binary) if binary else "none"
            raise OutcomesError(
                f"{path}: cannot tell which column is the outcome (0/1 columns: {found}); "
                "name it with --column"
            )
        column = binary[0]
    elif column not in names:
        raise OutcomesError(f"{path}: no column {column!r}; the columns are {', '.join(names)}")
    outcomes: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        code, value = row.get("ods_code", "").upper(), row.get(column, "")
        if not code:
            raise OutcomesError(f"{path} line {number}: ods_code is empty")
        if value not in ("0", "1"):
            raise OutcomesError(f"{path} line {number}, column {column}: {value!r} is not 0 or 1")
        if code in outcomes and outcomes[code] != int(value):
            raise OutcomesError(f"{path} line {number}: {code} appears twice with both outcomes")
        outcomes[code] = int(value)
    return column, outcomes


def validate(
    period: str, rows: list[AgendaRow], column: str, outcomes: dict[str, int]
) -> Validation:
    """The AUC of the month's scores (and of list size alone) against the outcomes."""
    by_code = {r.ods_code: r for r in rows}
    matched = [by_code[c] for c in outcomes if c in by_code and by_code[c].score is not None]
    not_in_db = sum(1 for c in outcomes if c not in by_code)
    without = sum(1 for c in outcomes if c in by_code and by_code[c].score is None)
    y = [outcomes[r.ods_code] for r in matched]
    try:
        score_auc = auc([r.score or 0.0 for r in matched], y)
    except ValueError as exc:
        raise OutcomesError(
            f"{len(matched)} practice(s) of the outcomes file have a {period} score: {exc}"
        ) from None
    sized = [r for r in matched if r.list_size is not None]
    try:
        size_auc: Auc | None = auc(
            [-(r.list_size or 0) for r in sized], [outcomes[r.ods_code] for r in sized]
        )
    except ValueError:
        size_auc = None
    return Validation(
        period=period,
        column=column,
        outcome_rows=len(outcomes),
        score=score_auc,
        list_size=size_auc,
        list_size_matched=len(sized),
        not_in_database=not_in_db,
        without_score=without,
        reviewed=sum(1 for r in matched if r.reviewed),
        public_only=sum(1 for r in matched if r.public_data_only),
    )


def describe(v: Validation, method_version: str) -> list[str]:
    """The report, as lines of plain text."""
    lines = [
        f"Scores for {v.period} against {v.column} (1 = yes)",
        f"matched: {v.score.matched:,} practices ({v.score.positives:,} with outcome 1) of "
        f"{v.outcome_rows:,} outcome rows; {v.not_in_database:,} not in the database, "
        f"{v.without_score:,} without a score",
        f"  of which {v.reviewed:,} reviewed this month, {v.public_only:,} scored on public "
        "data alone, the rest carried forward",
        f"score (method {method_version}): AUC {v.score.text()}",
    ]
    if v.list_size is None:
        lines.append("list size alone: not enough matched practices with a list size")
    else:
        lines.append(
            f"list size alone (smaller = higher risk): AUC {v.list_size.text()} "
            f"on {v.list_size_matched:,} practices"
        )
    lines.append("AUC: 0.5 ranks no better than chance, 1.0 ranks every positive first.")
    negatives = v.score.matched - v.score.positives
    if min(v.score.positives, negatives) < MIN_EACH:
        lines.append(
            f"Too few to judge: {v.score.positives:,} with outcome 1 and {negatives:,} with 0 "
            f"matched; with fewer than {MIN_EACH} of either, the AUC says little (see its "
            "interval). Check the outcomes file and the month."
        )
    return lines


# below this many positives (or negatives) an AUC is noise, whatever its interval says
MIN_EACH = 10
