"""A long history opens with its last 12 months; the older versions come on demand."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from resilience.app import ResilienceApp
from screens.history_grid import HistoryGrid
from screens.practice import PracticeStory
from screens.virtual_table import VirtualTable
from tests.pilot import settle, text_of
from tests.test_practice_screen import open_practice


def _months(count: int) -> list[str]:
    """``count`` consecutive months ending 2017-03."""
    out, year, month = [], 2017, 3
    for _ in range(count):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


async def test_a_ten_year_history_opens_with_twelve_months(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZE0005")
        story = screen.story
        assert story is not None
        template = story.versions[-1]
        # 120 months of one version each, and a correction in the newest month
        versions = [replace(template, period=m, version=1) for m in _months(120)]
        versions.append(replace(template, version=2, reason="typo", is_correction=True))
        screen.show(
            PracticeStory(
                **{**{f: getattr(story, f) for f in story.__slots__}, "versions": versions}
            )
        )
        await settle(pilot)

        grid = screen.query_one("#grid", HistoryGrid)
        assert grid.row_count == 12 and grid.get_row_at(0)[0] == "2017-03"
        assert "2016-04" in str(grid.render()) and "2016-03" not in str(grid.render())
        table = screen.query_one("#versions", VirtualTable)
        assert table.row_count == 13 + 1  # 12 months (one with two versions), then "older"
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["2017-03", "2017-03", "2017-02"]
        assert "108 older versions" in str(table.get_row_at(13)[6])

        # marking works on the rows shown; the "older" row marks nothing
        table.focus()
        await pilot.press("down", "space", "down", "space", "d")
        await settle(pilot)
        assert "2017-02 v1 -> 2017-03 v1" in text_of(screen, "#diff")
        await pilot.press("end", "ctrl+end", "space")
        assert sorted(screen.marked) == [len(versions) - 3, len(versions) - 2]

        await pilot.press("enter")  # Enter on "older versions" shows them all
        await settle(pilot)
        assert table.row_count == 121
        assert str(table.get_row_at(120)[1]) == "2007-04"
        assert screen.all_versions

        screen.show_practice("ZC0007")  # another practice starts collapsed again
        await settle(pilot)
        assert not screen.all_versions


async def test_o_shows_the_older_versions(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot, "ZE0005")
        story = screen.story
        assert story is not None
        versions = [replace(story.versions[-1], period=m) for m in _months(15)]
        screen.show(
            PracticeStory(
                **{**{f: getattr(story, f) for f in story.__slots__}, "versions": versions}
            )
        )
        await settle(pilot)
        table = screen.query_one("#versions", VirtualTable)
        assert table.row_count == 13 and "3 older versions" in str(table.get_row_at(12)[6])
        await pilot.press("o")
        await settle(pilot)
        assert table.row_count == 15
