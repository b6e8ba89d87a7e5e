"""ODS `epraccur.csv`: the register of GP practices (27 quoted fields, no header).

Two dialects: legacy (status A/C/D/P, field 26 a setting, 4 = GP practice) and the
2025+ ODS export (status ACTIVE/INACTIVE/DORMANT, field 26 a role, RO76 = GP practice,
field 4 the ICB and field 15 the sub-ICB location).
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from typing import Any

from resilience.importers import (
    Change,
    ImportFileError,
    ImportPlan,
    Rejected,
    read_file,
    text_rejected,
)

FIELDS = 27
CODE = re.compile(r"^[A-Z][0-9A-Z]\d{3,4}$")
LEGACY_STATUS = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}
MODERN_STATUS = {"ACTIVE": "active", "INACTIVE": "closed", "DORMANT": "dormant"}
GP_SETTING, GP_ROLE = "4", "RO76"


def _date(text: str) -> date | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y%m%d").date()


def plan_ods_import(
    path: str,
    existing: dict[str, dict[str, Any]],
    known_commissioners: set[str],
    *,
    all_settings: bool = False,
) -> ImportPlan:
    """Compare the file with the register (``existing``: ODS code -> practice fields)."""
    text, name, digest = read_file(path)
    rows = list(csv.reader(text.splitlines()))
    dialect = _dialect(rows, name)
    plan = ImportPlan(
        "ods",
        name,
        digest,
        f"epraccur-{dialect}",
        None,
        skipped_reason="not GP practices; --all-settings keeps them",
    )
    statuses = LEGACY_STATUS if dialect == "legacy" else MODERN_STATUS
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != FIELDS:
            plan.rejected.append(Rejected(number, "", f"{len(row)} fields, expected {FIELDS}"))
            continue
        code = row[0].strip()
        if not CODE.match(code):
            plan.rejected.append(Rejected(number, "field 1 (code)", f"{code!r} is not an ODS code"))
            continue
        setting = row[25].strip()
        if not all_settings and setting != (GP_SETTING if dialect == "legacy" else GP_ROLE):
            plan.skipped += 1
            continue
        status = row[12].strip()
        if status not in statuses:
            plan.rejected.append(
                Rejected(
                    number,
                    "field 13 (status)",
                    f"{status!r} is not one of {', '.join(statuses)} ({dialect} dialect)",
                )
            )
            continue
        try:
            opened, closed = _date(row[10].strip()), _date(row[11].strip())
        except ValueError:
            plan.rejected.append(Rejected(number, "field 11/12 (dates)", "dates must be YYYYMMDD"))
            continue
        if code in seen:
            plan.rejected.append(Rejected(number, "field 1 (code)", f"{code} appears twice"))
            continue
        seen.add(code)
        bad_text = text_rejected(
            number, {"field 2 (name)": row[1], "field 10 (postcode)": row[9], "field 15": row[14]}
        )
        if bad_text:
            plan.rejected.extend(bad_text)
            continue
        commissioner = row[14].strip()
        if commissioner and commissioner not in known_commissioners:
            parent = row[3].strip() if dialect == "modern" else ""
            plan.commissioners.setdefault(
                commissioner,
                {
                    "code": commissioner,
                    "name": f"Commissioner {commissioner}",
                    "kind": "sub_icb" if dialect == "modern" else "ccg",
                    "parent": parent or None,
                },
            )
            if parent and parent not in known_commissioners:
                plan.commissioners.setdefault(
                    parent, {"code": parent, "name": f"ICB {parent}", "kind": "icb", "parent": None}
                )
        values = {
            "name": row[1].strip(),
            "postcode": row[9].strip(),
            "status": statuses[status],
            "opened_on": opened,
            "closed_on": closed,
            "commissioner": commissioner,
        }
        current = existing.get(code)
        if current is None:
            plan.changes.append(Change(code, "new", values))
            continue
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if changed:
            plan.changes.append(
                Change(code, "changed", changed, {k: current.get(k) for k in changed})
            )
        else:
            plan.unchanged += 1
    # parents must be created before their children
    plan.commissioners = dict(
        sorted(plan.commissioners.items(), key=lambda item: item[1]["kind"] != "icb")
    )
    return plan


def _dialect(rows: list[list[str]], name: str) -> str:
    for row in rows:
        if len(row) == FIELDS:
            status = row[12].strip()
            if status in LEGACY_STATUS:
                return "legacy"
            if status in MODERN_STATUS:
                return "modern"
    raise ImportFileError(
        f"{name}: not an ODS epraccur file: expected rows of {FIELDS} quoted fields with a "
        "status (A/C/D/P or ACTIVE/INACTIVE/DORMANT) in field 13"
    )
