"""Scope: the patch a database covers, and which practices the views show.

A primary care team covers 30-150 practices, not the 8,000 in England. An admin names
the patch with commissioner, sub-ICB location or ICB codes (``resilience scope set``); an
ICB code covers every sub-ICB location (or CCG) under it. The scope is a setting of the
database (``settings.scope``, the codes separated by spaces).

What the scope does:

* national imports add or update only practices in the patch; the rest of the file is
  counted as "out of scope", never as an error;
* the views (agenda, dashboard, meeting pack, exports, ``resilience practices``) show
  practices in the patch only.

Practices already in the register when a scope is set later are never deleted: those
outside the patch drop out of the views and are no longer updated by imports; clearing
the scope (``resilience scope clear``) brings them back.

Separately from the scope, the views show *active* practices: closed and dormant ones
stay in the database and in the history, behind a filter (``--include-closed``; the
list's status filter). A practice that closed during or after a month still counts as
active for that month, so older months look as they did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from resilience.importers import ImportPlan
from scoring import period_bounds

SCOPE_SETTING = "scope"
CODE = re.compile(r"^[A-Z0-9]{3,9}$")  # CCG/sub-ICB 03W, ICB QK1, ONS-style E54000015


def is_active(status: str | None, closed_on: date | None, period: str | None = None) -> bool:
    """Whether a practice is shown by default: active, or (for a month) closed only
    during or after that month."""
    if status == "active":
        return True
    if period is None or closed_on is None:
        return False
    start, _ = period_bounds(period)
    return closed_on >= start


def parse_codes(codes: Iterable[str]) -> list[str]:
    """Upper-cased, de-duplicated codes; ValueError naming the first that is not a code."""
    out: list[str] = []
    for raw in codes:
        for code in raw.replace(",", " ").split():
            code = code.strip().upper()
            if not CODE.match(code):
                raise ValueError(
                    f"{code!r} is not a commissioner, sub-ICB location or ICB code "
                    "(3 to 9 letters and digits, e.g. 04C, 03W or QK1)"
                )
            if code not in out:
                out.append(code)
    return out


def covered(scope: Iterable[str], parent_of: dict[str, str | None]) -> set[str]:
    """The commissioner codes a scope covers: the codes named and everything under them
    (``parent_of``: commissioner code -> its parent's code)."""
    chosen = set(scope)
    out = set(chosen)
    for code in parent_of:
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if current in chosen:
                out.add(code)
                break
            seen.add(current)
            current = parent_of.get(current)
    return out


def apply_scope(
    plan: ImportPlan,
    scope: list[str],
    existing: dict[str, dict[str, Any]],
    tree: dict[str, tuple[str, str, str | None]],
) -> None:
    """Drop from ``plan`` what lies outside ``scope``, counting it as out of scope.

    A practice is in scope when its commissioner is covered by the scope in the
    hierarchy as it will stand after the import: the register's, updated by what this
    file teaches (new commissioners and their ICBs, sub-ICB locations re-filed under the
    ICB most of their active practices name). Deciding on the hierarchy rather than on
    each row's field 4 keeps imports and views in agreement: real registers have the odd
    (usually closed) practice whose ICB differs from its sub-ICB location's, and such a
    practice belongs where its sub-ICB location belongs. For the other files, a practice
    is in scope when the register holds it under a covered commissioner; a practice the
    register does not hold is outside the patch. A practice in the patch that moves out
    of it is updated (so it leaves the views), not skipped."""
    if not scope:
        return
    parent_of: dict[str, str | None] = {code: parent for code, (_, _, parent) in tree.items()}
    for code, info in plan.commissioners.items():
        parent_of[code] = info.get("parent")
    for code, info in plan.commissioner_updates.items():
        if "parent" in info:
            parent_of[code] = info["parent"]
    registered = covered(scope, parent_of)
    kept = []
    for change in plan.changes:
        before = (existing.get(change.ods_code) or {}).get("commissioner")
        after = change.values.get("commissioner", before)
        if after in registered or before in registered:
            kept.append(change)
        else:
            plan.out_of_scope += 1
    plan.changes = kept
    if plan.kind != "ods":
        plan.out_of_scope += len(plan.not_in_register)
        plan.not_in_register = []
    # only the commissioners the kept practices need (and their parents)
    needed = {c.values.get("commissioner") for c in kept} - {None}
    needed |= {plan.parents.get(c.ods_code) for c in kept} - {None, ""}
    needed |= {info.get("parent") for code, info in plan.commissioners.items() if code in needed}
    plan.commissioners = {k: v for k, v in plan.commissioners.items() if k in needed}
