"""Properties that must hold for every input, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import INPUT_FIELDS, PracticeInputs, default_methodology, score
from tests.scoring_cases import CLEAN, CONTEXT, NUMERIC_DIRECTION, ORDERED

settings.register_profile("ci", max_examples=150, deadline=None)
settings.load_profile("ci")

METHOD = default_methodology()
RANGES = {name: tuple(r) for name, r in METHOD.overall.score_ranges.items()}
PCT = st.floats(min_value=0, max_value=100, allow_nan=False)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def practice_inputs(draw: st.DrawFn, max_random: int = len(INPUT_FIELDS)) -> dict[str, Any]:
    """Valid findings: a clean practice with up to ``max_random`` fields drawn at random
    (unknown included). Few random fields keep areas below their cap, so that a single
    change can show in the score."""
    random_values = draw(raw_inputs())
    chosen = draw(st.sets(st.sampled_from(INPUT_FIELDS), max_size=max_random))
    values = {**CLEAN, **CONTEXT, **{f: random_values.get(f) for f in chosen}}
    values["period"] = random_values["period"]
    if values["gp_headcount"] is not None and values["gp_aged_55_plus"] is not None:
        values["gp_aged_55_plus"] = min(values["gp_aged_55_plus"], values["gp_headcount"])
    return values


@st.composite
def raw_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Random, valid findings: any mix of known and unknown values."""
    values: dict[str, Any] = {
        "ods_code": "ZT0001",
        "period": draw(st.sampled_from(["2016-04", "2016-12", "2020-02", "2026-11"])),
    }
    for field, choices in ORDERED.items():
        values[field] = draw(maybe(st.sampled_from(choices)))
    values["cqc_last_inspection"] = draw(maybe(st.dates(date(2010, 1, 1), date(2026, 1, 1))))
    for field in (
        "qof_achievement_pct",
        "gpps_overall_good_pct",
        "gpps_phone_easy_pct",
        "gp_sessions_unfilled_pct",
    ):
        values[field] = draw(maybe(PCT))
    for field in ("remedial_notices_open", "breach_notices_open", "soft_intel_count"):
        values[field] = draw(maybe(st.integers(0, 5)))
    values["soft_intel_max_severity"] = draw(maybe(st.integers(0, 5)))
    values["list_size"] = draw(maybe(st.integers(0, 40_000)))
    for field in ("gp_fte", "nurse_fte", "other_clinical_fte", "gp_vacancy_fte"):
        values[field] = draw(maybe(st.floats(0, 30, allow_nan=False)))
    headcount = draw(maybe(st.integers(0, 30)))
    values["gp_headcount"] = headcount
    values["gp_aged_55_plus"] = draw(maybe(st.integers(0, headcount if headcount else 0)))
    values["list_growth_pct_12m"] = draw(maybe(st.floats(-20, 30, allow_nan=False)))
    return values


def worse_numeric(field: str, value: Any, step: float, values: dict[str, Any]) -> Any:
    """A value of ``field`` that is at least as bad as ``value``, still valid."""
    direction = NUMERIC_DIRECTION[field]
    if isinstance(value, int) and not isinstance(value, bool):
        new = value + direction * max(1, int(step))
        if field == "gp_headcount":
            new = max(new, values.get("gp_aged_55_plus") or 0)
        if field == "gp_aged_55_plus" and values.get("gp_headcount") is not None:
            new = min(new, values["gp_headcount"])
        if field == "soft_intel_max_severity":
            new = min(new, 5)
        return max(new, 0)
    new = value + direction * step
    if (field.endswith("_pct") and field != "list_growth_pct_12m") or field.endswith("percentile"):
        new = min(max(new, 0.0), 100.0)
    return max(new, 0.0) if field != "list_growth_pct_12m" else new


@given(practice_inputs())
def test_bounded_consistent_and_deterministic(values: dict[str, Any]) -> None:
    inputs = PracticeInputs(**values)
    first, second = score(inputs), score(inputs)
    assert 0 <= first.score <= 100
    low, high = RANGES[first.band]
    assert low <= first.score <= high
    assert first.to_dict() == second.to_dict()
    assert sum(c.points_tenths for c in first.contributions) == first.score_tenths
    assert 0.0 <= first.data_completeness <= 1.0
    for area in first.areas:
        assert 1 <= area.likelihood <= 5 and 1 <= area.consequence <= 5


