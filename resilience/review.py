"""Moved to ``resilience.services.review``; this name is kept for older imports."""

from resilience.services.review import (
    DraftError,
    FieldClash,
    changed_fields,
    compare_edits,
    preview,
    unsaved_fields,
)

__all__ = [
    "DraftError",
    "FieldClash",
    "changed_fields",
    "compare_edits",
    "preview",
    "unsaved_fields",
]
