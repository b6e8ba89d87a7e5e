"""Batch scoring for scripts: practice inputs in (CSV or JSON Lines), results out.

No Textual here: `resilience score` must start fast in cron jobs and pipes. Rows are
read and checked one at a time; a bad row is reported with its row number, column and
what is accepted, and the good rows are still scored.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from resilience.fields import INPUT_SPECS, FieldError, parse_value
from resilience.safe_text import plain, spreadsheet_cell
from scoring import INPUT_FIELDS, Methodology, PracticeInputs, ScoreResult, score
from scoring.inputs import CONTEXT_FIELDS, PERIOD_PATTERN

# based_on_version (optional, used with --save): the version this row's findings were
# read from; if someone has saved a newer one since, nothing is saved (exit 1).
ACCEPTED_COLUMNS: tuple[str, ...] = (
    "ods_code",
    "period",
    *INPUT_FIELDS,
    *CONTEXT_FIELDS,
    "based_on_version",
)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "ods_code",
    "period",
    "score",
    "band",
    "quality_band",
    "contract_band",
    "workforce_band",
    "soft_intelligence_band",
    "sustainability_band",
    "trend",
    "triggers",
    "data_completeness",
    "score_if_unknown_worst",
    "band_if_unknown_worst",
    "unknown_inputs",
    "to_confirm",
    "summary",
    "methodology_version",
)


class BatchFileError(ValueError):
    """The input as a whole cannot be read (exit code 2): the message says why."""


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # 1-based data row (CSV: the header is row 0; JSONL: the line number)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedRow:
    row: int
    inputs: PracticeInputs | None
    errors: tuple[RowError, ...]
    based_on_version: int | None = None


def detect_format(path: str, explicit: str | None) -> str:
    if explicit:
        return explicit
    lowered = path.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


# More columns than this in a header is not a file of practice inputs (each accepted
# column once is far fewer): refused at once, whatever the columns are called.
MAX_COLUMNS = 4 * len(ACCEPTED_COLUMNS)
_CHUNK = 1 << 20


def _not_utf8(source: str, offset: int) -> BatchFileError:
    return BatchFileError(f"{source}: not UTF-8 text (byte {offset}); save the file as UTF-8 CSV")


def open_text(path: str) -> IO[str]:
    """The file (or stdin for '-') as text; UTF-8 with or without a byte-order mark.

    A file is checked in one pass of fixed-size chunks and then read as a stream, so
    a file of any length is never held in memory whole (standard input, which cannot
    be read twice, is)."""
    if path == "-":
        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_utf8("standard input", exc.start) from None
        if not text.strip():
            raise BatchFileError("standard input: the file is empty; expected a header row")
        return io.StringIO(text)
    try:
        with Path(path).open("rb") as raw:
            decoder = codecs.getincrementaldecoder("utf-8-sig")()
            offset, blank = 0, True
            while chunk := raw.read(_CHUNK):
                try:
                    blank = not decoder.decode(chunk).strip() and blank
                except UnicodeDecodeError as exc:
                    raise _not_utf8(path, offset + exc.start) from None
                offset += len(chunk)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise _not_utf8(path, offset + exc.start) from None
        if blank:
            raise BatchFileError(f"{path}: the file is empty; expected a header row")
        return Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BatchFileError(f"{path}: cannot read it: {exc.strerror}") from None


def check_columns(columns: Iterable[str], source: str) -> None:
    """Refuse a header with unknown, repeated or too many columns (in linear time: a
    header of 200,000 columns is refused as fast as it is read)."""
    names = [str(c).strip() for c in columns]
    if len(names) > MAX_COLUMNS:
        raise BatchFileError(
            f"{source}: {len(names):,} columns; a file of practice inputs has at most "
            f"{len(ACCEPTED_COLUMNS)} (each accepted column once)"
        )
    accepted = set(ACCEPTED_COLUMNS)
    unknown = list(dict.fromkeys(c for c in names if c not in accepted))
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise BatchFileError(
            f"{source}: unknown column(s) {shown}{more}. "
            f"Accepted columns: {', '.join(ACCEPTED_COLUMNS)}"
        )
    if "ods_code" not in names:
        raise BatchFileError(f"{source}: the column ods_code is required")
    repeated = sorted(c for c, n in Counter(names).items() if n > 1)
    if repeated:
        raise BatchFileError(f"{source}: column(s) {', '.join(repeated)} appear twice")


def _convert(name: str, raw: Any) -> Any:
    """A CSV string or a JSON value -> the field's value (None: unknown)."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return parse_value(name, raw)
    spec = INPUT_SPECS[name]
    if spec.kind == "bool" and isinstance(raw, bool):
        return raw
    if (
        spec.kind in ("int", "float", "pct")
        and isinstance(raw, int | float)
        and not isinstance(raw, bool)
    ):
        return parse_value(name, str(raw))
    raise FieldError(f"{spec.label}: {raw!r} is not {spec.accepted()}")


