"""Names of commissioners from the ODS organisation files published beside epraccur.

The CCG / sub-ICB location file (`eccg.csv`, in `eccg.zip`) and the ICB file share
epraccur's layout: no header, quoted fields, code in field 1, name in field 2, field 4
the higher-level code (for a sub-ICB location: its ICB). A file is recognised by that
layout and by its codes: ICB codes are `Q` then a letter and a character (`QK1`); CCG
and sub-ICB codes have three or five characters (`04C`, `A3A8R`).

Names are published in capitals (`NHS LEICESTER CITY CCG`); they are stored as words
(`NHS Leicester City CCG`). A name reaches commissioners this database knows, and ICBs
it does not know yet (created, as ICBs); the other codes are counted, not added. A
code no file names can be named by hand: `resilience commissioners name CODE "NAME"`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from typing import Any

from resilience.importers import ImportFileError, ImportPlan, Rejected, read_file
from resilience.importers.ods import CODE, ICB
from resilience.safe_text import quoted

COMMISSIONER = re.compile(r"^(\d{2}[A-Z]|[A-Z]\d[A-Z]\d[A-Z]|\d[A-Z]\d|[A-Z0-9]{3})$")
PRACTICE = re.compile(r"^[A-Z]\d{5}$")
UPPER_WORDS = {"NHS", "CCG", "ICB", "UK", "PCT", "CIC", "LLP", "GP", "ICS", "CSU", "II", "III"}
LOWER_WORDS = {"and", "of", "the", "on", "upon", "in", "with", "under", "by"}


def readable_name(text: str) -> str:
    """`NHS LEICESTER CITY CCG` -> `NHS Leicester City CCG`; mixed case is kept."""
    text = " ".join(text.split())
    if text != text.upper():
        return text

    def word(part: str, first: bool) -> str:
        if part in UPPER_WORDS or (len(part) <= 5 and any(ch.isdigit() for ch in part)):
            return part
        lower = part.lower()
        if lower in LOWER_WORDS and not first:
            return lower
        return "-".join(p[:1].upper() + p[1:] for p in lower.split("-"))

    return " ".join(word(part, i == 0) for i, part in enumerate(text.split(" ")))


def _is_names_member(member: str) -> bool:
    return member.endswith(".csv") and not member.startswith("epraccur")


def plan_ods_names_import(path: str, known: Mapping[str, Mapping[str, Any]]) -> ImportPlan:
    """Names (and ICB parents) for commissioners from an ODS organisation file."""
    text, name, digest = read_file(path, _is_names_member)
    rows = [row for row in csv.reader(text.splitlines()) if any(c.strip() for c in row)]
    shaped = [r for r in rows if len(r) >= 2 and CODE.match(r[0].strip()) and r[1].strip()]
    if not rows or len(shaped) < len(rows) * 0.9:
        raise ImportFileError(
            f"{name}: not an ODS organisation file: expected rows of quoted fields with an "
            "ODS code in field 1 and a name in field 2 (as eccg.csv, no header)"
        )
    if sum(1 for r in shaped if PRACTICE.match(r[0].strip())) > len(shaped) / 2:
        raise ImportFileError(
            f"{name}: this holds GP practices (codes like A81001), not commissioners; "
            "import it with `resilience import ods`"
        )
    plan = ImportPlan(
        "ods-names",
        name,
        digest,
        "ods-organisations",
        None,
        skipped_reason="codes this database has no commissioner for (not added)",
    )
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        code = row[0].strip() if row else ""
        title = readable_name(row[1]) if len(row) >= 2 else ""
        if not CODE.match(code):
            plan.rejected.append(
                Rejected(number, "field 1 (code)", f"{quoted(code)} is not an ODS code")
            )
            continue
        if not title or not all(ch.isprintable() for ch in title):
            plan.rejected.append(Rejected(number, "field 2 (name)", "empty or not printable"))
            continue
        if code in seen:
            plan.rejected.append(
                Rejected(
                    number, "field 1 (code)", f"{code} appears twice (first in row {seen[code]})"
                )
            )
            continue
        seen[code] = number
        parent = row[3].strip() if len(row) > 3 else ""
        current = known.get(code)
        if current is None:
            if ICB.match(code):
                plan.names[code] = (title, "icb")
            else:
                plan.skipped += 1
            continue
        kind = "icb" if ICB.match(code) else ("sub_icb" if ICB.match(parent) else None)
        if current.get("name") != title or (kind and current.get("kind") != kind):
            plan.names[code] = (title, kind)
        else:
            plan.unchanged += 1
        if kind == "sub_icb" and current.get("parent") != parent:
            plan.commissioner_updates[code] = {"kind": "sub_icb", "parent": parent}
    for update in plan.commissioner_updates.values():  # the ICB must exist
        icb = update["parent"]
        if icb not in known and icb not in plan.names:
            plan.commissioners[icb] = {
                "code": icb,
                "name": f"ICB {icb}",
                "kind": "icb",
                "parent": None,
            }
    return plan


def learn_names(
    plan: ImportPlan,
    known: Mapping[str, Mapping[str, Any]],
    record: Mapping[str, str],
) -> None:
    """Names a data file carries beside its figures (the workforce files' SUB_ICB_CODE /
    SUB_ICB_NAME and ICB_CODE / ICB_NAME columns, the CQC care directory's commissioning
    CCG) fill in commissioners still called by
    their code; a name from an ODS names file or set by hand is never overwritten."""
    for code_column, name_column, kind in (
        ("ICB_CODE", "ICB_NAME", "icb"),
        ("SUB_ICB_CODE", "SUB_ICB_NAME", "sub_icb"),
        ("SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "sub_icb"),
        ("CCG_CODE", "CCG_NAME", None),
        # the CQC care directory: "NHS Greater Manchester Icb - 02A"
        ("Location Commissioning CCG Code", "Location Commissioning CCG", None),
    ):
        code = record.get(code_column, "").strip().upper()
        if not code or code in plan.names:  # the usual case, cheaply: known or learnt
            continue
        current = known.get(code)
        if current is None:
            if kind != "icb" or not ICB.match(code):
                continue
        elif current.get("name") not in (f"Commissioner {code}", f"ICB {code}"):
            continue
        title = re.sub(r"\bIcb\b", "ICB", readable_name(record.get(name_column, "")))
        if title and all(ch.isprintable() for ch in title):
            plan.names[code] = (title, "icb" if current is None else None)
