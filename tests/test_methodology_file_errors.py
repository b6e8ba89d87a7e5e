"""A methodology file as people save it: a byte-order mark, a word where a value goes.

A reviewer saved the method from Windows Notepad (a UTF-8 BOM) and was told "not valid
TOML: Invalid statement (at line 1, column 1)"; `unknown = "sometimes"` on a 'below'
rule said "unknown must be a number for an 'below' rule" without naming "worst" or
"typical". A BOM is now read as what it is; the error says what is accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from scoring import MethodologyError, load_methodology, parse_methodology

DEFAULT = Path(__file__).resolve().parents[1] / "scoring" / "methodology" / "default.toml"
TOML = DEFAULT.read_text(encoding="utf-8")


def test_a_methodology_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    file = tmp_path / "notepad.toml"
    file.write_bytes(b"\xef\xbb\xbf" + TOML.encode("utf-8"))
    assert load_methodology(file) == parse_methodology(TOML)
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,period,list_size\nA81001,2021-01,3100\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["score", str(rows), "--methodology", str(file)])
    assert result.exit_code == 0, result.output
    assert "not valid TOML" not in result.output


def _rule_with(kind: str, line: str) -> str:
    """The default method with the first rule of ``kind`` given another ``unknown``."""
    start = TOML.index(f'kind = "{kind}"')
    at = TOML.index("unknown = ", start)
    return TOML[:at] + line + TOML[TOML.index("\n", at) :]


@pytest.mark.parametrize(
    ("kind", "line", "expected"),
    [
        (
            "below",
            'unknown = "sometimes"',
            "(id Q10): unknown = 'sometimes' is not accepted for a 'below' rule: unknown must "
            "be 'worst', 'typical' (the rule's stated typical value) or a number",
        ),
        (
            "above",
            "unknown = true",
            "(id Q9): unknown = true is not accepted for an 'above' rule: unknown must be "
            "'worst', 'typical'",
        ),
        (
            "category",
            'unknown = "fine"',
            "(id Q1): unknown = 'fine' is not accepted for a category rule: unknown must be "
            "'worst', 'typical' (the rule's stated typical value) or one of the levels "
            "'outstanding', 'good'",
        ),
        (
            "flag",
            'unknown = "maybe"',
            "is not accepted for a flag rule: unknown must be 'worst', 'typical' (the rule's "
            "stated typical value) or true or false",
        ),
    ],
)
def test_an_unknown_policy_out_of_range_says_what_is_accepted(
    kind: str, line: str, expected: str
) -> None:
    with pytest.raises(MethodologyError) as error:
        parse_methodology(_rule_with(kind, line), "local.toml")
    message = str(error.value)
    assert message.startswith("local.toml: rules[") and expected in message, message
    assert "an 'below'" not in message


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ("steps = [[85, 1, 2], [75, 2, 2]]\n", "(id Q10): a 'below' rule needs 'steps'"),
        ("steps = [[48, 1, 1], [72, 2, 1]]\n", "(id Q9): an 'above' rule needs 'steps'"),
    ],
)
def test_a_rule_without_steps_takes_the_right_article(steps: str, expected: str) -> None:
    assert steps in TOML
    with pytest.raises(MethodologyError) as error:
        parse_methodology(TOML.replace(steps, "", 1), "local.toml")
    assert expected in str(error.value)
