"""The rows of the practice screen's three tables (versions, soft intelligence, actions),
as (key, cells) pairs for ``VirtualTable``. Every text from the database is plain:
``plain`` here, and the table cleans control characters again when it draws a cell."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text

from resilience.domain import SOFT_INTEL_SOURCES, ActionInfo, AssessmentVersion, SoftIntel
from resilience.safe_text import plain
from screens.bands import band_text

Row = tuple[str, list[object]]

MORE_KEY = "older"  # the "N older versions" row
VERSION_HEADINGS = ("", "Month", "Ver", "Author", "Saved", "Band", "Reason")
INTEL_HEADINGS = ("Received", "Source", "Sev", "Conf", "Corr", "Expires", "Text")
ACTION_HEADINGS = ("Status", "Due", "Owner", "Action")


def row_key(row: Row) -> str:
    return row[0]


def row_cells(row: Row) -> list[object]:
    return row[1]


def version_rows(
    versions: Sequence[AssessmentVersion], shown: Sequence[int], marked: Sequence[int]
) -> list[Row]:
    """One row per shown version (indexes into ``versions``, newest first), then a row
    saying how many older versions there are and how to show them."""
    rows: list[Row] = []
    for real in shown:
        v = versions[real]
        reason = (
            ("CORRECTION: " if v.is_correction else "")
            # a script's save (score --save) is a public-data score, not a review
            + ("scored by script (not reviewed): " if v.scripted else "")
            + (v.reason or "")
        )
        cells: list[object] = [
            "●" if real in marked else "",
            v.period,
            str(v.version),
            plain(v.author, one_line=True),
            v.created_at.strftime("%Y-%m-%d %H:%M"),
            band_text(v.result.band),
            plain(reason, one_line=True),
        ]
        rows.append((str(real), cells))
    older = len(versions) - len(shown)
    if older:
        note = f"{older} older version{'s' if older != 1 else ''}: o (or Enter here) shows them"
        rows.append((MORE_KEY, ["", "", "", "", "", "", Text(note, style="italic")]))
    return rows


def intel_rows(entries: Sequence[SoftIntel]) -> list[Row]:
    """One row per entry, oldest first; a confidential text masked for a role that may
    not read it, marked as confidential for one that may."""
    rows: list[Row] = []
    for index, e in enumerate(entries):
        text: Text
        if e.masked:
            text = Text("(confidential: not shown to your role)", style="italic dim")
        elif e.confidential:
            text = Text.assemble(("confidential: ", "bold red"), plain(e.text, one_line=True))
        else:
            text = plain(e.text, one_line=True)
        cells: list[object] = [
            e.received_on.isoformat(),
            plain(SOFT_INTEL_SOURCES.get(e.source, e.source), one_line=True),
            str(e.severity),
            plain(e.confidence, one_line=True),
            "yes" if e.corroborated else "no",
            e.expires_on.isoformat() if e.expires_on else "",
            text,
        ]
        rows.append((str(index), cells))
    if not rows:
        rows.append(("none", ["none recorded", "", "", "", "", "", ""]))
    return rows


def intel_title(entries: Sequence[SoftIntel]) -> str:
    masked = sum(1 for e in entries if e.masked)
    shown = sum(1 for e in entries if e.confidential and not e.masked)
    title = "Soft intelligence"
    if masked:
        title += f" ({masked} confidential entr{'y' if masked == 1 else 'ies'} masked)"
    if shown:
        title += " (confidential entries shown to you; each view is in the audit log)"
    return title


def action_rows(actions: Sequence[ActionInfo], today: date) -> list[Row]:
    """One row per action (open first, by due date), an open one past its due date
    marked OVERDUE in red."""
    rows: list[Row] = []
    for a in actions:
        overdue = a.status == "open" and a.due_on is not None and a.due_on < today
        status = Text("OVERDUE", style="bold red") if overdue else plain(a.status)
        cells: list[object] = [
            status,
            a.due_on.isoformat() if a.due_on else "",
            plain(a.owner, one_line=True),
            plain(a.text, one_line=True),
        ]
        rows.append((str(a.id), cells))
    if not rows:
        rows.append(("none", ["", "", "", "no actions"]))
    return rows
