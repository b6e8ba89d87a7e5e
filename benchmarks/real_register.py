"""The real-register case: the practice list on the real national register.

    .venv/bin/python benchmarks/real_register.py [--folder ../shared/data/real/validation]

Imports the real ODS register (``epraccur_2019-12.zip``) and list sizes
(``gp-reg-pat-prac-all_2021-01.zip``) into a new database through the real command line,
opens the month 2021-01, scores and saves it (``resilience score --from-db --save``),
then runs the England case's key sequence on the practice list (20 scrolls, a 5-key
search, 5 filter changes, 5 practice histories) and prints CPU per key, worst and median,
beside a plain DataTable's scroll in the same harness.

Each file is imported as published (the zip) and, if the importer does not read zips,
as the CSV inside it. If the import still fails, the case is skipped with the command's
own message: nothing here works around the importer. Used by ``benchmarks/run.py``;
independent of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

REAL = ROOT.parent / "shared" / "data" / "real" / "validation"
if not REAL.exists():  # a worktree sits one level deeper than the main checkout
    REAL = Path("/work/shared/data/real/validation")
REGISTER, LIST_SIZES = "epraccur_2019-12.zip", "gp-reg-pat-prac-all_2021-01.zip"
PERIOD = "2021-01"
RESILIENCE = str(Path(sys.executable).with_name("resilience"))


@dataclass
class RealCase:
    skipped: str | None = None
    practices: int = 0
    steps: dict[str, float] = field(default_factory=dict)  # seconds per set-up step
    latency: dict[str, list[float]] = field(default_factory=dict)  # ms per key


def _import(kind: str, archive: Path, db: Path, work: Path, *extra: str) -> str | None:
    """Import one file as published, else the CSV inside it; None or the failure."""
    args = [RESILIENCE, "import", kind, "--db", str(db), "--create", *extra]
    done = subprocess.run([*args, str(archive)], capture_output=True, text=True)
    if done.returncode == 0:
        return None
    with zipfile.ZipFile(archive) as z:
        inner = next(n for n in z.namelist() if n.lower().endswith(".csv"))
        extracted = Path(z.extract(inner, work))
    done = subprocess.run([*args, str(extracted)], capture_output=True, text=True)
    if done.returncode == 0:
        return None
    message = (done.stderr or done.stdout).strip().splitlines()
    return f"`resilience import {kind}` refused {archive.name}: {message[-1] if message else '?'}"


def measure(folder: Path = REAL) -> RealCase:
    case = RealCase()
    if not (folder / REGISTER).exists() or not (folder / LIST_SIZES).exists():
        case.skipped = f"{folder} has no {REGISTER} / {LIST_SIZES}"
        return case
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "real.db"
        started = time.perf_counter()
        failed = _import("ods", folder / REGISTER, db, work, "--extract-date", "2019-12-01")
        if failed:
            case.skipped = failed
            return case
        case.steps["import ods"] = time.perf_counter() - started
        started = time.perf_counter()
        failed = _import("list-size", folder / LIST_SIZES, db, work)
        if failed:
            case.skipped = failed
            return case
        case.steps["import list-size"] = time.perf_counter() - started

        from resilience.store import Store

        store = Store.open(str(db))
        store.open_period(PERIOD)
        case.practices = len(store.list_practices())
        store.close()
        started = time.perf_counter()
        done = subprocess.run(
            [
                RESILIENCE,
                "score",
                "--from-db",
                "--period",
                PERIOD,
                "--save",
                "--db",
                str(db),
                "--output",
                str(work / "scored.csv"),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode not in (0, 1):
            case.skipped = f"`resilience score --from-db` failed: {done.stderr.strip()[-300:]}"
            return case
        case.steps["score and save the month"] = time.perf_counter() - started

        from run import reference_scroll, ui_latency

        case.latency = asyncio.run(ui_latency(str(db)))
        plain = asyncio.run(reference_scroll())
        case.latency["plain DataTable scroll"] = plain["scroll"]
    return case


def summary(case: RealCase) -> str:
    if case.skipped:
        return f"real register: skipped ({case.skipped})"
    lines = [f"real register: {case.practices:,} practices, month {PERIOD}"]
    lines += [f"  {step}: {seconds:.2f} s" for step, seconds in case.steps.items()]
    for key, values in case.latency.items():
        if key.endswith("wall"):
            continue
        lines.append(
            f"  {key}: CPU worst {max(values):.0f} ms, median {statistics.median(values):.0f} ms"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=REAL)
    args = parser.parse_args()
    print(summary(measure(args.folder)))


if __name__ == "__main__":
    main()
