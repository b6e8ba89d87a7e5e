"""The TUI shell: starts on the practice list, shows the demo banner, quits with q."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.widgets import Static

from resilience.app import ResilienceApp
from resilience.store import Store
from screens.virtual_table import VirtualTable


async def test_app_starts_and_lists_the_demo_practices(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#practices", VirtualTable)
        assert table.row_count == 138
        assert str(table.get_row("ZC0001")[0]) == "ZC0001"
        banner = app.screen.query_one("#demo-banner", Static)
        assert banner.display and "DEMO DATA" in str(banner.render())
        status = str(app.screen.query_one("#status", Static).render())
        assert "2017-03 (open) · 138 / 138 reviewed" in status
        assert app.focused is table
        await pilot.press("q")
    assert app.return_code == 0


async def test_an_empty_database_says_what_to_do(empty_store: Store) -> None:
    app = ResilienceApp(store=empty_store)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#practices", VirtualTable).row_count == 0
        status = str(app.screen.query_one("#status", Static).render())
        assert "No practices" in status and "resilience demo" in status
        assert not app.screen.query_one("#demo-banner", Static).display


async def test_light_and_dark_themes(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


def test_the_collectors_full_pass_runs_in_a_pause_when_it_is_due(demo_db: Path) -> None:
    """Leaving a screen runs the full collection that the next keys would otherwise pay
    for (collect_if_due), but only once Python would start it soon anyway."""
    app = ResilienceApp(f"sqlite:///{demo_db}")
    _, _, every = gc.get_threshold()  # a full pass follows this many younger ones
    gc.collect()
    gc.collect(1)  # one younger pass since the full one: not due
    app.collect_if_due()
    assert gc.get_count()[2] >= 1  # no full pass ran (it resets the count)
    for _ in range(every // 2):
        gc.collect(1)
    app.collect_if_due()
    assert gc.get_count()[2] == 0  # half-way there: the full pass ran now
