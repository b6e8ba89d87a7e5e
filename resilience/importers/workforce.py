"""NHS Digital GP workforce, practice level (monthly), in its two shapes; as the CSV or
the zip it is published in.

**Detailed** (wide, hundreds of columns). Read: PRAC_CODE; GP FTE excluding trainees
(TOTAL_GP_EXTG_FTE, else TOTAL_GP_FTE); nurse FTE (TOTAL_NURSES_FTE, older files
TOTAL_NURSE_FTE); the GP headcount excluding trainees and locums by age
(MALE_/FEMALE_GP_EXTGL_HC_55TO59, _60TO64, _65TO69, _70PLUS) and in total
(TOTAL_GP_EXTGL_HC, else TOTAL_GP_HC). `ND` (no data) is unknown, never zero.

**High level** (long): one row per practice, staff group, detailed role and measure,
columns `PRAC_CODE, STAFF_GROUP, DETAILED_STAFF_ROLE, MEASURE, VALUE` (any case; other
columns such as the ICB or PCN are ignored). What counts, and why (see
``resilience/importers/workforce_long.py``):

- GP FTE excluding trainees = the FTE of every role in staff group `GP` except trainee
  roles (a role naming `registrar`, `trainee` or `training`). Locums count, as in the
  detailed file's TOTAL_GP_EXTG_FTE.
- Nurse FTE = the FTE of every role in staff group `Nurses`.
- GP headcount = the headcount of GP roles excluding trainees and locums (the detailed
  file's TOTAL_GP_EXTGL_HC). Headcounts of roles are added: a GP holding two roles at
  one practice would be counted twice; the file gives no per-person figure.
- Rows whose role starts with `Total` are left out (they would count people twice);
  other staff groups (direct patient care, admin) are not read. The file has no age
  bands, so the GP age mix stays unknown.
- `ND`, blank or a missing row is unknown, never zero; a practice's figure is unknown
  if any of its counted rows is.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from typing import Any

from resilience.importers import (
    ImportFileError,
    ImportPlan,
    Rejected,
    finite_float,
    read_file,
)
from resilience.importers.ods_names import learn_names
from resilience.importers.workforce_long import is_long, plan_long
from resilience.safe_text import quoted

SEXES = ("MALE", "FEMALE")
FIELDS = (
    "gp_fte",
    "nurse_fte",
    "gp_headcount",
    "gp_aged_55_59",
    "gp_aged_60_plus",
    "gp_aged_55_plus",
    "single_handed",
)


def _is_practice_detailed(member: str) -> bool:
    return "prac" in member and "detail" in member and member.endswith(".csv")


def _is_practice_csv(member: str) -> bool:
    return "prac" in member and member.endswith(".csv")


# The workforce zip holds several levels: the practice-level detailed CSV, else the
# practice-level one (high level).
PRACTICE_MEMBER = (_is_practice_detailed, _is_practice_csv)


def _first(header: list[str], *names: str) -> str | None:
    return next((n for n in names if n in header), None)


def _number(
    record: dict[str, str], column: str, row: int, problems: list[Rejected], whole: bool
) -> Any:
    """A figure from the file; ND (no data) or empty is unknown, never zero."""
    raw = record.get(column, "")
    if raw in ("", "ND"):
        return None
    try:
        value = finite_float(raw)
    except ValueError:
        problems.append(Rejected(row, column, f"{quoted(raw)} is not a number or ND"))
        return None
    if value < 0:
        problems.append(Rejected(row, column, f"{raw} is negative"))
        return None
    return round(value) if whole else round(value, 2)


def plan_workforce_import(
    path: str,
    practices: set[str],
    current: dict[str, dict[str, Any]],
    extract_date: date | None = None,
    commissioners: Mapping[str, Mapping[str, Any]] | None = None,
) -> ImportPlan:
    text, name, digest = read_file(path, PRACTICE_MEMBER)
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    if is_long(header):
        return plan_long(
            reader, name, digest, practices, current, extract_date, commissioners or {}
        )
    gp_fte = _first(header, "TOTAL_GP_EXTG_FTE", "TOTAL_GP_FTE")
    nurse = _first(header, "TOTAL_NURSES_FTE", "TOTAL_NURSE_FTE")
    headcount = _first(header, "TOTAL_GP_EXTGL_HC", "TOTAL_GP_HC")
    missing = [
        label
        for label, column in (
            ("PRAC_CODE", "PRAC_CODE" if "PRAC_CODE" in header else None),
            ("TOTAL_GP_EXTG_FTE or TOTAL_GP_FTE", gp_fte),
            ("TOTAL_NURSES_FTE or TOTAL_NURSE_FTE", nurse),
            ("TOTAL_GP_EXTGL_HC or TOTAL_GP_HC", headcount),
        )
        if column is None
    ]
    if missing:
        raise ImportFileError(
            f"{name}: not a GP workforce practice-level file: missing column(s) "
            f"{', '.join(missing)} (detailed), or PRAC_CODE, STAFF_GROUP, "
            "DETAILED_STAFF_ROLE, MEASURE, VALUE (high level)"
        )
    bands_55 = [f"{s}_GP_EXTGL_HC_55TO59" for s in SEXES]
    bands_60 = [f"{s}_GP_EXTGL_HC_{b}" for s in SEXES for b in ("60TO64", "65TO69", "70PLUS")]
    has_ages = all(c in header for c in bands_55 + bands_60)
    version = "workforce-" + ("nurses" if nurse == "TOTAL_NURSES_FTE" else "nurse")
    plan = ImportPlan("workforce", name, digest, version, extract_date)
    seen: dict[str, int] = {}
    for number, record in enumerate(reader, start=1):
        record = {k.strip(): (v or "").strip() for k, v in record.items() if k}
        learn_names(plan, commissioners or {}, record)
        code = record["PRAC_CODE"]
        if not code:
            plan.rejected.append(Rejected(number, "PRAC_CODE", "empty"))
            continue
        if code in seen:
            plan.rejected.append(
                Rejected(number, "PRAC_CODE", f"{code} appears twice (first in row {seen[code]})")
            )
            continue
        seen[code] = number
        problems: list[Rejected] = []

        def number_of(
            column: str,
            whole: bool = False,
            *,
            row: dict[str, str] = record,
            at: int = number,
            out: list[Rejected] = problems,
        ) -> Any:
            return _number(row, column, at, out, whole)

        values: dict[str, Any] = {
            "gp_fte": number_of(gp_fte),  # type: ignore[arg-type]
            "nurse_fte": number_of(nurse),  # type: ignore[arg-type]
            "gp_headcount": number_of(headcount, whole=True),  # type: ignore[arg-type]
        }
        if has_ages:
            parts_55 = [number_of(c, whole=True) for c in bands_55]
            parts_60 = [number_of(c, whole=True) for c in bands_60]
            values["gp_aged_55_59"] = None if None in parts_55 else sum(parts_55)
            values["gp_aged_60_plus"] = None if None in parts_60 else sum(parts_60)
            if values["gp_aged_55_59"] is not None and values["gp_aged_60_plus"] is not None:
                values["gp_aged_55_plus"] = values["gp_aged_55_59"] + values["gp_aged_60_plus"]
        if values["gp_headcount"] is not None:
            values["single_handed"] = values["gp_headcount"] == 1
        if problems:
            plan.rejected.extend(problems)
            continue
        if code not in practices:
            plan.not_in_register.append(code)
            continue
        plan.compare(code, values, current.get(code, {}))
    return plan
