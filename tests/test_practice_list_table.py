"""The practice list's table: sort (key and header click), the cursor kept on the same
practice, mouse click and wheel, and data shown as plain text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from resilience.app import ResilienceApp
from screens.practice_list import PracticeListScreen
from screens.review import ReviewScreen
from screens.virtual_table import Column, VirtualTable, plain_cell
from tests.pilot import settle, text_of


@asynccontextmanager
async def opened_list(
    demo_db: Path, size: tuple[int, int]
) -> AsyncIterator[tuple[ResilienceApp, Pilot[None], PracticeListScreen, VirtualTable]]:
    """The app on the demo database with its practice list shown and settled."""
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, PracticeListScreen)
        yield app, pilot, listing, listing.query_one("#practices", VirtualTable)


def _line(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


def _on_screen_in_order(listing: PracticeListScreen, table: VirtualTable) -> bool:
    """Every line on screen shows the row at its place in the list."""
    top = int(table.scroll_y)
    return all(
        listing.shown[top + y - 1].ods_code in _line(table, y)
        for y in range(1, min(table.size.height, len(listing.shown) - top + 1))
    )


async def test_sort_by_key_and_by_clicking_a_header(demo_db: Path) -> None:
    async with opened_list(demo_db, (120, 40)) as (_app, pilot, listing, table):
        await pilot.press("s")  # agenda -> score
        await settle(pilot)
        assert "sorted by score" in text_of(listing, "#status")
        scores = [r.score or -1 for r in listing.shown]
        assert scores == sorted(scores, reverse=True)
        top = max(listing.shown, key=lambda r: r.score or -1)
        assert top.ods_code in _line(table, 1)  # the first row on screen

        await pilot.click("#practices", offset=(3, 0))  # the "Code" header
        await settle(pilot)
        assert "sorted by code" in text_of(listing, "#status")
        codes = [r.ods_code for r in listing.shown]
        assert codes == sorted(codes)
        assert _on_screen_in_order(listing, table)

        await pilot.click("#practices", offset=(12, 0))  # "Practice"
        await settle(pilot)
        assert "sorted by name" in text_of(listing, "#status")
        names = [r.name.casefold() for r in listing.shown]
        assert names == sorted(names)
        assert _on_screen_in_order(listing, table)
        # the cursor stayed on its practice, and the list scrolled to keep it in view
        assert listing.current_code() == top.ods_code


async def test_the_cursor_stays_on_the_same_practice(demo_db: Path) -> None:
    async with opened_list(demo_db, (120, 40)) as (_app, pilot, listing, table):
        await pilot.press(*["down"] * 5)
        chosen = listing.current_code()
        assert chosen == listing.shown[5].ods_code

        await pilot.press("s", "s")  # re-sorted twice: the cursor follows the practice
        await settle(pilot)
        assert listing.current_code() == chosen
        assert listing.shown.index(next(r for r in listing.shown if r.ods_code == chosen)) == (
            table.cursor_row
        )

        await pilot.press("slash", *chosen[:4])  # a search that keeps it
        await settle(pilot)
        assert listing.current_code() == chosen
        await pilot.press("escape", "x")  # clear: still there
        await settle(pilot)
        assert listing.current_code() == chosen
        assert table.row_count == 138

        await pilot.press("r")  # a reload from the database keeps it too
        await settle(pilot)
        assert listing.current_code() == chosen


async def test_mouse_click_moves_the_cursor_and_a_second_click_opens_the_review(
    demo_db: Path,
) -> None:
    async with opened_list(demo_db, (120, 40)) as (app, pilot, listing, table):
        await pilot.click("#practices", offset=(10, 4))  # line 4: the fourth row
        await settle(pilot)
        assert table.cursor_row == 3
        assert listing.current_code() == listing.shown[3].ods_code
        assert app.screen is listing
        await pilot.click("#practices", offset=(10, 4))
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert listing.shown[3].ods_code in text_of(review, "#practice-line")


async def test_the_mouse_wheel_scrolls_the_rows_under_a_fixed_header(demo_db: Path) -> None:
    async with opened_list(demo_db, (80, 24)) as (_app, pilot, listing, table):
        assert listing.shown[0].ods_code in _line(table, 1)
        for _ in range(3):
            table.post_message(events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False))
            await pilot.pause()
        await settle(pilot)
        assert table.scroll_y > 0
        top = int(table.scroll_y)
        assert "Code" in _line(table, 0) and "Practice" in _line(table, 0)
        assert listing.shown[top].ods_code in _line(table, 1)
        assert table.cursor_row == 0  # the wheel scrolls; it does not move the cursor

        await pilot.press("pagedown", "pagedown")  # and the cursor's moves scroll to it
        await settle(pilot)
        cursor = table.cursor_row
        assert cursor > 20
        shown = [_line(table, y) for y in range(1, table.size.height)]
        assert any(listing.shown[cursor].ods_code in line for line in shown)


class _Many(App[None]):
    """6,700 rows, one of them with markup, an escape sequence and a right-to-left
    override in its name."""

    def __init__(self) -> None:
        super().__init__()
        self.built: list[int] = []
        self.rows = list(range(6_700))

    def compose(self) -> ComposeResult:
        yield VirtualTable(id="t")

    def _cells(self, row: int) -> list[object]:
        self.built.append(row)
        name = "[bold red]Evil[/] \x1b[2J\u202eeman" if row == 1 else f"Practice {row}"
        return [f"ZB{row:04d}", name, Text(f"{row % 100}.0", justify="right")]

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_columns(
            [Column("code", "Code", 6), Column("name", "Name", 33), Column("s", "S", 5)]
        )
        table.set_rows(self.rows, key=lambda r: f"ZB{r:04d}", cells=self._cells)
        table.focus()


async def test_only_rows_on_screen_are_built_and_text_is_plain() -> None:
    app = _Many()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 6_700
        assert set(app.built) <= set(range(25))  # about one screen, not 6,700 rows
        line = _line(table, 2)
        # markup as typed; the escape and the override shown, not obeyed; cropped to fit
        assert " [bold red]Evil[/] \\x1b[2J\\u202eem " in line and "eman" not in line
        assert "\x1b" not in line and "\u202e" not in line  # neither reaches the terminal
        assert _line(table, 1).rstrip().endswith("Practice 0" + " " * 27 + "0.0")  # right
        app.built.clear()
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == 6_699
        assert "ZB6699" in _line(table, table.size.height - 1)
        assert app.built and min(app.built) > 6_600
        assert table.get_row("ZB0003")[0] == "ZB0003"


def test_a_styled_cell_shows_its_control_characters_and_keeps_its_styles() -> None:
    cell = plain_cell(Text.assemble(("confidential: ", "bold red"), "a\x1b[2J\u202eb\nc"))
    assert cell.plain == "confidential: a\\x1b[2J\\u202eb\\x0ac"  # one line, shown
    assert [(s.start, s.end, str(s.style)) for s in cell.spans] == [(0, 14, "bold red")]


async def test_columns_follow_the_terminal_width_and_the_cursor_stays(demo_db: Path) -> None:
    async with opened_list(demo_db, (100, 30)) as (_app, pilot, listing, table):
        header = _line(table, 0)
        assert "Δ" in header and "Locality" not in header and "Why on the agenda" not in header
        await pilot.press("down", "down", "down")
        chosen = listing.current_code()

        await pilot.resize_terminal(150, 30)  # from WIDEST: locality, trend words, the reason
        await settle(pilot)
        header = _line(table, 0)
        assert "Locality" in header and "Trend" in header and "Why on the agenda" in header
        assert listing.current_code() == chosen
        row = listing.shown[table.cursor_row]
        assert row.locality[:20] in _line(table, table.cursor_row + 1 - int(table.scroll_y))

        await pilot.resize_terminal(120, 30)  # WIDE, not WIDEST
        await settle(pilot)
        header = _line(table, 0)
        assert "Locality" in header and "Why on the agenda" not in header
        assert listing.current_code() == chosen
