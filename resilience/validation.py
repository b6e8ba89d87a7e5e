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
from resilience.importers import is_xlsx
from resilience.safe_text import clean, quoted
from scoring.validation import Auc, auc


class OutcomesError(ValueError):
    """The outcomes file cannot be used; the message says where and what is accepted."""


@dataclass(frozen=True, slots=True)
class Outcomes:
    """An outcomes file as read: the outcome column and each practice's 0 or 1."""

    column: str
    values: dict[str, int]  # ODS code -> 0/1
    rows: int  # data rows in the file
    duplicates: int  # rows repeating an earlier row's code and outcome (counted once)


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
    public_only: int  # matched practices scored on public data alone (saved or not)
    scripted: int = 0  # ... of which scored by a script and saved this month
    live: int = 0  # ... of which scored now, on public data, nothing saved
    duplicates: int = 0  # outcome rows repeating an earlier row (counted once)
    file_rows: int = 0  # data rows in the outcomes file

    @property
    def carried(self) -> int:
        """Matched practices whose result was carried forward from an earlier month."""
        return self.score.matched - self.reviewed - self.scripted - self.live


ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 .xls
# what a column named for the outcome tends to be called
OUTCOME_WORDS = ("closed", "merged", "outcome", "closure")


def read_outcomes(path: Path, column: str | None = None) -> Outcomes:
    """The outcome column and ODS code -> 0/1. Column names are matched without regard to
    case or surrounding spaces. The column is detected when it is the only one, besides
    ``ods_code``, whose every value is 0 or 1; when none is, the column that is mostly 0/1
    (or named like an outcome) is taken and its first other value reported."""
    text = _text(path)
    lines = text.splitlines()
    header = lines[0] if lines else ""
    reader = csv.DictReader(lines)
    raw_names = list(reader.fieldnames or [])
    # lower-cased, stripped name -> the name as written in the file
    names: dict[str, str] = {}
    for raw in raw_names:
        names.setdefault((raw or "").strip().lower(), raw)
    shown = ", ".join(quoted(n.strip()) for n in raw_names)
    if "ods_code" not in names:
        raise OutcomesError(f"{path}: no 'ods_code' column; {_columns_hint(header, shown)}")
    rows = [
        {(k or "").strip().lower(): (v or "").strip() for k, v in r.items() if k is not None}
        for r in reader
    ]
    if not rows:
        raise OutcomesError(f"{path}: no rows below the header ({shown})")
    if column is None:
        column = _detect(path, names, rows)
    elif column.strip().lower() not in names:
        raise OutcomesError(f"{path}: no column {quoted(column)}; the columns are {shown}")
    key = column.strip().lower()
    label = clean(names[key].strip(), one_line=True)
    outcomes: dict[str, int] = {}
    duplicates = 0
    for number, row in enumerate(rows, start=2):
        code, value = row.get("ods_code", "").upper(), row.get(key, "")
        if not code:
            raise OutcomesError(f"{path} line {number}: ods_code is empty")
        if value not in ("0", "1"):
            what = (
                "empty; every row needs 0 or 1" if value == "" else f"{quoted(value)} is not 0 or 1"
            )
            raise OutcomesError(f"{path} line {number}, column {label}: {what}")
        if code in outcomes:
            if outcomes[code] != int(value):
                raise OutcomesError(
                    f"{path} line {number}: {quoted(code)} appears twice with both outcomes"
                )
            duplicates += 1
        outcomes[code] = int(value)
    return Outcomes(label, outcomes, len(rows), duplicates)


