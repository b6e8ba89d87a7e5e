"""Import a national-size register and list-size file, and score 6,700 practices from a
file, through the real command line; print the times.

    .venv/bin/python benchmarks/import_and_score.py

Files are generated (seeded) in a temporary folder: about 14,000 epraccur rows, of
which about 6,700 are GP practices, and a list-size file for those practices. Codes
start with Z and names are 'BENCH PRACTICE n': nothing real, nothing shipped.
"""

from __future__ import annotations

import csv
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from score_throughput import synthetic_rows  # noqa: E402

from scoring import INPUT_FIELDS  # noqa: E402

PRACTICES, OTHERS = 6_700, 7_300
RESILIENCE = str(Path(sys.executable).with_name("resilience"))


def write_register(path: Path, rng: random.Random) -> list[str]:
    codes = []
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for i in range(PRACTICES + OTHERS):
            code = f"Z{i:05d}"
            gp = i < PRACTICES
            if gp:
                codes.append(code)
            status = "A" if rng.random() < 0.93 else rng.choice("CD")
            row = [
                code,
                f"BENCH PRACTICE {i}",
                "Y63",
                "Q74",
                "1 BENCH STREET",
                "",
                "TOWN",
                "",
                "",
                f"ZZ{i % 90 + 10} 9ZZ",
                "19740401",
                "" if status == "A" else "20170331",
                status,
                "B",
                f"{i % 106 + 100:03d}",
                "20130401",
                "",
                "01234 567890",
                "",
                "",
                "",
                "0",
                "",
                f"{i % 106 + 100:03d}",
                "",
                "4" if gp else rng.choice(["1", "2", "3"]),
                "",
            ]
            writer.writerow(row)
    return codes


def write_list_sizes(path: Path, codes: list[str], rng: random.Random) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "PUBLICATION",
                "EXTRACT_DATE",
                "TYPE",
                "SUB_ICB_LOCATION_CODE",
                "ONS_SUB_ICB_LOCATION_CODE",
                "CODE",
                "POSTCODE",
                "SEX",
                "AGE",
                "NUMBER_OF_PATIENTS",
            ]
        )
        for code in codes:
            writer.writerow(
                [
                    "GP_PRAC_PAT_LIST",
                    "2026-04-01",
                    "GP",
                    "100",
                    "E38000000",
                    code,
                    "ZZ1 9ZZ",
                    "ALL",
                    "ALL",
                    int(rng.lognormvariate(8.9, 0.5)),
                ]
            )


def write_inputs(path: Path) -> None:
    rows = synthetic_rows(PRACTICES)
    with path.open("w", newline="") as handle:
        # the file holds the review's inputs; the generator's rows also carry the
        # register's context (list size percentile, opening date), which are not columns
        writer = csv.DictWriter(
            handle,
            fieldnames=["ods_code", "period", *INPUT_FIELDS],
            lineterminator="\n",
            extrasaction="ignore",
        )
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: ""
                    if v is None
                    else (
                        v.isoformat()
                        if hasattr(v, "isoformat")
                        else ("yes" if v is True else "no" if v is False else v)
                    )
                    for k, v in row.items()
                }
            )


def timed(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([RESILIENCE, *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: resilience {' '.join(args)}\n{done.stderr[-2000:]}")
    return elapsed


def plain_csv_copy(source: Path, target: Path) -> float:
    started = time.perf_counter()
    with source.open() as i, target.open("w", newline="") as o:
        writer = csv.writer(o)
        for row in csv.reader(i):
            writer.writerow(row)
    return time.perf_counter() - started


def main() -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = str(folder / "national.db")
        register, sizes, inputs = folder / "epraccur.csv", folder / "sizes.csv", folder / "in.csv"
        codes = write_register(register, rng)
        write_list_sizes(sizes, codes, rng)
        write_inputs(inputs)
        results = [
            (
                "import ods (14,000 rows, 6,700 practices)",
                timed("import", "ods", str(register), "--db", db, "--create"),
            ),
            ("import ods again (no changes)", timed("import", "ods", str(register), "--db", db)),
            ("import list-size (6,700 rows)", timed("import", "list-size", str(sizes), "--db", db)),
            (
                "score 6,700 practices from a file",
                timed("score", str(inputs), "--output", str(folder / "out.csv")),
            ),
            (
                "plain Python csv read+write of that file",
                plain_csv_copy(inputs, folder / "copy.csv"),
            ),
            ("resilience --version (start-up)", timed("--version")),
        ]
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    for label, seconds in results:
        print(f"{label:45s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
