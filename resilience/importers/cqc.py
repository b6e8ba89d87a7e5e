"""CQC latest ratings: one row per location x population group x domain.

The practice's overall rating is the row with population group 'Overall' and domain
'Overall'; the five key questions are the 'Overall' population group rows for Safe,
Effective, Caring, Responsive and Well-led. Rows join to practices on
`Location ODS Code`.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from typing import Any

from resilience.importers import ImportFileError, ImportPlan, Rejected, read_file

REQUIRED = (
    "Location ODS Code",
    "Service / Population Group",
    "Domain",
    "Latest Rating",
    "Publication Date",
)
DOMAINS = {
    "overall": "cqc_overall",
    "safe": "cqc_safe",
    "effective": "cqc_effective",
    "caring": "cqc_caring",
    "responsive": "cqc_responsive",
    "well-led": "cqc_well_led",
    "well led": "cqc_well_led",
}
RATINGS = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
    "insufficient evidence to rate": "not_rated",
    "not rated": "not_rated",
}
FIELDS = (*dict.fromkeys(DOMAINS.values()), "cqc_last_inspection")


def _publication_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def plan_cqc_import(
    path: str, practices: set[str], current: dict[str, dict[str, Any]]
) -> ImportPlan:
    text, name, digest = read_file(path)
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            f"{name}: not a CQC ratings file: missing column(s) {', '.join(missing)}; "
            f"expected at least {', '.join(REQUIRED)}"
        )
    plan = ImportPlan(
        "cqc",
        name,
        digest,
        "cqc-latest-ratings",
        None,
        skipped_reason="population-group rows and other domains",
    )
    ratings: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str], int] = {}
    latest: date | None = None
    for number, record in enumerate(reader, start=1):
        record = {k.strip(): (v or "").strip() for k, v in record.items() if k}
        group, domain = record["Service / Population Group"].lower(), record["Domain"].lower()
        field = DOMAINS.get(domain)
        if group != "overall" or field is None:
            plan.skipped += 1
            continue
        code = record["Location ODS Code"]
        if not code:
            plan.rejected.append(Rejected(number, "Location ODS Code", "empty"))
            continue
        rating = RATINGS.get(record["Latest Rating"].lower())
        if rating is None:
            plan.rejected.append(
                Rejected(
                    number,
                    "Latest Rating",
                    f"{record['Latest Rating']!r} is not one of {', '.join(sorted(RATINGS))}",
                )
            )
            continue
        try:
            published = _publication_date(record["Publication Date"])
        except ValueError:
            plan.rejected.append(
                Rejected(
                    number, "Publication Date", f"{record['Publication Date']!r} is not a date"
                )
            )
            continue
        if (code, field) in seen:
            plan.rejected.append(
                Rejected(
                    number,
                    "Domain",
                    f"{code} {record['Domain']} appears twice (first in row {seen[(code, field)]})",
                )
            )
            continue
        seen[(code, field)] = number
        ratings.setdefault(code, {})[field] = rating
        if field == "cqc_overall":
            ratings[code]["cqc_last_inspection"] = published
        latest = published if latest is None or published > latest else latest
    plan.extract_date = latest
    for code, values in sorted(ratings.items()):
        if code not in practices:
            plan.not_in_register.append(code)
            continue
        plan.compare(code, values, current.get(code, {}))
    return plan
