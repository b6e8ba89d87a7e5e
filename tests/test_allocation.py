"""GPRP allocation, the support menu and sensitivity to another method."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    Applicant,
    Capacity,
    allocate,
    compare_methodologies,
    parse_methodology,
    score,
    suggest_support,
)
from tests.scoring_cases import practice

BANDS = ["Low", "Moderate", "High", "Extreme"]
RANGES = {"Low": (0, 25), "Moderate": (25, 50), "High": (50, 75), "Extreme": (75, 100)}


@st.composite
def applicants(draw: st.DrawFn) -> list[Applicant]:
    count = draw(st.integers(0, 25))
    out = []
    for i in range(count):
        band = draw(st.sampled_from(BANDS))
        low, high = RANGES[band]
        out.append(
            Applicant(
                ods_code=f"ZT{i:04d}",
                score=draw(st.integers(low * 10, high * 10)) / 10,
                band=band,
                commissioner=draw(st.sampled_from(["A", "B", "C", None])),
                need=draw(st.sampled_from(["low", "medium", "high", None])),
                impact=draw(st.sampled_from(["low", "medium", "high", None])),
            )
        )
    return out


capacities = st.builds(
    Capacity,
    supported=st.integers(0, 8),
    reserve=st.integers(0, 8),
    quotas=st.dictionaries(
        st.sampled_from(["A", "B"]), st.tuples(st.integers(0, 4), st.integers(0, 4))
    ),
)


@given(applicants(), capacities, st.randoms(use_true_random=False))
def test_allocation_is_independent_of_input_order(
    people: list[Applicant], capacity: Capacity, random: object
) -> None:
    shuffled = list(people)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert allocate(people, capacity) == allocate(shuffled, capacity)


@given(applicants(), capacities)
def test_allocation_never_exceeds_capacity_or_quotas(
    people: list[Applicant], capacity: Capacity
) -> None:
    placements = allocate(people, capacity)
    assert len(placements) == len(people)
    counts = Counter(p.outcome for p in placements)
    assert counts["supported"] <= capacity.supported
    assert counts["reserve"] <= capacity.reserve
    for code, (supported, reserve) in capacity.quotas.items():
        mine = Counter(p.outcome for p in placements if p.commissioner == code)
        assert mine["supported"] <= supported and mine["reserve"] <= reserve
    assert [p.rank for p in placements] == list(range(1, len(people) + 1))
    for p in placements:
        assert p.reason.startswith(
            {"supported": "Supported", "reserve": "Reserve", "not_supported": "Not supported"}[
                p.outcome
            ]
        )
        if p.band == "Low":
            assert p.outcome == "not_supported"


def test_ranking_uses_need_and_impact_and_explains_itself() -> None:
    people = [
        Applicant("ZT0001", 60.0, "High", "A", need="low", impact="low"),
        Applicant("ZT0002", 55.0, "High", "A", need="high", impact="high"),
        Applicant("ZT0003", 80.0, "Extreme", "B", need="medium", impact="medium"),
        Applicant("ZT0004", 10.0, "Low", "B", need="high", impact="high"),
    ]
    placements = {p.ods_code: p for p in allocate(people, Capacity(1, 1, {"A": (1, 1)}))}
    assert placements["ZT0003"].outcome == "supported"  # 80 + 10 = 90, ranked 1
    assert placements["ZT0002"].outcome == "reserve"  # 55 + 20 = 75, supported places full
    assert placements["ZT0001"].outcome == "not_supported"
    assert placements["ZT0004"].outcome == "not_supported"
    assert "below the Moderate band" in placements["ZT0004"].reason
    assert "ranked 1 of 4" in placements["ZT0003"].reason
    assert "the only supported place is taken" in placements["ZT0002"].reason


def test_ties_break_on_band_then_score_then_code() -> None:
    people = [
        Applicant("ZT0002", 50.0, "High"),
        Applicant("ZT0001", 50.0, "High"),
        Applicant("ZT0003", 50.0, "Moderate"),
    ]
    order = [p.ods_code for p in allocate(people, Capacity(3, 0))]
    assert order == ["ZT0001", "ZT0002", "ZT0003"]


def test_repeated_applicants_are_refused() -> None:
    with pytest.raises(ValueError, match="once per cohort"):
        allocate([Applicant("ZT1", 50, "High"), Applicant("ZT1", 60, "High")], Capacity(1, 1))


@pytest.mark.parametrize(
    ("changes", "item"),
    [
        ({"gp_sessions_unfilled_pct": 25.0}, "workforce"),
        ({"at_risk_of_closure_12m": True}, "rapid_intervention"),
        ({"cqc_special_measures": True}, "rapid_intervention"),
        ({"partnership_change": True}, "specialist_advice"),
        ({"cqc_well_led": "requires_improvement"}, "coaching"),
        ({"remedial_notices_open": 1}, "practice_management"),
        ({"merger_or_split": "split"}, "change_management"),
        ({"cqc_overall": "inadequate", "remedial_notices_open": 1}, "diagnostic"),
    ],
)
def test_drivers_suggest_the_matching_support_menu_item(
    changes: dict[str, object], item: str
) -> None:
    suggestions = {s.item_id: s for s in suggest_support(score(practice(**changes)))}
    assert item in suggestions
    assert suggestions[item].reason and suggestions[item].drivers


def test_a_clean_practice_needs_no_support() -> None:
    assert suggest_support(score(practice())) == []


def test_sensitivity_reports_who_moves_and_why() -> None:
    default_text = (
        Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
    ).read_text()
    from scoring import default_methodology

    # A method that ignores workforce pressure: W1 needs 5,000 patients per GP FTE.
    relaxed = parse_methodology(
        default_text.replace(
            "steps = [[2600, 1, 2], [3200, 2, 2], [3800, 2, 3]]", "steps = [[5000, 1, 2]]"
        ).replace("llr-2026.4", "relaxed")
    )
    inputs = {
        "ZT0001": practice(ods_code="ZT0001", list_size=17500, nurse_fte=5.0),  # W1 fires
        "ZT0002": practice(ods_code="ZT0002", qof_achievement_pct=80.0, gpps_phone_easy_pct=45.0),
        "ZT0003": practice(ods_code="ZT0003"),
    }
    people = [Applicant(code, 0.0, "Low", need="high", impact="high") for code in inputs]
    changes = compare_methodologies(people, inputs, Capacity(1, 1), default_methodology(), relaxed)
    moved = {c.ods_code: c for c in changes}
    assert "ZT0001" in moved
    assert moved["ZT0001"].outcome_before in ("supported", "reserve")
    assert moved["ZT0001"].outcome_after == "not_supported"
    assert "W1" in moved["ZT0001"].reason
