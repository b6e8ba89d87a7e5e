"""Item 11: files the tool writes are owner-only (0600) whatever the umask, appear
complete or not at all (written to a temporary name, then renamed), and a failed
export is not recorded in the audit log as done."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.store import Store
from tests.security.limits import one_sentence, run_with_file_limit


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual shared-server umask, under which a plain open() makes 0644 files."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def exports(store_path: Path) -> int:
    store = Store.open(str(store_path))
    try:
        return len(store.audit_entries("export"))
    finally:
        store.close()


COMMANDS = {
    "export.csv": ["export", "--period", "2017-03", "--format", "csv"],
    "export.json": ["export", "--period", "2017-03", "--format", "json"],
    "export.xlsx": ["export", "--period", "2017-03", "--format", "xlsx"],
    "report.md": ["report", "--period", "2017-03", "--format", "md"],
    "report.html": ["report", "--period", "2017-03", "--format", "html"],
}


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_exports_and_reports_are_owner_only(demo_db: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    result = CliRunner().invoke(cli, [*COMMANDS[name], "-o", str(target), "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


@pytest.mark.usefixtures("open_umask")
def test_score_output_is_owner_only(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,period,gp_fte\nA81001,2017-03,2.5\n", encoding="utf-8")
    target = tmp_path / "scores.csv"
    result = CliRunner().invoke(cli, ["score", str(rows), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--period", "2017-03", "--format", "json"],
        ["export", "--period", "2017-03", "--format", "xlsx"],
        ["export", "--period", "2017-03", "--format", "csv"],
    ],
)
def test_a_full_disk_leaves_the_old_file_and_no_audit_line(
    demo_db: Path, tmp_path: Path, args: list[str]
) -> None:
    target = tmp_path / "pack.out"
    target.write_text("last month's export, complete\n", encoding="utf-8")
    before = exports(demo_db)
    # room for the database's journal, not for the whole export
    result = run_with_file_limit(40_000, *args, "-o", str(target), "--db", str(demo_db))
    assert result.returncode == 2, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert "cannot write" in result.stderr
    assert target.read_text(encoding="utf-8") == "last month's export, complete\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert exports(demo_db) == before  # not audited as done


def test_a_report_that_cannot_be_flushed_leaves_the_old_one(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills as the file is flushed (ENOSPC surfaces at fsync on many file
    systems); the pack is a few kilobytes, too small for the file-size limit above."""
    target = tmp_path / "pack.html"
    target.write_text("last month's pack\n", encoding="utf-8")
    before = exports(demo_db)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("resilience.safe_files.os.fsync", no_space)
    result = CliRunner().invoke(
        cli,
        ["report", "--period", "2017-03", "--format", "html", "-o", str(target),
         "--db", str(demo_db)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "last month's pack\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    monkeypatch.undo()
    assert exports(demo_db) == before
