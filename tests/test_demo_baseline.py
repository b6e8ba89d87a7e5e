"""The demo reproduces the LLR baseline (shared/domain.md), computed from the loaded
database through the store, never from constants in the fixtures."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import text

from resilience.domain import PracticeRow
from resilience.store import Store
from scoring import PracticeInputs, score
from scoring.relative import list_size_percentiles, list_size_relatives

BASELINE = {
    # code: population, practices, contracts, GP WTE, nurse WTE, systems, 55-59 %, 60+ %
    "03W": (325_000, 31, {"GMS": 31}, 206, 83, {"EMIS Web": 13, "SystmOne": 18}, 13.6, 2.2),
    "04V": (374_000, 48, {"GMS": 48}, 185, 67, {"EMIS Web": 18, "SystmOne": 30}, 12.2, 6.8),
    "04C": (
        376_000,
        59,
        {"APMS": 13, "PMS": 1, "GMS": 45},
        156,
        68,
        {"EMIS Web": 1, "SystmOne": 58},
        9.3,
        9.9,
    ),
}


@pytest.fixture(scope="module")
def practices(demo_db_file) -> dict[str, list[PracticeRow]]:  # type: ignore[no-untyped-def]
    store = Store.open(str(demo_db_file))
    by_ccg: dict[str, list[PracticeRow]] = defaultdict(list)
    for row in store.list_practices():
        by_ccg[row.commissioner_code].append(row)
    store.close()
    return by_ccg


@pytest.mark.parametrize("code", sorted(BASELINE))
def test_each_ccg_matches_the_baseline_table(
    practices: dict[str, list[PracticeRow]], code: str
) -> None:
    population, count, contracts, gp_wte, nurse_wte, systems, p55, p60 = BASELINE[code]
    rows = practices[code]
    assert len(rows) == count
    assert Counter(r.contract_type for r in rows) == contracts
    assert Counter(r.clinical_system for r in rows) == systems
    listed = sum(r.list_size or 0 for r in rows)
    assert abs(listed - population) <= 0.01 * population
    assert abs(sum(r.gp_fte or 0 for r in rows) - gp_wte) <= 0.5
    assert abs(sum(r.nurse_fte or 0 for r in rows) - nurse_wte) <= 0.5
    headcount = sum(r.gp_headcount or 0 for r in rows)
    assert abs(100 * sum(r.gp_aged_55_59 or 0 for r in rows) / headcount - p55) <= 1.0
    assert abs(100 * sum(r.gp_aged_60_plus or 0 for r in rows) / headcount - p60) <= 1.0


def test_localities_and_federations(practices: dict[str, list[PracticeRow]]) -> None:
    localities = {(c, r.locality) for c, rows in practices.items() for r in rows}
    assert len(localities) == 11
    assert {loc for c, loc in localities if c == "03W"} == {
        "Blaby & Lutterworth",
        "Melton, Syston & Vale",
        "Market Harborough",
        "Oadby & Wigston",
    }
    assert {r.federation for r in practices["03W"]} == {"ELR GP Federation"}
    for row in practices["04V"]:  # each WL locality is coterminous with a federation
        assert row.federation == f"{row.locality} Federation"
    city = practices["04C"]
    federated = [r for r in city if r.federation]
    assert {r.federation for r in federated} == {"Across Leicester", "Millennium", "City Central"}
    assert 0.70 <= len(federated) / len(city) <= 0.80  # about three quarters
    share = sum(r.list_size or 0 for r in federated) / sum(r.list_size or 0 for r in city)
    assert 0.62 <= share <= 0.71  # about two thirds of patients


def test_list_sizes_are_realistic(practices: dict[str, list[PracticeRow]]) -> None:
    sizes = sorted(r.list_size or 0 for rows in practices.values() for r in rows)
    singles = [r for rows in practices.values() for r in rows if r.gp_headcount == 1]
    assert 3 <= len(singles) <= 12
    assert all(2000 <= (r.list_size or 0) <= 4000 for r in singles)
    assert 37_000 <= sizes[-1] <= 39_000
    assert sizes[0] >= 2000


def test_codes_and_names_cannot_be_mistaken_for_real_practices(
    practices: dict[str, list[PracticeRow]],
) -> None:
    real_gp_code = re.compile(r"^[A-Z]\d{5}$")
    for rows in practices.values():
        for r in rows:
            assert not real_gp_code.match(r.ods_code)
            assert re.match(r"^Z[CEW]\d{4}$", r.ods_code)


def test_twelve_months_with_believable_movement(demo_store: Store) -> None:
    periods = demo_store.periods()
    assert periods[0].period == "2016-04"
    assert periods[-1].period == "2017-03"
    assert len(periods) == 12
    assert all(p.is_closed for p in periods[:-1]) and not periods[-1].is_closed
    trends: Counter[str] = Counter()
    for p in periods[1:]:
        trends.update(r.trend for r in demo_store.period_results(p.period).values())
    assert trends["deteriorating"] >= 3 and trends["improving"] >= 3

    def findings(code: str, field: str) -> list[object]:
        return [v.findings[field] for v in demo_store.assessment_versions(code)]

    cqc_values = findings("ZC0007", "cqc_overall")
    assert "inadequate" in cqc_values and cqc_values[-1] == "requires_improvement"
    assert 1 in findings("ZC0015", "remedial_notices_open")
    assert findings("ZC0015", "remedial_notices_open")[-1] == 0
    assert True in findings("ZW0020", "list_closed")
    streaks = [
        r.deteriorating_streak
        for p in periods
        for r in [demo_store.period_results(p.period)["ZE0005"]]
    ]
    assert max(streaks) >= 3
    whistle = [e for e in demo_store.soft_intel("ZC0031") if e.whistleblowing]
    assert any(e.confidential for e in whistle)


def test_score_snapshots_are_the_engines_own_results(demo_store: Store) -> None:
    """Nothing in the fixture files is a score: each snapshot equals a fresh run."""
    with demo_store.engine.connect() as c:
        rows = (
            c.execute(
                text(
                    "SELECT a.*, p.ods_code, r.period FROM assessment a "
                    "JOIN practice p ON p.id = a.practice_id "
                    "JOIN review_period r ON r.id = a.period_id WHERE r.period = '2016-04'"
                )
            )
            .mappings()
            .all()
        )
        register = c.execute(
            text("SELECT ods_code, commissioner_id, list_size, opened_on, status FROM practice")
        ).all()
    # the store gives every score the list size's percentile within the commissioner
    # (among active practices), its ratio to their median list and the date it opened
    active = {code: (str(g), n) for code, g, n, _, status in register if status == "active"}
    percentiles = list_size_percentiles(active)
    relatives = list_size_relatives(active)
    opened = {
        code: date.fromisoformat(str(when)) if when else None for code, _, _, when, _ in register
    }
    assert len(rows) == 138
    fields = [f for f in PracticeInputs.model_fields if f not in ("ods_code", "period")]
    for row in rows[:40]:
        values = {f: row[f] for f in fields if f in row and f != "soft_intel_entries"}
        values["list_size_percentile"] = percentiles.get(row["ods_code"])
        values["list_size_relative"] = relatives.get(row["ods_code"])
        values["practice_opened"] = opened[row["ods_code"]]
        fresh = score(PracticeInputs(ods_code=row["ods_code"], period="2016-04", **values))
        stored = json.loads(row["result_json"])
        assert stored["score"] == fresh.score and stored["band"] == fresh.band


def test_gprp_cohort_one_outcomes_by_ccg(demo_store: Store) -> None:
    outcomes = Counter(
        (ccg, outcome) for _, ccg, outcome in demo_store.cohort_outcomes("GPRP cohort 1")
    )
    assert sum(outcomes.values()) == 52
    assert outcomes == Counter(
        {
            ("04C", "supported"): 4,
            ("04C", "reserve"): 10,
            ("04C", "not_supported"): 18,
            ("03W", "supported"): 1,
            ("03W", "reserve"): 2,
            ("03W", "not_supported"): 4,
            ("04V", "supported"): 5,
            ("04V", "reserve"): 4,
            ("04V", "not_supported"): 4,
        }
    )
