"""The workbook's Method sheet: which method made the month's scores (and the
database's method now, when it differs), its bands, and what an unknown counts as."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from resilience.bands import BAND_FILLS
from resilience.exporting import _append
from resilience.method_words import method_note, scored_with, versions_of
from scoring import Methodology


def method_sheet(
    book: Any,
    items: list[dict[str, Any]],
    period: str,
    method: Methodology,
    scored_method: Methodology | None,
    bold: Any,
) -> None:
    """The legend: the method that made the scores (and the database's now, when it
    differs), the band ranges and what an unknown counts as."""
    from openpyxl.styles import PatternFill

    made = versions_of(item["result"].methodology_version for item in items)
    note = method_note(made, method.version)
    single = next(iter(made)) if len(made) == 1 else None
    if not note:
        bands: Methodology | None = method  # every score is the database's method's
    elif scored_method is not None and scored_method.version == single:
        bands = scored_method
    else:
        bands = None
    legend = book.create_sheet("Method")
    _append(legend, ["Review month", period])
    _append(legend, ["Method version", scored_with(made, method.version)])
    if bands is not None:
        _append(legend, ["Method", bands.name])
    if note:
        _append(legend, ["Method now", f"{method.version} ({method.name})"])
        _append(
            legend,
            ["", f"These scores were made with {scored_with(made, method.version)}; {note}."],
        )
    _append(legend, ["Exported", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")])
    _append(legend, [])
    shown = bands or method
    if bands is None:
        why = (
            "the scores were made with more than one method"
            if len(made) > 1
            else "the method that made the scores is not stored in this database"
        )
        _append(
            legend, [f"Band ranges of method {method.version}, the database's method now ({why})."]
        )
    _append(legend, ["Band", "Area score (5x5)", "Overall score"])
    for cell in legend[legend.max_row]:
        cell.font = bold
    for band in shown.matrix_bands:
        low, high = shown.overall.score_ranges[band.name]
        _append(legend, [band.name, f"{band.min}-{band.max}", f"{low}-{high}"])
        fill = BAND_FILLS.get(band.name)
        if fill:
            legend.cell(legend.max_row, 1).fill = PatternFill(
                "solid", start_color=fill, end_color=fill
            )
    _append(legend, [])
    for line in unknown_legend(shown):
        _append(legend, [line])
    legend.column_dimensions["A"].width = 18
    legend.column_dimensions["B"].width = 22


def unknown_legend(method: Methodology) -> list[str]:
    """What an unknown finding counts as, in the words of the method's own policy."""
    policies = Counter(
        "typical" if r.unknown == "typical" else "worst" if r.unknown == "worst" else "given"
        for r in method.rules
    )
    counted = "; ".join(
        f"{policies[key]} rule{'s count' if policies[key] != 1 else ' counts'} {words}"
        for key, words in (
            ("typical", "it as a typical practice's value until it is recorded"),
            ("worst", "it as the rule's worst case"),
            ("given", "it as a level the method gives"),
        )
        if policies[key]
    )
    return [
        f"Unknown findings count as each rule of the method says: {counted}.",
        "A floor fires on known facts only: a fact a floor reads that is not known puts "
        "the practice on the 'to confirm' list (the To confirm column) instead.",
        "'Worst case' (score_if_unknown_worst) scores every unknown at its worst case; "
        "data completeness is the share of the scored inputs that are known.",
        "Each rule's policy and why: docs/methodology.md.",
    ]
