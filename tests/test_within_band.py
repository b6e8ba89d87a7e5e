"""The position within the band (rule P1, issue 13 item 2): on the national files alone
practices whose inputs differ must not tie, and the position never decides a band."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from scoring import MethodologyError, PracticeInputs, default_methodology, parse_methodology, score
from scoring.relative import list_size_percentiles
from tests.scoring_cases import CLEAN, CONTEXT
from tests.test_scoring_properties import practice_inputs

METHOD = default_methodology()
DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()
# the shipped method without the position, to compare against
WITHOUT = parse_methodology(
    DEFAULT_TOML.split("\n[within_band]", 1)[0]
    + "\n[trend]"
    + DEFAULT_TOML.split("\n[trend]", 1)[1]
)


def _public(code: str, size: int, percentile: float | None) -> PracticeInputs:
    """A practice scored on the national files alone: list size and its percentile."""
    return PracticeInputs(
        ods_code=code, period="2021-01", list_size=size, list_size_percentile=percentile
    )


def test_the_method_without_the_position_is_otherwise_the_same() -> None:
    assert WITHOUT.within_band is None and METHOD.within_band is not None
    assert WITHOUT.rules == METHOD.rules


def test_lists_in_the_same_step_no_longer_tie_on_public_data() -> None:
    # a commissioner of ten practices; 2,600 and 3,900 fall in the same U2 step (< 4,000)
    sizes = [2_600, 3_900, 5_000, 6_500, 7_000, 8_500, 9_000, 11_000, 12_000, 15_000]
    percentiles = list_size_percentiles({f"A{n:05}": ("00X", s) for n, s in enumerate(sizes)})
    smaller = score(_public("A00000", 2_600, percentiles["A00000"]))
    larger = score(_public("A00001", 3_900, percentiles["A00001"]))
    # without the position the two tie; with it, the smaller list ranks first
    assert (
        score(_public("A00000", 2_600, 0.0), WITHOUT).score
        == score(_public("A00001", 3_900, 11.1), WITHOUT).score
    )
    assert smaller.band == larger.band
    assert smaller.score > larger.score
    line = next(c for c in smaller.contributions if c.rule_id == "P1")
    assert line.points == 1.2 and "percentile 0" in line.sentence
    assert "position" not in smaller.summary.lower()  # orders a band; not a finding


@settings(max_examples=200, deadline=None)
@given(values=practice_inputs())
def test_the_position_never_changes_the_band_nor_leaves_it(values: dict[str, Any]) -> None:
    inputs = PracticeInputs(**values)
    with_position, without = score(inputs), score(inputs, WITHOUT)
    assert with_position.band == without.band
    low, high = METHOD.overall.score_ranges[with_position.band]
    most = (high - low) * METHOD.within_band.share / 100  # type: ignore[union-attr]
    assert without.score <= with_position.score <= min(high, without.score + most + 0.05)
    # the explanation still adds up exactly to the score
    assert sum(c.points_tenths for c in with_position.contributions) == round(
        with_position.score * 10
    )
    assert with_position.score_if_unknown_worst >= with_position.score


def test_an_unknown_percentile_counts_as_the_middle_and_the_whole_share_at_worst() -> None:
    values = {**CLEAN, **CONTEXT}
    middle = score(PracticeInputs(**{**values, "list_size_percentile": 50.0}))
    unknown = score(PracticeInputs(**{**values, "list_size_percentile": None}))
    smallest = score(PracticeInputs(**{**values, "list_size_percentile": 0.0}))
    assert unknown.score >= middle.score
    assert "list_size_percentile" in unknown.unknown_inputs
    assert unknown.score_if_unknown_worst >= smallest.score
    line = next(c for c in unknown.contributions if c.rule_id == "P1")
    assert line.unknown and "counts as 50" in line.sentence


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("none_at = 100", "none_at = 0"), "none_at and full_at must differ"),
        (('input = "list_size_percentile"\nshare', 'input = "cqc_overall"\nshare'), "numeric"),
        (("share = 5", "share = 80"), "share"),
    ],
)
def test_a_bad_position_is_refused_with_the_key(change: tuple[str, str], words: str) -> None:
    assert change[0] in DEFAULT_TOML
    with pytest.raises(MethodologyError, match="within_band") as caught:
        parse_methodology(DEFAULT_TOML.replace(*change, 1))
    assert words in str(caught.value)
