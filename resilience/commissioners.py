"""Commissioners (CCGs, ICBs, sub-ICB locations): their hierarchy and names.

Imports create them and re-file them (a CCG found under an ICB becomes a sub-ICB
location); names come from the ODS organisation files or are set by hand for a code no
file names. Every change is audited; naming needs an editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilience.errors import StoreError

KINDS = ("ccg", "icb", "sub_icb")
MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class CommissionerInfo:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None


def clean_name(text: str) -> str:
    """A name as one line of printable text (no control characters), or an error."""
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if not name:
        raise StoreError("a commissioner's name cannot be empty")
    if len(name) > MAX_NAME:
        raise StoreError(f"a commissioner's name has at most {MAX_NAME} characters")
    return name
