"""NHS Digital 'Patients registered at a GP practice' (monthly), both headers.

Up to 2022: CCG_CODE and dates like 01JAN2021; later SUB_ICB_LOCATION_CODE and ISO dates.
The practice total is the row with SEX=ALL and AGE=ALL.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from typing import Any

from resilience.importers import Change, ImportFileError, ImportPlan, Rejected, read_file
from resilience.safe_text import quoted

COMMON = ("PUBLICATION", "EXTRACT_DATE", "TYPE", "CODE", "SEX", "AGE", "NUMBER_OF_PATIENTS")
# A practice of a million patients would be ten times England's largest; a count past
# it is a corrupted cell (and past 2**63 would not fit the database at all).
MAX_PATIENTS = 1_000_000
DIALECTS = {"CCG_CODE": "patients-ccg-2021", "SUB_ICB_LOCATION_CODE": "patients-subicb-2022"}


def _extract_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d%b%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def plan_list_size_import(path: str, existing: dict[str, dict[str, Any]]) -> ImportPlan:
    text, name, digest = read_file(path)
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COMMON if c not in header]
    dialect = next((v for k, v in DIALECTS.items() if k in header), None)
    if missing or dialect is None:
        wanted = ", ".join((*COMMON, "CCG_CODE or SUB_ICB_LOCATION_CODE"))
        raise ImportFileError(
            f"{name}: not a registered-patients file: missing column(s) "
            f"{', '.join(missing) or 'CCG_CODE/SUB_ICB_LOCATION_CODE'}; expected {wanted}"
        )
    plan = ImportPlan(
        "list-size",
        name,
        digest,
        dialect,
        None,
        skipped_reason="age or sex breakdown rows; only SEX=ALL, AGE=ALL count",
    )
    seen: dict[str, int] = {}
    for number, record in enumerate(reader, start=1):
        record = {k.strip(): (v or "").strip() for k, v in record.items() if k}
        if record["SEX"] != "ALL" or record["AGE"] != "ALL":
            plan.skipped += 1
            continue
        try:
            extract = _extract_date(record["EXTRACT_DATE"])
        except ValueError:
            plan.rejected.append(
                Rejected(
                    number,
                    "EXTRACT_DATE",
                    f"{quoted(record['EXTRACT_DATE'])} is not a date (01JAN2021 or 2026-04-01)",
                )
            )
            continue
        if plan.extract_date is None:
            plan.extract_date = extract
        elif extract != plan.extract_date:
            plan.rejected.append(
                Rejected(
                    number,
                    "EXTRACT_DATE",
                    f"{extract} differs from the file's {plan.extract_date}: one extract per file",
                )
            )
            continue
        code = record["CODE"]
        try:
            patients = int(record["NUMBER_OF_PATIENTS"])
            if not 0 <= patients <= MAX_PATIENTS:
                raise ValueError
        except ValueError:
            plan.rejected.append(
                Rejected(
                    number,
                    "NUMBER_OF_PATIENTS",
                    f"{quoted(record['NUMBER_OF_PATIENTS'])} is not a whole number of patients "
                    f"(0 to {MAX_PATIENTS:,})",
                )
            )
            continue
        if code in seen:
            plan.rejected.append(
                Rejected(number, "CODE", f"{code} appears twice (first in row {seen[code]})")
            )
            continue
        seen[code] = number
        current = existing.get(code)
        if current is None:
            plan.not_in_register.append(code)
            continue
        if current.get("list_size") == patients:
            plan.unchanged += 1
        else:
            plan.changes.append(
                Change(
                    code,
                    "changed",
                    {"list_size": patients},
                    {"list_size": current.get("list_size")},
                )
            )
    if plan.extract_date is None and not plan.rejected:
        raise ImportFileError(f"{name}: no practice totals (SEX=ALL, AGE=ALL) in the file")
    return plan
