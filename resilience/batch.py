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
from resilience.safe_text import plain, quoted, spreadsheet_row
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
    raise FieldError(f"{spec.label}: {quoted(raw)} is not {spec.accepted()}")


# Cells already converted, per column: a file repeats the same few spellings ("good",
# "no", "0", "2016-04-01") thousands of times, and parse_value is pure (text in, an
# immutable value out), so each distinct cell is parsed once. Bounded, so a file of any
# length never grows it without limit; a cell that is refused is never cached (its
# message is made again, the same, for every row that has it). A missing cell (None:
# a short CSV row) is unknown, like an empty one.
CellCache = dict[str, dict[str | None, Any]]
CACHE_LIMIT = 4096
_MISSING = object()
_NOT_INPUTS = frozenset({"ods_code", "period", "based_on_version"})


def _column_cache(cache: CellCache, name: str) -> dict[str | None, Any]:
    seen = cache.get(name)
    if seen is None:
        seen = cache[name] = {None: None}
    return seen


def _head(
    row: int, code: Any, period: Any, raw_version: Any, default_period: str | None
) -> tuple[Any, Any, int | None, list[RowError]]:
    """The practice, the month and based_on_version of a row, with what is wrong."""
    errors: list[RowError] = []
    code = code.strip() if isinstance(code, str) else code
    if not code:
        errors.append(RowError(row, "ods_code", "the ODS code is empty"))
    period = period or default_period
    period = period.strip() if isinstance(period, str) else period
    if not period:
        errors.append(RowError(row, "period", "no period: add a period column or --period"))
    elif not isinstance(period, str) or not PERIOD_PATTERN.match(period):
        errors.append(RowError(row, "period", f"{quoted(period)} is not a month written YYYY-MM"))
    based_on: int | None = None
    if raw_version not in (None, ""):
        text = str(raw_version).strip()
        if isinstance(raw_version, bool) or not text.isdigit():
            errors.append(
                RowError(row, "based_on_version", f"{quoted(raw_version)} is not a version number")
            )
        else:
            based_on = int(text)
    return code, period, based_on, errors


def _validated(
    row: int, values: dict[str, Any], errors: list[RowError], based_on: int | None
) -> ParsedRow:
    """The engine's inputs from converted values; pydantic has the last word (lengths,
    the cross-field checks), its messages as row errors."""
    if errors:
        return ParsedRow(row, None, tuple(errors))
    try:
        # not narrowed to text here: pydantic refuses a non-text code or month as a row error
        inputs = PracticeInputs.model_validate(values)
    except ValidationError as exc:
        for e in exc.errors():
            column = ".".join(str(x) for x in e["loc"])
            errors.append(RowError(row, column, str(e["msg"]).removeprefix("Value error, ")))
        return ParsedRow(row, None, tuple(errors))
    return ParsedRow(row, inputs, (), based_on)


def parse_record(
    row: int,
    record: dict[str, Any],
    default_period: str | None,
    cache: CellCache | None = None,
) -> ParsedRow:
    """One row given as a dict (a JSON line, or a test's): each value a CSV string or a
    JSON value. Errors come in the record's column order."""
    code, period, based_on, errors = _head(
        row,
        record.get("ods_code"),
        record.get("period"),
        record.get("based_on_version"),
        default_period,
    )
    values: dict[str, Any] = {"ods_code": code, "period": period}
    cache = {} if cache is None else cache
    for name, raw in record.items():
        if name in _NOT_INPUTS:
            continue
        if raw.__class__ is str:
            seen = _column_cache(cache, name)
            value = seen.get(raw, _MISSING)
            if value is _MISSING:
                try:
                    value = parse_value(name, raw)
                except FieldError as exc:
                    errors.append(RowError(row, name, str(exc)))
                    continue
                if len(seen) < CACHE_LIMIT:
                    seen[raw] = value
            values[name] = value
            continue
        try:
            values[name] = _convert(name, raw)
        except FieldError as exc:
            errors.append(RowError(row, name, str(exc)))
    return _validated(row, values, errors, based_on)


class _CsvColumns:
    """A CSV file's columns, looked up once for all its rows: where the practice, the
    month and based_on_version are, and the input columns with their cell caches."""

    def __init__(self, names: list[str]) -> None:
        self.width = len(names)
        where = {name: i for i, name in enumerate(names)}
        self.code_at = where.get("ods_code")
        self.period_at = where.get("period")
        self.version_at = where.get("based_on_version")
        self.inputs = [i for i, name in enumerate(names) if name not in _NOT_INPUTS]
        self.names = [names[i] for i in self.inputs]
        cache: CellCache = {}
        self.caches = [_column_cache(cache, name) for name in self.names]

    def parse(self, row: int, cells: list[str | None], default_period: str | None) -> ParsedRow:
        """One row with exactly ``width`` cells (a short row padded with None)."""
        code, period, based_on, errors = _head(
            row,
            None if self.code_at is None else cells[self.code_at],
            None if self.period_at is None else cells[self.period_at],
            None if self.version_at is None else cells[self.version_at],
            default_period,
        )
        raws = [cells[i] for i in self.inputs]
        got = [seen.get(raw, _MISSING) for seen, raw in zip(self.caches, raws, strict=True)]
        if _MISSING in got:  # parsed here for the first time, or refused
            for i, value in enumerate(got):
                if value is not _MISSING:
                    continue
                name, raw, seen = self.names[i], raws[i], self.caches[i]
                try:
                    got[i] = parse_value(name, raw or "")
                except FieldError as exc:
                    errors.append(RowError(row, name, str(exc)))
                    continue
                if len(seen) < CACHE_LIMIT:
                    seen[raw] = got[i]
        values = dict(zip(self.names, got, strict=True))
        values["ods_code"], values["period"] = code, period
        return _validated(row, values, errors, based_on)


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
    """The data rows as DictReader would give them (blank lines skipped and not counted,
    a short row's missing cells unknown), read with the plain reader underneath."""
    columns = _CsvColumns([str(name).strip() for name in reader.fieldnames or []])
    width = columns.width
    with handle:
        seen: dict[tuple[str, str], int] = {}
        number = 0
        for cells in reader.reader:
            if not cells:  # a blank line: DictReader skips it without counting it
                continue
            number += 1
            if len(cells) > width:  # more cells than header columns
                yield ParsedRow(number, None, (RowError(number, "", "more cells than columns"),))
                continue
            row: list[str | None] = cells  # type: ignore[assignment]
            if len(cells) < width:  # the rest of a short row is unknown
                row = [*cells, *([None] * (width - len(cells)))]
            yield _check_repeat(columns.parse(number, row, default_period), seen)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number that can be scored")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large to be a number that can be scored")
    return value


def _jsonl_rows(handle: IO[str], source: str, default_period: str | None) -> Iterator[ParsedRow]:
    cache: CellCache = {}
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
            # names as check_columns read them (" list_size" is list_size, as in a CSV
            # header; two that differ only by spaces were refused just above)
            record = {name.strip(): value for name, value in record.items()}
            yield _check_repeat(parse_record(number, record, default_period, cache), seen)


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
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(OUTPUT_COLUMNS)
        for result in results:
            row = result_row(result)  # every method has the same areas: the same keys
            writer.writerow(spreadsheet_row([row[k] for k in OUTPUT_COLUMNS]))
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
