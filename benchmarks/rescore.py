"""Rescore and save one month of the England database through the real command line;
print wall and CPU time of each run (the part of ``benchmarks/run.py`` that measures
"rescore and save a period", on its own).

    .venv/bin/python benchmarks/rescore.py [--runs 3] [--period 2026-03] [--profile FILE]
        [--source COPY.db]

Each run works on a fresh copy of ``benchmarks/.data/england.db`` (a save adds 6,700
versions), so the runs are alike. The copy must already be at the schema head: this
script does not migrate (a migration would back the 3 GB file up first and be timed).
``--profile FILE`` runs the command under cProfile (slower) and writes its statistics.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from generate import DEFAULT_OUT as ENGLAND  # noqa: E402

RESILIENCE = str(Path(sys.executable).with_name("resilience"))


def rescore_command(db: Path, period: str, out: Path) -> list[str]:
    return [
        "score",
        "--from-db",
        "--period",
        period,
        "--save",
        "--db",
        str(db),
        "--output",
        str(out),
    ]


def change_method(db: Path, variant: Path) -> None:
    """Set a new method version (the shipped rules) on the copy: the case measured is
    rescoring a month after a change of method, when every practice gets a new version
    (a rescoring that changes nothing saves nothing since issue 13's review)."""
    from scoring import default_methodology

    version = default_methodology().version
    text = (ROOT / "scoring" / "methodology" / "default.toml").read_text(encoding="utf-8")
    variant.write_text(
        text.replace(f'version = "{version}"', 'version = "bench-rescore"', 1), encoding="utf-8"
    )
    reason = "benchmark: rescoring after a change of method"
    command = [RESILIENCE, "method", "set", str(variant), "--reason", reason, "--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")


def rescore_once(
    period: str, profile: str | None = None, source: Path = ENGLAND
) -> tuple[float, float]:
    """(wall s, CPU s of the child) for one rescoring on a fresh copy of ``source``."""
    folder = ENGLAND.parent
    copy = folder / "england-rescore.db"
    leftovers = [copy.with_name(copy.name + suffix) for suffix in ("-wal", "-shm")]
    for path in leftovers:  # a stale write-ahead log would be read as this copy's
        path.unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    os.chmod(copy, 0o600)
    try:
        change_method(copy, folder / "rescore-method.toml")  # not timed
        args = rescore_command(copy, period, folder / "rescored.csv")
        if profile:
            command = [sys.executable, "-m", "cProfile", "-o", profile, RESILIENCE, *args]
        else:
            command = [RESILIENCE, *args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu
    finally:
        for path in (copy, *leftovers):
            path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", default="2026-03")
    parser.add_argument("--profile", default=None)
    parser.add_argument("--source", type=Path, default=ENGLAND, help="another copy to rescore")
    options = parser.parse_args()
    if not options.source.exists():
        raise SystemExit(f"{options.source} is missing: run benchmarks/generate.py first")
    for run in range(options.runs if not options.profile else 1):
        wall, cpu = rescore_once(options.period, options.profile, options.source)
        print(f"run {run + 1}: wall {wall:.2f} s, CPU {cpu:.2f} s", flush=True)


if __name__ == "__main__":
    main()
