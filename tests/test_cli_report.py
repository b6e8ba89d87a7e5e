"""`resilience report`: the meeting pack, as Markdown and as one printable HTML file."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app

runner = CliRunner()


def test_markdown_pack_has_every_section(demo_db: Path) -> None:
    result = runner.invoke(app, ["report", "--period", "2016-11", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    for heading in (
        "Bands by commissioner",
        "Bands by locality",
        "Newly High or Extreme",
        "Other deteriorations",
        "Open contract notices and list closures",
        "Overdue actions",
        "GPRP cohorts",
    ):
        assert f"## {heading}" in text
    assert "| City | " in text and "| 59 |" in text  # 59 City practices counted
    assert "ZC0031" in text.split("## Newly High or Extreme")[1].split("##")[0]
    assert "ZE0005" in text.split("## Other deteriorations")[1].split("##")[0]
    assert "list closed until 2017-01-31" in text
    assert "Agree CQC action plan" in text  # due July 2016, still open
    assert "| GPRP cohort 1 | open | 52 | 10 | 16 | 26 | 0 |" in text
    assert "Demo data" in text
    assert "name withheld" not in text and "bullying" not in text  # no intelligence text


def test_html_pack_is_one_self_contained_file(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "pack.html"
    result = runner.invoke(
        app,
        [
            "report",
            "--period",
            "2016-11",
            "--format",
            "html",
            "--output",
            str(target),
            "--db",
            str(demo_db),
        ],
    )
    assert result.exit_code == 0, result.output
    page = target.read_text()
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert not re.search(r"<(script|link|img)\b", page)  # nothing fetched from elsewhere
    assert '<td class="Extreme">' in page
    assert "&amp;" in page  # names like 'Blaby & Lutterworth' are escaped


def test_unknown_month(demo_db: Path) -> None:
    result = runner.invoke(app, ["report", "--period", "2030-01", "--db", str(demo_db)])
    assert result.exit_code == 2 and "no review period" in result.stderr
