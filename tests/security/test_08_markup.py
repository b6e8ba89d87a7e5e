"""Item 8: square brackets in data are text, never Rich or Textual markup.

A practice called ``Broken [/oops] markup`` crashed ``resilience practices`` and the app
on start-up; ``[/`` typed in the search box, ``[/x]`` in soft intelligence, a version
reason or a cohort name crashed the app; ``[link=...]`` became a live link.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from textual.widgets import Input
from typer.testing import CliRunner

from resilience.app import ResilienceApp
from resilience.cli import app as cli
from resilience.store import Store
from screens.cohort import CohortScreen
from screens.practice import PracticeScreen
from screens.virtual_table import VirtualTable
from tests.pilot import settle, text_of

NAME = "Broken [/oops] markup [link=https://evil.example]click[/link]"
HOSTILE = "[/x] [bold]loud[/bold] [link=https://evil.example]here[/link]"
CODE = "ZE0005"


def make_hostile(db: Path) -> None:
    """The practice's name, a soft-intelligence entry, a version reason and a cohort name
    as a careless or hostile colleague might write them."""
    with sqlite3.connect(db) as connection:  # as an import of a hostile register would
        connection.execute("UPDATE practice SET name = ? WHERE ods_code = ?", (NAME, CODE))
    store = Store.open(str(db))
    try:
        store.add_soft_intel(
            CODE,
            received_on=date(2017, 3, 1),
            source="other",
            category=HOSTILE,
            severity=2,
            confidence="low",
            text=HOSTILE,
        )
        findings = store.period_snapshot("2017-03")
        current = next(item for item in findings if item["ods_code"] == CODE)
        store.save_assessment(CODE, "2017-03", dict(current["findings"]), reason=HOSTILE)
        store.create_cohort(HOSTILE, 2, 1, assessment_period="2017-03")
    finally:
        store.close()


def test_the_practices_table_shows_brackets_as_written(demo_db: Path) -> None:
    make_hostile(demo_db)
    result = CliRunner().invoke(cli, ["practices", "--db", str(demo_db)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert NAME in result.output


async def test_the_app_starts_and_the_list_shows_the_name_as_written(demo_db: Path) -> None:
    make_hostile(demo_db)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#practices", VirtualTable)
        assert str(table.get_row(CODE)[1]) == NAME
        await pilot.press("slash", "left_square_bracket", "slash")  # typed in the search
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "[/"
        assert '"[/"' in text_of(app.screen, "#status")
        await pilot.press("escape")
        await pilot.press("q")
    assert app.return_code == 0


async def test_the_practice_screen_shows_intelligence_and_reasons_as_written(
    demo_db: Path,
) -> None:
    make_hostile(demo_db)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *CODE, "enter", "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert NAME in text_of(screen, "#identity")
        intel = screen.query_one("#intel", VirtualTable)
        assert any(HOSTILE in str(intel.get_row_at(i)) for i in range(intel.row_count))
        versions = screen.query_one("#versions", VirtualTable)
        assert str(versions.get_row_at(0)[6]) == HOSTILE
        await pilot.press("escape", "enter")  # the review screen for the same practice
        await settle(pilot)
        assert NAME in text_of(app.screen, "#practice-line")
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_code in (0, None)


async def test_a_cohort_named_with_brackets_opens(demo_db: Path) -> None:
    make_hostile(demo_db)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, CohortScreen)
        assert HOSTILE in text_of(panel, "#cohort-line")
        await pilot.press("d")  # the dashboard shows the name in its heatmap too
        await settle(pilot)
    assert app.return_code in (0, None)


async def test_the_command_palette_lists_the_name_as_written(demo_db: Path) -> None:
    make_hostile(demo_db)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Broken", "left_square_bracket", "slash")
        await settle(pilot)
        from textual.command import CommandList

        commands = app.screen.query_one(CommandList)
        prompts = [
            str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
        ]
        assert any(NAME in p for p in prompts), prompts
        await pilot.press("escape")
    assert app.return_code in (0, None)


async def test_brackets_typed_into_a_review_field_are_quoted_back_as_text(
    demo_db: Path,
) -> None:
    from screens.review import ReviewScreen

    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.query_one("#f-list_size", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", "left_square_bracket", "slash", *"x")
        await settle(pilot)
        assert "'[/x' is not a whole number" in text_of(review, "#error-list_size")
        await pilot.press("ctrl+s")  # refused, with a notification quoting the error
        await settle(pilot)
    assert app.return_code in (0, None)
