"""GP workforce, practice level, "high level" (long) file: what counts is explained in
``resilience/importers/workforce.py``'s docstring."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from resilience.importers import ImportPlan, Rejected
from resilience.importers.ods_names import learn_names
from resilience.safe_text import quoted

COLUMNS = ("prac_code", "staff_group", "detailed_staff_role", "measure", "value")
GP_GROUPS = {"gp", "gps"}
NURSE_GROUPS = {"nurses", "nurse"}
FTE, HEADCOUNT = "fte", "headcount"
MEASURES = {"fte": FTE, "headcount": HEADCOUNT, "hc": HEADCOUNT}


def is_long(header: list[str]) -> bool:
    lower = {h.strip().lower() for h in header}
    return all(c in lower for c in COLUMNS)


def _trainee(role: str) -> bool:
    return any(word in role for word in ("registrar", "trainee", "training"))


def plan_long(
    reader: csv.DictReader[str],
    name: str,
    digest: str,
    practices: set[str],
    current: dict[str, dict[str, Any]],
    extract_date: date | None,
    commissioners: Mapping[str, Mapping[str, Any]],
) -> ImportPlan:
    plan = ImportPlan(
        "workforce",
        name,
        digest,
        "workforce-high-level",
        extract_date,
        skipped_reason="other staff groups, total rows and other measures",
    )
    # code -> figure -> list of values (None = unknown)
    sums: dict[str, dict[str, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    seen: dict[tuple[str, str, str, str], int] = {}
    order: list[str] = []
    for number, raw in enumerate(reader, start=1):
        learn_names(plan, commissioners, {k.strip().upper(): v or "" for k, v in raw.items() if k})
        record = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        code = record["prac_code"].upper()
        group = record["staff_group"].lower()
        role = record["detailed_staff_role"].lower()
        measure = MEASURES.get(record["measure"].lower())
        if not any(record.values()):
            continue
        if group not in GP_GROUPS | NURSE_GROUPS or measure is None or role.startswith("total"):
            plan.skipped += 1
            continue
        if not code:
            plan.rejected.append(Rejected(number, "PRAC_CODE", "empty"))
            continue
        key = (code, group, role, measure)
        if key in seen:
            plan.rejected.append(
                Rejected(
                    number,
                    "DETAILED_STAFF_ROLE",
                    f"{code} {record['staff_group']} / {record['detailed_staff_role']} "
                    f"{record['measure']} appears twice (first in row {seen[key]})",
                )
            )
            continue
        seen[key] = number
        text = record["value"]
        value: float | None = None
        if text.upper() not in ("", "ND"):
            try:
                value = float(text)
            except ValueError:
                plan.rejected.append(
                    Rejected(number, "VALUE", f"{quoted(text)} is not a number or ND")
                )
                continue
            if value < 0:
                plan.rejected.append(Rejected(number, "VALUE", f"{text} is negative"))
                continue
        if code not in sums:
            order.append(code)
        figures = sums[code]
        if group in NURSE_GROUPS:
            if measure == FTE:
                figures["nurse_fte"].append(value)
        elif not _trainee(role):
            if measure == FTE:
                figures["gp_fte"].append(value)
            elif "locum" not in role:
                figures["gp_headcount"].append(value)
    for code in order:
        figures = sums[code]
        values: dict[str, Any] = {}
        for field, whole in (("gp_fte", False), ("nurse_fte", False), ("gp_headcount", True)):
            parts = figures.get(field)
            if not parts or None in parts:
                values[field] = None  # no row, or ND: unknown, never zero
                continue
            total = sum(p for p in parts if p is not None)
            values[field] = round(total) if whole else round(total, 2)
        if values["gp_headcount"] is not None:
            values["single_handed"] = values["gp_headcount"] == 1
        if code not in practices:
            plan.not_in_register.append(code)
            continue
        plan.compare(code, values, current.get(code, {}))
    return plan
