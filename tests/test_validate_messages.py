"""`resilience validate` on the files a commissioner really has (review on the real files).

A stray `2`, `yes` or blank in the outcome column, a workbook renamed .csv, a
semicolon-separated export, an empty file, a month 13, a duplicated row, an upper-case
header: each gets a sentence saying what is wrong and where, never a guess that hides it.
The report says what it measured: reviews, scripted scores, public-data scores computed
on the spot (not saved) or results carried forward, naming only the parts there are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from tests.real_data import REAL

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
REGISTER = DATA / "epraccur_legacy_2019-12_sample.csv"
LISTS = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
HEADER = "ods_code,closed_or_merged_later,outcome"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A database from the national files alone, 2021-01 opened and never scored."""
    db = tmp_path_factory.mktemp("validate") / "public.db"
    for kind, file in (("ods", REGISTER), ("list-size", LISTS)):
        result = runner.invoke(app, ["import", kind, str(file), "--db", str(db), "--create"])
        assert result.exit_code == 0, result.output
    store = Store.open(str(db))
    store.open_period("2021-01")
    codes = [r.ods_code for r in store.agenda_rows("2021-01") if r.score is not None]
    store.close()
    return db, codes


@pytest.fixture
def public_db(built: tuple[Path, list[str]], tmp_path: Path) -> Path:
    target = tmp_path / "public.db"
    shutil.copyfile(built[0], target)
    return target


@pytest.fixture
def codes(built: tuple[Path, list[str]]) -> list[str]:
    return built[1]


def outcome_lines(codes: list[str]) -> list[str]:
    """The real file's layout: a 0/1 column and a words column blank for the 0s."""
    return [HEADER] + [f"{c},1,closed" if i % 6 == 0 else f"{c},0," for i, c in enumerate(codes)]


def run(db: Path, file: Path, *extra: str, period: str = "2021-01") -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["validate", str(file), "--period", period, "--db", str(db), *extra]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("2", "val2.csv line 5, column closed_or_merged_later: '2' is not 0 or 1"),
        ("yes", "val2.csv line 5, column closed_or_merged_later: 'yes' is not 0 or 1"),
        ("", "val2.csv line 5, column closed_or_merged_later: empty; every row needs 0 or 1"),
        ("1\u200b", "line 5, column closed_or_merged_later: '1\\u200b' is not 0 or 1"),
    ],
)
def test_one_bad_outcome_names_the_column_and_the_line(
    public_db: Path, codes: list[str], tmp_path: Path, bad: str, expected: str
) -> None:
    lines = outcome_lines(codes)
    code = lines[4].split(",")[0]
    lines[4] = f"{code},{bad},"  # line 5 of the file
    file = tmp_path / "val2.csv"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, _, err = run(public_db, file)
    assert status == 2 and expected in err, err
    assert "0/1 columns: none" not in err


def test_two_columns_of_zeros_and_ones_still_need_naming(
    public_db: Path, codes: list[str], tmp_path: Path
) -> None:
    file = tmp_path / "two.csv"
    file.write_text(
        "ods_code,closed,merged\n" + "".join(f"{c},0,{i % 2}\n" for i, c in enumerate(codes)),
        encoding="utf-8",
    )
    status, _, err = run(public_db, file)
    assert status == 2 and "'closed', 'merged' all hold 0 or 1; name it with --column" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty.csv: the file is empty"),
        (b"\n  \n", "empty.csv: the file is empty"),
        (
            b"ods_code;closed_or_merged_later;outcome\nA81001;1;closed\n",
            "the columns look separated by ';'; commas are expected",
        ),
        (
            b"ods_code\tclosed_or_merged_later\nA81001\t1\n",
            "the columns look separated by a tab; commas are expected",
        ),
        (b"\xff\xfeo\x00d\x00s\x00", "the file is UTF-16"),
        (
            b"ods_code,closed\nA81001,\xe9\n",
            "not UTF-8 text (line 2: byte 0xe9); save the CSV as UTF-8",
        ),
        (b"ods_code,closed\n", "no rows below the header ('ods_code', 'closed')"),
    ],
)
def test_a_file_that_is_not_a_usable_csv_says_what_it_is(
    public_db: Path, tmp_path: Path, content: bytes, expected: str
) -> None:
    file = tmp_path / "empty.csv"
    file.write_bytes(content)
    status, _, err = run(public_db, file)
    assert status == 2 and expected in err, err
    assert "the columns are \n" not in err and not err.rstrip().endswith("the columns are")


