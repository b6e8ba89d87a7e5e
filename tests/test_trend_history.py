"""Rescoring reads only the recent history the trend needs (scoring.trend.reaches_back):
the trend, the run of deteriorations and the previous month come out as with all of it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scoring import HistoryPoint, default_methodology
from scoring.trend import compute_trend, reaches_back

METHOD = default_methodology()
BANDS = METHOD.band_names

points = st.tuples(
    st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)),
    st.sampled_from([*BANDS, "Retired band"]),  # a band an older method named
)


@given(st.lists(points, max_size=30), st.integers(0, 30), points)
def test_a_suffix_that_cannot_reach_back_gives_the_same_trend(
    full: list[tuple[float, str]], cut: int, current: tuple[float, str]
) -> None:
    history = [HistoryPoint(f"{2000 + i // 12}-{i % 12 + 1:02d}", s, b) for i, (s, b) in
               enumerate(full)]  # fmt: skip
    recent = history[cut:]
    score, band = current
    band_index = BANDS.index(band) if band in BANDS else 0
    if not reaches_back(recent, BANDS, METHOD.trend):
        assert compute_trend(score, band_index, recent, BANDS, METHOD.trend) == compute_trend(
            score, band_index, history, BANDS, METHOD.trend
        )


def test_a_run_of_deteriorations_asks_for_the_months_before() -> None:
    rising = [HistoryPoint(f"2016-0{i + 1}", 20.0 + 10 * i, "Moderate") for i in range(4)]
    assert reaches_back(rising[-3:], BANDS, METHOD.trend)  # all three deteriorate
    assert reaches_back(rising[-1:], BANDS, METHOD.trend)  # one point says nothing
    assert reaches_back([], BANDS, METHOD.trend)
    steady = [*rising[:2], HistoryPoint("2016-03", 31.0, "Moderate"), rising[3]]
    assert not reaches_back(steady[-3:], BANDS, METHOD.trend)  # 30 -> 31 is stable
    # and the long history indeed changes the streak when the suffix reaches back
    full = compute_trend(70.0, 1, rising, BANDS, METHOD.trend)
    short = compute_trend(70.0, 1, rising[-2:], BANDS, METHOD.trend)
    assert full[1] == 4 and short[1] == 2
