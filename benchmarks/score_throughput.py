"""How many practice-months the scoring engine scores per second on one core.

    .venv/bin/python benchmarks/score_throughput.py [--rows 100000] [--repeat 3]

Builds a deterministic (seeded) mix of practice-months like a national file: mostly
unremarkable practices, some with findings in every area, some with unknown figures.
Input validation (building PracticeInputs) is timed apart from scoring, and the best of
``--repeat`` runs is reported, since the machine may be busy. Target (issue 3): at least
50,000 practice-months per second.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import PracticeInputs, default_methodology, score

TARGET_PER_SECOND = 50_000


def pct(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def synthetic_rows(count: int, seed: int = 2016) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ratings = [
        "outstanding",
        "good",
        "good",
        "good",
        "good",
        "requires_improvement",
        "inadequate",
        "not_rated",
    ]
    rows = []
    for i in range(count):
        list_size = int(rng.lognormvariate(8.9, 0.5))
        gp_fte = round(max(0.5, list_size / rng.uniform(1400, 3600)), 2)
        headcount = max(1, round(gp_fte * 1.3))
        row: dict[str, Any] = {
            "ods_code": f"ZB{i % 10000:04d}",
            "period": f"{2016 + (i // 10000) % 10}-{1 + i % 12:02d}",
            "cqc_overall": rng.choice(ratings),
            "cqc_safe": rng.choice(ratings),
            "cqc_effective": "good",
            "cqc_caring": "good",
            "cqc_responsive": rng.choice(ratings),
            "cqc_well_led": rng.choice(ratings),
            "cqc_special_measures": rng.random() < 0.02,
            "cqc_enforcement_action": rng.random() < 0.01,
            "cqc_last_inspection": date(rng.randint(2012, 2016), rng.randint(1, 12), 1),
            "qof_achievement_pct": pct(rng.gauss(92, 5)),
            "gpps_overall_good_pct": pct(rng.gauss(82, 8)),
            "gpps_phone_easy_pct": pct(rng.gauss(68, 12)),
            "remedial_notices_open": int(rng.random() < 0.03),
            "breach_notices_open": int(rng.random() < 0.01),
            "contract_sanction": rng.random() < 0.01,
            "list_closed": rng.random() < 0.02,
            "list_size": list_size,
            "gp_fte": gp_fte,
            "nurse_fte": round(max(0.2, list_size / rng.uniform(3000, 9000)), 2),
            "other_clinical_fte": 1.0,
            "gp_vacancy_fte": rng.choice([0.0, 0.0, 0.0, 0.5, 1.0]),
            "gp_sessions_unfilled_pct": pct(rng.gauss(5, 6)),
            "gp_headcount": headcount,
            "gp_aged_55_plus": rng.randint(0, headcount),
            "single_handed": headcount == 1,
            "soft_intel_max_severity": rng.choice([0, 0, 0, 0, 1, 2, 3, 4]),
            "soft_intel_count": rng.choice([0, 0, 0, 1, 2, 3]),
            "whistleblowing": rng.random() < 0.02,
            "whistleblowing_corroborated": rng.random() < 0.01,
            "premises_risk": rng.choice(["none", "low", "low", "medium", "high"]),
            "financial_risk": rng.choice(["none", "low", "low", "medium"]),
            "partnership_change": rng.random() < 0.05,
            "list_growth_pct_12m": round(rng.gauss(1.5, 3), 1),
            "merger_or_split": rng.choice(["none"] * 18 + ["merger", "split"]),
            "at_risk_of_closure_12m": rng.random() < 0.01,
            # what the store passes with every score: the list's percentile within the
            # commissioner (here a fixed function of list size, 9,000 patients = 50)
            "list_size_percentile": round(min(100.0, max(0.0, (list_size - 2000) / 140)), 1),
        }
        # one practice-month in ten has a few unknown figures
        if rng.random() < 0.1:
            for field in rng.sample(sorted(row)[2:], 3):
                if field not in ("ods_code", "period"):
                    row[field] = None
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    method = default_methodology()
    rows = synthetic_rows(args.rows)
    started = time.perf_counter()
    inputs = [PracticeInputs(**row) for row in rows]
    validate_seconds = time.perf_counter() - started

    best = float("inf")
    for _ in range(args.repeat):
        gc.collect()
        started = time.perf_counter()
        for item in inputs:
            score(item, method)
        best = min(best, time.perf_counter() - started)
    rate = args.rows / best
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, one process"
    )
    print(f"practice-months scored:  {args.rows:,}")
    print(
        f"scoring (best of {args.repeat}):   {best:.2f} s = {rate:,.0f} practice-months/s "
        f"(target {TARGET_PER_SECOND:,}/s: {'met' if rate >= TARGET_PER_SECOND else 'MISSED'})"
    )
    print(
        f"input validation:        {validate_seconds:.2f} s = "
        f"{args.rows / validate_seconds:,.0f} rows/s (pydantic, measured apart)"
    )


if __name__ == "__main__":
    main()