def _text(path: Path) -> str:
    """The file's text, or an error saying what the file is instead of CSV text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OutcomesError(f"{path}: cannot read the file: {exc.strerror}") from None
    if not data.strip():
        raise OutcomesError(
            f"{path}: the file is empty; expected a CSV with ods_code and a 0/1 column"
        )
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        what = (
            "an Excel workbook (.xlsx: it starts with the zip signature workbooks have)"
            if is_xlsx(data)
            else "an Excel 97-2003 workbook (.xls)"
            if data.startswith(OLE2_MAGIC)
            else "a zip archive, not text"
        )
        raise OutcomesError(
            f"{path}: this is {what}, whatever its name says; open it in the spreadsheet "
            "and save it as CSV (comma separated, UTF-8)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise OutcomesError(
            f"{path}: the file is UTF-16 (as Excel saves 'Unicode text'); save it as "
            "CSV UTF-8 (comma separated)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise OutcomesError(
            f"{path}: not UTF-8 text (line {line:,}: byte 0x{data[exc.start]:02x}); "
            "save the CSV as UTF-8"
        ) from None


def _columns_hint(header: str, shown: str) -> str:
    """What the header says: its columns, or that they are separated by something other
    than commas (a spreadsheet set to a European locale saves ';')."""
    for separator, word in ((";", "';'"), ("\t", "a tab"), ("|", "'|'")):
        if "," not in header and separator in header:
            return (
                f"the columns look separated by {word}; commas are expected (save it as "
                "CSV, comma separated)"
            )
    return f"the columns are {shown}" if shown else "the first line is empty"


def _detect(path: Path, names: dict[str, str], rows: list[dict[str, str]]) -> str:
    """The outcome column when none is named (see ``read_outcomes``)."""
    others = [n for n in names if n != "ods_code" and n]
    binary = [n for n in others if all(r.get(n) in ("0", "1") for r in rows)]
    if len(binary) == 1:
        return binary[0]
    if len(binary) > 1:
        found = ", ".join(quoted(names[n].strip()) for n in binary)
        raise OutcomesError(
            f"{path}: cannot tell which column is the outcome: {found} all hold 0 or 1; "
            "name it with --column"
        )
    # none is wholly 0/1: a stray '2', 'yes' or blank, most likely. Take the column that
    # is mostly 0/1, or else the one named like an outcome, and report its first other value.
    share = {n: sum(r.get(n) in ("0", "1") for r in rows) / len(rows) for n in others}
    mostly = [n for n in others if share[n] >= 0.5]
    named = [n for n in others if any(word in n for word in OUTCOME_WORDS)]
    if len(mostly) == 1:
        return mostly[0]
    if len(named) == 1 and not mostly:
        return named[0]
    found = ", ".join(quoted(names[n].strip()) for n in others) or "none besides ods_code"
    raise OutcomesError(
        f"{path}: cannot tell which column is the outcome (0/1 in every row: none; the "
        f"columns: {found}); name it with --column"
    )


def validate(period: str, rows: list[AgendaRow], outcomes: Outcomes) -> Validation:
    """The AUC of the month's scores (and of list size alone) against the outcomes."""
    values = outcomes.values
    by_code = {r.ods_code: r for r in rows}
    matched = [by_code[c] for c in values if c in by_code and by_code[c].score is not None]
    not_in_db = sum(1 for c in values if c not in by_code)
    without = sum(1 for c in values if c in by_code and by_code[c].score is None)
    y = [values[r.ods_code] for r in matched]
    try:
        score_auc = auc([r.score or 0.0 for r in matched], y)
    except ValueError as exc:
        raise OutcomesError(
            f"{len(matched)} practice(s) of the outcomes file have a {period} score: {exc}"
        ) from None
    sized = [r for r in matched if r.list_size is not None]
    try:
        size_auc: Auc | None = auc(
            [-(r.list_size or 0) for r in sized], [values[r.ods_code] for r in sized]
        )
    except ValueError:
        size_auc = None
    return Validation(
        period=period,
        column=outcomes.column,
        outcome_rows=len(values),
        score=score_auc,
        list_size=size_auc,
        list_size_matched=len(sized),
        not_in_database=not_in_db,
        without_score=without,
        reviewed=sum(1 for r in matched if r.reviewed),
        public_only=sum(1 for r in matched if r.public_data_only),
        # a version a script saved this month: public data, stored, nobody reviewed it
        scripted=sum(1 for r in matched if r.public_data_only and not r.live and r.version),
        live=sum(1 for r in matched if r.live),
        duplicates=outcomes.duplicates,
        file_rows=outcomes.rows,
    )


def describe(v: Validation, method_version: str) -> list[str]:
    """The report, as lines of plain text: what was measured, then the figures."""
    repeated = (
        f" ({v.file_rows:,} rows: {v.duplicates:,} duplicate row"
        f"{'s' if v.duplicates != 1 else ''} counted once)"
        if v.duplicates
        else ""
    )
    lines = [
        f"Scores for {v.period} against {v.column} (1 = yes)",
        f"matched: {v.score.matched:,} practices ({v.score.positives:,} with outcome 1) of "
        f"{v.outcome_rows:,} practices in the outcomes file{repeated}; "
        f"{v.not_in_database:,} not in the database, {v.without_score:,} without a score",
    ]
    parts = [
        (v.reviewed, "reviewed this month"),
        (v.scripted, "scored by script this month (public data, saved, not reviewed)"),
        (v.live, "scored on public data alone (not saved)"),
        (v.carried, "carried forward from an earlier month"),
    ]
    shown = [f"{n:,} {words}" for n, words in parts if n]
    if len(shown) == 1 and v.score.matched > 1:
        lines.append(f"  all {shown[0]}")
    elif shown:
        lines.append("  of which " + ", ".join(shown))
    if v.live:
        lines.append(
            f"  (scored now for this report, as the agenda ranks them; `resilience score "
            f"--from-db --save --period {v.period}` stores them)"
        )
    lines.append(f"score (method {method_version}): AUC {v.score.text()}")
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
