"""A synthetic England-scale database for the benchmarks (seeded: the same every time).

    .venv/bin/python benchmarks/generate.py [--out benchmarks/.data/england.db]
                                            [--practices 6700] [--months 120]

6,700 practices in 42 ICBs, 106 sub-ICB locations and about 1,250 PCNs; 120 months of
reviews (one version per practice-month: about 800,000 assessments, each scored by the
engine with its history), soft intelligence and actions in proportion. Codes start
``ZB``/``ZQ``/``ZX`` and names are 'Bench Practice n': nothing real.

History is written with bulk inserts, not through ``Store.save_assessments`` (which
would take an hour at this size); rows are built with the store's own helpers and the
engine, so the app reads them exactly as if they had been saved one by one. The audit
log holds one line for the load instead of 800,000. The file is reused by ``make bench``
while this generator's version and arguments are unchanged.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from resilience.models import (  # noqa: E402
    Action,
    Assessment,
    AuditLog,
    Practice,
    ReviewPeriod,
    SoftIntelEntry,
)
from resilience.store import (  # noqa: E402
    Store,
    _clean_findings,
    _to_inputs,
    next_month,
)
from scoring import SoftIntelItem, default_methodology, score  # noqa: E402
from scoring.engine import summarise_soft_intel  # noqa: E402
from scoring.trend import HistoryPoint  # noqa: E402

GENERATOR_VERSION = "1"
DEFAULT_OUT = ROOT / "benchmarks" / ".data" / "england.db"
FIRST_MONTH = "2016-04"
ICBS, SUB_ICBS, PCNS = 42, 106, 1_250
RATINGS = ["outstanding", "good", "good", "good", "good", "requires_improvement", "inadequate"]
SOURCES = ["ccg_icb", "cqc", "nhs_england", "lmc", "healthwatch", "patient", "staff_whistleblower"]


def register(rng: random.Random, practices: int) -> tuple[list, list, list, list]:
    commissioners: list[dict[str, Any]] = [
        {"code": f"ZQ{i:02d}", "name": f"Bench ICB {i}", "short_name": f"ICB{i}", "kind": "icb"}
        for i in range(ICBS)
    ]
    commissioners += [
        {
            "code": f"ZX{i:03d}",
            "name": f"Bench sub-ICB location {i}",
            "short_name": f"SL{i}",
            "kind": "sub_icb",
            "parent": f"ZQ{i % ICBS:02d}",
        }
        for i in range(SUB_ICBS)
    ]
    localities = [
        {"name": f"Bench PCN {i}", "commissioner": f"ZX{i % SUB_ICBS:03d}", "kind": "pcn"}
        for i in range(PCNS)
    ]
    federations = [
        {"name": f"Bench Federation {i}", "commissioner": f"ZX{i % SUB_ICBS:03d}"}
        for i in range(200)
    ]
    rows = []
    for i in range(practices):
        pcn = rng.randrange(PCNS)
        rows.append(
            {
                "ods_code": f"ZB{i:04d}",
                "name": f"Bench Practice {i}",
                "commissioner": f"ZX{pcn % SUB_ICBS:03d}",
                "locality": f"Bench PCN {pcn}",
                "federation": f"Bench Federation {pcn % 200}" if rng.random() < 0.6 else None,
                "contract_type": rng.choice(["GMS", "GMS", "GMS", "PMS", "APMS"]),
                "clinical_system": rng.choice(["EMIS Web", "SystmOne"]),
                "list_size": int(rng.lognormvariate(8.9, 0.5)),
            }
        )
    return commissioners, localities, federations, rows


def first_findings(rng: random.Random, list_size: int) -> dict[str, Any]:
    gp_fte = round(max(0.5, list_size / rng.uniform(1400, 3600)), 2)
    headcount = max(1, round(gp_fte * 1.3))
    older = rng.randint(0, headcount)
    sixty = rng.randint(0, older)
    return {
        "cqc_overall": rng.choice(RATINGS),
        "cqc_safe": rng.choice(RATINGS),
        "cqc_effective": "good",
        "cqc_caring": "good",
        "cqc_responsive": rng.choice(RATINGS),
        "cqc_well_led": rng.choice(RATINGS),
        "cqc_special_measures": rng.random() < 0.02,
        "cqc_enforcement_action": rng.random() < 0.01,
        "cqc_last_inspection": date(2015, rng.randint(1, 12), 1),
        "qof_achievement_pct": round(min(100, max(40, rng.gauss(92, 5))), 1),
        "gpps_overall_good_pct": round(min(100, max(20, rng.gauss(82, 8))), 1),
        "gpps_phone_easy_pct": round(min(100, max(10, rng.gauss(68, 12))), 1),
        "remedial_notices_open": 0,
        "breach_notices_open": 0,
        "contract_sanction": False,
        "list_closed": False,
        "list_closure_end": None,
        "contract_end": None,
        "list_size": list_size,
        "gp_fte": gp_fte,
        "nurse_fte": round(max(0.2, list_size / rng.uniform(3000, 9000)), 2),
        "other_clinical_fte": 1.0,
        "gp_vacancy_fte": 0.0,
        "gp_sessions_unfilled_pct": round(max(0, rng.gauss(5, 4)), 1),
        "gp_headcount": headcount,
        "gp_aged_55_plus": None,
        "gp_aged_55_59": older - sixty,
        "gp_aged_60_plus": sixty,
        "single_handed": headcount == 1,
        "premises_risk": rng.choice(["none", "low", "low", "medium"]),
        "financial_risk": rng.choice(["none", "low", "low", "medium"]),
        "partnership_change": False,
        "list_growth_pct_12m": round(rng.gauss(1.5, 2), 1),
        "merger_or_split": "none",
        "at_risk_of_closure_12m": False,
    }


def drift(rng: random.Random, f: dict[str, Any]) -> dict[str, Any]:
    """Next month: mostly the same, with the occasional event."""
    f = dict(f)
    f["list_size"] = max(800, int(f["list_size"] * rng.uniform(0.995, 1.006)))
    if rng.random() < 0.05:
        f["gp_fte"] = round(max(0.5, f["gp_fte"] + rng.choice([-0.5, 0.5])), 2)
        f["gp_vacancy_fte"] = rng.choice([0.0, 0.0, 0.5, 1.0])
    if rng.random() < 0.01:
        f["cqc_overall"] = rng.choice(RATINGS)
    if rng.random() < 0.01:
        f["remedial_notices_open"] = rng.choice([0, 0, 1])
    f["qof_achievement_pct"] = round(
        min(100, max(40, f["qof_achievement_pct"] + rng.gauss(0, 0.3))), 1
    )
    f["gp_aged_55_plus"] = None
    return f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--practices", type=int, default=6_700)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args()
    stamp = f"{GENERATOR_VERSION}:{args.practices}:{args.months}"
    marker = args.out.with_suffix(".stamp")
    if not args.force and args.out.exists() and marker.exists() and marker.read_text() == stamp:
        print(f"{args.out} is up to date ({stamp})")
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.out}{suffix}").unlink(missing_ok=True)
    marker.unlink(missing_ok=True)

    started = time.perf_counter()
    rng = random.Random(6700)
    store = Store.open(str(args.out), create=True)
    commissioners, localities, federations, practices = register(rng, args.practices)
    store.load_register(commissioners, localities, federations, practices, actor="bench")
    method = default_methodology()
    with store.engine.begin() as c:
        ids = dict(c.execute(select(Practice.ods_code, Practice.id)).all())

    months = [FIRST_MONTH]
    while len(months) < args.months:
        months.append(next_month(months[-1]))
    for month in months:
        store.open_period(month)
    with store.engine.begin() as c:
        period_ids = dict(c.execute(select(ReviewPeriod.period, ReviewPeriod.id)).all())

    state = {p["ods_code"]: first_findings(rng, p["list_size"]) for p in practices}
    history: dict[str, list[HistoryPoint]] = {code: [] for code in state}
    entries: dict[str, list[SoftIntelItem]] = {code: [] for code in state}
    intel_rows: list[dict[str, Any]] = []
    action_rows: list[dict[str, Any]] = []
    now = datetime(2026, 4, 20, 14, tzinfo=UTC)
    total = 0
    assessment = Assessment.__table__
    for n, month in enumerate(months):
        rows = []
        year, mon = int(month[:4]), int(month[5:])
        received = date(year, mon, 10)
        for code, findings in state.items():
            if n:
                findings = state[code] = drift(rng, findings)
            if rng.random() < 0.004:  # about 3,200 entries over ten years
                item = SoftIntelItem(
                    received=received,
                    source=rng.choice(SOURCES),
                    category="other",
                    severity=rng.randint(1, 5),
                    confidence=rng.choice(["low", "medium", "high"]),
                    corroborated=rng.random() < 0.3,
                    whistleblowing=rng.random() < 0.1,
                )
                entries[code].append(item)
                intel_rows.append(
                    {
                        "practice_id": ids[code],
                        "received_on": received,
                        "source": item.source,
                        "category": item.category,
                        "severity": item.severity,
                        "confidence": item.confidence,
                        "corroborated": item.corroborated,
                        "whistleblowing": item.whistleblowing,
                        "confidential": item.whistleblowing,
                        "expires_on": received + timedelta(days=365),
                        "text": "Synthetic benchmark entry.",
                        "recorded_by": "bench",
                        "recorded_at": now,
                    }
                )
            if rng.random() < 0.008:  # about 6,400 actions
                action_rows.append(
                    {
                        "practice_id": ids[code],
                        "text": "Synthetic follow-up",
                        "owner": "bench",
                        "due_on": received + timedelta(days=60),
                        "status": "done" if n < len(months) - 3 else "open",
                        "created_by": "bench",
                        "created_at": now,
                        "completed_at": now if n < len(months) - 3 else None,
                    }
                )
            clean = _clean_findings(code, findings)
            clean.update(summarise_soft_intel(entries[code], month, method))
            inputs = _to_inputs(code, month, clean, entries[code])
            result = score(inputs, method, history[code][-12:])
            history[code].append(HistoryPoint(month, result.score, result.band))
            rows.append(
                {
                    "practice_id": ids[code],
                    "period_id": period_ids[month],
                    "version": 1,
                    "author": "bench",
                    "created_at": now,
                    "reason": "",
                    "is_correction": False,
                    "methodology_version": result.methodology_version,
                    "score": result.score,
                    "band": result.band,
                    "trend": result.trend,
                    "summary": result.summary,
                    "data_completeness": result.data_completeness,
                    "result_json": json.dumps(result.to_dict(), separators=(",", ":")),
                    **{f"{a.area}_band": a.band for a in result.areas},
                    **clean,
                }
            )
        with store.engine.begin() as c:
            c.execute(insert(assessment), rows)
        total += len(rows)
        if n % 12 == 11 or n == len(months) - 1:
            print(f"  {month}: {total:,} assessments, {time.perf_counter() - started:.0f} s")
    with store.engine.begin() as c:
        c.execute(insert(SoftIntelEntry.__table__), intel_rows)
        c.execute(insert(Action.__table__), action_rows)
        c.execute(
            insert(AuditLog.__table__),
            [
                {
                    "at": now,
                    "actor": "bench",
                    "action": "generate",
                    "entity": "database",
                    "entity_id": stamp,
                    "field": "",
                    "old_value": None,
                    "new_value": f"{total} assessments from benchmarks/generate.py",
                }
            ],
        )
        # every month but the last is closed, as after ten years of meetings
        c.execute(
            ReviewPeriod.__table__.update()
            .where(ReviewPeriod.period < months[-1])
            .values(status="closed", closed_by="bench", closed_at=now)
        )
    store.close()
    marker.write_text(stamp)
    size = args.out.stat().st_size / 1e6
    print(
        f"{args.out}: {args.practices:,} practices, {len(months)} months, {total:,} assessments, "
        f"{len(intel_rows):,} soft-intelligence entries, {len(action_rows):,} actions; "
        f"{size:,.0f} MB in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
