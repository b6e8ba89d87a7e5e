"""The help screen explains the triage a new team sees before anyone reviews: the `?`
in the ✓ column, "to confirm", and the agenda's order on public data."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.containers import VerticalScroll

from resilience.app import ResilienceApp
from screens.help import HelpScreen, sections
from tests.pilot import settle


def _plain(width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(sections())
    return " ".join(console.export_text().split())


def test_the_help_explains_the_triage_in_plain_words() -> None:
    text = _plain(72)  # the help dialog's width at 80 columns
    assert "? not reviewed, ranked on public data alone" in text
    assert '"to confirm": facts a floor reads' in text and "nobody has recorded yet" in text
    assert "The agenda ranks practices nobody has reviewed by their public-data score" in text


async def test_the_triage_lines_are_reachable_at_80_by_24(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # it scrolls; nothing is cut off
        await pilot.press("end")
        await settle(pilot)
        assert scroll.scroll_y == scroll.max_scroll_y
        tips = app.screen.query_one(".tips")  # scrolled to the end: its last line shows
        assert tips.region.bottom <= scroll.region.bottom
        await pilot.press("escape")
