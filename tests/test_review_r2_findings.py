"""Bugs found by the r2 review (a new user on the real national files), kept as strict
xfails so the suite stays green until each is fixed; each test asserts what a user
would expect."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from scoring import PracticeInputs, score

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
REGISTER = DATA / "epraccur_legacy_2019-12_sample.csv"
LISTS = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()


def _method(tmp_path: Path, version: str, change: str = "share = 10") -> Path:
    path = tmp_path / f"{version}-{abs(hash(change))}.toml"
    path.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', f'version = "{version}"').replace(
            "share = 10", change
        )
    )
    return path


def _export(db: Path) -> dict[str, dict[str, str]]:
    result = runner.invoke(
        app, ["export", "--period", "2021-01", "--format", "csv", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return {r["ods_code"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_scripted_scoring_does_not_change_what_is_to_confirm(public_db: Path) -> None:
    before = _export(public_db)
    saved = runner.invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    assert saved.exit_code == 0, saved.output
    after = _export(public_db)
    for code, row in before.items():
        assert after[code]["to_confirm"] == row["to_confirm"], code
        assert after[code]["score_if_unknown_worst"] == row["score_if_unknown_worst"], code


def test_the_pack_names_the_method_its_scores_were_made_with(
    public_db: Path, tmp_path: Path
) -> None:
    saved = runner.invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    assert saved.exit_code == 0, saved.output
    local = _method(tmp_path, "local-1", "share = 30")
    assert runner.invoke(app, ["method", "set", str(local), "--db", str(public_db)]).exit_code == 0
    pack = runner.invoke(app, ["report", "--period", "2021-01", "--db", str(public_db)])
    assert pack.exit_code == 0, pack.output
    # every score in this pack was made with llr-2026.4; none with local-1
    assert {r["methodology_version"] for r in _export(public_db).values()} == {"llr-2026.4"}
    assert "llr-2026.4" in pack.stdout.splitlines()[2]


def test_a_version_used_before_cannot_name_other_rules(public_db: Path, tmp_path: Path) -> None:
    first = _method(tmp_path, "local-1", "share = 20")
    second = _method(tmp_path, "local-2", "share = 30")
    again = _method(tmp_path, "local-1", "share = 40")
    for path in (first, second):
        assert (
            runner.invoke(app, ["method", "set", str(path), "--db", str(public_db)]).exit_code == 0
        )
    result = runner.invoke(app, ["method", "set", str(again), "--db", str(public_db)])
    assert result.exit_code == 2
    assert "already used in this database" in result.stderr
    assert "give the changed file a new `version`" in result.stderr


def test_the_workbook_legend_describes_the_unknown_policy(public_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    result = runner.invoke(
        app,
        [
            "export",
            "--period",
            "2021-01",
            "--format",
            "xlsx",
            "-o",
            str(out),
            "--db",
            str(public_db),
        ],
    )
    assert result.exit_code == 0, result.output
    legend = [
        c
        for row in openpyxl.load_workbook(out)["Method"].iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert not any("scored as their worst case" in str(c) for c in legend)


def test_the_summary_names_an_unknown_that_drives_the_band() -> None:
    result = score(PracticeInputs(ods_code="X1", period="2026-12"))
    assert result.band == "High"
    assert "list size" in result.summary.lower()


def test_a_scripts_scores_still_read_as_not_reviewed_in_the_pack(
    public_db: Path, tmp_path: Path
) -> None:
    """Findings 6 and 7: after the cron job's `score --from-db --save`, the pack still
    says the practices are not reviewed, and the to-confirm section does not claim that
    reviewed practices' facts are recorded when nobody has reviewed anything."""
    saved = runner.invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    assert saved.exit_code == 0, saved.output
    pack = tmp_path / "pack.md"
    made = runner.invoke(
        app, ["report", "--period", "2021-01", "-o", str(pack), "--db", str(public_db)]
    )
    assert made.exit_code == 0, made.output
    text = pack.read_text()
    assert "Not reviewed, scored by script (" in text
    assert "No practice has been reviewed yet, so no floor fact is recorded." in text
    assert "Every reviewed practice's floor facts are recorded." not in text


def test_validate_names_the_method_that_made_the_scores(public_db: Path, tmp_path: Path) -> None:
    """After `method set`, `validate` measures the month's stored scores, made with the
    old method: it names that method and says the database has moved on."""
    runner.invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    changed = runner.invoke(
        app, ["method", "set", str(_method(tmp_path, "local-1")), "--db", str(public_db)]
    )
    assert changed.exit_code == 0, changed.output
    outcomes = tmp_path / "outcomes.csv"
    store = Store.open(str(public_db))
    codes = [r.ods_code for r in store.agenda_rows("2021-01")][:12]
    store.close()
    outcomes.write_text(
        "ods_code,closed\n" + "".join(f"{c},{i % 2}\n" for i, c in enumerate(codes))
    )
    result = runner.invoke(
        app, ["validate", str(outcomes), "--period", "2021-01", "--db", str(public_db)]
    )
    assert result.exit_code == 0, result.output
    assert "score (method llr-2026.4)" in result.stdout
    assert "now scores with local-1" in result.stdout
