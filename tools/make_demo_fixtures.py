"""Write the synthetic LLR demo data in fixtures/ (run by hand; the output is committed).

    python tools/make_demo_fixtures.py

Deterministic (seeded). The practices are invented: codes ZC/ZE/ZW + 4 digits, which no
real GP practice carries (real ones are a letter and five digits), invented names and
postcode units. The totals per CCG reproduce the baseline table in shared/domain.md;
tests/test_demo_baseline.py checks them from the loaded database.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resilience.domain import FINDING_FIELDS  # noqa: E402

OUT = ROOT / "fixtures"
rng = random.Random(20160401)

CCGS = {
    "04C": dict(
        name="NHS Leicester City CCG",
        short="City",
        population=376_000,
        practices=59,
        contracts={"APMS": 13, "PMS": 1, "GMS": 45},
        systems={"EMIS Web": 1, "SystmOne": 58},
        gp_wte=156.0,
        nurse_wte=68.0,
        age_55_59=0.093,
        age_60=0.099,
        prefix="ZC",
        districts=["LE1", "LE2", "LE3", "LE4", "LE5"],
        localities=["City North & West", "City East", "City South & Central"],
        locality_kind="hnn",
    ),
    "03W": dict(
        name="NHS East Leicestershire and Rutland CCG",
        short="ELR",
        population=325_000,
        practices=31,
        contracts={"GMS": 31},
        systems={"EMIS Web": 13, "SystmOne": 18},
        gp_wte=206.0,
        nurse_wte=83.0,
        age_55_59=0.136,
        age_60=0.022,
        prefix="ZE",
        districts=["LE7", "LE8", "LE13", "LE16", "LE17", "LE18", "LE15"],
        localities=[
            "Blaby & Lutterworth",
            "Melton, Syston & Vale",
            "Market Harborough",
            "Oadby & Wigston",
        ],
        locality_kind="locality",
    ),
    "04V": dict(
        name="NHS West Leicestershire CCG",
        short="WL",
        population=374_000,
        practices=48,
        contracts={"GMS": 48},
        systems={"EMIS Web": 18, "SystmOne": 30},
        gp_wte=185.0,
        nurse_wte=67.0,
        age_55_59=0.122,
        age_60=0.068,
        prefix="ZW",
        districts=["LE10", "LE11", "LE12", "LE65", "LE67", "LE9"],
        localities=[
            "North Charnwood",
            "Hinckley & Bosworth",
            "North West Leicestershire",
            "South Charnwood",
        ],
        locality_kind="locality",
    ),
}
CITY_FEDERATIONS = ["Across Leicester", "Millennium", "City Central"]

NAME_FIRST = [
    "Alder",
    "Ash",
    "Beech",
    "Birch",
    "Bramble",
    "Briar",
    "Cedar",
    "Clover",
    "Copper",
    "Elder",
    "Fern",
    "Foxglove",
    "Hazel",
    "Heath",
    "Heron",
    "Holly",
    "Juniper",
    "Kestrel",
    "Larch",
    "Linden",
    "Lark",
    "Maple",
    "Meadow",
    "Mill",
    "Moor",
    "Oak",
    "Orchard",
    "Osprey",
    "Pine",
    "Plover",
    "Poppy",
    "Quarry",
    "Raven",
    "Reed",
    "Rowan",
    "Sedge",
    "Sorrel",
    "Spring",
    "Swallow",
    "Sycamore",
    "Teasel",
    "Thistle",
    "Thorn",
    "Wren",
    "Willow",
    "Yew",
    "Amber",
    "Beacon",
    "Bridge",
    "Brook",
    "Chapel",
    "Cross",
    "Dale",
    "Fold",
    "Garden",
    "Gate",
]
NAME_SECOND = [
    "brook",
    "field",
    "ford",
    "gate",
    "hill",
    "lea",
    "mead",
    "wood",
    "combe",
    "holme",
    "croft",
    "well",
    "bank",
    "side",
    "dene",
]
NAME_KIND = ["Surgery", "Medical Centre", "Health Centre", "Medical Practice", "Family Practice"]


def unique_names(count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(NAME_FIRST)}{rng.choice(NAME_SECOND)} {rng.choice(NAME_KIND)}")
    ordered = sorted(names)
    rng.shuffle(ordered)
    return ordered


def scale_to_total(values: list[float], total: float, decimals: int) -> list[float]:
    """Scale values to sum to total after rounding; the largest absorbs the remainder."""
    factor = total / sum(values)
    scaled = [round(v * factor, decimals) for v in values]
    biggest = max(range(len(scaled)), key=scaled.__getitem__)
    scaled[biggest] = round(scaled[biggest] + total - sum(scaled), decimals)
    return scaled


def list_sizes(code: str, n: int, population: int) -> list[int]:
    sizes = [max(2500.0, rng.lognormvariate(8.9, 0.45)) for _ in range(n)]
    # a few single-handed practices (2,000-4,000 patients) in every CCG
    for i in range(2 if code != "04C" else 4):
        sizes[i] = rng.uniform(2100, 3900)
    if code == "03W":
        sizes[n - 1] = 38_000.0  # the largest practice in LLR
    fixed = {i for i in range(2 if code != "04C" else 4)} | ({n - 1} if code == "03W" else set())
    rest = [i for i in range(n) if i not in fixed]
    remaining = population - sum(sizes[i] for i in fixed)
    scaled = scale_to_total([sizes[i] for i in rest], remaining, 0)
    for i, v in zip(rest, scaled, strict=True):
        sizes[i] = v
    return [int(s) for s in sizes]


def assign(counts: dict[str, int], n: int) -> list[str]:
    pool = [k for k, c in counts.items() for _ in range(c)]
    assert len(pool) == n
    rng.shuffle(pool)
    return pool


def build() -> None:
    commissioners = []
    localities = []
    federations = []
    practices = []
    baseline = []
    for code, ccg in CCGS.items():
        commissioners.append(
            {"code": code, "name": ccg["name"], "short_name": ccg["short"], "kind": "ccg"}
        )
        for loc in ccg["localities"]:
            localities.append({"name": loc, "kind": ccg["locality_kind"], "commissioner": code})
        n = ccg["practices"]
        sizes = list_sizes(code, n, ccg["population"])
        singles = set(range(2 if code != "04C" else 4))
        names = unique_names(n)
        contracts = assign(ccg["contracts"], n)
        systems = assign(ccg["systems"], n)
        # GP and nurse FTE: roughly in proportion to list size, with spread
        gp_raw = [
            1.0 if i in singles else sizes[i] / 1000 * rng.uniform(0.7, 1.3) for i in range(n)
        ]
        gp_fixed = {i: round(rng.uniform(0.9, 1.1), 2) for i in singles}
        others = [i for i in range(n) if i not in singles]
        gp_scaled = scale_to_total(
            [gp_raw[i] for i in others], ccg["gp_wte"] - sum(gp_fixed.values()), 2
        )
        gp_fte = dict(gp_fixed)
        gp_fte.update(zip(others, gp_scaled, strict=True))
        nurse_raw = [sizes[i] / 1000 * rng.uniform(0.6, 1.4) for i in range(n)]
        nurse = scale_to_total(nurse_raw, ccg["nurse_wte"], 2)
        headcount = [
            1 if i in singles else max(2, round(gp_fte[i] * rng.uniform(1.15, 1.45)))
            for i in range(n)
        ]
        total_hc = sum(headcount)
        n_55 = round(total_hc * ccg["age_55_59"])
        n_60 = round(total_hc * ccg["age_60"])
        age_55 = [0] * n
        age_60 = [0] * n
        slots = [i for i in range(n) for _ in range(headcount[i])]
        rng.shuffle(slots)
        for i in slots[:n_55]:
            age_55[i] += 1
        for i in slots[n_55 : n_55 + n_60]:
            age_60[i] += 1
        # federations and localities
        if code == "04C":
            # 15 practices stay unfederated, chosen so that the federated 44 (three
            # quarters of practices) hold about two thirds of the patients
            target = ccg["population"] / 3
            best: list[int] = []
            for _ in range(5000):
                trial = rng.sample(range(n), 15)
                if not best or abs(sum(sizes[i] for i in trial) - target) < abs(
                    sum(sizes[i] for i in best) - target
                ):
                    best = trial
            federated = set(range(n)) - set(best)
            fed_of = {i: CITY_FEDERATIONS[k % 3] for k, i in enumerate(sorted(federated))}
        elif code == "03W":
            fed_of = {i: "ELR GP Federation" for i in range(n)}
        else:
            fed_of = {}
        loc_of = {i: ccg["localities"][i % len(ccg["localities"])] for i in range(n)}
        if code == "04V":
            fed_of = {i: f"{loc_of[i]} Federation" for i in range(n)}
        for i in range(n):
            ods = f"{ccg['prefix']}{i + 1:04d}"
            district = rng.choice(ccg["districts"])
            practices.append(
                {
                    "ods_code": ods,
                    "name": names[i],
                    "postcode": f"{district} 9{rng.choice('WXYZ')}{rng.choice('ABDEFGHJLNPQRSTU')}",
                    "commissioner": code,
                    "locality": loc_of[i],
                    "federation": fed_of.get(i, ""),
                    "contract_type": contracts[i],
                    "clinical_system": systems[i],
                    "opened_on": f"{rng.randint(1948, 2012)}-04-01",
                    "list_size": sizes[i],
                }
            )
            baseline.append(
                findings_for(
                    ods,
                    code,
                    sizes[i],
                    gp_fte[i],
                    nurse[i],
                    headcount[i],
                    age_55[i],
                    age_60[i],
                    i in singles,
                )
            )
    for name in CITY_FEDERATIONS:
        federations.append({"name": name, "commissioner": "04C"})
    federations.append({"name": "ELR GP Federation", "commissioner": "03W"})
    for loc in CCGS["04V"]["localities"]:
        federations.append({"name": f"{loc} Federation", "commissioner": "04V"})

    events, soft, actions = story(baseline)
    write_csv("practices.csv", practices)
    write_csv("baseline.csv", baseline, ["ods_code", *FINDING_FIELDS])
    write_csv("events.csv", events, ["period", "ods_code", "field", "value", "note"])
    write_csv("soft_intel.csv", soft)
    write_csv("actions.csv", actions)
    write_organisations(commissioners, localities, federations)
    write_cohort(baseline)


def findings_for(
    ods: str,
    ccg: str,
    size: int,
    gp: float,
    nurse: float,
    hc: int,
    a55: int,
    a60: int,
    single: bool,
) -> dict[str, object]:
    roll = rng.random()
    overall = "outstanding" if roll < 0.05 else "good" if roll < 0.86 else "requires_improvement"
    domains = {
        d: ("good" if overall != "outstanding" else rng.choice(["good", "outstanding"]))
        for d in ("safe", "effective", "caring", "responsive", "well_led")
    }
    if overall == "requires_improvement":
        for d in rng.sample(sorted(domains), 2):
            domains[d] = "requires_improvement"
    city = ccg == "04C"
    return {
        "ods_code": ods,
        "cqc_overall": overall,
        **{f"cqc_{d}": v for d, v in domains.items()},
        "cqc_special_measures": "false",
        "cqc_enforcement_action": "false",
        "cqc_last_inspection": (
            f"{rng.choice([2015, 2016])}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
        ),
        "qof_achievement_pct": round(min(100.0, rng.gauss(93 if not city else 89, 4)), 1),
        "gpps_overall_good_pct": round(min(99.0, rng.gauss(85 if not city else 78, 6)), 0),
        "gpps_phone_easy_pct": round(min(98.0, rng.gauss(72 if not city else 62, 10)), 0),
        "remedial_notices_open": 0,
        "breach_notices_open": 0,
        "contract_sanction": "false",
        "list_closed": "false",
        "list_closure_end": "",
        "contract_end": "",
        "list_size": size,
        "gp_fte": gp,
        "nurse_fte": nurse,
        "other_clinical_fte": round(size / 6000 * rng.uniform(0.3, 1.5), 2),
        "gp_vacancy_fte": 0.0 if rng.random() < 0.88 or gp < 3 else rng.choice([0.5, 1.0]),
        "gp_sessions_unfilled_pct": round(max(0.0, rng.gauss(3, 3)), 1),
        "gp_headcount": hc,
        "gp_aged_55_plus": a55 + a60,
        "single_handed": "true" if single else "false",
        "gp_aged_55_59": a55,
        "gp_aged_60_plus": a60,
        "premises_risk": rng.choices(["none", "low", "medium", "high"], [40, 40, 17, 3])[0],
        "financial_risk": rng.choices(["none", "low", "medium"], [50, 42, 8])[0],
        "partnership_change": "false",
        "list_growth_pct_12m": round(rng.gauss(1.5, 1.5), 1),
        "merger_or_split": "none",
        "at_risk_of_closure_12m": "false",
    }


def story(baseline: list[dict[str, object]]) -> tuple[list[dict], list[dict], list[dict]]:
    """The year's events: who deteriorates, who improves, and why."""
    events: list[dict] = []

    def ev(period: str, code: str, note: str, **changes: object) -> None:
        for field, value in changes.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            events.append(
                {
                    "period": period,
                    "ods_code": code,
                    "field": field,
                    "value": "" if value is None else value,
                    "note": note,
                }
            )

    # ZC0007: CQC Inadequate in June (special measures); re-inspected in December: RI.
    c = "ZC0007"
    ev(
        "2016-06",
        c,
        "CQC inspection published: Inadequate, special measures",
        cqc_overall="inadequate",
        cqc_safe="inadequate",
        cqc_well_led="inadequate",
        cqc_effective="requires_improvement",
        cqc_special_measures=True,
        cqc_last_inspection="2016-05-12",
    )
    ev(
        "2016-12",
        c,
        "CQC re-inspection: Requires improvement, out of special measures",
        cqc_overall="requires_improvement",
        cqc_safe="requires_improvement",
        cqc_well_led="requires_improvement",
        cqc_special_measures=False,
        cqc_last_inspection="2016-11-21",
    )
    # ZW0011: Good -> Requires improvement in July.
    c = "ZW0011"
    ev(
        "2016-07",
        c,
        "CQC inspection published: Requires improvement",
        cqc_overall="requires_improvement",
        cqc_safe="requires_improvement",
        cqc_responsive="requires_improvement",
        cqc_last_inspection="2016-06-08",
    )
    # An RI practice improves to Good in September.
    ri = [
        r
        for r in baseline
        if r["cqc_overall"] == "requires_improvement" and str(r["ods_code"]).startswith("ZE")
    ]
    if ri:
        c = str(ri[0]["ods_code"])
        ev(
            "2016-09",
            c,
            "CQC re-inspection: Good",
            **{
                f: "good"
                for f in (
                    "cqc_overall",
                    "cqc_safe",
                    "cqc_effective",
                    "cqc_caring",
                    "cqc_responsive",
                    "cqc_well_led",
                )
            },
            cqc_last_inspection="2016-08-16",
        )
    # ZC0015: remedial notice August, remedied November.
    c = "ZC0015"
    ev(
        "2016-08",
        c,
        "Remedial notice issued: failure to provide extended access sessions",
        remedial_notices_open=1,
    )
    ev("2016-11", c, "Remedial notice closed: breach remedied", remedial_notices_open=0)
    # ZW0020: list closure October to January.
    c = "ZW0020"
    ev(
        "2016-10",
        c,
        "List closure approved for 4 months (to 31 January 2017)",
        list_closed=True,
        list_closure_end="2017-01-31",
        list_growth_pct_12m=9.5,
    )
    ev("2017-02", c, "List reopened", list_closed=False, list_closure_end=None)
    # ZE0005: deteriorates three months running (partner retires, sessions unfilled...).
    c = "ZE0005"
    ev(
        "2016-09",
        c,
        "Senior partner retiring; sessions covered by locums",
        gp_sessions_unfilled_pct=12.0,
    )
    ev(
        "2016-10",
        c,
        "Partner has left; locum cover failing",
        gp_vacancy_fte=1.0,
        gp_sessions_unfilled_pct=24.0,
    )
    ev(
        "2016-11",
        c,
        "Partnership changing; lease not renewed; finance under strain",
        partnership_change=True,
        premises_risk="high",
        financial_risk="high",
    )
    ev(
        "2017-02",
        c,
        "Salaried GP recruited; lease agreed",
        gp_vacancy_fte=0.0,
        gp_sessions_unfilled_pct=9.0,
        premises_risk="medium",
        financial_risk="medium",
    )
    # ZC0002: single-handed GP retiring: at risk of closure from January.
    c = "ZC0002"
    ev(
        "2016-12",
        c,
        "Single-handed GP has given notice to retire in 2017",
        gp_aged_55_plus=1,
        gp_aged_55_59=0,
        gp_aged_60_plus=1,
    )
    ev(
        "2017-01",
        c,
        "No successor found: at risk of closure within 12 months",
        at_risk_of_closure_12m=True,
        financial_risk="high",
    )
    # ZW0031 and ZW0032 agree to merge in February.
    for c in ("ZW0031", "ZW0032"):
        ev("2017-02", c, "Merger with a neighbouring practice agreed", merger_or_split="merger")
    # ZC0040 splits in November.
    ev(
        "2016-11",
        "ZC0040",
        "Partnership dissolved: practice splitting in two",
        merger_or_split="split",
        partnership_change=True,
    )
    # Improvements: access and QOF.
    for c, when in (("ZC0021", "2016-10"), ("ZC0033", "2017-01"), ("ZW0005", "2016-12")):
        ev(when, c, "New telephone system: GPPS phone access improved", gpps_phone_easy_pct=78)
    for c, when in (("ZC0009", "2016-09"), ("ZE0012", "2016-08")):
        ev(when, c, "QOF year-end figures published", qof_achievement_pct=96.5)
    # New housing: list growth in two WL practices.
    for c in ("ZW0014", "ZW0026"):
        ev("2016-11", c, "New housing estate: list growing fast", list_growth_pct_12m=11.2)
    # QOF year end (published in autumn): a few practices fall below 85%.
    for c in ("ZC0028", "ZC0046", "ZW0039"):
        ev("2016-10", c, "QOF 2015/16 published: below 85%", qof_achievement_pct=79.4)

    soft = [
        dict(
            ods_code="ZC0007",
            received_on="2016-05-20",
            source="cqc",
            category="patient safety",
            severity=4,
            confidence="high",
            corroborated="true",
            whistleblowing="false",
            confidential="false",
            expires_on="2017-05-20",
            text="CQC shared concerns about repeat prescribing checks before publication.",
        ),
        dict(
            ods_code="ZE0005",
            received_on="2016-09-05",
            source="lmc",
            category="workforce",
            severity=3,
            confidence="medium",
            corroborated="false",
            whistleblowing="false",
            confidential="false",
            expires_on="2017-03-05",
            text="LMC reports the partners are struggling to cover sessions.",
        ),
        dict(
            ods_code="ZC0031",
            received_on="2016-11-14",
            source="staff_whistleblower",
            category="leadership",
            severity=4,
            confidence="medium",
            corroborated="false",
            whistleblowing="true",
            confidential="true",
            expires_on="2017-11-14",
            text="A member of staff (name withheld) reports bullying by a partner and "
            "unsafe staffing on Saturday clinics.",
        ),
        dict(
            ods_code="ZC0031",
            received_on="2017-01-09",
            source="cqc",
            category="leadership",
            severity=4,
            confidence="high",
            corroborated="true",
            whistleblowing="true",
            confidential="true",
            expires_on="2018-01-09",
            text="CQC has received a second whistleblowing concern about the same clinics; "
            "concerns corroborated.",
        ),
        dict(
            ods_code="ZW0008",
            received_on="2016-07-01",
            source="healthwatch",
            category="access",
            severity=2,
            confidence="low",
            corroborated="false",
            whistleblowing="false",
            confidential="false",
            expires_on="2016-12-31",
            text="Healthwatch enter-and-view: patients report long waits on the phone.",
        ),
        dict(
            ods_code="ZC0044",
            received_on="2016-08-22",
            source="patient",
            category="complaint",
            severity=2,
            confidence="low",
            corroborated="false",
            whistleblowing="false",
            confidential="false",
            expires_on="2017-02-22",
            text="Complaint about appointment availability forwarded by NHS England.",
        ),
        dict(
            ods_code="ZE0019",
            received_on="2016-10-03",
            source="nhs_england",
            category="contract",
            severity=3,
            confidence="high",
            corroborated="true",
            whistleblowing="false",
            confidential="false",
            expires_on="2017-04-03",
            text="NHS England area team flags late submission of contract returns.",
        ),
        dict(
            ods_code="ZW0020",
            received_on="2016-09-12",
            source="ccg_icb",
            category="capacity",
            severity=3,
            confidence="high",
            corroborated="true",
            whistleblowing="false",
            confidential="false",
            expires_on="2017-03-12",
            text="Practice manager asks for support with a list closure application.",
        ),
    ]
    actions = [
        dict(
            ods_code="ZC0007",
            text="Agree CQC action plan and monthly assurance visit",
            owner="City primary care manager",
            due_on="2016-07-31",
        ),
        dict(
            ods_code="ZC0015",
            text="Check extended access sessions restored",
            owner="City contracts lead",
            due_on="2016-10-31",
        ),
        dict(
            ods_code="ZE0005",
            text="Broker locum cover via the federation",
            owner="ELR primary care manager",
            due_on="2016-11-30",
        ),
        dict(
            ods_code="ZC0002",
            text="Options appraisal for the practice's future (caretaker, merger, dispersal)",
            owner="NHS England contracts",
            due_on="2017-04-30",
        ),
        dict(
            ods_code="ZC0031",
            text="Joint CQC / CCG visit about whistleblowing concerns",
            owner="City quality lead",
            due_on="2017-02-28",
        ),
    ]
    return events, soft, actions


