"""ODS `epraccur.csv`: the register of GP practices (27 quoted fields, no header).

Read as published: the CSV itself or the `epraccur.zip` NHS England ships.

Two dialects: legacy (status A/C/D/P, field 26 a setting, 4 = GP practice) and the
2025+ ODS export (status ACTIVE/INACTIVE/DORMANT, field 26 roles, RO76 = GP practice,
several joined by `|` as in `RO76|RO268`, read as a set).

Rows that are not GP practices (walk-in centres, prisons, the Crown Dependencies'
`ALD…`/`GUE…`/`JER…` sites...) are skipped and counted before any other check, so they
never block an import. A GP-practice row that is malformed is rejected with its row and
field.

The commissioner hierarchy (field 15 under field 4):

- field 4 holding an ICB code (three characters, `Q` then a letter: `QHM`, `QE1`) means
  field 15 is a sub-ICB location under that ICB. This is so in every 2025+ export and in
  the legacy files published since ICBs began (July 2022; the September 2025 legacy file
  has them for every current practice).
- field 4 holding an NHS England area-team or region code (`Q` and two digits: `Q74`,
  `Q99`), as in the December 2019 file and for practices closed before 2022, says nothing
  about an ICB: field 15 is then a CCG with no parent.
- A sub-ICB location's ICB is the one most of its active practices give (some closed
  practices still carry an older ICB after boundary changes).

Any import files the commissioners it learns (creating missing ones with their ICB
parents) and re-files the ones it knows better: a CCG found under an ICB becomes a sub-ICB
location with that parent. It never turns a sub-ICB location back into a CCG (an older
file knows less, not better). Names come from the ODS organisation files
(``resilience/importers/ods_names.py``) or are set by hand; until then a new commissioner
is called "Commissioner CODE".
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from resilience.importers import (
    Change,
    ImportFileError,
    ImportPlan,
    Rejected,
    read_file,
    text_rejected,
)
from resilience.safe_text import quoted

FIELDS = 27
# ODS organisation codes: 3 to 10 capital letters and digits (A81001, Y00296, ALD200,
# GUE010, K0E995, the sub-ICB codes 04C and A3A8R).
CODE = re.compile(r"^[A-Z0-9]{3,10}$")
ICB = re.compile(r"^Q[A-Z][A-Z0-9]$")
LEGACY_STATUS = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}
MODERN_STATUS = {"ACTIVE": "active", "INACTIVE": "closed", "DORMANT": "dormant"}
# what a person knows each dialect as
LAYOUT = {"legacy": "older register layout (status A/C/D/P)", "modern": "2025 register layout"}
GP_SETTING, GP_ROLE = "4", "RO76"
PLACEHOLDER = {"icb": "ICB {code}", "sub_icb": "Commissioner {code}", "ccg": "Commissioner {code}"}


def placeholder_name(code: str, kind: str) -> str:
    """The name a commissioner has until a names file or a person gives it one."""
    return PLACEHOLDER.get(kind, "Commissioner {code}").format(code=code)


def _date(text: str) -> date | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y%m%d").date()


def _roles(field: str) -> set[str]:
    return {part.strip() for part in field.split("|") if part.strip()}


def _is_epraccur(member: str) -> bool:
    return member.startswith("epraccur") and member.endswith(".csv")


def plan_ods_import(
    path: str,
    existing: dict[str, dict[str, Any]],
    known_commissioners: Mapping[str, Mapping[str, Any]] | set[str],
    *,
    all_settings: bool = False,
) -> ImportPlan:
    """Compare the file with the register (``existing``: ODS code -> practice fields;
    ``known_commissioners``: code -> {"kind", "parent"}, or just the codes)."""
    text, name, digest = read_file(path, _is_epraccur)
    rows = list(csv.reader(text.splitlines()))
    dialect = _dialect(rows, name)
    plan = ImportPlan(
        "ods",
        name,
        digest,
        f"epraccur-{dialect}",
        None,
        skipped_reason="not GP practices; --all-settings keeps them",
    )
    statuses = LEGACY_STATUS if dialect == "legacy" else MODERN_STATUS
    gp = GP_SETTING if dialect == "legacy" else GP_ROLE
    seen: set[str] = set()
    # commissioner -> ICB votes (active practices count first); commissioners seen
    icb_votes: dict[str, tuple[Counter[str], Counter[str]]] = defaultdict(
        lambda: (Counter(), Counter())
    )
    commissioners_seen: dict[str, None] = {}
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != FIELDS:
            plan.rejected.append(Rejected(number, "", f"{len(row)} fields, expected {FIELDS}"))
            continue
        # the GP filter comes first: a row that is not ours is never an error
        if not all_settings and gp not in _roles(row[25]):
            plan.skipped += 1
            continue
        code = row[0].strip()
        if not CODE.match(code):
            plan.rejected.append(
                Rejected(
                    number,
                    "field 1 (code)",
                    f"{quoted(code)} is not an ODS code (3 to 10 capital letters and digits)",
                )
            )
            continue
        status = row[12].strip()
        if status not in statuses:
            plan.rejected.append(
                Rejected(
                    number,
                    "field 13 (status)",
                    f"{quoted(status)} is not one of {', '.join(statuses)} "
                    f"(the {LAYOUT[dialect]} the rest of this file is in)",
                )
            )
            continue
        try:
            opened, closed = _date(row[10].strip()), _date(row[11].strip())
        except ValueError:
            plan.rejected.append(
                Rejected(number, "field 11/12 (dates)", "dates must be YYYYMMDD or empty")
            )
            continue
        commissioner = row[14].strip()
        if commissioner and not CODE.match(commissioner):
            plan.rejected.append(
                Rejected(
                    number,
                    "field 15 (commissioner)",
                    f"{quoted(commissioner)} is not an ODS code "
                    "(3 to 10 capital letters and digits)",
                )
            )
            continue
        if code in seen:
            plan.rejected.append(Rejected(number, "field 1 (code)", f"{code} appears twice"))
            continue
        seen.add(code)
        bad_text = text_rejected(
            number, {"field 2 (name)": row[1], "field 10 (postcode)": row[9], "field 15": row[14]}
        )
        if bad_text:
            plan.rejected.extend(bad_text)
            continue
        if commissioner:
            commissioners_seen[commissioner] = None
            parent = row[3].strip()
            if ICB.match(parent):
                active, every = icb_votes[commissioner]
                every[parent] += 1
                if statuses[status] == "active":
                    active[parent] += 1
        field4 = row[3].strip()
        plan.parents[code] = field4 if ICB.match(field4) else ""  # for the scope
        values = {
            "name": row[1].strip(),
            "postcode": row[9].strip(),
            "status": statuses[status],
            "opened_on": opened,
            "closed_on": closed,
            "commissioner": commissioner,
        }
        current = existing.get(code)
        if current is None:
            plan.changes.append(Change(code, "new", values))
            continue
        plan.compare(code, values, current)
    if plan.skipped and not (plan.changes or plan.unchanged or plan.rejected):
        raise ImportFileError(
            f"{name}: no GP practices in this file ({plan.skipped} rows, none marked as a GP "
            f"practice in field 26: {'setting 4' if dialect == 'legacy' else 'role RO76'}); "
            "if it is the ODS list of CCGs, sub-ICB locations or ICBs, import it with "
            "`resilience import ods-names`"
        )
    _refuse_an_older_register(plan, name)
    _plan_commissioners(plan, dialect, commissioners_seen, icb_votes, known_commissioners)
    return plan


def _refuse_an_older_register(plan: ImportPlan, name: str) -> None:
    """A practice that closed does not reopen: a register that would reopen closed
    practices is older than the one already imported (a 2019 file after a 2026 one), and
    applying it would bring closed practices back into the agenda under old names."""
    reopened = [
        c
        for c in plan.changed
        if c.old.get("closed_on") is not None
        and "closed_on" in c.values
        and c.values["closed_on"] is None
    ]
    if not reopened:
        return
    examples = ", ".join(f"{c.ods_code} closed {c.old['closed_on']}" for c in reopened[:3])
    raise ImportFileError(
        f"{name}: this register looks older than the one already imported: it would reopen "
        f"{len(reopened)} practice(s) that closed ({examples}). Nothing was imported; "
        "import registers oldest first, or import this one into another database"
    )


def _plan_commissioners(
    plan: ImportPlan,
    dialect: str,
    seen: dict[str, None],
    icb_votes: dict[str, tuple[Counter[str], Counter[str]]],
    known: Mapping[str, Mapping[str, Any]] | set[str],
) -> None:
    """Fill ``plan.commissioners`` (to create, ICBs first) and
    ``plan.commissioner_updates`` (known ones re-filed under the ICB the file gives)."""
    known_info: Mapping[str, Mapping[str, Any]] = (
        {code: {} for code in known} if isinstance(known, set) else known
    )
    icbs: dict[str, dict[str, Any]] = {}
    others: dict[str, dict[str, Any]] = {}
    for code in seen:
        active, every = icb_votes.get(code, (Counter(), Counter()))
        votes = active or every
        parent = max(sorted(votes), key=votes.__getitem__) if votes else None
        kind = "sub_icb" if parent or dialect == "modern" else "ccg"
        if parent and parent not in known_info and parent not in icbs:
            icbs[parent] = {
                "code": parent,
                "name": placeholder_name(parent, "icb"),
                "kind": "icb",
                "parent": None,
            }
        current = known_info.get(code)
        if current is None:
            others[code] = {
                "code": code,
                "name": placeholder_name(code, kind),
                "kind": kind,
                "parent": parent,
            }
            continue
        if not current:  # only the code is known: nothing to compare
            continue
        update: dict[str, Any] = {}
        if kind == "sub_icb" and current.get("kind") == "ccg":
            update["kind"] = "sub_icb"
        if parent and current.get("parent") != parent:
            update["parent"] = parent
        if update:
            plan.commissioner_updates[code] = update
    plan.commissioners = {**icbs, **others}  # parents are created before their children


def _dialect(rows: list[list[str]], name: str) -> str:
    for row in rows:
        if len(row) == FIELDS:
            status = row[12].strip()
            if status in LEGACY_STATUS:
                return "legacy"
            if status in MODERN_STATUS:
                return "modern"
    names = sum(
        1 for row in rows if len(row) >= 2 and re.match(r"^(Q[A-Z][A-Z0-9]|\d\d[A-Z])$", row[0])
    )
    hint = (
        "; it looks like an ODS organisation (names) file: import it with "
        "`resilience import ods-names`"
        if rows and names > len(rows) / 2
        else ""
    )
    raise ImportFileError(
        f"{name}: not an ODS epraccur file: expected rows of {FIELDS} quoted fields with a "
        "status (A/C/D/P or ACTIVE/INACTIVE/DORMANT) in field 13" + hint
    )
