"""`resilience score`: batch scoring for scripts, its formats, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.batch import OUTPUT_COLUMNS
from resilience.cli import app
from resilience.store import Store
from scoring import score
from tests.scoring_cases import practice

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "practices.csv"
DEFAULT_TOML = (ROOT / "scoring" / "methodology" / "default.toml").read_text()


def run(*args: str, stdin: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["score", *args], input=stdin)


def rows_of(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


def test_the_readme_example_scores_every_row(tmp_path: Path) -> None:
    result = run(str(EXAMPLE))
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    assert [r["ods_code"] for r in rows] == ["ZX0001", "ZX0002", "ZX0003"]
    assert [r["band"] for r in rows] == ["Low", "High", "Extreme"]
    assert rows[2]["triggers"] == "closure_risk"
    assert "3 scored" in result.stderr


def test_results_match_the_engine_exactly() -> None:
    inputs = practice(ods_code="ZT0001", cqc_overall="inadequate", list_size=14500)
    line = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in inputs.model_dump().items()
        if k != "soft_intel_entries"
    }
    result = run("-", "--input-format", "jsonl", "--format", "jsonl", stdin=json.dumps(line) + "\n")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout.splitlines()[0])
    expected = score(inputs)
    assert got["score"] == expected.score and got["band"] == expected.band
    assert got["summary"] == expected.summary


def test_json_names_with_spaces_are_read_as_csv_headers_are() -> None:
    """`" list_size"` is list_size (a CSV header is stripped too): never a traceback."""
    lines = (
        '{"ods_code": "ZT0001", "period": "2017-04", " list_size": 5000, "cqc_overall ": "good"}\n'
        '{" ods_code": "ZT0002", "period": "2017-04", "list_size ": "lots"}\n'
    )
    result = run("-", "--input-format", "jsonl", "--format", "jsonl", stdin=lines)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [json.loads(x)["ods_code"] for x in result.stdout.splitlines()] == ["ZT0001"]
    assert "row 2, column list_size: list size: 'lots' is not a whole number" in result.stderr


def test_period_defaults_to_the_option_and_is_otherwise_required() -> None:
    data = "ods_code,cqc_overall\nZT0001,good\n"
    assert rows_of(run("-", "--period", "2017-05", stdin=data).stdout)[0]["period"] == "2017-05"
    missing = run("-", stdin=data)
    assert missing.exit_code == 1 and "row 1, column period" in missing.stderr


def test_an_unknown_column_is_named_with_the_accepted_ones() -> None:
    result = run("-", "--period", "2017-04", stdin="ods_code,cqc_rating\nZT0001,good\n")
    assert result.exit_code == 2
    assert "unknown column(s) 'cqc_rating'" in result.stderr
    assert "cqc_overall" in result.stderr and result.stdout == ""


def test_bad_rows_are_reported_and_good_rows_still_scored() -> None:
    data = (
        "ods_code,period,list_size,cqc_overall,cqc_last_inspection\n"
        "ZT0001,2017-04,lots,good,2016-01-01\n"
        "ZT0002,2017-04,3000,excellent,2016-01-01\n"
        "ZT0003,April,3000,good,2016-01-01\n"
        "ZT0004,2017-04,3000,good,01/02/2016\n"
        "ZT0005,2017-04,3000,good,2016-01-01\n"
        "ZT0005,2017-04,3000,good,2016-01-01\n"
        ",2017-04,3000,good,2016-01-01\n"
    )
    result = run("-", stdin=data)
    assert result.exit_code == 1
    assert [r["ods_code"] for r in rows_of(result.stdout)] == ["ZT0005"]
    err = result.stderr
    assert "row 1, column list_size: list size: 'lots' is not a whole number" in err
    assert "row 2, column cqc_overall" in err and "one of outstanding" in err
    assert "row 3, column period: 'April' is not a month written YYYY-MM" in err
    assert "row 4, column cqc_last_inspection" in err and "YYYY-MM-DD" in err
    assert "row 6, column ods_code: ZT0005 2017-04 already given in row 5" in err
    assert "row 7, column ods_code: the ODS code is empty" in err
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        ("ods_code,cqc_overall\nZT0001,good\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_unusable_files_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    result = run(str(path), "--period", "2017-04")
    assert result.exit_code == 2 and message in result.stderr


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("ods_code,cqc_overall\r\nZT0001,good\r\n".encode("utf-8-sig"))
    result = run(str(path), "--period", "2017-04")
    assert result.exit_code == 0 and rows_of(result.stdout)[0]["ods_code"] == "ZT0001"


def test_a_missing_file_and_bad_options_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.csv")).exit_code == 2
    assert run().exit_code == 2  # neither a file nor --from-db
    assert run(str(EXAMPLE), "--save").exit_code == 2  # --save needs --period
    bad = tmp_path / "bad.toml"
    bad.write_text(DEFAULT_TOML.replace("triangulation_areas = 3", "triangulation_areas = 0"))
    result = run(str(EXAMPLE), "--methodology", str(bad))
    assert result.exit_code == 2 and "overall.triangulation_areas" in result.stderr


def test_another_methodology_changes_scores_and_version(tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.toml"
    lenient.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "lenient-1"').replace(
            '[[floors]]\nid = "F3"', '[[floors]]\nid = "F3x"', 1
        )
    )
    default = rows_of(run(str(EXAMPLE)).stdout)
    other = rows_of(run(str(EXAMPLE), "--methodology", str(lenient)).stdout)
    assert {r["methodology_version"] for r in other} == {"lenient-1"}
    assert {r["methodology_version"] for r in default} == {"llr-2026.4"}


def test_output_file_and_table(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run(str(EXAMPLE), "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(rows_of(target.read_text())) == 3
    table = run(str(EXAMPLE), "--format", "table")
    assert "ZX0003" in table.stdout and "Extreme" in table.stdout


def test_save_stores_new_versions_and_from_db_rescores(demo_db: Path, tmp_path: Path) -> None:
    data = (
        "ods_code,cqc_overall,list_size,gp_fte\nZC0007,inadequate,12463,5.0\nZZ9999,good,3000,2.0\n"
    )
    refused = run(
        "-", "--save", "--period", "2017-04", "--db", str(demo_db), "--user", "analyst", stdin=data
    )
    assert refused.exit_code == 2 and "resilience users delegate" in refused.stderr
    _let_analyst_save(demo_db)
    result = run(
        "-", "--save", "--period", "2017-04", "--db", str(demo_db), "--user", "analyst", stdin=data
    )
    assert result.exit_code == 1  # the unknown practice is reported, the rest saved
    assert "row 2, column ods_code: no practice ZZ9999 in the register" in result.stderr
    assert "opened review period 2017-04" in result.stderr
    store = Store.open(str(demo_db))
    saved = store.latest_assessment("ZC0007", "2017-04")
    assert saved is not None and saved.author == "analyst"
    assert saved.findings["cqc_overall"] == "inadequate"
    assert saved.reason == "resilience score -"
    store.close()

    stored = rows_of(run("--from-db", "--period", "2017-03", "--db", str(demo_db)).stdout)
    assert len(stored) == 138
    results = Store.open(str(demo_db)).period_results("2017-03")
    for row in stored[:20]:
        assert float(row["score"]) == results[row["ods_code"]].score  # same method, same
    strict = tmp_path / "strict.toml"
    strict.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "strict-1"').replace(
            "steps = [[2600, 1, 2], [3200, 2, 2], [3800, 2, 3]]",
            "steps = [[1500, 1, 2], [2000, 2, 2], [2500, 2, 3]]",
        )
    )
    rescored = run(
        "--from-db", "--period", "2017-03", "--db", str(demo_db), "--methodology", str(strict)
    )
    assert rescored.exit_code == 0
    changed = [
        r for r in rows_of(rescored.stdout) if float(r["score"]) != results[r["ods_code"]].score
    ]
    assert changed and all(r["methodology_version"] == "strict-1" for r in rows_of(rescored.stdout))
    assert len(Store.open(str(demo_db)).assessment_versions("ZC0001", "2017-03")) == 1  # no save


def test_score_does_not_load_textual() -> None:
    code = (
        "import sys\nfrom resilience.cli import main\n"
        f"sys.argv = ['resilience', 'score', {str(EXAMPLE)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('TEXTUAL_LOADED' if 'textual' in sys.modules else 'TEXTUAL_ABSENT')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("TEXTUAL_ABSENT")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        [],
        ["--bogus"],
        [str(EXAMPLE), "--format", "xml"],
        [str(EXAMPLE), "--period", "April"],
        [str(EXAMPLE), "--format", "jsonl"],
        ["-", "--period", "2017-04"],
    ],
)
def test_the_command_line_runs_score_exactly_as_the_whole_app_does(args: list[str]) -> None:
    """`resilience score ...` starts only that command (main's shortcut); its help,
    usage errors, messages, output and exit code are the whole app's."""
    script = Path(sys.executable).with_name("resilience")
    stdin = "ods_code,cqc_overall\nZT0001,good\nZT0002,bad\n"
    whole_app = "from resilience.cli import app\napp(prog_name='resilience')"
    fast, whole = (
        subprocess.run(command, input=stdin, capture_output=True, text=True)
        for command in (
            [str(script), "score", *args],
            [sys.executable, "-c", whole_app, "score", *args],
        )
    )
    assert fast.stdout or fast.stderr
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        whole.returncode,
        whole.stdout,
        whole.stderr,
    )


