"""The GPRP cohort panel: the proposal beside decisions, and overrides on the record."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from resilience.app import ResilienceApp
from resilience.store import Store, StoreError
from screens.cohort import CohortScreen
from tests.pilot import settle, text_of


async def test_cohort_one_rerun_and_an_override_recorded(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, CohortScreen)
        line = text_of(panel, "#cohort-line")
        assert "GPRP cohort 1" in line and "0 decision(s) differ" in line
        table = panel.query_one("#placements", DataTable)
        assert table.row_count == 52
        assert str(table.get_row_at(0)[-2]) == "Supported"
        assert "ranked 1 of 52" in text_of(panel, "#reason")
        # override the top practice: the panel judged the support would not help
        code = panel.placements[0].placement.ods_code
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#outcome", Select).value = "reserve"
        await pilot.press("ctrl+s")  # refused without a rationale
        await settle(pilot)
        assert "rationale is required" in text_of(dialog, "#decision-error")
        dialog.query_one("#rationale", Input).focus()
        await pilot.press(*"Panel judged impact low", "enter")
        await settle(pilot)
        assert app.screen is panel
        assert "1 decision(s) differ" in text_of(panel, "#cohort-line")
        assert "Reserve ≠" in str(panel.query_one("#placements", DataTable).get_row_at(0)[-1])
    store = Store.open(str(demo_db))
    decided = next(a for a in store.applications("GPRP cohort 1") if a.ods_code == code)
    assert decided.outcome == "reserve" and decided.rationale == "Panel judged impact low"
    audit = store.audit_entries("application")[0]
    assert audit["old_value"] == "supported" and audit["actor"]


def test_decisions_need_a_rationale_and_a_real_applicant(demo_store: Store) -> None:
    with pytest.raises(StoreError, match="rationale"):
        demo_store.record_decision("GPRP cohort 1", "ZC0007", "reserve", "  ")
    with pytest.raises(StoreError, match="has not applied"):
        demo_store.record_decision("GPRP cohort 1", "ZZ0000", "reserve", "why")
    with pytest.raises(StoreError, match="outcome is one of"):
        demo_store.record_decision("GPRP cohort 1", "ZC0007", "maybe", "why")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_cohort_panel_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=open_it
    )
