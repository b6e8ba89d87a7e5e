"""`resilience export`: a month's practices with findings, scores, bands and summaries,
as CSV, JSON or an Excel workbook the meeting can filter and print."""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from resilience.bands import BAND_FILLS
from resilience.batch import result_row
from resilience.domain import STORED_FINDINGS, SoftIntel
from resilience.fields import INPUT_SPECS, SPECS
from resilience.method_words import method_note, versions_of
from resilience.safe_text import FORMULA_START, clean, spreadsheet_cell
from scoring import AREA_LABELS, AREAS, Methodology

IDENTITY = ("ods_code", "name", "commissioner_code", "commissioner", "locality")
RESULT = (
    "score",
    "band",
    *(f"{a}_band" for a in AREAS),
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
STATE = ("reviewed", "assessed_in", "version", "author")
# added after the findings, so the columns before keep their places in existing sheets
TRIAGE = ("public_data_only", "list_size_relative")


def flat_row(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: item[k] for k in IDENTITY}
    row.update(
        {k: v for k, v in result_row(item["result"]).items() if k not in ("ods_code", "period")}
    )
    row.update({k: item[k] for k in STATE})
    row.update({f: _plain(item["findings"].get(f)) for f in STORED_FINDINGS})
    row["public_data_only"] = bool(item.get("public_data_only"))
    row["list_size_relative"] = item.get("list_size_relative")
    return row


def add_register_figures(
    items: list[dict[str, Any]], figures: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Add to each practice the register's figures the exports show beside its score
    (the list as a percentage of the commissioner's median list); ``figures`` is
    ``store.register_figures()``."""
    for item in items:
        item["list_size_relative"] = figures.get(item["ods_code"], {}).get("list_size_relative")
    return items


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


CSV_COLUMNS = (*IDENTITY, *RESULT, *STATE, *STORED_FINDINGS, *TRIAGE)


def write_csv(items: list[dict[str, Any]], out: IO[str]) -> None:
    """One row per practice; yes/no for a yes-or-no value (as the forms and the score
    command's input files write it), empty for unknown."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items:
        writer.writerow({k: _csv_cell(v) for k, v in flat_row(item).items()})


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return spreadsheet_cell(value)


def write_json(
    items: list[dict[str, Any]],
    soft: list[SoftIntel],
    withheld: int,
    out: IO[str],
    period: str,
    method: Methodology,
) -> None:
    made = versions_of(item["result"].methodology_version for item in items)
    document = {
        "period": period,
        # the method that made the scores (null when several did: see the next key)
        "methodology_version": (next(iter(made)) if len(made) == 1 else None)
        if made
        else method.version,
        "methodology_versions": dict(made),  # version -> how many practices' scores
        "database_method": method.version,  # what a rescore of the month would use
        "method_note": method_note(made, method.version),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "practices": [
            {**flat_row(item), "explanation": [c.to_dict() for c in item["result"].contributions]}
            for item in items
        ],
        "soft_intelligence": [_soft_row(e) for e in soft],
        "confidential_entries_withheld": withheld,
    }
    json.dump(document, out, indent=2, default=str)
    out.write("\n")


def _soft_row(entry: SoftIntel) -> dict[str, Any]:
    return {
        "ods_code": entry.ods_code,
        "received_on": entry.received_on.isoformat(),
        "source": entry.source,
        "category": entry.category,
        "severity": entry.severity,
        "confidence": entry.confidence,
        "corroborated": entry.corroborated,
        "whistleblowing": entry.whistleblowing,
        "confidential": entry.confidential,
        "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        "text": entry.text,
    }


def write_xlsx(
    items: list[dict[str, Any]],
    soft: list[SoftIntel],
    withheld: int,
    path: Path | IO[bytes],
    period: str,
    method: Methodology,
    scored_method: Methodology | None = None,
) -> None:
    """Summary sheet, one sheet per area, soft intelligence, and the method's legend;
    frozen headers and band colours throughout. ``method`` is the database's method now;
    ``scored_method`` the one that made the month's scores when they share one other
    than it (its bands are the legend's), when it is known.

    Every text cell is written as a string, never a formula: openpyxl would store
    ``=HYPERLINK(...)`` in a practice name as a live formula. Numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    bold = Font(bold=True)
    fills = {  # one fill object per band, shared by its cells
        band: PatternFill("solid", start_color=colour, end_color=colour)
        for band, colour in BAND_FILLS.items()
    }

    def sheet(title: str, header: list[str], rows: list[list[Any]], band_columns: set[int]):  # type: ignore[no-untyped-def]
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            _append(ws, row)
        ws.freeze_panes = "C2"
        for index in band_columns:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                fill = fills.get(str(cell.value))
                if fill is not None:
                    cell.fill = fill
        for index, title_text in enumerate(header, start=1):
            width = max([len(str(title_text))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
            ws.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
        ws.auto_filter.ref = ws.dimensions
        return ws

    summary_header = [
        "ODS code",
        "Practice",
        "Commissioner",
        "Locality",
        "Score",
        "Band",
        *(AREA_LABELS[a] for a in AREAS),
        "Trend",
        "Why",
        "Reviewed",
        "Assessed in",
        "Version",
        # the triage: what is not known yet and what it could mean (see the Method sheet)
        "To confirm",
        "Not known yet (to confirm)",
        "Worst case",
        "Worst-case band",
        "Data known (%)",
        "List size",
        "List as % of commissioner median",
    ]
    summary_rows = []
    for item in items:
        r = item["result"]
        relative = item.get("list_size_relative")
        summary_rows.append(
            [
                item["ods_code"],
                item["name"],
                item["commissioner"],
                item["locality"],
                r.score,
                r.band,
                *(a.band for a in r.areas),
                r.trend,
                r.summary,
                "yes"
                if item["reviewed"]
                else "no: public data"
                if item.get("public_data_only")
                else "carried forward",
                item["assessed_in"],
                item["version"],
                len(r.to_confirm),
                "; ".join(r.to_confirm),
                r.score_if_unknown_worst,
                r.band_if_unknown_worst,
                round(r.data_completeness * 100, 1),
                item["findings"].get("list_size"),
                None if relative is None else round(relative, 1),
            ]
        )
    band_names = {"Band", "Worst-case band", *(AREA_LABELS[a] for a in AREAS)}
    sheet(
        "Summary",
        summary_header,
        summary_rows,
        {i for i, title in enumerate(summary_header) if title in band_names},
    )
    del book["Sheet"]

    for area in AREAS:
        fields = [
            f
            for f in STORED_FINDINGS
            if (SPECS.get(f) or INPUT_SPECS.get(f)) is not None
            and (SPECS.get(f) or INPUT_SPECS[f]).area == area
        ]
        labels = [(SPECS.get(f) or INPUT_SPECS[f]).label for f in fields]
        rows = []
        for item in items:
            cell = item["result"].area(area)
            rows.append(
                [
                    item["ods_code"],
                    item["name"],
                    cell.likelihood,
                    cell.consequence,
                    cell.score,
                    cell.band,
                    *(_plain(item["findings"].get(f)) for f in fields),
                ]
            )
        sheet(
            AREA_LABELS[area][:31],
            ["ODS code", "Practice", "Likelihood", "Consequence", "5x5 score", "Band", *labels],
            rows,
            {5},
        )

    soft_rows = [
        [
            e.ods_code,
            e.received_on.isoformat(),
            e.source,
            e.category,
            e.severity,
            e.confidence,
            "yes" if e.corroborated else "no",
            "yes" if e.whistleblowing else "no",
            "yes" if e.confidential else "no",
            e.expires_on.isoformat() if e.expires_on else "",
            e.text,
        ]
        for e in soft
    ]
    ws = sheet(
        "Soft intelligence log",
        [
            "ODS code",
            "Received",
            "Source",
            "Category",
            "Severity",
            "Confidence",
            "Corroborated",
            "Whistleblowing",
            "Confidential",
            "Expires",
            "Text",
        ],
        soft_rows,
        set(),
    )
    if withheld:
        ws.append([])
        _append(
            ws,
            [
                f"{withheld} confidential entries withheld (--include-confidential, where "
                "permitted, includes them)"
            ],
        )

    from resilience.export_method import method_sheet

    method_sheet(book, items, period, method, scored_method, bold)
    buffer = io.BytesIO()  # built in memory, then written in one place
    _save(book, buffer)
    if isinstance(path, Path):
        from resilience.safe_files import atomic_write

        with atomic_write(path, "wb") as handle:
            handle.write(buffer.getvalue())
    else:
        path.write(buffer.getvalue())


def _save(book: Any, buffer: io.BytesIO) -> None:
    """``book.save``; on a full disk (openpyxl writes each sheet to a temporary file
    first) the OSError is raised alone, after openpyxl's half-written temporaries are
    cleaned up quietly instead of printing their own tracebacks at exit."""
    failure: OSError | None = None
    try:
        book.save(buffer)
    except OSError as exc:
        failure = OSError(exc.errno, exc.strerror)
    if failure is None:
        return
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise failure


def _append(ws: Any, row: list[Any]) -> None:
    """Append a row whose text cells are strings, whatever they say: openpyxl guesses
    "f" (formula) for text starting with "=". Text a spreadsheet would read as a formula
    if typed in is marked quote-prefixed (Excel's own "this is text" flag, shown without
    the quote); control characters, which xlsx cannot hold, are shown visibly.

    The row number is kept on the sheet rather than read from ``ws.max_row``, which
    openpyxl computes over every cell: asked once a row, it made England's export
    quadratic (minutes for 6,800 practices)."""
    last = getattr(ws, "_resilience_rows", None)
    if last is None:  # the first row this function appends: after what is there already
        last = ws.max_row if ws._cells else 0
    number = last + 1
    ws._resilience_rows = number
    for column, value in enumerate(row, start=1):
        cell = ws.cell(
            row=number, column=column, value=clean(value) if isinstance(value, str) else value
        )
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True