def write_csv(name: str, rows: list[dict], fields: list[str] | None = None) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_organisations(
    commissioners: list[dict], localities: list[dict], federations: list[dict]
) -> None:
    def table(name: str, rows: list[dict]) -> str:
        out = []
        for row in rows:
            out.append(f"[[{name}]]")
            out.extend(f"{k} = {json.dumps(v)}" for k, v in row.items())
            out.append("")
        return "\n".join(out)

    text = f"""# Demo organisations: the three LLR CCGs of 2016-17 (real commissioners) and their
# localities and federations. The practices in practices.csv are invented.
description = "invented LLR practices, Apr 2016 to Mar 2017; not real findings"

[calendar]
first = "2016-04"
last = "2017-03"

[cohort]
name = "GPRP cohort 1"
supported = 10
reserve = 16
assessment_period = "2016-09"
panel = "LLR GPRP panel"
quotas = {{ "04C" = [4, 10], "03W" = [1, 2], "04V" = [5, 4] }}

{table("commissioners", commissioners)}
{table("localities", localities)}
{table("federations", federations)}"""
    (OUT / "organisations.toml").write_text(text.rstrip() + "\n", encoding="utf-8")


def write_cohort(baseline: list[dict]) -> None:
    """Cohort 1: 52 applications; outcomes as the engine allocates them under the
    operational plan's per-CCG places, recorded as the panel's decisions."""
    from resilience.demo import load_demo
    from resilience.store import Store
    from scoring import Applicant, Capacity, allocate, suggest_support

    # load everything but the cohort to get the September scores
    (OUT / "cohort1.csv").write_text(
        "ods_code,route,received_on,need,impact,outcome,rationale,support_items\n",
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "demo.db"), create=True)
        load_demo(store)
        results = store.period_results("2016-09")
        store.close()
    wanted = {"04C": 32, "03W": 7, "04V": 13}
    prefix = {"04C": "ZC", "03W": "ZE", "04V": "ZW"}
    applicants = []
    for ccg, count in wanted.items():
        codes = sorted(c for c in results if c.startswith(prefix[ccg]))
        ranked = sorted(codes, key=lambda c: -results[c].score)
        chosen = ranked[: count // 2] + rng.sample(ranked[count // 2 :], count - count // 2)
        for code in sorted(chosen):
            applicants.append(
                Applicant(
                    ods_code=code,
                    score=results[code].score,
                    band=results[code].band,
                    commissioner=ccg,
                    need=rng.choice(["low", "medium", "high", "high"]),
                    impact=rng.choice(["low", "medium", "medium", "high"]),
                    route=rng.choices(
                        ["self_referral", "commissioner", "nhs_england"], [60, 35, 5]
                    )[0],
                    applied=date(2016, rng.choice([8, 9]), rng.randint(1, 28)),
                )
            )
    capacity = Capacity(10, 16, {"04C": (4, 10), "03W": (1, 2), "04V": (5, 4)})
    rows = []
    for placement in sorted(allocate(applicants, capacity), key=lambda p: p.ods_code):
        a = next(x for x in applicants if x.ods_code == placement.ods_code)
        items = [s.item_id for s in suggest_support(results[a.ods_code])]
        rows.append(
            {
                "ods_code": a.ods_code,
                "route": a.route,
                "received_on": a.applied.isoformat() if a.applied else "",
                "need": a.need,
                "impact": a.impact,
                "outcome": placement.outcome,
                "rationale": placement.reason,
                "support_items": json.dumps(items if placement.outcome == "supported" else []),
            }
        )
    write_csv("cohort1.csv", rows)
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (next(k for k, v in prefix.items() if row["ods_code"].startswith(v)), row["outcome"])
        counts[key] = counts.get(key, 0) + 1
    print("cohort 1 outcomes:", dict(sorted(counts.items())))


if __name__ == "__main__":
    build()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("*.*") if p.suffix != ".py")))
