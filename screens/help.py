"""Help: every key of the screen underneath, plus the app's, made from the bindings
themselves so it can never disagree with what the keys do."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# What the screens show without saying, as (title, points). The first section explains
# the triage: before anyone reviews a practice it is ranked on the national files alone.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Not reviewed yet",
        (
            "The ✓ column: ✓ reviewed this month; ? not reviewed, ranked on public data "
            "alone (list size, CQC, workforce files); · not reviewed, last result shown.",
            '"to confirm": facts a floor reads (risk of closure, open notices, CQC '
            "rating...) that nobody has recorded yet. Confirm them at the meeting: an "
            "unknown never puts a practice in Extreme by itself.",
            "The agenda ranks practices nobody has reviewed by their public-data score, so "
            "a first meeting already has a risk order.",
        ),
    ),
    (
        "Tips",
        (
            "The list opens in agenda order: new High and Extreme first, then "
            "deteriorations, open contract notices and new soft intelligence.",
            "In the review form, Tab and shift+Tab move between fields; a dot (●) marks a "
            "field that differs from last month; the score panel updates as you type.",
            "ctrl+p opens the command palette: go to a practice, open a month, filter.",
            "Keys that tmux or SSH may swallow all have an alternative shown here.",
            "Bands are always written as words, so the screen reads the same without "
            "colour.",
        ),
    ),
)


def sections() -> Group:
    """The sections as titled lists whose lines wrap under their own text."""
    parts: list[RenderableType] = []
    for title, points in SECTIONS:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for point in points:
            grid.add_row("-", point)
        parts += [Text(title, style="bold"), grid, Text("")]
    return Group(*parts[:-1])


def _describe(binding: Binding) -> tuple[str, str]:
    keys = binding.key_display or ", ".join(k.strip() for k in binding.key.split(","))
    return keys, binding.description or binding.action


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close help")]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.underneath = screen

    def compose(self) -> ComposeResult:
        table = Table(
            title=f"Keys on {getattr(self.underneath, 'HELP_TITLE', 'this screen')}",
            show_header=True,
            expand=True,
            title_justify="left",
        )
        table.add_column("Key", no_wrap=True)
        table.add_column("Does")
        seen: set[str] = set()
        self.rows: list[tuple[str, str]] = []
        for source in (self.underneath, self.app):
            for binding in source.BINDINGS:
                if isinstance(binding, Binding) and binding.action not in seen:
                    seen.add(binding.action)
                    self.rows.append(_describe(binding))
                    table.add_row(*self.rows[-1])
        with VerticalScroll(classes="dialog help"):
            yield Static(table)
            yield Static(sections(), classes="tips")

    def action_close(self) -> None:
        self.dismiss(None)
