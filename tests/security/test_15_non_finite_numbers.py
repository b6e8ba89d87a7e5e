"""Item 15: ``1e400`` and ``1e999`` (and inf, nan, Infinity, NaN) were taken as infinity
and broke the JSON export. A number that is not finite is refused wherever numbers come
in: score inputs (CSV and JSON Lines), national files, the review form's parsing and
the methodology file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.fields import FieldError, parse_value
from scoring import MethodologyError, load_methodology
from scoring.methodology import parse_methodology

HUGE = ["1e400", "1e999", "inf", "-inf", "nan", "Infinity"]


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} in the JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", HUGE)
def test_csv_score_input(demo_db: Path, tmp_path: Path, value: str) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"ods_code,gp_fte\nZC0001,{value}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", "2017-03", "--save", "--db", str(demo_db)]
    )
    assert result.exit_code == 1, result.output
    assert "row 1, column gp_fte" in result.stderr
    export = CliRunner().invoke(
        cli, ["export", "--period", "2017-03", "--format", "json", "--db", str(demo_db)]
    )
    assert export.exit_code == 0
    strict_json(export.stdout)  # still standard JSON


@pytest.mark.parametrize("literal", ["1e400", "-1e999", "Infinity", "NaN"])
def test_json_lines_score_input(tmp_path: Path, literal: str) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        f'{{"ods_code": "A81001", "period": "2017-03", "gp_fte": {literal}}}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["score", str(rows), "--format", "jsonl"])
    assert result.exit_code == 1, result.output
    assert "row 1" in result.stderr and "A81001" not in result.stdout


@pytest.mark.parametrize("value", HUGE)
def test_the_review_form_parsing(value: str) -> None:
    with pytest.raises(FieldError):
        parse_value("gp_fte", value)


def test_a_national_file(demo_db: Path, tmp_path: Path) -> None:
    sample = Path(__file__).parent.parent / "data" / "gp_workforce_practice_sample.csv"
    header, first, *rest = sample.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    cells[header.split(",").index("TOTAL_GP_FTE")] = "1e400"
    cells[header.split(",").index("TOTAL_GP_EXTG_FTE")] = "1e400"
    hostile = tmp_path / "workforce.csv"
    hostile.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["import", "workforce", str(hostile), "--extract-date", "2017-03-31",
         "--db", str(demo_db)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "row 1, TOTAL_GP_" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-inf"])
def test_the_methodology_file(tmp_path: Path, value: str) -> None:
    shipped = (
        Path(__file__).parent.parent.parent / "scoring" / "methodology" / "default.toml"
    ).read_text(encoding="utf-8")
    assert "min_change = 5.0" in shipped
    method = tmp_path / "method.toml"
    method.write_text(shipped.replace("min_change = 5.0", f"min_change = {value}"), "utf-8")
    with pytest.raises(MethodologyError, match=r"trend\.min_change: .* is not a finite number"):
        load_methodology(method)
    with pytest.raises(MethodologyError):
        parse_methodology("version = 'x'\nname = 'y'\nweight = 1e999\n")