@pytest.mark.parametrize("field", sorted(ORDERED))
@settings(max_examples=40)
@given(values=practice_inputs(max_random=5), data=st.data())
def test_worsening_a_categorical_or_flag_input_never_lowers_the_score(
    values: dict[str, Any], field: str, data: st.DataObject
) -> None:
    order = ORDERED[field]
    i = data.draw(st.integers(0, len(order) - 1))
    j = data.draw(st.integers(i, len(order) - 1))
    better = score(PracticeInputs(**{**values, field: order[i]}))
    worse = score(PracticeInputs(**{**values, field: order[j]}))
    assert worse.score >= better.score
    assert METHOD.band_names.index(worse.band) >= METHOD.band_names.index(better.band)


# Where each number starts: a range around its thresholds.
START: dict[str, st.SearchStrategy[Any]] = {
    "qof_achievement_pct": PCT,
    "gpps_overall_good_pct": PCT,
    "gpps_phone_easy_pct": PCT,
    "remedial_notices_open": st.integers(0, 3),
    "breach_notices_open": st.integers(0, 3),
    "gp_fte": st.floats(0, 8, allow_nan=False),
    "nurse_fte": st.floats(0, 4, allow_nan=False),
    "gp_vacancy_fte": st.floats(0, 4, allow_nan=False),
    "gp_sessions_unfilled_pct": st.floats(0, 40, allow_nan=False),
    "gp_headcount": st.integers(1, 10),
    "gp_aged_55_plus": st.integers(0, 6),
    "soft_intel_max_severity": st.integers(0, 5),
    "soft_intel_count": st.integers(0, 5),
    "list_growth_pct_12m": st.floats(-5, 20, allow_nan=False),
    "list_size_percentile": PCT,
    "list_size_relative": st.floats(min_value=0, max_value=1000, allow_nan=False),
}


@pytest.mark.parametrize("field", sorted(NUMERIC_DIRECTION))
@settings(max_examples=60)
@given(values=practice_inputs(max_random=4), step=st.floats(0, 20), data=st.data())
def test_worsening_a_number_never_lowers_the_score(
    values: dict[str, Any], field: str, step: float, data: st.DataObject
) -> None:
    values[field] = data.draw(START[field], label=field)
    if field == "gp_aged_55_plus" and values["gp_headcount"] is not None:
        values[field] = min(values[field], values["gp_headcount"])
    if field == "gp_headcount" and values["gp_aged_55_plus"] is not None:
        values[field] = max(values[field], values["gp_aged_55_plus"])
    before = score(PracticeInputs(**values))
    changed = {**values, field: worse_numeric(field, values[field], step, values)}
    after = score(PracticeInputs(**changed))
    assert after.score >= before.score, (field, values[field], changed[field])


@given(practice_inputs(max_random=6), st.sampled_from(INPUT_FIELDS))
def test_replacing_a_known_value_by_unknown_never_lowers_the_score(
    values: dict[str, Any], field: str
) -> None:
    if values.get(field) is None:
        values[field] = CLEAN[field]
        if field == "gp_aged_55_plus" and values["gp_headcount"] is not None:
            values[field] = min(values[field], values["gp_headcount"])
        if field == "gp_headcount" and values["gp_aged_55_plus"] is not None:
            values[field] = max(values[field], values["gp_aged_55_plus"])
    known = score(PracticeInputs(**values))
    unknown = score(PracticeInputs(**{**values, field: None}))
    # the best estimate may count the unknown as typical; the worst case never drops
    assert unknown.score_if_unknown_worst >= known.score
    assert unknown.score_if_unknown_worst >= known.score_if_unknown_worst
    assert unknown.score_if_unknown_worst >= unknown.score
    assert unknown.data_completeness <= known.data_completeness


@given(
    st.lists(
        st.tuples(st.integers(0, 1000), st.sampled_from(["Low", "Moderate", "High", "Extreme"])),
        min_size=1,
        max_size=6,
    )
)
def test_trend_is_one_of_four_and_new_only_without_history(
    points: list[tuple[int, str]],
) -> None:
    from scoring import HistoryPoint

    history = [HistoryPoint(f"2016-{i + 1:02d}", s / 10, b) for i, (s, b) in enumerate(points)]
    result = score(PracticeInputs(**{**CLEAN, "period": "2016-12"}), history=history)
    assert result.trend in ("deteriorating", "improving", "stable")
    assert 0 <= result.deteriorating_streak <= len(history)
    assert result.previous_score == history[-1].score


def test_many_dates_of_inspection_age_monotonically() -> None:
    scores = [
        score(
            PracticeInputs(
                **{**CLEAN, "cqc_last_inspection": date(2016, 10, 1) - timedelta(days=30 * months)}
            )
        ).score
        for months in range(0, 100, 6)
    ]
    assert scores == sorted(scores)
