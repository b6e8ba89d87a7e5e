"""A practice's recent months as one plain ``Text``: month, overall band, the five area
bands and the score. A grid this small needs no table widget (a DataTable measured and
rendered every cell on each open of the practice screen); the rows stay readable as data
(``row_count``, ``get_row_at``) for the screen's tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from screens.virtual_table import plain_cell

# (heading, width) per column; cells are padded by one space on each side, as in a table
GRID_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Month", 7),
    ("Overall", 8),
    ("Q", 1),
    ("C", 1),
    ("W", 1),
    ("S", 1),
    ("U", 1),
    ("Score", 5),
)


class HistoryGrid(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"history-grid--header"}
    DEFAULT_CSS = """
    HistoryGrid {
        background: $surface;
        height: auto;
        & > .history-grid--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[list[object]] = []

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> list[object]:
        return list(self._rows[index])

    def set_rows(self, rows: Iterable[Sequence[object]]) -> None:
        self._rows = [list(row) for row in rows]
        self.refresh(layout=True)

    def render(self) -> Text:
        header = self.get_component_rich_style("history-grid--header")
        lines = [self._line([h for h, _ in GRID_COLUMNS], header)]
        lines += [self._line(row) for row in self._rows]
        grid = Text("\n").join(lines)
        grid.no_wrap = True
        grid.overflow = "crop"
        return grid

    @staticmethod
    def _line(cells: Sequence[object], style: object = "") -> Text:
        line = Text(style=style or "")  # type: ignore[arg-type]
        for (_, width), value in zip(GRID_COLUMNS, cells, strict=False):
            text = plain_cell(value)
            if text.cell_len > width:
                text = text.copy()
                text.truncate(width, overflow="crop")
            line.append(" ")
            line.append_text(text)
            line.append(" " * (width - text.cell_len) + " ")
        return line
