"""Item 17: a killed backup leaves a `.partial` file; the next backup into that folder
removes it, but never one a running backup is still writing (it holds a lock on it), a
recent one, or a file that is not a half-written database."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from resilience.backup import SQLITE_HEADER
from resilience.cli import app

runner = CliRunner()
AN_HOUR_AGO = time.time() - 3600


def _partial(folder: Path, name: str, content: bytes, *, old: bool = True) -> Path:
    path = folder / name
    path.write_bytes(content)
    if old:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return path


def test_the_next_backup_removes_a_killed_backups_partial(demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    # a real killed backup: a process holding a lock on its partial, then SIGKILLed
    killed = _partial(folder, ".monday.db.a1b2c3d4.partial", SQLITE_HEADER + b"\0" * 4080)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(killed)!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    os.utime(killed, (AN_HOUR_AGO, AN_HOUR_AGO))

    in_use = _partial(folder, ".tuesday.db.e5f6g7h8.partial", SQLITE_HEADER)
    recent = _partial(folder, ".wednesday.db.i9j0k1l2.partial", b"", old=False)
    stranger = _partial(folder, ".notes.txt.m3n4o5p6.partial", b"someone's download")
    lock = os.open(in_use, os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)  # a backup still writing it
    try:
        result = runner.invoke(
            app, ["db", "backup", str(folder / "friday.db"), "--db", str(demo_db)]
        )
    finally:
        os.close(lock)
    assert result.exit_code == 0, result.output
    assert not killed.exists()
    assert in_use.exists() and recent.exists() and stranger.exists()
    assert (folder / "friday.db").exists()
    assert [p.name for p in folder.glob(".friday*")] == []  # its own partial is gone too
