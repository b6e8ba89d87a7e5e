"""`resilience export`: CSV, JSON and a workbook a meeting can use; confidential
soft intelligence left out unless asked for (and then audited)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()


def export(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["export", "--period", "2017-03", "--db", str(db), *args])


def test_csv_has_every_practice_with_scores_and_findings(demo_db: Path) -> None:
    result = export(demo_db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 138
    results = Store.open(str(demo_db)).period_results("2017-03")
    first = rows[0]
    assert float(first["score"]) == results[first["ods_code"]].score
    assert first["summary"] == results[first["ods_code"]].summary
    for column in ("quality_band", "cqc_overall", "gp_fte", "methodology_version", "reviewed"):
        assert column in first


def test_json_withholds_confidential_entries_unless_asked(demo_db: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    plain = json.loads(export(demo_db, "--format", "json").stdout)
    assert plain["confidential_entries_withheld"] == 2
    assert not any(e["confidential"] for e in plain["soft_intelligence"])
    assert "name withheld" not in json.dumps(plain)
    assert plain["practices"][0]["explanation"][0]["rule_id"] == "BAND"
    admin = Store.open(str(demo_db))
    admin.set_role("chair", "editor")
    act_as("chair")
    refused = export(demo_db, "--format", "json", "--include-confidential")
    assert refused.exit_code == 2 and "confidential entries are for admin only" in refused.stderr
    admin.set_confidential_roles(["editor", "admin"])
    full = export(demo_db, "--format", "json", "--include-confidential")
    data = json.loads(full.stdout)
    assert data["confidential_entries_withheld"] == 0
    assert any(e["confidential"] for e in data["soft_intelligence"])
    audit = Store.open(str(demo_db)).audit_entries("soft_intel")
    assert any(e["action"] == "export_confidential" and e["actor"] == "chair" for e in audit)


def test_xlsx_has_summary_area_sheets_legend_frozen_headers_and_colours(
    demo_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "pack.xlsx"
    result = export(demo_db, "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames == [
        "Summary",
        "Quality (CQC)",
        "Contract",
        "Workforce and capacity",
        "Soft intelligence",
        "Sustainability",
        "Soft intelligence log",
        "Method",
    ]
    summary = book["Summary"]
    assert summary.freeze_panes == "C2" and summary.max_row == 139
    header = [c.value for c in summary[1]]
    band_column = header.index("Band") + 1
    bands = {
        summary.cell(r, band_column).value: summary.cell(r, band_column).fill.start_color.rgb
        for r in range(2, summary.max_row + 1)
    }
    assert bands["Extreme"].endswith("FF7C80") and bands["Low"].endswith("C6EFCE")
    method = book["Method"]
    assert method["B2"].value == "llr-2026.4"
    log = book["Soft intelligence log"]
    texts = " ".join(str(c.value) for row in log.iter_rows() for c in row)
    assert "confidential entries withheld" in texts and "name withheld" not in texts


def test_a_month_that_does_not_exist(demo_db: Path) -> None:
    result = runner.invoke(app, ["export", "--period", "2030-01", "--db", str(demo_db)])
    assert result.exit_code == 2 and "no review period 2030-01" in result.stderr
