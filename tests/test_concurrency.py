"""Several processes saving to one SQLite file at once: no lost or duplicated versions,
contiguous version numbers, and no "database is locked" reaching anyone."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from resilience.store import Store

ROOT = Path(__file__).resolve().parent.parent
WRITERS, SAVES = 8, 200
# two practices shared by every writer (constant conflicts), plus one each of their own
SHARED = ["ZE0005", "ZC0007"]
OWN = ["ZW0011", "ZC0011", "ZC0015", "ZW0016", "ZC0034", "ZC0036", "ZW0039", "ZC0043"]


def test_eight_writers_two_hundred_saves_each(demo_db: Path) -> None:
    before = Store.open(str(demo_db))
    start = {code: before.review_context(code, "2017-03").version for code in SHARED + OWN}
    before.close()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.workers",
                "saves",
                str(demo_db),
                f"writer{w}",
                str(SAVES),
                *SHARED,
                OWN[w],
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    acknowledged: list[tuple[str, int]] = []
    conflicts = 0
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
        lines = out.splitlines()
        assert lines[-1].startswith("done ")
        conflicts += int(lines[-1].split()[1])
        acknowledged += [(line.split()[1], int(line.split()[2])) for line in lines[:-1]]
    assert len(acknowledged) == WRITERS * SAVES
    duplicates = [item for item, n in Counter(acknowledged).items() if n > 1]
    assert not duplicates, f"two writers were told they saved the same version: {duplicates}"
    assert conflicts > 0, "the shared practices should have made writers collide"
    store = Store.open(str(demo_db))
    for code in SHARED + OWN:
        versions = [v.version for v in store.assessment_versions(code, "2017-03")]
        mine = sorted(v for c, v in acknowledged if c == code)
        assert versions == list(range(1, len(versions) + 1)), f"{code}: gaps in {versions}"
        assert mine == list(range(start[code] + 1, len(versions) + 1)), code
    store.close()
