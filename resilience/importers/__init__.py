"""Importers of national files: read, check, preview, then apply in one transaction.

Each importer turns a file into an ``ImportPlan`` without writing anything; the store
applies a plan whole or not at all. A file whose rows are not all valid is not applied
(a half-imported file is worse than none): the report says which rows and why.
"""

from __future__ import annotations

import hashlib
import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from resilience.safe_text import clean, has_control, quoted

IMPORTER_VERSION = "1"


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, empty, wrong columns...)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        # the field (a file's own column name) and the reason (quoting the file's value)
        # come from the file: one line, every control and invisible character shown
        text = f"row {self.row}" + (f", {self.field}" if self.field else "") + f": {self.reason}"
        return clean(text, one_line=True)


@dataclass(frozen=True, slots=True)
class Change:
    ods_code: str
    kind: str  # new | changed
    values: dict[str, Any]  # the new values (all of them for a new practice)
    old: dict[str, Any] = field(default_factory=dict)  # previous values of changed fields

    def describe(self) -> str:
        if self.kind == "new":
            text = f"{self.ods_code} new: {self.values.get('name', '')}".rstrip(": ")
        else:
            parts = [
                f"{k} {_shown(self.old.get(k))} -> {_shown(v)}" for k, v in self.values.items()
            ]
            text = f"{self.ods_code} changed: " + "; ".join(parts)
        return clean(text, one_line=True)


def _shown(value: Any) -> str:
    """A value in an import report: 'blank' rather than Python's None."""
    return "blank" if value is None or value == "" else str(value)


@dataclass(slots=True)
class ImportPlan:
    """What an import would do: nothing is written until the store applies it."""

    kind: str
    file_name: str
    sha256: str
    format_version: str
    extract_date: date | None
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # rows that are not for us (e.g. not a GP practice)
    skipped_reason: str = ""
    rejected: list[Rejected] = field(default_factory=list)
    not_in_register: list[str] = field(default_factory=list)
    commissioners: dict[str, dict[str, Any]] = field(default_factory=dict)  # to create
    # known commissioners the file re-files: code -> {"kind": ..., "parent": ICB code}
    commissioner_updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    # commissioner names from an ODS organisation file: code -> (name, kind or None)
    names: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    already_imported: str | None = None  # when this exact file was imported before
    out_of_scope: int = 0  # practices outside the database's scope (resilience.scope)
    parents: dict[str, str] = field(default_factory=dict)  # ods: code -> the row's ICB

    def compare(self, code: str, values: dict[str, Any], current: dict[str, Any]) -> None:
        """Record ``values`` for a practice as changed (only the fields that differ from
        ``current``) or unchanged."""
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if changed:
            self.changes.append(
                Change(code, "changed", changed, {k: current.get(k) for k in changed})
            )
        else:
            self.unchanged += 1

    @property
    def new(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "new"]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "changed"]

    def summary(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "not_in_register": len(self.not_in_register),
            "skipped": self.skipped,
            "commissioners_new": len(self.commissioners),
            "commissioners_refiled": len(self.commissioner_updates),
            "names": len(self.names),
            "out_of_scope": self.out_of_scope,
        }

    def record(self) -> dict[str, Any]:
        """What the import's record (its batch) keeps: the counts and each rejected row."""
        return {**self.summary(), "rejected_rows": [str(r) for r in self.rejected]}

    @property
    def writes(self) -> bool:
        """Whether applying the plan changes anything."""
        return bool(self.changes or self.commissioners or self.commissioner_updates or self.names)

    def report(self, limit: int = 20) -> str:
        counts = self.summary()
        lines = [
            f"{self.file_name} ({self.format_version}"
            + (f", extract {self.extract_date.isoformat()}" if self.extract_date else "")
            + f", sha256 {self.sha256[:12]}...)",
            (f"  names {counts['names']}, " if self.kind == "ods-names" else "  ")
            + f"new {counts['new']}, changed {counts['changed']}, unchanged "
            f"{counts['unchanged']}, rejected {counts['rejected']}"
            + (
                f", not in the register {counts['not_in_register']}"
                if counts["not_in_register"]
                else ""
            )
            + (f", skipped {counts['skipped']} ({self.skipped_reason})" if self.skipped else "")
            + (f", out of scope {self.out_of_scope}" if self.out_of_scope else ""),
        ]
        if self.commissioners or self.commissioner_updates:
            lines.append(
                f"  commissioners: {len(self.commissioners)} new, "
                f"{len(self.commissioner_updates)} re-filed under their ICB"
            )
        if self.already_imported and self.writes:
            lines.append(f"  this file was imported already ({self.already_imported})")
        if self.out_of_scope and not self.changes and not self.unchanged:
            lines.append(
                "  none of this file's practices is in this database's scope "
                "(`resilience scope show`): nothing here is for your patch"
            )
        for title, items in (
            ("rejected", [str(r) for r in self.rejected]),
            (
                "commissioners re-filed",
                [
                    f"{code}: " + ", ".join(f"{k} {v}" for k, v in update.items())
                    for code, update in self.commissioner_updates.items()
                ],
            ),
            ("named", [f"{code}: {name}" for code, (name, _) in self.names.items()]),
            ("new", [c.describe() for c in self.new]),
            ("changed", [c.describe() for c in self.changed]),
            ("not in the register (not added)", self.not_in_register),
        ):
            if items:
                lines.append(f"  {title}:")
                lines.extend(f"    {item}" for item in items[:limit])
                if len(items) > limit:
                    lines.append(f"    ... and {len(items) - limit} more")
        return "\n".join(lines)


