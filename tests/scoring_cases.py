"""Shared inputs for the engine's tests: a practice with every input known and clean."""

from __future__ import annotations

from datetime import date
from typing import Any

from scoring import PracticeInputs

CLEAN: dict[str, Any] = {
    "ods_code": "ZT0001",
    "period": "2016-10",
    "cqc_overall": "good",
    "cqc_safe": "good",
    "cqc_effective": "good",
    "cqc_caring": "good",
    "cqc_responsive": "good",
    "cqc_well_led": "good",
    "cqc_special_measures": False,
    "cqc_enforcement_action": False,
    "cqc_last_inspection": date(2015, 6, 1),
    "qof_achievement_pct": 95.0,
    "gpps_overall_good_pct": 88.0,
    "gpps_phone_easy_pct": 75.0,
    "remedial_notices_open": 0,
    "breach_notices_open": 0,
    "contract_sanction": False,
    "list_closed": False,
    "list_closure_end": None,
    "contract_end": None,
    "list_size": 8000,
    "gp_fte": 5.0,
    "nurse_fte": 2.5,
    "other_clinical_fte": 1.0,
    "gp_vacancy_fte": 0.0,
    "gp_sessions_unfilled_pct": 0.0,
    "gp_headcount": 6,
    "gp_aged_55_plus": 1,
    "single_handed": False,
    "soft_intel_max_severity": 0,
    "soft_intel_count": 0,
    "whistleblowing": False,
    "whistleblowing_corroborated": False,
    "premises_risk": "low",
    "financial_risk": "none",
    "partnership_change": False,
    "list_growth_pct_12m": 1.0,
    "merger_or_split": "none",
    "at_risk_of_closure_12m": False,
}
# What the service computes from the register (not a finding): the list size's
# percentile within the commissioner and its list as a % of the commissioner's median.
CONTEXT: dict[str, Any] = {
    "list_size_percentile": 60.0,
    "list_size_relative": 120.0,
    "practice_opened": date(1974, 4, 1),
}

# Inputs ordered from best to worst: worsening any one never lowers the score.
ORDERED: dict[str, list[Any]] = {
    **{
        f: ["outstanding", "good", "not_rated", "requires_improvement", "inadequate"]
        for f in (
            "cqc_overall",
            "cqc_safe",
            "cqc_effective",
            "cqc_caring",
            "cqc_responsive",
            "cqc_well_led",
        )
    },
    **{
        f: [False, True]
        for f in (
            "cqc_special_measures",
            "cqc_enforcement_action",
            "contract_sanction",
            "list_closed",
            "single_handed",
            "whistleblowing",
            "whistleblowing_corroborated",
            "partnership_change",
            "at_risk_of_closure_12m",
        )
    },
    "premises_risk": ["none", "low", "medium", "high"],
    "financial_risk": ["none", "low", "medium", "high"],
    "merger_or_split": ["none", "merger", "split"],
}
# Numeric inputs: +1 when a larger value is worse, -1 when a smaller value is worse.
NUMERIC_DIRECTION: dict[str, int] = {
    "qof_achievement_pct": -1,
    "gpps_overall_good_pct": -1,
    "gpps_phone_easy_pct": -1,
    "remedial_notices_open": 1,
    "breach_notices_open": 1,
    "gp_fte": -1,
    "nurse_fte": -1,
    "gp_vacancy_fte": 1,
    "gp_sessions_unfilled_pct": 1,
    "gp_headcount": -1,
    "gp_aged_55_plus": 1,
    "soft_intel_max_severity": 1,
    "soft_intel_count": 1,
    "list_growth_pct_12m": 1,
    "list_size_percentile": -1,
    "list_size_relative": -1,
}
# list_size has no single direction: a very large list strains capacity (patients per
# GP), a very small one threatens viability. It is covered by the unknown-value property.


def practice(**changes: Any) -> PracticeInputs:
    return PracticeInputs(**{**CLEAN, **CONTEXT, **changes})
