"""Measure the scoring method against real closures and mergers, straight from the files.

    .venv/bin/python tools/validate_real.py [--methodology FILE] [--folder DIR]

Reads the December 2019 ODS register and the January 2021 list sizes in
``/work/shared/data/real/validation/`` (or ``--folder``), builds the engine's inputs
from them alone (list size, its percentile within the practice's commissioner and its
ratio to the commissioner's median list, the date the practice opened),
scores every active practice for 2021-01 and reports, against ``outcomes_train.csv``:
the AUC of the score with its 95% interval, the AUC of list size alone, and the same
on two halves of the practices split by ODS code (a check that the rule set is not
tuned to one half). Nothing here is fitted to the outcomes.

This reads the files directly (a tolerant read of ``epraccur``) so that it works
whatever the importers accept; ``resilience validate`` measures the stored scores of
a database the same way.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import PracticeInputs, default_methodology, load_methodology, score
from scoring.relative import list_size_percentiles, list_size_relatives
from scoring.validation import auc

FOLDER = Path("/work/shared/data/real/validation")


def read_register(path: Path) -> dict[str, list[str]]:
    """Active GP practices (status A, setting 4) of a legacy-dialect epraccur zip."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.lower().endswith(".csv"))
        text = io.TextIOWrapper(archive.open(name), encoding="latin-1")
        return {r[0]: r for r in csv.reader(text) if len(r) > 25 and r[12] == "A" and r[25] == "4"}


def read_list_sizes(path: Path) -> dict[str, tuple[str, int]]:
    """ODS code -> (CCG, patients) from an NHS Digital 'patients registered' zip."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.lower().endswith(".csv"))
        text = io.TextIOWrapper(archive.open(name), encoding="utf-8-sig")
        out = {}
        for row in csv.DictReader(text):
            if row.get("SEX", "ALL") == "ALL" and row.get("AGE", "ALL") == "ALL":
                out[row["CODE"]] = (row["CCG_CODE"], int(row["NUMBER_OF_PATIENTS"]))
        return out


def _opened(row: list[str]) -> date | None:
    """The register's open date (field 11, YYYYMMDD); None when blank or malformed."""
    text = row[10].strip()
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methodology", type=Path)
    parser.add_argument("--folder", type=Path, default=FOLDER)
    args = parser.parse_args()
    folder: Path = args.folder
    if not (folder / "outcomes_train.csv").exists():
        print(f"{folder}: no outcomes_train.csv here; nothing to measure")
        return 2
    method = load_methodology(args.methodology) if args.methodology else default_methodology()
    register = read_register(folder / "epraccur_2019-12.zip")
    sizes = read_list_sizes(folder / "gp-reg-pat-prac-all_2021-01.zip")
    with (folder / "outcomes_train.csv").open(encoding="utf-8") as handle:
        outcomes = {r["ods_code"]: int(r["closed_or_merged_later"]) for r in csv.DictReader(handle)}
    practices = {code: sizes[code] for code in register if code in sizes}
    percentiles = list_size_percentiles(practices)
    relatives = list_size_relatives(practices)
    codes = sorted(c for c in outcomes if c in practices)
    results = {
        code: score(
            PracticeInputs(
                ods_code=code,
                period="2021-01",
                list_size=practices[code][1],
                list_size_percentile=percentiles.get(code),
                list_size_relative=relatives.get(code),
                practice_opened=_opened(register[code]),
            ),
            method,
        )
        for code in codes
    }
    print(f"method {method.version}; matched {len(codes)} of {len(outcomes)} outcomes")
    halves = {
        "all": codes,
        "half A": [c for c in codes if zlib.crc32(c.encode()) % 2 == 0],
        "half B": [c for c in codes if zlib.crc32(c.encode()) % 2 == 1],
    }
    for label, chosen in halves.items():
        y = [outcomes[c] for c in chosen]
        engine = auc([results[c].score for c in chosen], y)
        size = auc([-practices[c][1] for c in chosen], y)
        print(
            f"{label:7} n={len(chosen):5} positives={sum(y):4}  "
            f"score AUC {engine.text()}  list size alone {size.text()}"
        )
    bands: dict[str, list[int]] = {}
    for code in codes:
        bands.setdefault(results[code].band, []).append(outcomes[code])
    for band in method.band_names:
        got = bands.get(band, [])
        rate = f"{100 * sum(got) / len(got):.1f}%" if got else "-"
        print(f"  {band:9} {len(got):5} practices, {sum(got):4} closed or merged ({rate})")
    distinct = len({results[c].score for c in codes})
    print(f"  {distinct} distinct scores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
