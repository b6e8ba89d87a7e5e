"""Every finding a reviewer records: its label, kind, accepted values, and how typed text
becomes a value. One table serves the review form and text imports, so both accept the
same things and say the same thing when they do not."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from resilience.domain import FINDING_FIELDS, GP_AGE_SPLIT
from resilience.safe_text import quoted
from scoring import AREA_LABELS, FIELDS_BY_AREA
from scoring.metrics import CATEGORY_VALUES, LABELS


class FieldError(ValueError):
    """Text that is not a valid value for a field; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # choice | bool | int | float | pct | date
    area: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def accepted(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "yes or no"
        if self.kind == "date":
            return "a date written YYYY-MM-DD"
        low = "" if self.minimum is None else f"{self.minimum:g}"
        high = "" if self.maximum is None else f"{self.maximum:g}"
        what = "a whole number" if self.kind == "int" else "a number"
        if low and high:
            return f"{what} from {low} to {high}"
        if low:
            return f"{what}, at least {low}"
        return what


INT_FIELDS = {
    "remedial_notices_open",
    "breach_notices_open",
    "list_size",
    "gp_headcount",
    "gp_aged_55_plus",
    "gp_aged_55_59",
    "gp_aged_60_plus",
}
PCT_FIELDS = {
    "qof_achievement_pct",
    "gpps_overall_good_pct",
    "gpps_phone_easy_pct",
    "gp_sessions_unfilled_pct",
}
FLOAT_FIELDS = {"gp_fte", "nurse_fte", "other_clinical_fte", "gp_vacancy_fte"}
DATE_FIELDS = {"cqc_last_inspection", "list_closure_end", "contract_end"}
BOOL_FIELDS = {
    "whistleblowing",
    "whistleblowing_corroborated",
    "cqc_special_measures",
    "cqc_enforcement_action",
    "contract_sanction",
    "list_closed",
    "single_handed",
    "partnership_change",
    "at_risk_of_closure_12m",
}
# No practice has a million of anything counted here (England's largest list is about
# 100,000 patients); a larger whole number is a corrupted cell, and one past 2**63
# would not even fit the database.
MAX_WHOLE = 1_000_000
EXTRA_LABELS = {"gp_aged_55_59": "GPs aged 55-59", "gp_aged_60_plus": "GPs aged 60+"}


def _spec(name: str, area: str) -> FieldSpec:
    label = EXTRA_LABELS.get(name) or LABELS.get(name, name)
    if name in CATEGORY_VALUES:
        return FieldSpec(name, label, "choice", area, choices=CATEGORY_VALUES[name])
    if name in BOOL_FIELDS:
        return FieldSpec(name, label, "bool", area)
    if name in DATE_FIELDS:
        return FieldSpec(name, label, "date", area)
    if name in PCT_FIELDS:
        return FieldSpec(name, label, "pct", area, minimum=0, maximum=100)
    if name in INT_FIELDS:
        return FieldSpec(name, label, "int", area, minimum=0)
    if name in FLOAT_FIELDS:
        return FieldSpec(name, label, "float", area, minimum=0)
    if name == "list_growth_pct_12m":
        return FieldSpec(name, label, "float", area, minimum=-100)
    if name == "soft_intel_max_severity":
        return FieldSpec(name, label, "int", area, minimum=0, maximum=5)
    if name == "soft_intel_count":
        return FieldSpec(name, label, "int", area, minimum=0)
    raise KeyError(name)


def _build() -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    for area, fields in FIELDS_BY_AREA.items():
        for name in fields:
            if name in FINDING_FIELDS:
                specs[name] = _spec(name, area)
                if name == "gp_aged_55_plus":  # the split NHS Digital publishes, beside it
                    for extra in GP_AGE_SPLIT:
                        specs[extra] = _spec(extra, area)
    return specs


SPECS: dict[str, FieldSpec] = _build()
assert set(SPECS) == set(FINDING_FIELDS)
# Every engine input (the batch CSV's columns), including the flat soft-intelligence
# summary that the form derives from the log instead.
INPUT_SPECS: dict[str, FieldSpec] = {
    name: SPECS.get(name) or _spec(name, area)
    for area, names in FIELDS_BY_AREA.items()
    for name in names
}
# The commissioner-relative list size (computed by the store; a batch file may give it).
INPUT_SPECS["list_size_percentile"] = FieldSpec(
    "list_size_percentile", LABELS["list_size_percentile"], "pct", "sustainability", (), 0, 100
)
INPUT_SPECS["list_size_relative"] = FieldSpec(
    "list_size_relative", LABELS["list_size_relative"], "float", "sustainability", (), 0
)
INPUT_SPECS["practice_opened"] = FieldSpec(
    "practice_opened", LABELS["practice_opened"], "date", "sustainability"
)


def fields_by_area() -> dict[str, list[FieldSpec]]:
    out: dict[str, list[FieldSpec]] = {area: [] for area in AREA_LABELS}
    for spec in SPECS.values():
        out[spec.area].append(spec)
    return {area: specs for area, specs in out.items() if specs}


def parse_value(name: str, text: str) -> Any:
    """Typed text -> a value for ``name``; empty text means unknown (None)."""
    spec = SPECS.get(name) or INPUT_SPECS[name]
    raw = text.strip()
    if raw == "":
        return None
    try:
        if spec.kind == "choice":
            value = raw.lower().replace(" ", "_").replace("-", "_")
            if value not in spec.choices:
                raise ValueError
            return value
        if spec.kind == "bool":
            lowered = raw.lower()
            if lowered in ("yes", "y", "true", "1"):
                return True
            if lowered in ("no", "n", "false", "0"):
                return False
            raise ValueError
        if spec.kind == "date":
            return date.fromisoformat(raw)
        number: float | int = (
            int(raw.replace(",", ""))
            if spec.kind == "int"
            else float(raw.replace(",", "").rstrip("%"))
        )
    except ValueError:
        raise FieldError(f"{spec.label}: {quoted(raw)} is not {spec.accepted()}") from None
    if not math.isfinite(number):  # 1e400, inf, nan: not a figure anyone reported
        raise FieldError(f"{spec.label}: {quoted(raw)} is not a finite number; {spec.accepted()}")
    if spec.kind == "int" and abs(number) > MAX_WHOLE:  # would not fit the database
        raise FieldError(f"{spec.label}: {raw} is too large (at most {MAX_WHOLE:,})")
    if (spec.minimum is not None and number < spec.minimum) or (
        spec.maximum is not None and number > spec.maximum
    ):
        raise FieldError(f"{spec.label}: {raw} is out of range; expected {spec.accepted()}")
    return number


def show_value(name: str, value: Any) -> str:
    """A value as the form shows it (the inverse of parse_value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
