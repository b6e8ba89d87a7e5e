"""The unknown promise (issue 13), checked with hypothesis on the default method:

- an unknown input never scores below the same practice with that input at the value
  the method says an unknown counts as (its typical value, a given level, or the worst);
- the worst case (every unknown at its worst, every unknown floor fired) is never below
  the best estimate, nor below any known value of the input;
- a floor never fires on an unknown input: the input goes on the "to confirm" list;
- every graded public rule is monotonic: a worse figure never gives fewer points.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import PracticeInputs, default_methodology, score
from scoring.engine import compiled
from scoring.metrics import DERIVED_METRICS, LABELS
from tests.scoring_cases import CLEAN, CONTEXT
from tests.test_scoring_properties import practice_inputs

METHOD = default_methodology()
RAW_RULES = [r for r in METHOD.rules if r.input not in DERIVED_METRICS]
FLOORS = [*METHOD.floors, *METHOD.overall_floors]


def _valid(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("gp_headcount") is not None and values.get("gp_aged_55_plus") is not None:
        values["gp_aged_55_plus"] = min(values["gp_aged_55_plus"], values["gp_headcount"])
    return values


@pytest.mark.parametrize("rule", RAW_RULES, ids=lambda r: r.id)
@settings(max_examples=25, deadline=None)
@given(values=practice_inputs(max_random=6))
def test_an_unknown_input_scores_at_least_as_its_stated_value(
    rule: Any, values: dict[str, Any]
) -> None:
    assumed = rule.unknown_value()
    if assumed is None or rule.input in ("soft_intel_max_severity", "soft_intel_count"):
        return  # worst case: nothing lower to compare; soft summaries come from entries
    if rule.kind in ("above", "below") and isinstance(CLEAN.get(rule.input), int):
        assumed = int(assumed)
    unknown = score(PracticeInputs(**_valid({**values, rule.input: None})))
    stated = score(PracticeInputs(**_valid({**values, rule.input: assumed})))
    assert unknown.score >= stated.score
    assert unknown.score_if_unknown_worst >= unknown.score


@settings(max_examples=200, deadline=None)
@given(values=practice_inputs())
def test_the_worst_case_is_never_below_the_best_estimate(values: dict[str, Any]) -> None:
    result = score(PracticeInputs(**values))
    assert result.score_if_unknown_worst >= result.score
    bands = METHOD.band_names
    assert bands.index(result.band_if_unknown_worst) >= bands.index(result.band)
    if not result.unknown_inputs:
        assert result.score_if_unknown_worst == result.score and result.to_confirm == ()


@settings(max_examples=150, deadline=None)
@given(values=practice_inputs(), unknown=st.sets(st.sampled_from(FLOORS), min_size=1))
def test_no_floor_fires_on_an_unknown_input(values: dict[str, Any], unknown: set[Any]) -> None:
    for floor in unknown:
        values[floor.input] = None
    result = score(PracticeInputs(**values))
    for floor in unknown:
        assert (floor.trigger or floor.id) not in result.triggers
        assert LABELS[floor.input] in result.to_confirm
        assert not any(c.rule_id == floor.id for c in result.contributions)


def test_unknown_floor_inputs_alone_never_make_a_practice_extreme() -> None:
    values = {**CLEAN, **CONTEXT, **{f.input: None for f in FLOORS}}
    result = score(PracticeInputs(**values))
    assert result.band == "Low"
    assert len(result.to_confirm) == len({f.input for f in FLOORS})
    assert result.band_if_unknown_worst == "Extreme"


GRADED = [r for r in METHOD.rules if r.kind in ("above", "below")]


@pytest.mark.parametrize("rule", GRADED, ids=lambda r: r.id)
@given(a=st.floats(-50, 50_000, allow_nan=False), b=st.floats(-50, 50_000, allow_nan=False))
def test_every_graded_rule_is_monotonic(rule: Any, a: float, b: float) -> None:
    from scoring.engine import _cell_of

    c = next(r for r in compiled(METHOD).rules if r.rule is rule)
    worse, better = (max(a, b), min(a, b)) if rule.kind == "above" else (min(a, b), max(a, b))
    lik_w, con_w = _cell_of(rule, worse, c.table, c.steps)
    lik_b, con_b = _cell_of(rule, better, c.table, c.steps)
    assert lik_w >= lik_b and con_w >= con_b


@given(
    small=st.integers(0, 30_000),
    extra=st.integers(0, 30_000),
    relative=st.one_of(st.none(), st.floats(0, 1000)),
)
def test_a_smaller_list_never_scores_lower_on_public_data(
    small: int, extra: int, relative: float | None
) -> None:
    def on_public(size: int) -> float:
        inputs = PracticeInputs(
            ods_code="ZT0001", period="2021-01", list_size=size, list_size_relative=relative
        )
        return score(inputs).score

    assert on_public(small) >= on_public(small + extra)


def test_lists_of_3100_and_9000_do_not_tie_on_public_data() -> None:
    results = [
        score(PracticeInputs(ods_code="ZT0001", period="2021-01", list_size=n))
        for n in (3100, 9000)
    ]
    assert results[0].score > results[1].score
