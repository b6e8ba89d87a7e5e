"""Review r3 findings: bugs shown as strict xfail tests (they pass once fixed)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app

runner = CliRunner()
DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()


def test_method_show_never_prints_control_characters_from_a_method_file(
    tmp_path: Path,
) -> None:
    db = tmp_path / "team.db"
    assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    hostile = tmp_path / "local.toml"
    hostile.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "local-1"').replace(
            'name = "LLR risk share, default method"',
            'name = "Local \\u001b]0;pwned\\u0007 \\u001b[31mred \\u202eright"',
        )
    )
    result = runner.invoke(app, ["method", "set", str(hostile), "--db", str(db)])
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["method", "show", "--db", str(db)])
    assert shown.exit_code == 0
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in shown.output, repr(shown.output)
    assert "Local" in shown.output  # still named, with the characters shown visibly
