"""The practice screen's version table says which versions a script saved."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from screens.practice_tables import version_rows


def test_a_scripts_version_reads_as_not_reviewed(public_db: Path) -> None:
    saved = CliRunner().invoke(
        app, ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    )
    assert saved.exit_code == 0, saved.output
    store = Store.open(str(public_db))
    try:
        code = store.unreviewed("2021-01")[0]
        versions = store.assessment_versions(code)
    finally:
        store.close()
    [(_, cells)] = version_rows(versions, [0], [])
    reason = str(cells[-1])
    assert reason.startswith("scored by script (not reviewed): rescored with method")
