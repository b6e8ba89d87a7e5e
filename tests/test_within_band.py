"""The position within the band (rule P1, issue 13 item 2): on the national files alone
practices whose inputs differ must not tie, and the position never decides a band."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from scoring import MethodologyError, PracticeInputs, default_methodology, parse_methodology, score
from scoring.relative import list_size_relatives
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


def _public(code: str, size: int, relative: float | None) -> PracticeInputs:
    """A practice scored on the national files alone: list size and its ratio to the
    commissioner's median list."""
    return PracticeInputs(
        ods_code=code, period="2021-01", list_size=size, list_size_relative=relative
    )


def test_the_method_without_the_position_is_otherwise_the_same() -> None:
    assert WITHOUT.within_band is None and METHOD.within_band is not None
    assert WITHOUT.rules == METHOD.rules


def test_lists_in_the_same_step_no_longer_tie_on_public_data() -> None:
    # a commissioner of ten practices; 2,600 and 3,800 fall in the same U2 step (< 4,000)
    sizes = [2_600, 3_800, 5_000, 6_500, 7_000, 8_500, 9_000, 11_000, 12_000, 15_000]
    relatives = list_size_relatives({f"A{n:05}": ("00X", s) for n, s in enumerate(sizes)})
    assert (relatives["A00000"], relatives["A00001"]) == (33.5, 49.0)  # median 7,750
    smaller = score(_public("A00000", 2_600, 33.5))
    larger = score(_public("A00001", 3_800, 49.0))
    # both 30-50% of the median: without the position the two tie; with it, the smaller
    # list ranks first
    assert (
        score(_public("A00000", 2_600, 33.5), WITHOUT).score
        == score(_public("A00001", 3_800, 49.0), WITHOUT).score
    )
    assert smaller.band == larger.band
    assert smaller.score > larger.score
    line = next(c for c in smaller.contributions if c.rule_id == "P1")
    assert line.points == 2.1 and "33.5%" in line.sentence
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


def test_an_unknown_ratio_counts_as_the_median_and_the_whole_share_at_worst() -> None:
    values = {**CLEAN, **CONTEXT}
    middle = score(PracticeInputs(**{**values, "list_size_relative": 100.0}))
    unknown = score(PracticeInputs(**{**values, "list_size_relative": None}))
    smallest = score(PracticeInputs(**{**values, "list_size_relative": 0.0}))
    assert unknown.score >= middle.score
    assert "list_size_relative" in unknown.unknown_inputs
    assert unknown.score_if_unknown_worst >= smallest.score
    line = next(c for c in unknown.contributions if c.rule_id == "P1")
    assert line.unknown and "counts as 100" in line.sentence


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("none_at = 200", "none_at = 0"), "none_at and full_at must differ"),
        (('input = "list_size_relative"\nshare', 'input = "cqc_overall"\nshare'), "numeric"),
        (("share = 10", "share = 80"), "share"),
    ],
)
def test_a_bad_position_is_refused_with_the_key(change: tuple[str, str], words: str) -> None:
    assert change[0] in DEFAULT_TOML
    with pytest.raises(MethodologyError, match="within_band") as caught:
        parse_methodology(DEFAULT_TOML.replace(*change, 1))
    assert words in str(caught.value)


def test_the_ratio_is_against_the_commissioners_median_and_unknown_stays_unknown() -> None:
    practices = {
        "A00001": ("00X", 2_000),
        "A00002": ("00X", 5_000),
        "A00003": ("00X", 10_000),
        "A00004": ("00X", None),  # no list size: no ratio, so the rule's unknown policy
        "B00001": ("00Y", 0),  # a commissioner whose median is 0: no ratio to take
        "C00001": ("00Z", 4_000),  # alone in its commissioner: its own median
    }
    assert list_size_relatives(practices) == {
        "A00001": 40.0,
        "A00002": 100.0,
        "A00003": 200.0,
        "C00001": 100.0,
    }
