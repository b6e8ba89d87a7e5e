"""Triage before anyone reviews, and validation against real outcomes (issue 13).

The samples in tests/data are small extracts of the real December 2019 register and
January 2021 list sizes; the last test uses the whole real files when they are present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.agenda import agenda_order
from resilience.cli import app
from resilience.store import Store
from tests.real_data import REAL as REAL_FILES

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
REGISTER = DATA / "epraccur_legacy_2019-12_sample.csv"
LISTS = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
REAL = REAL_FILES / "validation"


def test_unreviewed_practices_are_ranked_on_public_data(public_db: Path) -> None:
    store = Store.open(str(public_db))
    rows = agenda_order(store.agenda_rows("2021-01"))
    store.close()
    sized = [r for r in rows if r.list_size is not None]
    assert sized and all(r.public_data_only and not r.reviewed for r in sized)
    assert all(r.score is not None and r.band for r in sized)
    # a ranking, not one score for everybody; nothing is Extreme on unknowns alone
    assert len({r.score for r in sized}) >= 4
    # Extreme only on known facts: a very small, recent practice, never on unknowns
    assert all((r.list_size or 0) < 4000 for r in sized if r.band == "Extreme")
    # the floors' inputs are unknown: each practice has them to confirm
    assert {len(r.to_confirm) for r in sized} == {6}
    assert "at risk of closure (12 months)" in sized[0].to_confirm
    assert all(r.summary.startswith("Not reviewed, public data only (6 to confirm)") for r in sized)
    # risk order: the agenda takes a smaller list before a much larger one
    smallest = min(sized, key=lambda r: r.list_size or 0)
    largest = max(sized, key=lambda r: r.list_size or 0)
    assert rows.index(smallest) < rows.index(largest)
    assert smallest.score is not None and largest.score is not None
    assert smallest.score > largest.score


def _outcomes(db: Path, path: Path) -> None:
    """Outcome 1 for the five smallest lists (a made-up outcome list size predicts)."""
    store = Store.open(str(db))
    rows = [r for r in store.agenda_rows("2021-01") if r.list_size is not None]
    store.close()
    smallest = {r.ods_code for r in sorted(rows, key=lambda r: r.list_size or 0)[:5]}
    lines = ["ods_code,closed_or_merged_later,outcome"]
    lines += [f"{r.ods_code},{int(r.ods_code in smallest)}," for r in rows]
    lines.append("Z99999,0,")  # not in the database
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_validate_reports_auc_interval_list_size_and_matches(
    public_db: Path, tmp_path: Path
) -> None:
    outcomes = tmp_path / "outcomes.csv"
    _outcomes(public_db, outcomes)
    result = runner.invoke(
        app, ["validate", str(outcomes), "--period", "2021-01", "--db", str(public_db)]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "against closed_or_merged_later" in out
    assert "(5 with outcome 1)" in out and "1 not in the database" in out
    assert "scored on public data alone" in out
    assert "list size alone (smaller = higher risk): AUC 1.000" in out
    score_line = next(line for line in out.splitlines() if line.startswith("score (method"))
    assert "95% CI" in score_line
    assert float(score_line.split("AUC ")[1].split()[0]) > 0.9
    # five positives: the report says the figure cannot be trusted
    assert "Too few to judge: 5 with outcome 1" in out


def test_a_month_not_in_the_database_is_refused(public_db: Path, tmp_path: Path) -> None:
    outcomes = tmp_path / "o.csv"
    outcomes.write_text("ods_code,closed\nA81001,1\nA81002,0\n", encoding="utf-8")
    args = ["validate", str(outcomes), "--period", "2030-01", "--db", str(public_db)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "no review month 2030-01" in result.stderr


@pytest.mark.parametrize(
    ("content", "column", "expected"),
    [
        ("code,closed\nA81001,1\n", None, "no 'ods_code' column"),
        ("ods_code,a,b\nA81001,1,0\nA81002,0,1\n", None, "name it with --column"),
        ("ods_code,closed\nA81001,1\nA81002,maybe\n", "closed", "line 3, column closed"),
        ("ods_code,closed\nA81001,1\n", "died", "no column 'died'"),
    ],
)
def test_a_bad_outcomes_file_is_refused_in_words(
    public_db: Path, tmp_path: Path, content: str, column: str | None, expected: str
) -> None:
    outcomes = tmp_path / "bad.csv"
    outcomes.write_text(content, encoding="utf-8")
    args = ["validate", str(outcomes), "--period", "2021-01", "--db", str(public_db)]
    result = runner.invoke(app, args + (["--column", column] if column else []))
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif(
    not (REAL / "outcomes_train.csv").exists(),
    reason=f"the real validation files are not here ({REAL})",
)
def test_the_real_train_half_ranks_above_list_size_alone(tmp_path: Path) -> None:
    """The whole real register and list sizes, as published, scored on public data alone."""
    register = REAL / "epraccur_2019-12.zip"
    sizes = REAL / "gp-reg-pat-prac-all_2021-01.zip"
    db = tmp_path / "real.db"
    for kind, file in (("ods", register), ("list-size", sizes)):
        result = runner.invoke(app, ["import", kind, str(file), "--db", str(db), "--create"])
        assert result.exit_code == 0, result.output[-500:]
    store = Store.open(str(db))
    store.open_period("2021-01")
    store.close()
    result = runner.invoke(
        app,
        ["validate", str(REAL / "outcomes_train.csv"), "--period", "2021-01", "--db", str(db)],
    )
    assert result.exit_code == 0, result.output
    print(result.stdout)
    assert "matched: 3,311 practices (199 with outcome 1)" in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("score (method"))
    size = next(x for x in result.stdout.splitlines() if x.startswith("list size alone"))
    # llr-2026.4 (list relative to the commissioner's median): 0.738 against 0.722 alone
    assert float(line.split("AUC ")[1].split()[0]) > float(size.split("AUC ")[1].split()[0])


def test_an_export_of_a_month_nobody_reviewed_lists_every_practice(public_db: Path) -> None:
    """The export shows what the agenda and the pack show: every active practice, with
    its public-data score, marked not reviewed (it used to write a header alone)."""
    import csv
    import io

    store = Store.open(str(public_db))
    agenda = {r.ods_code: r for r in store.agenda_rows("2021-01")}
    store.close()
    result = runner.invoke(
        app, ["export", "--period", "2021-01", "--format", "csv", "--db", str(public_db)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["ods_code"] for r in rows} == set(agenda)
    for row in rows:
        assert row["reviewed"] == "no"
        assert float(row["score"]) == agenda[row["ods_code"]].score
