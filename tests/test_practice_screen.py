"""The practice screen: identity, history grid, versions and their diff, soft
intelligence with confidential text masked, actions added and completed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from resilience.app import ResilienceApp
from resilience.store import Store
from screens.history_grid import HistoryGrid
from screens.practice import PracticeScreen
from screens.practice_list import PRACTICE_SCREEN, PracticeListScreen
from screens.virtual_table import VirtualTable
from tests.pilot import settle, text_of


async def open_practice(pilot, code: str) -> PracticeScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("slash", *code, "enter", "p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    return screen


async def test_history_grid_versions_and_diff(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZE0005")
        identity = text_of(screen, "#identity")
        assert "ZE0005" in identity and "ELR GP Federation" in identity and "GMS" in identity
        grid = screen.query_one("#grid", HistoryGrid)
        assert grid.row_count == 12 and grid.get_row_at(0)[0] == "2017-03"
        versions = screen.query_one("#versions", VirtualTable)
        assert versions.row_count == 12
        reasons = [str(versions.get_row_at(i)[6]) for i in range(versions.row_count)]
        assert "Salaried GP recruited; lease agreed" in reasons  # not repeated per field
        # mark October and November, then diff them
        versions.focus()
        await pilot.press("down", "down", "down", "down", "space", "down", "space", "d")
        await settle(pilot)
        diff = text_of(screen, "#diff")
        assert "2016-10 v1 -> 2016-11 v1" in diff
        assert "partnership_change: no -> yes" in diff and "premises_risk" in diff


async def test_confidential_intelligence_is_masked_for_a_viewer(demo_db: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    admin = Store.open(str(demo_db))
    act_as("visitor")  # someone else opens it
    app = ResilienceApp(store=Store.open(str(demo_db)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZC0031")
        intel = screen.query_one("#intel", VirtualTable)
        texts = [str(intel.get_row_at(i)[6]) for i in range(intel.row_count)]
        assert texts == ["(confidential: not shown to your role)"] * 2
        assert "2 confidential entries masked" in text_of(screen, "#intel-title")
    assert not [e for e in admin.audit_entries("soft_intel") if e["actor"] == "visitor"]


async def test_an_admin_sees_confidential_text_and_the_view_is_audited(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZC0031")
        intel = screen.query_one("#intel", VirtualTable)
        texts = [str(intel.get_row_at(i)[6]) for i in range(intel.row_count)]
        assert all(t.startswith("confidential: ") and "not shown" not in t for t in texts)
    views = [
        e
        for e in Store.open(str(demo_db)).audit_entries("soft_intel")
        if e["action"] == "view_confidential"
    ]
    assert views and views[0]["new_value"] == "practice ZC0031"


async def test_add_and_complete_an_action(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZW0011")
        await pilot.press("a")
        await settle(pilot)
        assert screen.query_one("#new-action", Input).has_focus
        await pilot.press(*"Ask for the CQC action plan ; quality lead ; 2099-01-31", "enter")
        await settle(pilot)
        actions = screen.query_one("#actions", VirtualTable)
        assert "Ask for the CQC action plan" in str(actions.get_row_at(0)[3])
        actions.focus()
        await pilot.press("x")
        await settle(pilot)
        assert str(screen.query_one("#actions", VirtualTable).get_row_at(0)[0]) == "done"
        stored = app.store.practice_actions("ZW0011")
        assert stored[0].status == "done"


async def test_overdue_actions_are_marked(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZC0007")
        row = screen.query_one("#actions", VirtualTable).get_row_at(0)
        assert str(row[0]) == "OVERDUE" and "CQC action plan" in str(row[3])


async def test_the_practice_screen_is_composed_behind_the_list_before_the_first_p(
    demo_db: Path,
) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen  # still the list, its table still focused: nothing shown over it
        assert isinstance(listing, PracticeListScreen)
        assert listing.query_one("#practices", VirtualTable).has_focus
        prepared = app.get_screen(PRACTICE_SCREEN)
        assert isinstance(prepared, PracticeScreen)
        assert prepared.is_mounted and prepared.story is None  # composed, no practice yet
        keys = [getattr(key, "description", "") for key in prepared.query("FooterKey")]
        assert "Mark for diff" in keys and "Add action" in keys  # its footer's keys too

        # reading a practice ahead (the queries' first run) shows nobody its confidential
        # entries, so no view of them is written to the audit log
        prepared.warm_up("ZC0031")
        await settle(pilot)
        viewed = [e for e in app.store.audit_entries("soft_intel") if "view" in e["action"]]
        assert not viewed

        code = listing.current_code()
        await pilot.press("p")
        await settle(pilot)
        assert app.screen is prepared and prepared.story is not None
        assert prepared.story.practice.ods_code == code
        assert code is not None and code in text_of(prepared, "#identity")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_practice_screen_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_practice(pilot, "ZE0005")

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=open_it
    )
