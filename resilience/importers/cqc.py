"""CQC ratings, in the two forms CQC publishes them.

- **Latest ratings** (long): one row per location x population group x domain. The
  practice's overall rating is the row with population group 'Overall' and domain
  'Overall'; the five key questions are the 'Overall' population group rows for Safe,
  Effective, Caring, Responsive and Well-led.
- **Care directory with ratings / active locations** (wide): one row per location,
  `Location Latest Overall Rating` and its `Publication Date`; as the `.xlsx` CQC ships
  (read with openpyxl, read-only) or its CSV export. It gives the overall rating only,
  so the key questions keep what they had.

Rows join to practices on `Location ODS Code`. Only GP practice locations count: where
the file has `Location Primary Inspection Category`, the value `GP Practices` (the other
primary medical services locations are out-of-hours, urgent care, prison healthcare,
independent doctors...). A location without an ODS code cannot be joined and is counted
as skipped. `Not Rated` and `Insufficient evidence to rate` are not rated; `Not
applicable` and blanks are unknown (no rating recorded): neither is an error. The
publication date is the rating's date (the inspection date the method uses).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from resilience.importers import (
    ImportFileError,
    ImportPlan,
    Rejected,
    decode_text,
    is_xlsx,
    read_bytes,
    zip_member,
)
from resilience.importers.ods_names import learn_names
from resilience.safe_text import quoted

ODS = "Location ODS Code"
CATEGORY = "Location Primary Inspection Category"
GP_CATEGORY = "gp practices"
REQUIRED = (ODS, "Service / Population Group", "Domain", "Latest Rating", "Publication Date")
WIDE_REQUIRED = (ODS, "Location Latest Overall Rating", "Publication Date")
DOMAINS = {
    "overall": "cqc_overall",
    "safe": "cqc_safe",
    "effective": "cqc_effective",
    "caring": "cqc_caring",
    "responsive": "cqc_responsive",
    "well-led": "cqc_well_led",
    "well led": "cqc_well_led",
}
RATINGS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
    "insufficient evidence to rate": "not_rated",
    "not rated": "not_rated",
}
UNKNOWN = {"", "not applicable", "n/a", "na"}  # no rating recorded: unknown, not an error
FIELDS = (*dict.fromkeys(DOMAINS.values()), "cqc_last_inspection")
HEADER_SEARCH_ROWS = 10  # the care directory may carry title lines above its header


def _publication_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d-%b-%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _xlsx_rows(data: bytes, name: str) -> Iterator[list[Any]]:
    import openpyxl  # only this path needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ImportFileError(f"{name}: an Excel workbook that cannot be read ({exc})") from None
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def _rows(path: str) -> tuple[Iterator[list[Any]], str, str, str]:
    """(rows of cells, file name, SHA-256, 'xlsx' or 'csv'), by what the file holds."""
    data, name, digest = read_bytes(path)
    if is_xlsx(data):
        return _xlsx_rows(data, name), name, digest, "xlsx"
    if Path(path).suffix.lower() == ".xlsx":
        looks = "CSV text" if b"," in data[:4096] else "not an Excel workbook"
        raise ImportFileError(
            f"{name}: named as an Excel workbook (.xlsx) but this looks like {looks}; "
            "rename it .csv if it is the CSV export, or download the .xlsx again"
        )
    if data.startswith(b"PK\x03\x04"):
        data, member = zip_member(data, name)
        name = f"{name} ({member})"
    text = decode_text(data, name)
    return (list(r) for r in csv.reader(io.StringIO(text, newline=""))), name, digest, "csv"


def plan_cqc_import(
    path: str,
    practices: set[str],
    current: dict[str, dict[str, Any]],
    commissioners: Mapping[str, Mapping[str, Any]] | None = None,
) -> ImportPlan:
    rows, name, digest, container = _rows(path)
    header: list[str] = []
    header_row = 0
    for header_row, values in enumerate(rows, start=1):
        cells = [_cell(v) for v in values]
        if ODS in cells:
            header = cells
            break
        if header_row >= HEADER_SEARCH_ROWS:
            break
    wide = all(c in header for c in WIDE_REQUIRED)
    if not wide and not all(c in header for c in REQUIRED):
        raise ImportFileError(
            f"{name}: not a CQC ratings file: expected the latest ratings columns "
            f"({', '.join(REQUIRED)}) or the care directory / active locations columns "
            f"({', '.join(WIDE_REQUIRED)})"
            + (f"; found {', '.join(h for h in header if h)[:300]}" if header else "")
        )
    index = {h: i for i, h in enumerate(header) if h}
    plan = ImportPlan(
        "cqc",
        name,
        digest,
        ("cqc-care-directory-" + container) if wide else "cqc-latest-ratings",
        None,
        skipped_reason=(
            "locations that are not GP practices or have no ODS code, older ratings of a "
            "location listed twice"
            if wide
            else "population-group rows, other domains and locations that are not GP practices"
        ),
    )
    if wide:
        ratings = _wide(rows, index, header_row, plan, commissioners)
    else:
        ratings = _long(rows, index, header_row, plan)
    for code, found in sorted(ratings.items()):
        if code not in practices:
            plan.not_in_register.append(code)
            continue
        plan.compare(code, found, current.get(code, {}))
    return plan


COMMISSIONER_COLUMNS = ("Location Commissioning CCG Code", "Location Commissioning CCG")


def _get(values: list[Any], index: dict[str, int], column: str) -> str:
    at = index.get(column)
    return _cell(values[at]) if at is not None and at < len(values) else ""


def _is_gp(values: list[Any], index: dict[str, int]) -> bool:
    return CATEGORY not in index or _get(values, index, CATEGORY).lower() == GP_CATEGORY


def _rating(raw: str, number: int, column: str, plan: ImportPlan) -> str | None:
    """The rating, None for unknown; a value that is no rating at all is rejected."""
    if raw.lower() in UNKNOWN:
        return None
    rating = RATINGS.get(raw.lower())
    if rating is None:
        plan.rejected.append(
            Rejected(
                number,
                column,
                f"{quoted(raw)} is not one of {', '.join(sorted(RATINGS))}, "
                "not applicable or blank",
            )
        )
    return rating


def _date_of(raw: str, number: int, plan: ImportPlan) -> date | bool | None:
    """The publication date; None when blank; False (rejected) when not a date."""
    if not raw:
        return None
    try:
        return _publication_date(raw)
    except ValueError:
        plan.rejected.append(Rejected(number, "Publication Date", f"{quoted(raw)} is not a date"))
        return False


def _wide(
    rows: Iterator[list[Any]],
    index: dict[str, int],
    header_row: int,
    plan: ImportPlan,
    commissioners: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    ratings: dict[str, dict[str, Any]] = {}
    seen: dict[str, tuple[int, date | None, str | None]] = {}
    latest: date | None = None
    for number, values in enumerate(rows, start=header_row + 1):
        if not any(v not in (None, "") for v in values):
            continue
        code = _get(values, index, ODS).upper()
        if not _is_gp(values, index) or not code:
            plan.skipped += 1
            continue
        if commissioners is not None:  # names commissioners still called by their code
            learn_names(
                plan,
                commissioners,
                {column: _get(values, index, column) for column in COMMISSIONER_COLUMNS},
            )
        raw = _get(values, index, "Location Latest Overall Rating")
        rating = _rating(raw, number, "Location Latest Overall Rating", plan)
        if rating is None and raw.lower() not in UNKNOWN:
            continue
        published = _date_of(_get(values, index, "Publication Date"), number, plan)
        if published is False:
            continue
        when = published if isinstance(published, date) else None
        if code in seen:  # a location listed twice (it happens): the newer rating counts
            first_number, first_when, first_rating = seen[code]
            if when == first_when and rating != first_rating:
                plan.rejected.append(
                    Rejected(
                        number,
                        ODS,
                        f"{code} appears twice with different ratings of the same date "
                        f"(first in row {first_number})",
                    )
                )
                continue
            plan.skipped += 1
            if first_when is not None and (when is None or when <= first_when):
                continue
        seen[code] = (number, when, rating)
        if rating is None:  # unknown: nothing to record, nothing to overwrite
            ratings.pop(code, None)
            continue
        ratings[code] = {"cqc_overall": rating}
        if isinstance(published, date):
            ratings[code]["cqc_last_inspection"] = published
            latest = published if latest is None or published > latest else latest
    plan.extract_date = latest
    return ratings


def _long(
    rows: Iterator[list[Any]], index: dict[str, int], header_row: int, plan: ImportPlan
) -> dict[str, dict[str, Any]]:
    ratings: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    latest: date | None = None
    for number, values in enumerate(rows, start=1):
        if not any(v not in (None, "") for v in values):
            continue
        group = _get(values, index, "Service / Population Group").lower()
        domain = _get(values, index, "Domain")
        field = DOMAINS.get(domain.lower())
        if group != "overall" or field is None or not _is_gp(values, index):
            plan.skipped += 1
            continue
        code = _get(values, index, ODS).upper()
        if not code:
            plan.rejected.append(Rejected(number, ODS, "empty"))
            continue
        raw = _get(values, index, "Latest Rating")
        rating = _rating(raw, number, "Latest Rating", plan)
        if rating is None and raw.lower() not in UNKNOWN:
            continue
        published = _date_of(_get(values, index, "Publication Date"), number, plan)
        if published is False:
            continue
        if (code, field) in seen:
            plan.rejected.append(
                Rejected(
                    number,
                    "Domain",
                    f"{code} {domain} appears twice (first in row {seen[(code, field)]})",
                )
            )
            continue
        seen[(code, field)] = number
        if rating is None:
            continue
        ratings.setdefault(code, {})[field] = rating
        if field == "cqc_overall" and isinstance(published, date):
            ratings[code]["cqc_last_inspection"] = published
            latest = published if latest is None or published > latest else latest
    plan.extract_date = latest
    return ratings