def test_a_workbook_renamed_csv_is_called_a_workbook(public_db: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ods_code", "closed_or_merged_later"])
    sheet.append(["A81001", 1])
    file = tmp_path / "outcomes.csv"
    book.save(file)
    status, _, err = run(public_db, file)
    assert status == 2
    assert "Excel workbook (.xlsx" in err and "save it as CSV" in err
    assert "not UTF-8" not in err


@pytest.mark.parametrize("period", ["2021-13", "2021-00", "21-01", "2021-1"])
def test_a_month_that_is_not_a_month_is_refused_as_such(
    public_db: Path, codes: list[str], tmp_path: Path, period: str
) -> None:
    file = tmp_path / "o.csv"
    file.write_text("\n".join(outcome_lines(codes)) + "\n", encoding="utf-8")
    status, _, err = run(public_db, file, period=period)
    assert status == 2 and f"{period} is not a month (YYYY-MM, month 01-12)" in err
    assert "no review month" not in err


def test_a_duplicate_row_is_counted_once_and_said(
    public_db: Path, codes: list[str], tmp_path: Path
) -> None:
    lines = outcome_lines(codes)
    file = tmp_path / "dup.csv"
    file.write_text("\n".join([*lines, lines[3]]) + "\n", encoding="utf-8")
    status, out, err = run(public_db, file)
    assert status == 0, err
    rows = len(codes)
    assert (
        f"of {rows:,} practices in the outcomes file ({rows + 1:,} rows: 1 duplicate row "
        "counted once)"
    ) in out


def test_column_names_are_read_in_any_case_and_with_spaces(
    public_db: Path, codes: list[str], tmp_path: Path
) -> None:
    lines = outcome_lines(codes)
    file = tmp_path / "upper.csv"
    file.write_text(
        "\n".join([" ODS_CODE , Closed_Or_Merged_Later ,OUTCOME", *lines[1:]]) + "\n",
        encoding="utf-8",
    )
    status, out, err = run(public_db, file)
    assert status == 0, err
    assert "against Closed_Or_Merged_Later" in out and f"matched: {len(codes):,}" in out
    status, out, err = run(public_db, file, "--column", "closed_or_merged_later")
    assert status == 0, err


def test_the_report_says_what_it_measured(
    public_db: Path, codes: list[str], tmp_path: Path
) -> None:
    file = tmp_path / "o.csv"
    file.write_text("\n".join(outcome_lines(codes)) + "\n", encoding="utf-8")
    n = len(codes)
    # opened, never scored: the agenda's public-data scores, computed now, not stored
    status, out, err = run(public_db, file)
    assert status == 0, err
    assert f"  all {n:,} scored on public data alone (not saved)" in out
    assert "carried forward" not in out and "reviewed this month" not in out
    # scored by a script: stored versions nobody reviewed
    result = runner.invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    assert result.exit_code == 0, result.output
    _, out, _ = run(public_db, file)
    assert f"  all {n:,} scored by script this month (public data, saved, not reviewed)" in out
    assert "not saved" not in out
    # one practice reviewed by a person
    store = Store.open(str(public_db))
    store.save_assessment(codes[0], "2021-01", {"at_risk_of_closure_12m": False})
    store.open_period("2021-02")
    store.close()
    _, out, _ = run(public_db, file)
    assert f"  of which 1 reviewed this month, {n - 1:,} scored by script this month" in out
    # the next month, nobody has looked yet: every result is last month's
    _, out, _ = run(public_db, file, period="2021-02")
    assert f"  all {n:,} carried forward from an earlier month" in out


@pytest.mark.skipif(
    not (REAL / "validation" / "outcomes_train.csv").exists(),
    reason=f"the real outcomes file is not here ({REAL / 'validation'})",
)
def test_the_real_outcomes_file_is_read_as_published() -> None:
    """3,311 practices, 199 closed or merged; the words column (blank, closed, merged)
    is not mistaken for the outcome."""
    from resilience.validation import read_outcomes

    read = read_outcomes(REAL / "validation" / "outcomes_train.csv")
    assert read.column == "closed_or_merged_later" and read.duplicates == 0
    assert len(read.values) == 3311 and sum(read.values.values()) == 199