def text_rejected(row: int, fields: dict[str, str]) -> list[Rejected]:
    """Rejections for text fields holding control characters (NUL, escape sequences that
    recolour a terminal, retitle its window or plant a hyperlink): a published national
    file has none, so such a row is refused rather than stored and shown later."""
    return [
        Rejected(
            row,
            name,
            f"{quoted(value)} holds control characters or invisible ones (shown as codes); "
            "none are accepted",
        )
        for name, value in fields.items()
        if has_control(value)
    ]


def finite_float(text: str) -> float:
    """``float(text)`` that refuses inf, nan and 1e400 (ValueError), as for a typo."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


ZIP_MAGIC = b"PK\x03\x04"


def is_xlsx(data: bytes) -> bool:
    """True when ``data`` is an Office Open XML workbook (an ``.xlsx``, itself a zip)."""
    if not data.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_bytes(path: str | Path) -> tuple[bytes, str, str]:
    """(bytes, file name, SHA-256) of a file; an unreadable file is an ImportFileError."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{file}: cannot read it: {exc.strerror}") from None
    return data, file.name, hashlib.sha256(data).hexdigest()


Wanted = Callable[[str], bool] | tuple[Callable[[str], bool], ...] | None


def zip_member(data: bytes, name: str, wanted: Wanted = None) -> tuple[bytes, str]:
    """(bytes, member name) of the one CSV in a zip as the publishers ship it.

    ``wanted`` picks the relevant member when there are several (for example
    ``epraccur.csv``; a tuple of tests is tried in order); otherwise the zip must hold
    exactly one CSV. A zip with no suitable member is an error that names what it holds.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(f"{name}: looks like a zip file but cannot be opened") from None
    with archive:
        members = [i.filename for i in archive.infolist() if not i.is_dir()]
        csvs = [m for m in members if m.lower().endswith((".csv", ".txt"))]
        chosen: list[str] = []
        for test in (wanted,) if callable(wanted) else wanted or ():
            chosen = [m for m in csvs if test(PurePosixPath(m).name.lower())]
            if chosen:
                break
        if not chosen and len(csvs) == 1:
            chosen = csvs
        if len(chosen) != 1:
            held = ", ".join(members[:12]) + (" ..." if len(members) > 12 else "")
            what = "several candidate files" if len(chosen) > 1 else "no CSV file this import reads"
            raise ImportFileError(f"{name}: the zip holds {what}; it contains: {held or 'nothing'}")
        return archive.read(chosen[0]), chosen[0]


def decode_text(data: bytes, name: str) -> str:
    """The text of a CSV file in UTF-8 (with or without BOM) or Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            f"{name}: the file is UTF-16 (as Excel saves 'Unicode text'); "
            "save it as CSV UTF-8 and import again"
        )
    if is_xlsx(data):
        raise ImportFileError(
            f"{name}: this looks like an Excel workbook (.xlsx), not a CSV file; "
            "import the CSV as published (or, for CQC ratings, the .xlsx is read directly)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:  # NHS files are ASCII; a stray Windows-1252 character is the usual culprit
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{name}: not UTF-8 text (byte {exc.start}); expected the CSV as published"
            ) from None
    if not text.strip():
        raise ImportFileError(f"{name}: the file is empty")
    return text


def read_file(path: str | Path, wanted: Wanted = None) -> tuple[str, str, str]:
    """(text, file name, SHA-256 of the bytes as given) for a CSV file, or for the CSV
    inside a zip as published (``wanted`` picks the member by its lower-case name).

    For a zip, the name is ``"archive.zip (member.csv)"``, so the import's record keeps
    both the zip's SHA-256 and which member was read.
    """
    data, name, digest = read_bytes(path)
    if data.startswith(ZIP_MAGIC) and not is_xlsx(data):
        data, member = zip_member(data, name, wanted)
        name = f"{name} ({member})"
    return decode_text(data, name), name, digest
