"""Results stored compactly (scoring.compact): rule ids, points and values, the sentences
made again from the method's words, to the last character."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring import Contribution, HistoryPoint, PracticeInputs, parse_methodology, score
from scoring.compact import compact, expand, method_words, parse_words, words_json
from scoring.methodology import default_methodology
from tests.scoring_cases import CLEAN, CONTEXT
from tests.test_scoring_properties import practice_inputs, raw_inputs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOML = (ROOT / "scoring" / "methodology" / "default.toml").read_text()
METHOD = default_methodology()
# a second method: other words, no within-band position, a different triangulation
WITHOUT_POSITION = re.sub(r"\n\[within_band\]\n.*?\n\n", "\n", DEFAULT_TOML, flags=re.S)
OTHER = parse_methodology(
    WITHOUT_POSITION.replace('version = "llr-2026.4"', 'version = "words-2"').replace(
        "patients per full-time-equivalent GP", "patients for each full-time GP"
    ),
    "words-2",
)
assert OTHER.within_band is None and METHOD.within_band is not None
BANDS = [b.name for b in METHOD.matrix_bands]

history_points = st.lists(
    st.tuples(
        st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)), st.sampled_from(BANDS)
    ),
    max_size=4,
).map(lambda points: [HistoryPoint(f"2015-{i + 1:02d}", s, b) for i, (s, b) in enumerate(points)])


def stored_and_read(result: Any, method: Any) -> dict[str, Any]:
    """Save the result as the store does (compact JSON) and read it back."""
    words, sha = method_words(method)
    text = json.dumps(compact(result, words, sha), separators=(",", ":"))
    # the words as the database keeps them, not the ones in memory
    stored_words = parse_words(words_json(words))
    return expand(json.loads(text), stored_words).to_dict()


@given(st.one_of(raw_inputs(), practice_inputs()), history_points, st.booleans())
def test_every_result_reads_back_exactly_as_scored(
    values: dict[str, Any], history: list[HistoryPoint], other: bool
) -> None:
    method = OTHER if other else METHOD
    result = score(PracticeInputs(**values), method, history)
    assert stored_and_read(result, method) == result.to_dict()
    words, sha = method_words(method)
    # every line the engine makes is compact: nothing of its words is stored per result
    assert all(isinstance(line, list) for line in compact(result, words, sha)["lines"])


def test_a_compact_result_is_a_fraction_of_the_full_one() -> None:
    values = {**CLEAN, **CONTEXT, "cqc_overall": "inadequate", "gp_fte": 1.0, "nurse_fte": None}
    result = score(PracticeInputs(**values), METHOD, [HistoryPoint("2016-03", 40.0, "Moderate")])
    words, sha = method_words(METHOD)
    small = json.dumps(compact(result, words, sha), separators=(",", ":"))
    full = json.dumps(result.to_dict(), separators=(",", ":"))
    assert len(small) < len(full) * 0.6


def test_a_line_the_methods_words_do_not_make_is_kept_whole() -> None:
    """Whatever made it (an engine of another day, an edited result), a line whose words
    are not the method's is stored with its own words and reads back unchanged."""
    result = score(PracticeInputs(**CLEAN), METHOD)
    odd = Contribution(
        "W1", "workforce", "patients_per_gp_fte", 12, 1, 2, text=("9,999", "odd", "Odd words.")
    )
    stranger = Contribution("X9", "overall", "mystery", 0, text=("?", "a", "A line."))
    result._contributions = (*result.contributions, odd, stranger)
    words, sha = method_words(METHOD)
    lines = compact(result, words, sha)["lines"]
    assert lines[-2] == odd.to_dict() and lines[-1] == stranger.to_dict()
    assert stored_and_read(result, METHOD) == result.to_dict()


def test_the_words_are_named_by_their_own_hash() -> None:
    words, sha = method_words(METHOD)
    text = words_json(words)
    assert hashlib.sha256(text.encode()).hexdigest() == sha
    assert words_json(parse_words(text)) == text  # what is read is what was hashed
    other_words, other_sha = method_words(OTHER)
    assert other_sha != sha
    assert other_words["W1"][4] != words["W1"][4]  # the sentence the second method words


def test_old_results_in_the_full_format_are_not_compact() -> None:
    from scoring.compact import is_compact

    result = score(PracticeInputs(**CLEAN), METHOD)
    assert not is_compact(json.loads(json.dumps(result.to_dict())))
