"""Load the embedded demo data (``fixtures/``) into a store.

The fixtures are readable text: organisations (TOML), practices, April 2016 findings,
month-by-month events, soft intelligence, actions and GPRP cohort 1 (CSV). Scores are
not in the files: the scoring engine computes them here as the months are saved, so
the demo always matches the shipped method.
"""

from __future__ import annotations

import csv
import json
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from resilience.db import sqlite_path
from resilience.domain import FINDING_FIELDS, NewAssessment
from resilience.fields import parse_value
from resilience.store import DEMO_SETTING, Store, StoreError

DEMO_ACTOR = "demo-loader"
MEETING_DAY = 20  # the demo's monthly risk-share meeting, 14:00


def fixture_text(name: str) -> str:
    return resources.files("fixtures").joinpath(name).read_text(encoding="utf-8")


def fixture_rows(name: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(fixture_text(name).splitlines())


def parse_finding(field: str, text: str) -> Any:
    """A finding from fixture text (the form's own parser); empty means unknown."""
    return parse_value(field, text)


def months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def _optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_demo(store: Store) -> None:
    """Fill an empty store with the demo: register, twelve months, cohort 1."""
    if not store.is_empty():
        raise StoreError("the demo loads only into an empty database")
    organisations = tomllib.loads(fixture_text("organisations.toml"))
    practices = []
    for row in fixture_rows("practices.csv"):
        practices.append(
            {
                **row,
                "list_size": int(row["list_size"]),
                "opened_on": _optional_date(row["opened_on"]),
            }
        )
    store.load_register(
        organisations["commissioners"],
        organisations["localities"],
        organisations["federations"],
        practices,
        actor=DEMO_ACTOR,
        settings={DEMO_SETTING: "true", "demo_description": organisations["description"]},
    )
    store.add_soft_intel_many(
        (
            {
                **row,
                "received_on": date.fromisoformat(row["received_on"]),
                "expires_on": _optional_date(row["expires_on"]),
                "severity": int(row["severity"]),
                "corroborated": row["corroborated"] == "true",
                "whistleblowing": row["whistleblowing"] == "true",
                "confidential": row["confidential"] == "true",
            }
            for row in fixture_rows("soft_intel.csv")
        ),
        actor=DEMO_ACTOR,
    )

    findings: dict[str, dict[str, Any]] = {}
    for row in fixture_rows("baseline.csv"):
        findings[row["ods_code"]] = {f: parse_finding(f, row[f]) for f in FINDING_FIELDS}
    events: dict[str, list[dict[str, str]]] = {}
    for row in fixture_rows("events.csv"):
        events.setdefault(row["period"], []).append(row)

    calendar = organisations["calendar"]
    for period in months(calendar["first"], calendar["last"]):
        store.open_period(period, actor=DEMO_ACTOR)
        reasons: dict[str, list[str]] = {}
        for event in events.get(period, []):
            code = event["ods_code"]
            findings[code][event["field"]] = parse_finding(event["field"], event["value"])
            notes = reasons.setdefault(code, [])
            if event["note"] not in notes:  # one note can change several fields
                notes.append(event["note"])
        year, month = int(period[:4]), int(period[5:])
        store.save_assessments(
            [
                NewAssessment(code, period, dict(values), "; ".join(reasons.get(code, [])))
                for code, values in findings.items()
            ],
            actor=DEMO_ACTOR,
            saved_at=datetime(year, month, MEETING_DAY, 14, 0, tzinfo=UTC),  # the meeting
        )
        if period < calendar["last"]:
            store.close_period(period, actor=DEMO_ACTOR)

    for row in fixture_rows("actions.csv"):
        store.add_action(
            row["ods_code"],
            row["text"],
            row["owner"],
            _optional_date(row["due_on"]),
            actor=DEMO_ACTOR,
        )

    cohort = organisations["cohort"]
    store.create_cohort(
        cohort["name"],
        cohort["supported"],
        cohort["reserve"],
        quotas={code: (q[0], q[1]) for code, q in cohort["quotas"].items()},
        assessment_period=cohort["assessment_period"],
        actor=DEMO_ACTOR,
    )
    store.add_applications(
        cohort["name"],
        (
            {
                **row,
                "received_on": _optional_date(row["received_on"]),
                "need": row["need"] or None,
                "impact": row["impact"] or None,
                "support_items": json.loads(row["support_items"] or "[]"),
                "decided_by": cohort["panel"],
            }
            for row in fixture_rows("cohort1.csv")
        ),
        actor=DEMO_ACTOR,
    )


def is_demo_file(path: Path) -> bool:
    """Whether the SQLite file at ``path`` holds the demo (and nothing says otherwise).
    Read-only: a file that is not a resilience database is simply not a demo."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        row = connection.execute(
            "SELECT value FROM setting WHERE key = ?", (DEMO_SETTING,)
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return bool(row and row[0] == "true")


def create_demo_database(db: str | None, *, replace: bool = False) -> Store:
    """(Re)create a demo database at ``db`` (a path or URL) and load the demo into it.
    ``replace`` deletes an existing demo file first; any other existing database is
    refused, never deleted."""
    from resilience.db import resolve_url

    url = resolve_url(db)
    path = sqlite_path(url)
    if replace and path is not None and path.exists():
        if not is_demo_file(path):
            raise StoreError(
                f"{path} is not a demo database; the demo never replaces other data. "
                "Choose another path: resilience demo --db NEW.db"
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store.open(url, create=True)
    if not store.is_empty():
        store.close()
        raise StoreError(
            f"{store.url} already holds data; the demo is only written to a new database"
        )
    load_demo(store)
    return store