def _let_analyst_save(demo_db: Path) -> None:
    """An admin registers the analyst as an editor and lets this (the cron job's) account
    act as them."""
    admin = Store.open(str(demo_db))
    admin.set_role("analyst", "editor")
    admin.set_delegates(admin.account, ["analyst"])
    admin.close()


def test_from_db_save_records_rescored_versions(demo_db: Path, tmp_path: Path) -> None:
    _let_analyst_save(demo_db)
    strict = tmp_path / "strict.toml"
    strict.write_text(DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "strict-1"'))
    # saving with a method that is not the database's is refused ...
    refused = run(
        "--from-db", "--period", "2017-03", "--db", str(demo_db), "--methodology", str(strict),
        "--save", "--user", "analyst",
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "this database scores with method llr-2026.4" in refused.stderr
    # ... until an admin makes it the database's method; then rescoring uses it
    assert runner.invoke(app, ["method", "set", str(strict), "--db", str(demo_db)]).exit_code == 0
    result = run(
        "--from-db", "--period", "2017-03", "--db", str(demo_db), "--save", "--user", "analyst"
    )
    assert result.exit_code == 0, result.stderr
    assert "saved 138 new version(s) for 2017-03" in result.stderr
    store = Store.open(str(demo_db))
    latest = store.latest_assessment("ZC0001", "2017-03")
    assert latest is not None and latest.version == 2
    assert latest.reason == "rescored with method strict-1"
    assert latest.result.methodology_version == "strict-1"
    closed = run("--from-db", "--period", "2017-02", "--db", str(demo_db), "--save")
    assert closed.exit_code == 2 and "closed" in closed.stderr
