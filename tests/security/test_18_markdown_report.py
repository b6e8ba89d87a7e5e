"""Item 18: the Markdown meeting pack passed raw HTML and ``|`` from names and notes
straight through: a cohort or an action could add table columns, a script tag or a
link to the circulated pack. Data text is now escaped for Markdown."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.store import Store

SCRIPT = "<script>alert('pack')</script>"
ACTION = f"{SCRIPT} | extra column | [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
COHORT = "Cohort <b>2</b> | fake | *shout*"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def hostile(db: Path) -> None:
    store = Store.open(str(db))
    try:
        store.add_action("ZC0001", ACTION, "**owner** | x", date(2017, 3, 1))
        store.create_cohort(COHORT, 2, 1, assessment_period="2017-03")
    finally:
        store.close()


def test_the_markdown_pack_escapes_html_and_pipes(demo_db: Path, tmp_path: Path) -> None:
    hostile(demo_db)
    target = tmp_path / "pack.md"
    result = CliRunner().invoke(
        cli, ["report", "--period", "2017-03", "-o", str(target), "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;2&lt;/b&gt;" in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # the link is text, not a link
    # every table row has exactly its header's columns: no pipe from data splits a cell
    header_columns = 0
    for line in text.splitlines():
        if not line.startswith("|"):
            header_columns = 0
            continue
        cells = len(UNESCAPED_PIPE.findall(line))
        if header_columns == 0:
            header_columns = cells
        assert cells == header_columns, line
    action_line = next(line for line in text.splitlines() if "extra column" in line)
    assert "\\| extra column \\|" in action_line and "\\*\\*owner\\*\\*" in action_line
    cohort_line = next(line for line in text.splitlines() if "fake" in line)
    assert cohort_line.startswith("| Cohort &lt;b&gt;2&lt;/b&gt; \\| fake \\| \\*shout\\* |")


def test_the_html_pack_escapes_too(demo_db: Path, tmp_path: Path) -> None:
    hostile(demo_db)
    target = tmp_path / "pack.html"
    result = CliRunner().invoke(
        cli,
        ["report", "--period", "2017-03", "--format", "html", "-o", str(target),
         "--db", str(demo_db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert SCRIPT not in text and "&lt;script&gt;" in text
