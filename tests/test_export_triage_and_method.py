"""Exports and the pack say which method made the scores they show, and carry the
triage figures a manager sorts by (review r2 findings 2, 4 and 13), on the real
register and list-size extracts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from statistics import median

import openpyxl
import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()
# the CSV's columns before the triage columns were added: their places must not move
OLD_CSV_PREFIX = (
    "ods_code,name,commissioner_code,commissioner,locality,score,band,quality_band,"
    "contract_band,workforce_band,soft_intelligence_band,sustainability_band,trend,triggers,"
    "data_completeness,score_if_unknown_worst,band_if_unknown_worst,unknown_inputs,"
    "to_confirm,summary,methodology_version,reviewed,assessed_in,version,author,cqc_overall"
)


def _local(tmp_path: Path, version: str) -> Path:
    path = tmp_path / f"{version}.toml"
    path.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', f'version = "{version}"')
        .replace("share = 10", "share = 30")
        .replace('name = "LLR risk share, default method"', 'name = "Local method"')
    )
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _xlsx(db: Path, tmp_path: Path) -> openpyxl.Workbook:
    out = tmp_path / "m.xlsx"
    _run("export", "--period", "2021-01", "--format", "xlsx", "-o", str(out), "--db", str(db))
    return openpyxl.load_workbook(out)


def _legend(book: openpyxl.Workbook) -> dict[str, str]:
    rows = book["Method"].iter_rows(values_only=True)
    return {str(r[0] or ""): str(r[1] or "") for r in rows if r[0] or r[1]}


def test_scores_made_with_an_earlier_method_are_named_as_such(
    public_db: Path, tmp_path: Path
) -> None:
    db = str(public_db)
    _run("score", "--from-db", "--save", "--period", "2021-01", "--db", db)
    _run("method", "set", str(_local(tmp_path, "local-1")), "--db", db)

    subtitle = _run("report", "--period", "2021-01", "--db", db).splitlines()[2]
    assert "scored with method llr-2026.4 (the database now scores with local-1: rescore " in (
        subtitle
    )
    legend = _legend(_xlsx(public_db, tmp_path))
    assert legend["Method version"] == "llr-2026.4"
    assert legend["Method"] == "LLR risk share, default method"  # the scores' method
    assert legend["Method now"] == "local-1 (Local method)"
    assert "rescore the month to apply it" in legend[""]
    document = json.loads(_run("export", "--period", "2021-01", "--format", "json", "--db", db))
    assert document["methodology_version"] == "llr-2026.4"
    assert document["database_method"] == "local-1"

    # one practice reviewed under the new method: the month now holds two
    store = Store.open(db)
    store.save_assessment("C82001", "2021-01", {"list_size": 26437})
    store.close()
    subtitle = _run("report", "--period", "2021-01", "--db", db).splitlines()[2]
    assert "methods llr-2026.4 (" in subtitle and "and local-1 (1 practice)" in subtitle
    assert "rescore the month to apply it to every practice" in subtitle
    legend = _legend(_xlsx(public_db, tmp_path))
    assert "local-1 (1 practice)" in legend["Method version"]
    assert "Method" not in legend  # no one method made them
    assert any("more than one method" in line for line in legend)

    # rescored: every score is local-1's, and nothing more is said
    _run("score", "--from-db", "--save", "--period", "2021-01", "--db", db)
    subtitle = _run("report", "--period", "2021-01", "--db", db).splitlines()[2]
    assert "; method local-1" in subtitle and "llr-2026.4" not in subtitle
    legend = _legend(_xlsx(public_db, tmp_path))
    assert legend["Method version"] == "local-1" and "Method now" not in legend
    assert legend["Method"] == "Local method"


def test_the_legend_says_what_an_unknown_counts_as(public_db: Path, tmp_path: Path) -> None:
    text = " ".join(_legend(_xlsx(public_db, tmp_path)))
    assert "scored as their worst case" not in text
    assert "count it as a typical practice's value until it is recorded" in text
    assert "A floor fires on known facts only" in text and "score_if_unknown_worst" in text


def test_the_csv_adds_the_triage_at_the_end_and_writes_yes_or_no(public_db: Path) -> None:
    out = _run("export", "--period", "2021-01", "--format", "csv", "--db", str(public_db))
    header = out.splitlines()[0]
    assert header.startswith(OLD_CSV_PREFIX)
    assert header.endswith(",public_data_only,list_size_relative")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["reviewed"] for r in rows} == {"no"}
    assert {r["public_data_only"] for r in rows} == {"yes"}
    assert "True" not in out and "False" not in out
    # the list as a percentage of its commissioner's median list, worked out here
    lists: dict[str, list[int]] = {}
    for r in rows:
        if r["list_size"]:
            lists.setdefault(r["commissioner_code"], []).append(int(r["list_size"]))
    checked = 0
    for r in rows:
        if not r["list_size"]:
            assert r["list_size_relative"] == ""
            continue
        expected = 100 * int(r["list_size"]) / median(lists[r["commissioner_code"]])
        assert float(r["list_size_relative"]) == pytest.approx(expected, abs=0.05)
        checked += 1
    assert checked > 100


def test_the_summary_sheet_shows_the_triage(public_db: Path, tmp_path: Path) -> None:
    out = _run("export", "--period", "2021-01", "--format", "csv", "--db", str(public_db))
    by_code = {r["ods_code"]: r for r in csv.DictReader(io.StringIO(out))}
    sheet = _xlsx(public_db, tmp_path)["Summary"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:6] == ["ODS code", "Practice", "Commissioner", "Locality", "Score", "Band"]
    column = {title: header.index(title) for title in header}
    with_list = 0
    for row in rows[1:]:
        csv_row = by_code[row[0]]
        to_confirm = [t for t in csv_row["to_confirm"].split(";") if t]
        assert row[column["To confirm"]] == len(to_confirm) > 0
        assert row[column["Not known yet (to confirm)"]] == "; ".join(to_confirm)
        assert row[column["Worst case"]] == float(csv_row["score_if_unknown_worst"])
        assert row[column["Worst-case band"]] == csv_row["band_if_unknown_worst"]
        completeness = row[column["Data known (%)"]]
        assert completeness == pytest.approx(100 * float(csv_row["data_completeness"]), abs=0.05)
        if csv_row["list_size"]:
            with_list += 1
            assert row[column["List size"]] == int(csv_row["list_size"])
            relative = row[column["List as % of commissioner median"]]
            assert relative == pytest.approx(float(csv_row["list_size_relative"]), abs=0.05)
    assert with_list > 100
    # the worst-case band is coloured like every band
    cell = sheet.cell(2, column["Worst-case band"] + 1)
    assert cell.fill.fill_type == "solid"
