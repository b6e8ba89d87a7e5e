"""Importing a national file: plan it (what would change, the database's scope
applied, a previous import of the same file found), preview the plan, apply it.

Planning reads the database but writes nothing, so a preview (``--dry-run``) is the
plan's report; applying is one transaction with provenance for every figure.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from resilience.importers import ImportPlan
from resilience.scope import apply_scope

if TYPE_CHECKING:
    from resilience.store import Store

KINDS = ("ods", "ods-names", "list-size", "cqc", "workforce")


def plan_import(
    store: Store,
    kind: str,
    file: Path,
    *,
    all_settings: bool = False,
    extract_date: date | None = None,
) -> ImportPlan:
    """What importing ``file`` as ``kind`` (one of ``KINDS``) would change in ``store``.

    Raises ImportFileError for a file that cannot be read as that kind (csv.Error for
    one the csv module refuses); a plan's rejected rows are in ``plan.rejected``."""
    from resilience.importers.cqc import FIELDS as CQC_FIELDS
    from resilience.importers.cqc import plan_cqc_import
    from resilience.importers.list_size import plan_list_size_import
    from resilience.importers.ods import plan_ods_import
    from resilience.importers.ods_names import plan_ods_names_import
    from resilience.importers.workforce import FIELDS as WORKFORCE_FIELDS
    from resilience.importers.workforce import plan_workforce_import

    if kind not in KINDS:
        raise ValueError(f"import kind is one of {', '.join(KINDS)}")
    existing, _ = store.register_snapshot()
    commissioners = store.commissioner_snapshot()  # read once for the planner and the scope
    if kind == "ods":
        plan = plan_ods_import(str(file), existing, commissioners, all_settings=all_settings)
        plan.extract_date = extract_date
    elif kind == "ods-names":
        plan = plan_ods_names_import(str(file), commissioners)
    elif kind == "list-size":
        plan = plan_list_size_import(str(file), existing)
    elif kind == "cqc":
        plan = plan_cqc_import(
            str(file),
            set(existing),
            store.current_figures(CQC_FIELDS),
            commissioners,
        )
    else:
        plan = plan_workforce_import(
            str(file),
            set(existing),
            store.current_figures(WORKFORCE_FIELDS),
            extract_date,
            commissioners,
        )
    tree = {code: (c["name"], c["kind"], c["parent"]) for code, c in commissioners.items()}
    apply_scope(plan, store.scope(), existing, tree)
    plan.already_imported = store.previous_import(plan.sha256, plan.kind)
    return plan


def preview(plan: ImportPlan, *, dry_run: bool) -> str:
    """The plan as people read it (what would change, what was rejected)."""
    return ("Dry run, nothing written: " if dry_run else "") + plan.report()


def apply_import(store: Store, plan: ImportPlan, *, skip_invalid: bool = False) -> int | None:
    """Apply ``plan`` in one transaction; the batch id, or None when nothing changes."""
    return store.apply_import(plan, skip_invalid=skip_invalid)


def nothing_to_change(plan: ImportPlan) -> str:
    """Why applying the plan wrote nothing."""
    before = (
        f"this file was imported already ({plan.already_imported}); "
        if plan.already_imported
        else ""
    )
    return f"Nothing to change: {before}the database already matches it."
