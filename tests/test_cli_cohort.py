"""`resilience cohort allocate|show`: the engine's proposal and the recorded decisions."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app

runner = CliRunner()


def test_allocate_reproduces_the_demo_panel_outcomes(demo_db: Path) -> None:
    result = runner.invoke(
        app, ["cohort", "allocate", "GPRP cohort 1", "--db", str(demo_db), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 52
    assert [int(r["rank"]) for r in rows] == list(range(1, 53))
    by_ccg = Counter((r["commissioner"], r["proposed"]) for r in rows)
    assert by_ccg[("04C", "supported")] == 4 and by_ccg[("04C", "reserve")] == 10
    assert by_ccg[("03W", "supported")] == 1 and by_ccg[("04V", "supported")] == 5
    assert all(r["proposed"] == r["recorded"] for r in rows)  # the demo's panel agreed
    assert all(r["reason"] for r in rows)
    supported = [r for r in rows if r["proposed"] == "supported"]
    assert all(r["support"] for r in supported)  # each gets menu suggestions


def test_show_lists_recorded_decisions(demo_db: Path) -> None:
    result = runner.invoke(
        app, ["cohort", "show", "GPRP cohort 1", "--db", str(demo_db), "--format", "json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 52
    assert {d["outcome"] for d in data} == {"supported", "reserve", "not_supported"}
    assert all(d["decided_by"] == "LLR GPRP panel" for d in data)
    table = runner.invoke(app, ["cohort", "show", "GPRP cohort 1", "--db", str(demo_db)])
    assert table.exit_code == 0 and "places 10 supported, 16 reserve" in table.stderr


def test_unknown_cohort_names_the_known_ones(demo_db: Path) -> None:
    result = runner.invoke(app, ["cohort", "allocate", "Cohort 9", "--db", str(demo_db)])
    assert result.exit_code == 2
    assert "no cohort called 'Cohort 9'; cohorts: GPRP cohort 1" in result.stderr
