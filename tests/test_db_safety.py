"""The database file is kept safe: owner-only, checked, backed up while in use, restored
only from a sound backup, and whole after a process is killed at any moment."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.store import Store

ROOT = Path(__file__).resolve().parent.parent
RESILIENCE = str(Path(sys.executable).with_name("resilience"))
runner = CliRunner()
CODES = ["ZE0005", "ZC0007", "ZW0011"]


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _versions(store: Store, code: str) -> list[int]:
    return [v.version for v in store.assessment_versions(code, "2017-03")]


def _writer(db: Path, name: str = "writer") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers", "saves", str(db), name, "0", *CODES],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_new_database_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(str(path), create=True).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_file_others_can_read_is_reported(demo_db: Path) -> None:
    os.chmod(demo_db, 0o644)
    result = runner.invoke(cli, ["db", "check", "--db", str(demo_db)])
    assert result.exit_code == 1
    assert "can be read by other users (mode 0644)" in result.output
    os.chmod(demo_db, 0o600)
    result = runner.invoke(cli, ["db", "check", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output and "practice: 138 rows" in result.output


def test_backup_while_someone_saves_is_consistent(demo_db: Path, tmp_path: Path) -> None:
    writer = _writer(demo_db)
    try:
        assert writer.stdout is not None
        for _ in range(5):  # let the writer get going
            writer.stdout.readline()
        copies = []
        for n in range(3):
            target = tmp_path / f"copy{n}.db"
            result = runner.invoke(cli, ["db", "backup", str(target), "--db", str(demo_db)])
            assert result.exit_code == 0, result.output
            copies.append(target)
            writer.stdout.readline()
    finally:
        writer.kill()
        writer.wait()
    for copy in copies:
        assert copy.stat().st_mode & 0o777 == 0o600
        assert _integrity(copy) == "ok"
        store = Store.open(str(copy))
        for code in CODES:
            versions = _versions(store, code)
            assert versions == list(range(1, len(versions) + 1))
        store.close()
    # an existing file is never overwritten
    result = runner.invoke(cli, ["db", "backup", str(copies[0]), "--db", str(demo_db)])
    assert result.exit_code == 2 and "already exists" in result.output


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(
    demo_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "before.db"
    assert runner.invoke(cli, ["db", "backup", str(copy), "--db", str(demo_db)]).exit_code == 0
    store = Store.open(str(demo_db))
    context = store.review_context("ZE0005", "2017-03")
    store.save_assessment(
        "ZE0005", "2017-03", context.findings, reason="after the backup", based_on_version=1
    )
    store.close()
    result = runner.invoke(cli, ["db", "restore", str(copy), "--db", str(demo_db), "--yes"])
    assert result.exit_code == 0, result.output
    store = Store.open(str(demo_db))
    assert _versions(store, "ZE0005") == [1]
    store.close()
    kept = list(tmp_path.glob("demo.db.before-restore-*"))
    assert len(kept) == 1
    store = Store.open(str(kept[0]))
    assert _versions(store, "ZE0005") == [1, 2]  # nothing is lost by restoring
    store.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"SQLite format 3\x00" * 5])
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    demo_db: Path, tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = demo_db.read_bytes()
    result = runner.invoke(cli, ["db", "restore", str(bad), "--db", str(demo_db), "--yes"])
    assert result.exit_code == 2
    assert "cannot be restored" in result.output and "Traceback" not in result.output
    assert demo_db.read_bytes() == before
    assert not list(tmp_path.glob("demo.db.before-restore-*"))


def test_killed_in_the_middle_of_saves_loses_only_unacknowledged_work(demo_db: Path) -> None:
    rng = random.Random(7)
    acknowledged: set[tuple[str, int]] = set()
    for _round in range(12):
        writer = _writer(demo_db)
        assert writer.stdout is not None
        for _ in range(rng.randint(1, 25)):
            line = writer.stdout.readline().split()
            acknowledged.add((line[1], int(line[2])))
        time.sleep(rng.random() * 0.02)  # land anywhere inside the next save
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
        for line in rest.splitlines():  # acknowledged before the kill arrived
            if line.startswith("ack "):
                acknowledged.add((line.split()[1], int(line.split()[2])))
        assert _integrity(demo_db) == "ok"
    store = Store.open(str(demo_db))
    for code in CODES:
        versions = _versions(store, code)
        assert versions == list(range(1, len(versions) + 1))
        assert {v for c, v in acknowledged if c == code} <= set(versions)
    store.close()


def test_killed_in_the_middle_of_an_import_leaves_none_of_it(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from import_and_score import write_register

    register = tmp_path / "epraccur.csv"
    practices = len(write_register(register, random.Random(3)))
    rng = random.Random(11)
    outcomes = set()
    for round_ in range(6):
        db = tmp_path / f"import{round_}.db"
        Store.open(str(db), create=True).close()
        process = subprocess.Popen(
            [RESILIENCE, "import", "ods", str(register), "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.6 + rng.random() * 2.4)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _integrity(db) == "ok"
        with sqlite3.connect(db) as connection:
            count = connection.execute("SELECT count(*) FROM practice").fetchone()[0]
            batches = connection.execute("SELECT count(*) FROM import_batch").fetchone()[0]
        assert (count, batches) in ((0, 0), (practices, 1)), (count, batches)
        outcomes.add(count)
    # the file is still usable: the same import runs to the end
    result = subprocess.run(
        [RESILIENCE, "import", "ods", str(register), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
