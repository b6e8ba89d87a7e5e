"""The dashboard: the month's sections and a heatmap; Enter opens a practice."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from resilience.app import ResilienceApp
from screens.dashboard import DashboardScreen
from screens.practice import PracticeScreen
from tests.pilot import settle


async def test_dashboard_sections_heatmap_and_jump(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    app.period = "2016-11"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        titles = [str(w.render()) for w in dashboard.query(".title").results(Static)]
        assert titles[:3] == ["Bands by commissioner", "Bands by locality", "Newly High or Extreme"]
        assert titles[-1].startswith("Heatmap")
        heat = dashboard.query_one("#heatmap", DataTable)
        assert heat.row_count == 138
        assert str(heat.get_row_at(0)[2]) == "Extreme"  # highest score first
        newly = dashboard.query_one("#section-2", DataTable)
        assert newly.row_count == 1  # one since llr-2026.2 (list size graded): was two
        newly.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PracticeScreen)
        assert app.screen.ods_code == "ZC0031"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_dashboard_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    app = ResilienceApp(f"sqlite:///{demo_db}")
    app.period = "2016-11"
    assert snap_compare(app, terminal_size=size, run_before=open_it)


def test_band_cells_keep_their_scores() -> None:
    from screens.dashboard import _cell

    assert str(_cell("High 52.8")) == "High 52.8"
    assert str(_cell("Moderate")) == "Moderate"
    assert str(_cell("ZC0031 Hollymead")) == "ZC0031 Hollymead"
