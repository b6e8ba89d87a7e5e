"""Importers of national files: read, check, preview, then apply in one transaction.

Each importer turns a file into an ``ImportPlan`` without writing anything; the store
applies a plan whole or not at all. A file whose rows are not all valid is not applied
(a half-imported file is worse than none): the report says which rows and why.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from resilience.safe_text import clean, has_control

IMPORTER_VERSION = "1"


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, empty, wrong columns...)."""


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}" + (f", {self.field}" if self.field else "") + f": {self.reason}"


@dataclass(frozen=True, slots=True)
class Change:
    ods_code: str
    kind: str  # new | changed
    values: dict[str, Any]  # the new values (all of them for a new practice)
    old: dict[str, Any] = field(default_factory=dict)  # previous values of changed fields

    def describe(self) -> str:
        if self.kind == "new":
            return f"{self.ods_code} new: {self.values.get('name', '')}".rstrip(": ")
        parts = [f"{k} {self.old.get(k)!s} -> {v!s}" for k, v in self.values.items()]
        return f"{self.ods_code} changed: " + "; ".join(parts)


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
    already_imported: str | None = None  # when this exact file was imported before

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
        }

    def report(self, limit: int = 20) -> str:
        counts = self.summary()
        lines = [
            f"{self.file_name} ({self.format_version}"
            + (f", extract {self.extract_date.isoformat()}" if self.extract_date else "")
            + f", sha256 {self.sha256[:12]}...)",
            f"  new {counts['new']}, changed {counts['changed']}, unchanged "
            f"{counts['unchanged']}, rejected {counts['rejected']}"
            + (
                f", not in the register {counts['not_in_register']}"
                if counts["not_in_register"]
                else ""
            )
            + (f", skipped {counts['skipped']} ({self.skipped_reason})" if self.skipped else ""),
        ]
        if self.already_imported:
            lines.append(f"  this file was imported already ({self.already_imported})")
        for title, items in (
            ("rejected", [str(r) for r in self.rejected]),
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
        Rejected(row, name, f"{clean(value)!r} holds control characters; none are accepted")
        for name, value in fields.items()
        if has_control(value)
    ]


def finite_float(text: str) -> float:
    """``float(text)`` that refuses inf, nan and 1e400 (ValueError), as for a typo."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


def read_file(path: str | Path) -> tuple[str, str, str]:
    """(text, file name, SHA-256 of the bytes) for a UTF-8 file, with or without BOM."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{file}: cannot read it: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            f"{file.name}: the file is UTF-16 (as Excel saves 'Unicode text'); "
            "save it as CSV UTF-8 and import again"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:  # NHS files are ASCII; a stray Windows-1252 character is the usual culprit
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{file.name}: not UTF-8 text (byte {exc.start}); expected the CSV as published"
            ) from None
    if not text.strip():
        raise ImportFileError(f"{file.name}: the file is empty")
    return text, file.name, digest
