"""The catalogue of what a rule may read: raw inputs and the ratios derived from them.

Ratios are the ones commissioners already use (patients per GP FTE, share of GPs aged
55 and over...). A derived metric is unknown when any input it needs is unknown.
"""

from __future__ import annotations

from typing import get_args

from scoring.inputs import CqcRating, PracticeChange, RiskLevel

CATEGORY_VALUES: dict[str, tuple[str, ...]] = {
    "cqc_overall": get_args(CqcRating),
    "cqc_safe": get_args(CqcRating),
    "cqc_effective": get_args(CqcRating),
    "cqc_caring": get_args(CqcRating),
    "cqc_responsive": get_args(CqcRating),
    "cqc_well_led": get_args(CqcRating),
    "premises_risk": get_args(RiskLevel),
    "financial_risk": get_args(RiskLevel),
    "merger_or_split": get_args(PracticeChange),
}

FLAG_INPUTS: frozenset[str] = frozenset(
    {
        "cqc_special_measures",
        "cqc_enforcement_action",
        "contract_sanction",
        "list_closed",
        "single_handed",
        "whistleblowing",
        "whistleblowing_corroborated",
        "partnership_change",
        "at_risk_of_closure_12m",
    }
)

NUMBER_INPUTS: frozenset[str] = frozenset(
    {
        "qof_achievement_pct",
        "gpps_overall_good_pct",
        "gpps_phone_easy_pct",
        "remedial_notices_open",
        "breach_notices_open",
        "list_size",
        "gp_fte",
        "nurse_fte",
        "other_clinical_fte",
        "gp_vacancy_fte",
        "gp_sessions_unfilled_pct",
        "gp_headcount",
        "gp_aged_55_plus",
        "soft_intel_max_severity",
        "soft_intel_count",
        "list_growth_pct_12m",
        "list_size_percentile",
        "list_size_relative",
    }
)

# derived metric -> the raw inputs it is computed from
DERIVED_METRICS: dict[str, tuple[str, ...]] = {
    "patients_per_gp_fte": ("list_size", "gp_fte"),
    "patients_per_nurse_fte": ("list_size", "nurse_fte"),
    "gp_aged_55_plus_pct": ("gp_aged_55_plus", "gp_headcount"),
    "gp_vacancy_pct": ("gp_vacancy_fte", "gp_fte"),
    "months_since_cqc_inspection": ("cqc_last_inspection",),
    "practice_age_years": ("practice_opened",),
}

# Plain-English names, for explanations and forms.
LABELS: dict[str, str] = {
    "patients_per_gp_fte": "patients per GP FTE",
    "patients_per_nurse_fte": "patients per nurse FTE",
    "gp_aged_55_plus_pct": "share of GPs aged 55+",
    "gp_vacancy_pct": "GP vacancies",
    "months_since_cqc_inspection": "months since CQC inspection",
    "cqc_overall": "CQC overall rating",
    "cqc_safe": "CQC safe",
    "cqc_effective": "CQC effective",
    "cqc_caring": "CQC caring",
    "cqc_responsive": "CQC responsive",
    "cqc_well_led": "CQC well-led",
    "cqc_special_measures": "special measures",
    "cqc_enforcement_action": "CQC enforcement action",
    "cqc_last_inspection": "last CQC inspection",
    "qof_achievement_pct": "QOF achievement %",
    "gpps_overall_good_pct": "GPPS overall good %",
    "gpps_phone_easy_pct": "GPPS phone easy %",
    "remedial_notices_open": "remedial notices open",
    "breach_notices_open": "breach notices open",
    "contract_sanction": "contract sanction",
    "list_closed": "list closed",
    "list_closure_end": "list closure ends",
    "contract_end": "contract ends",
    "list_size": "list size",
    "gp_fte": "GP FTE",
    "nurse_fte": "nurse FTE",
    "other_clinical_fte": "other clinical FTE",
    "gp_vacancy_fte": "GP vacancy FTE",
    "gp_sessions_unfilled_pct": "GP sessions unfilled %",
    "gp_headcount": "GP headcount",
    "gp_aged_55_plus": "GPs aged 55+",
    "single_handed": "single-handed",
    "soft_intel_max_severity": "soft intelligence severity",
    "soft_intel_count": "soft intelligence items",
    "whistleblowing": "whistleblowing",
    "whistleblowing_corroborated": "whistleblowing corroborated",
    "premises_risk": "premises risk",
    "financial_risk": "financial risk",
    "partnership_change": "partnership change",
    "list_growth_pct_12m": "list growth % (12 months)",
    "list_size_percentile": "list size percentile in the commissioner",
    "list_size_relative": "list size as % of the commissioner's median list",
    "practice_opened": "practice opened",
    "practice_age_years": "years since the practice opened",
    "merger_or_split": "merger or split",
    "at_risk_of_closure_12m": "at risk of closure (12 months)",
}


def metric_kind(name: str) -> str | None:
    """'category', 'flag' or 'number' for a readable metric, None if there is none."""
    if name in CATEGORY_VALUES:
        return "category"
    if name in FLAG_INPUTS:
        return "flag"
    if name in NUMBER_INPUTS or name in DERIVED_METRICS:
        return "number"
    return None


def raw_inputs_of(name: str) -> tuple[str, ...]:
    """The raw input fields a metric depends on."""
    return DERIVED_METRICS.get(name, (name,))
