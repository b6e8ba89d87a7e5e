"""Table-driven: every rule and floor of the default method, the 5x5 matrix, the bands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scoring import (
    MethodologyError,
    SoftIntelItem,
    cell_band,
    default_methodology,
    load_methodology,
    parse_methodology,
    score,
)
from scoring.engine import format_value
from scoring.trend import HistoryPoint
from tests.scoring_cases import CLEAN, CONTEXT, practice

DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()


def test_a_clean_practice_scores_zero_low_with_full_completeness() -> None:
    # the commissioner's largest list: nothing at all
    largest = score(practice(list_size_relative=200.0))
    assert (largest.score, largest.band) == (0.0, "Low")
    assert [c.rule_id for c in largest.contributions] == ["BAND"]
    # a list at 120% of the median sits 0.4 of the within-band share (10% of 25 points) up
    result = score(practice())
    assert (result.score, result.band) == (1.0, "Low")
    assert [(c.rule_id, c.points_tenths) for c in result.contributions] == [("BAND", 0), ("P1", 10)]
    assert all(a.band == "Low" and a.score == 1 for a in result.areas)
    assert result.data_completeness == 1.0 and result.unknown_inputs == ()
    assert result.summary == "No risk findings"
    assert result.methodology_version == default_methodology().version


# rule id, the change, area, expected (likelihood, consequence) of that area
RULE_CASES = [
    ("Q1", {"cqc_overall": "requires_improvement"}, "quality", (2, 3)),
    ("Q1", {"cqc_overall": "not_rated"}, "quality", (2, 2)),
    ("Q2", {"cqc_safe": "requires_improvement"}, "quality", (2, 3)),
    ("Q2", {"cqc_safe": "inadequate"}, "quality", (3, 4)),
    ("Q3", {"cqc_effective": "inadequate"}, "quality", (2, 3)),
    ("Q4", {"cqc_caring": "inadequate"}, "quality", (2, 3)),
    ("Q5", {"cqc_responsive": "inadequate"}, "quality", (2, 3)),
    ("Q6", {"cqc_well_led": "inadequate"}, "quality", (2, 3)),
    ("Q7", {"cqc_special_measures": True}, "quality", (3, 4)),  # 12: floor F2 holds
    ("Q8", {"cqc_enforcement_action": True}, "quality", (2, 4)),
    ("Q9", {"cqc_last_inspection": date(2012, 1, 1)}, "quality", (2, 1)),
    ("Q9", {"cqc_last_inspection": date(2010, 1, 1)}, "quality", (3, 1)),  # 81 months: still Low
    ("Q10", {"qof_achievement_pct": 80.0}, "quality", (2, 2)),
    ("Q10", {"qof_achievement_pct": 70.0}, "quality", (3, 2)),
    ("Q11", {"gpps_overall_good_pct": 65.0}, "quality", (2, 2)),
    ("Q11", {"gpps_overall_good_pct": 55.0}, "quality", (2, 3)),
    ("Q12", {"gpps_phone_easy_pct": 45.0}, "quality", (2, 2)),
    ("Q12", {"gpps_phone_easy_pct": 30.0}, "quality", (3, 2)),
    ("C2", {"breach_notices_open": 1}, "contract", (4, 4)),
    ("C3", {"contract_sanction": True}, "contract", (2, 3)),
    ("C4", {"list_closed": True}, "contract", (3, 3)),
    ("W1", {"list_size": 14000, "gp_fte": 5.0}, "workforce", (2, 2)),  # 2,800 per GP
    ("W1", {"list_size": 17000, "gp_fte": 5.0}, "workforce", (3, 2)),  # 3,400
    ("W1", {"list_size": 19500, "gp_fte": 5.0, "nurse_fte": 4.0}, "workforce", (3, 3)),
    ("W2", {"nurse_fte": 1.0}, "workforce", (2, 2)),  # 8,000 per nurse
    ("W2", {"nurse_fte": 0.8}, "workforce", (3, 2)),  # 10,000
    ("W3", {"gp_aged_55_plus": 3}, "workforce", (2, 2)),  # 50%
    ("W3", {"gp_aged_55_plus": 4}, "workforce", (2, 3)),  # 67%
    ("W4", {"gp_vacancy_fte": 1.0}, "workforce", (2, 2)),  # 16.7%
    ("W4", {"gp_vacancy_fte": 2.5}, "workforce", (3, 3)),  # 33%
    ("W5", {"gp_sessions_unfilled_pct": 12.0}, "workforce", (2, 2)),
    ("W5", {"gp_sessions_unfilled_pct": 25.0}, "workforce", (3, 3)),
    ("S1", {"soft_intel_max_severity": 3, "soft_intel_count": 1}, "soft_intelligence", (3, 3)),
    ("S1", {"soft_intel_max_severity": 5, "soft_intel_count": 1}, "soft_intelligence", (4, 4)),
    ("S2", {"soft_intel_max_severity": 1, "soft_intel_count": 3}, "soft_intelligence", (2, 1)),
    ("S3", {"whistleblowing": True}, "soft_intelligence", (2, 3)),
    ("U1", {"single_handed": True}, "sustainability", (2, 3)),
    ("U2", {"list_size": 7000, "gp_fte": 3.0, "nurse_fte": 1.0}, "sustainability", (1, 2)),
    ("U2", {"list_size": 5000, "gp_fte": 2.0, "nurse_fte": 1.0}, "sustainability", (2, 2)),
    ("U2", {"list_size": 2800, "gp_fte": 2.0, "nurse_fte": 1.0}, "sustainability", (2, 3)),
    ("U2", {"list_size": 1800, "gp_fte": 1.0, "nurse_fte": 1.0}, "sustainability", (3, 3)),
    ("U9", {"list_size_relative": 70.0}, "sustainability", (1, 2)),
    ("U9", {"list_size_relative": 45.0}, "sustainability", (2, 2)),
    ("U9", {"list_size_relative": 20.0}, "sustainability", (2, 3)),
    ("U10", {"practice_opened": date(2001, 5, 1)}, "sustainability", (2, 2)),  # 15 years
    ("U3", {"premises_risk": "medium"}, "sustainability", (2, 2)),
    ("U3", {"premises_risk": "high"}, "sustainability", (3, 3)),
    ("U4", {"financial_risk": "high"}, "sustainability", (3, 3)),
    ("U5", {"partnership_change": True}, "sustainability", (2, 3)),
    ("U6", {"list_growth_pct_12m": 6.0}, "sustainability", (2, 2)),
    ("U6", {"list_growth_pct_12m": 12.0}, "sustainability", (3, 2)),
    ("U7", {"merger_or_split": "merger"}, "sustainability", (1, 2)),
    ("U7", {"merger_or_split": "split"}, "sustainability", (2, 3)),
]


@pytest.mark.parametrize(("rule_id", "changes", "area", "cell"), RULE_CASES)
def test_each_rule_moves_its_area_cell(
    rule_id: str, changes: dict[str, object], area: str, cell: tuple[int, int]
) -> None:
    result = score(practice(**changes))
    got = result.area(area)
    assert (got.likelihood, got.consequence) == cell
    assert rule_id in {c.rule_id for c in result.contributions}
    contribution = next(c for c in result.contributions if c.rule_id == rule_id)
    assert contribution.area == area and not contribution.unknown
    assert contribution.sentence and "{" not in contribution.sentence
    assert result.score > 0 or got.score <= 3


def test_every_rule_of_the_default_method_has_a_case() -> None:
    covered = {case[0] for case in RULE_CASES} | {"C1", "S4", "U8"}  # floors' tests below
    assert covered == {r.id for r in default_methodology().rules}


# floor id, change, area, its band (at least), expected trigger
FLOOR_CASES = [
    ("F1", {"cqc_overall": "inadequate"}, "quality", "High", "cqc_inadequate"),
    ("F2", {"cqc_special_measures": True}, "quality", "High", "special_measures"),
    ("F3", {"remedial_notices_open": 1}, "contract", "High", "remedial_notice"),
    ("F4", {"breach_notices_open": 1}, "contract", "High", "breach_notice"),
    (
        "F5",
        {"whistleblowing": True, "whistleblowing_corroborated": True},
        "soft_intelligence",
        "High",
        "corroborated_whistleblowing",
    ),
]
ORDER = ["Low", "Moderate", "High", "Extreme"]


@pytest.mark.parametrize(("floor_id", "changes", "area", "band", "trigger"), FLOOR_CASES)
def test_floors_raise_their_area(
    floor_id: str, changes: dict[str, object], area: str, band: str, trigger: str
) -> None:
    result = score(practice(**changes))
    assert ORDER.index(result.area(area).band) >= ORDER.index(band)
    assert ORDER.index(result.band) >= ORDER.index(band)
    assert trigger in result.triggers
    assert floor_id in {c.rule_id for c in result.contributions}


def test_one_remedial_notice_alone_is_high_through_the_floor() -> None:
    result = score(practice(remedial_notices_open=1))
    contract = result.area("contract")
    assert (contract.likelihood, contract.consequence, contract.band) == (4, 3, "High")
    assert result.band == "High"
    assert {"C1", "F3"} <= {c.rule_id for c in result.contributions}


def test_at_risk_of_closure_makes_the_practice_extreme() -> None:
    result = score(practice(at_risk_of_closure_12m=True))
    assert result.band == "Extreme" and 75 <= result.score <= 100
    assert "closure_risk" in result.triggers
    assert result.contributions[0].rule_id == "BAND"
    assert "closure" in result.contributions[0].sentence


def test_three_high_areas_raise_the_overall_band_one_step() -> None:
    two = score(practice(remedial_notices_open=1, cqc_overall="inadequate"))
    assert two.band == "High" and "triangulation" not in two.triggers
    three = score(
        practice(
            remedial_notices_open=1,
            cqc_overall="inadequate",
            partnership_change=True,
            premises_risk="high",
        )
    )
    high_or_worse = [a for a in three.areas if a.band in ("High", "Extreme")]
    assert len(high_or_worse) == 3
    assert three.band == "Extreme" and "triangulation" in three.triggers


def test_unknown_inputs_count_as_typical_and_the_worst_case_stays_visible() -> None:
    result = score(practice(cqc_overall=None, gp_fte=None))
    # the method counts an unknown CQC rating as Good (typical) ...
    assert result.area("quality").band == "Low"
    assert result.score == score(practice()).score
    # ... lists it, and puts it on the "to confirm" list (floor F1 reads it)
    assert set(result.unknown_inputs) == {"cqc_overall", "gp_fte"}
    assert result.to_confirm == ("CQC overall rating",)
    assert result.data_completeness < 1.0
    assert "2 inputs unknown" in result.summary
    unknown_lines = [c for c in result.contributions if c.unknown]
    assert unknown_lines == []  # typical values add nothing
    # with every unknown at its worst case, CQC unknown is Inadequate and the floor fires
    assert result.band_if_unknown_worst in ("High", "Extreme")
    assert result.score_if_unknown_worst > result.score
    inadequate = score(practice(cqc_overall="inadequate", gp_fte=5.0))
    assert result.score_if_unknown_worst >= inadequate.score


def test_an_unknown_floor_input_never_raises_the_band_by_itself() -> None:
    result = score(practice(at_risk_of_closure_12m=None, remedial_notices_open=None))
    assert result.band == "Low" and result.triggers == ()
    assert result.to_confirm == ("remedial notices open", "at risk of closure (12 months)")
    assert result.band_if_unknown_worst == "Extreme"
    known = score(practice(at_risk_of_closure_12m=True))
    assert known.band == "Extreme" and "closure_risk" in known.triggers


def test_public_data_alone_separates_list_sizes() -> None:
    from scoring import PracticeInputs

    small, large = (
        score(PracticeInputs(ods_code="ZT0009", period="2021-01", list_size=n))
        for n in (3100, 9000)
    )
    assert small.score > large.score
    assert len(small.to_confirm) == len(large.to_confirm) == 6


def test_an_empty_practice_is_not_low() -> None:
    from scoring import PracticeInputs

    result = score(PracticeInputs(ods_code="ZT0009", period="2016-10"))
    # no list size (which every national file has) counts as its worst case
    assert result.band == "High" and result.data_completeness == 0.0
    assert result.band_if_unknown_worst == "Extreme"


def test_expired_and_uncorroborated_soft_intelligence() -> None:
    def entry(**kw: object) -> SoftIntelItem:
        base = {
            "received": date(2016, 9, 1),
            "severity": 4,
            "confidence": "high",
            "corroborated": True,
        }
        return SoftIntelItem(**{**base, **kw})  # type: ignore[arg-type]

    current = score(practice(soft_intel_entries=(entry(),)))
    expired = score(practice(soft_intel_entries=(entry(expires=date(2016, 9, 30)),)))
    future = score(practice(soft_intel_entries=(entry(received=date(2016, 11, 2)),)))
    weak = score(practice(soft_intel_entries=(entry(corroborated=False, confidence="low"),)))
    assert current.area("soft_intelligence").band == "High"
    assert expired.area("soft_intelligence").band == "Low"
    assert future.area("soft_intelligence").band == "Low"
    assert weak.area("soft_intelligence").score < current.area("soft_intelligence").score
    wb = score(practice(soft_intel_entries=(entry(whistleblowing=True),)))
    assert "corroborated_whistleblowing" in wb.triggers


# The NHS 5x5 matrix: (likelihood, consequence) -> band with the default cut-offs.
@pytest.mark.parametrize("likelihood", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("consequence", [1, 2, 3, 4, 5])
def test_all_25_cells_of_the_5x5_matrix(likelihood: int, consequence: int) -> None:
    product = likelihood * consequence
    expected = (
        "Low"
        if product <= 3
        else "Moderate"
        if product <= 6
        else "High"
        if product <= 12
        else "Extreme"
    )
    assert cell_band(likelihood, consequence) == expected


def test_explanation_adds_up_and_reads_well() -> None:
    result = score(
        practice(cqc_overall="inadequate", list_size=14500, gp_fte=5.0, remedial_notices_open=1)
    )
    assert sum(c.points_tenths for c in result.contributions) == result.score_tenths
    assert result.summary.startswith("CQC Inadequate")
    assert "2,900 patients per GP FTE" in result.summary
    assert "open remedial notice" in result.summary and "(s)" not in result.summary
    points = [c.points_tenths for c in result.contributions[1:]]
    assert points == sorted(points, reverse=True)


def test_trend_and_three_month_deterioration() -> None:
    history = [
        HistoryPoint("2016-07", 10.0, "Low"),
        HistoryPoint("2016-08", 30.0, "Moderate"),
        HistoryPoint("2016-09", 55.0, "High"),
    ]
    worse = score(practice(at_risk_of_closure_12m=True), history=history)
    assert worse.trend == "deteriorating" and worse.deteriorating_streak == 3
    assert "deteriorating_3_months" in worse.triggers
    better = score(practice(), history=history)
    assert better.trend == "improving" and better.previous_band == "High"
    same = score(practice(), history=[HistoryPoint("2016-09", 1.0, "Low")])
    assert same.trend == "stable"
    assert score(practice()).trend == "new"


def test_format_value_reads_like_a_person_writes() -> None:
    assert format_value("cqc_overall", "requires_improvement") == "Requires improvement"
    assert format_value("patients_per_gp_fte", 2900.4) == "2,900"
    assert format_value("qof_achievement_pct", 80.0) == "80"
    assert format_value("list_size", 12463) == "12,463"
    assert format_value("gp_fte", None) == "unknown"


def test_changing_the_toml_changes_scores_without_code_changes(tmp_path: Path) -> None:
    lenient = DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "lenient-1"').replace(
        "steps = [[2600, 1, 2], [3200, 2, 2], [3800, 2, 3]]", "steps = [[5000, 1, 2]]"
    )
    path = tmp_path / "lenient.toml"
    path.write_text(lenient)
    method = load_methodology(path)
    inputs = practice(list_size=17000)  # 3,400 patients per GP FTE
    assert score(inputs).area("workforce").band == "Moderate"
    relaxed = score(inputs, method)
    assert relaxed.area("workforce").band == "Low"
    assert relaxed.methodology_version == "lenient-1"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('version = "llr-2026.4"', 'version = ""', "version"),
        ("triangulation_areas = 3", "triangulation_areas = 9", "overall.triangulation_areas"),
        ('input = "cqc_overall"\nunknown', 'input = "cqc_rating"\nunknown', "rules[0] (id Q1)"),
        ('unknown = "typical"\ntypical = "good"', 'unknown = "typical"', "needs the 'typical'"),
        ('typical = "good"', 'typical = "fine"', "typical must be one of the levels"),
        ("steps = [[85, 1, 2], [75, 2, 2]]", "steps = [[75, 1, 2], [85, 2, 2]]", "id Q10"),
        ('name = "High"\nmin = 8', 'name = "High"\nmin = 9', "5x5 score 8"),
        ("quality = 25,", "quality = 25, finance = 5,", "overall.weights"),
        ("cell = [4, 3]", "cell = [2, 2]", "F1"),
        ("version =", "version = = ", "not valid TOML"),
    ],
)
def test_a_bad_methodology_file_names_the_key(old: str, new: str, message: str) -> None:
    assert old in DEFAULT_TOML
    with pytest.raises(MethodologyError) as error:
        parse_methodology(DEFAULT_TOML.replace(old, new, 1), "local.toml")
    assert "local.toml" in str(error.value) and message in str(error.value)


def test_a_missing_methodology_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MethodologyError, match="cannot read"):
        load_methodology(tmp_path / "nope.toml")


def test_clean_inputs_have_no_optional_gaps() -> None:
    from scoring import INPUT_FIELDS
    from scoring.inputs import CONTEXT_FIELDS

    assert set(CLEAN) - {"ods_code", "period"} == set(INPUT_FIELDS)
    assert set(CONTEXT) == set(CONTEXT_FIELDS)


def test_a_recent_requires_improvement_ranks_above_an_old_good() -> None:
    # the reviewer's case: an old inspection is a reason to ask, not a finding
    def quality(rating: str, inspected: date) -> tuple[str, float]:
        result = score(practice(cqc_overall=rating, cqc_last_inspection=inspected))
        return result.area("quality").band, result.score

    old_good, recent_ri = (
        quality("good", date(2009, 6, 1)),
        quality("requires_improvement", date(2015, 10, 1)),
    )
    assert old_good[0] == "Low" and recent_ri[0] == "Moderate"
    assert recent_ri[1] > old_good[1]