def parse_record(row: int, record: dict[str, Any], default_period: str | None) -> ParsedRow:
    errors: list[RowError] = []
    code = record.get("ods_code")
    code = code.strip() if isinstance(code, str) else code
    if not code:
        errors.append(RowError(row, "ods_code", "the ODS code is empty"))
    period = record.get("period") or default_period
    period = period.strip() if isinstance(period, str) else period
    if not period:
        errors.append(RowError(row, "period", "no period: add a period column or --period"))
    elif not isinstance(period, str) or not PERIOD_PATTERN.match(period):
        errors.append(RowError(row, "period", f"{period!r} is not a month written YYYY-MM"))
    values: dict[str, Any] = {}
    based_on: int | None = None
    raw_version = record.get("based_on_version")
    if raw_version not in (None, ""):
        text = str(raw_version).strip()
        if isinstance(raw_version, bool) or not text.isdigit():
            errors.append(
                RowError(row, "based_on_version", f"{raw_version!r} is not a version number")
            )
        else:
            based_on = int(text)
    for name, raw in record.items():
        if name in ("ods_code", "period", "based_on_version"):
            continue
        try:
            values[name] = _convert(name, raw)
        except FieldError as exc:
            errors.append(RowError(row, name, str(exc)))
    if errors:
        return ParsedRow(row, None, tuple(errors))
    try:
        # not narrowed to text here: pydantic refuses a non-text code or month as a row error
        inputs = PracticeInputs(ods_code=code, period=period, **values)  # type: ignore[arg-type]
    except ValidationError as exc:
        for e in exc.errors():
            column = ".".join(str(x) for x in e["loc"])
            errors.append(RowError(row, column, str(e["msg"]).removeprefix("Value error, ")))
        return ParsedRow(row, None, tuple(errors))
    return ParsedRow(row, inputs, (), based_on)


def read_rows(path: str, fmt: str, default_period: str | None) -> Iterator[ParsedRow]:
    """The rows, parsed one at a time as they are read (a file of any length streams).

    Raises BatchFileError here, before any row is read, when the file as a whole is
    unusable (unreadable, not UTF-8, empty, unknown or repeated columns)."""
    source = "standard input" if path == "-" else path
    handle = open_text(path)
    try:
        if fmt == "csv":
            reader = csv.DictReader(handle)
            check_columns(reader.fieldnames or [], source)
            return _csv_rows(reader, handle, default_period)
    except BaseException:
        handle.close()
        raise
    return _jsonl_rows(handle, source, default_period)


def _csv_rows(
    reader: csv.DictReader[str], handle: IO[str], default_period: str | None
) -> Iterator[ParsedRow]:
    with handle:
        seen: dict[tuple[str, str], int] = {}
        for number, record in enumerate(reader, start=1):
            if None in record:  # more cells than header columns
                yield ParsedRow(number, None, (RowError(number, "", "more cells than columns"),))
                continue
            parsed = parse_record(number, {k.strip(): v for k, v in record.items()}, default_period)
            yield _check_repeat(parsed, seen)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number that can be scored")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large to be a number that can be scored")
    return value


def _jsonl_rows(handle: IO[str], source: str, default_period: str | None) -> Iterator[ParsedRow]:
    with handle:
        seen: dict[tuple[str, str], int] = {}
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(
                    line, parse_constant=_reject_constant, parse_float=_finite_float
                )
            except json.JSONDecodeError as exc:
                yield ParsedRow(number, None, (RowError(number, "", f"not JSON: {exc.msg}"),))
                continue
            except ValueError as exc:  # Infinity, NaN, 1e400
                yield ParsedRow(number, None, (RowError(number, "", str(exc)),))
                continue
            except RecursionError:
                yield ParsedRow(
                    number, None, (RowError(number, "", "nested too deeply to be a row"),)
                )
                continue
            if not isinstance(record, dict):
                yield ParsedRow(
                    number, None, (RowError(number, "", "each line must be an object"),)
                )
                continue
            try:
                check_columns(record, f"{source} line {number}")
            except BatchFileError as exc:
                yield ParsedRow(number, None, (RowError(number, "", str(exc)),))
                continue
            yield _check_repeat(parse_record(number, record, default_period), seen)


def _check_repeat(parsed: ParsedRow, seen: dict[tuple[str, str], int]) -> ParsedRow:
    if parsed.inputs is None:
        return parsed
    key = (parsed.inputs.ods_code, parsed.inputs.period)
    if key in seen:
        return ParsedRow(
            parsed.row,
            None,
            (
                RowError(
                    parsed.row, "ods_code", f"{key[0]} {key[1]} already given in row {seen[key]}"
                ),
            ),
        )
    seen[key] = parsed.row
    return parsed


def result_row(result: ScoreResult) -> dict[str, Any]:
    bands = result.area_bands
    return {
        "ods_code": result.ods_code,
        "period": result.period,
        "score": result.score,
        "band": result.band,
        **{f"{area}_band": band for area, band in bands.items()},
        "trend": result.trend,
        "triggers": ";".join(result.triggers),
        "data_completeness": result.data_completeness,
        "score_if_unknown_worst": result.score_if_unknown_worst,
        "band_if_unknown_worst": result.band_if_unknown_worst,
        "unknown_inputs": ";".join(result.unknown_inputs),
        "to_confirm": ";".join(result.to_confirm),
        "summary": result.summary,
        "methodology_version": result.methodology_version,
    }


def write_results(results: Iterable[ScoreResult], out: IO[str], fmt: str) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for result in results:
            writer.writerow({k: spreadsheet_cell(v) for k, v in result_row(result).items()})
            count += 1
    elif fmt == "jsonl":
        for result in results:
            out.write(json.dumps(result_row(result)) + "\n")
            count += 1
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for column in ("ods_code", "period", "score", "band", "trend", "summary"):
            table.add_column(column, justify="right" if column == "score" else "left")
        for result in results:
            table.add_row(
                plain(result.ods_code, one_line=True),
                plain(result.period),
                f"{result.score:.1f}",
                plain(result.band),
                plain(result.trend),
                plain(result.summary, one_line=True),
            )
            count += 1
        Console(file=out).print(table)
    return count


def score_rows(
    rows: Iterable[ParsedRow], method: Methodology, errors: list[RowError]
) -> Iterator[ScoreResult]:
    """Score the good rows; collect the bad rows' errors in ``errors``."""
    for parsed in rows:
        if parsed.inputs is None:
            errors.extend(parsed.errors)
            continue
        yield score(parsed.inputs, method)
