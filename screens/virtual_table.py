"""A virtual table on Textual's public Line API, for long lists (6,700+ practices).

The rows live in a plain sequence the caller owns; the table renders only the lines on
screen (``render_line``), building a row's cells when it first comes into view and
caching its styled segments (a ``Strip``) until the rows, columns or styles change.
Loading, filtering or sorting is therefore one assignment, whatever the number of rows.
Column widths are fixed by the caller: nothing is measured.

It looks and behaves like a row-cursor ``DataTable`` with zebra stripes (the same
colours, keys and messages: ``RowHighlighted``, ``RowSelected``, ``HeaderSelected``),
with the small public surface the app and its tests use (``row_count``, ``cursor_row``,
``move_cursor``, ``get_row``, ``get_row_at``). Cells are plain text: a ``str`` is never
read as markup, and control characters (ESC, the bidirectional overrides, a newline) are
shown visibly by ``resilience.safe_text``, in a ``str`` or a ``rich.text.Text`` alike; a
``Text`` keeps its styles and its right justification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from resilience.safe_text import clean_text, plain


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int


def plain_cell(value: object) -> Text:
    """A cell as one line of Text: a Text keeps its styles, anything else is plain text
    (never markup); control characters are shown visibly (``\\x1b``, ``\\u202e``), so
    none reaches the terminal and none moves or reorders what a row shows."""
    if isinstance(value, Text):
        return clean_text(value, one_line=True)
    return plain(value, one_line=True)


def fit_columns(headings: Sequence[str], rows: Iterable[Sequence[object]]) -> list[Column]:
    """Columns as wide as their heading and their widest cell, keyed by position: for
    short tables (a practice's versions, entries, actions), where measuring every cell
    costs nothing."""
    widths = [Text(heading).cell_len for heading in headings]
    for cells in rows:
        for index, value in enumerate(cells[: len(widths)]):
            widths[index] = max(widths[index], plain_cell(value).cell_len)
    return [Column(str(i), h, w) for i, (h, w) in enumerate(zip(headings, widths, strict=True))]


class VirtualTable(ScrollView, can_focus=True):
    """Rows of fixed-width columns with a row cursor; see the module docstring."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home", "scroll_top", "Top", show=False),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False),
        Binding("home", "scroll_home", "Home", show=False),
        Binding("end", "scroll_end", "End", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--cursor",
        "virtual-table--hover",
        "virtual-table--header",
        "virtual-table--header-hover",
        "virtual-table--odd-row",
        "virtual-table--even-row",
    }
    # DataTable's own colours, so the list looks as it did
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark {
            & > .virtual-table--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--odd-row {
        }
        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--header-hover {
            background: $accent 30%;
        }
        & > .virtual-table--hover {
            background: $block-hover-background;
        }
    }
    """

    class _TableMessage(Message):
        """A message about this table (``control`` is the table, as DataTable's are)."""

        def __init__(self, table: VirtualTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> VirtualTable:
            return self.table

    class _RowMessage(_TableMessage):
        def __init__(self, table: VirtualTable, cursor_row: int, row_key: str) -> None:
            super().__init__(table)
            self.cursor_row = cursor_row
            self.row_key = row_key

    class RowHighlighted(_RowMessage):
        """The cursor moved to another row."""

    class RowSelected(_RowMessage):
        """Enter on a row, or a click on the row under the cursor."""

    class HeaderSelected(_TableMessage):
        """A click on a column's header."""

        def __init__(
            self, table: VirtualTable, column_key: str, column_index: int, label: str
        ) -> None:
            super().__init__(table)
            self.column_key = column_key
            self.column_index = column_index
            self.label = label

    def __init__(
        self,
        *,
        zebra_stripes: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.zebra_stripes = zebra_stripes
        self.columns: list[Column] = []
        self._rows: Sequence[Any] = ()
        self._key: Callable[[Any], str] = str
        self._cells: Callable[[Any], Sequence[object]] = lambda row: (row,)
        self._index: dict[str, int] | None = None  # key -> position, built when asked
        self._cursor = 0
        self._hover = -2  # -1 is the header; -2 nowhere
        self._show_hover = False
        self._strips: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self._pseudo_state: object = None

    # ------------------------------------------------------------------ public surface

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        """The cursor's row, or -1 when there are no rows."""
        return self._cursor if self._rows else -1

    @property
    def cursor_key(self) -> str | None:
        return self._key(self._rows[self._cursor]) if self._rows else None

    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._invalidate()
        self._update_virtual_size()

    def set_rows(
        self,
        rows: Sequence[Any],
        *,
        key: Callable[[Any], str],
        cells: Callable[[Any], Sequence[object]],
        cursor_key: str | None = None,
    ) -> None:
        """Show these rows (the table keeps the sequence, it does not copy it). ``key``
        names a row (unique); ``cells`` builds its cells, called only for rows on screen.
        The cursor goes to ``cursor_key`` if it is among the rows, else stays in range."""
        self._rows = rows
        self._key = key
        self._cells = cells
        self._index = None
        self._invalidate()
        self._update_virtual_size()
        target = self.get_row_index(cursor_key) if cursor_key is not None else None
        row = target if target is not None else min(self._cursor, max(len(rows) - 1, 0))
        self._cursor = -1  # so that moving there counts as a move
        self.move_cursor(row=row)

    def clear(self) -> None:
        self.set_rows((), key=self._key, cells=self._cells)

    def get_row_index(self, key: str) -> int | None:
        if self._index is None:
            self._index = {self._key(row): i for i, row in enumerate(self._rows)}
        return self._index.get(key)

    def get_row_at(self, index: int) -> list[object]:
        return list(self._cells(self._rows[index]))

    def get_row(self, key: str) -> list[object]:
        index = self.get_row_index(key)
        if index is None:
            raise KeyError(key)
        return self.get_row_at(index)

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        if not self._rows:
            self._cursor = 0
            self.refresh()
            return
        row = max(0, min(row, len(self._rows) - 1))
        old, self._cursor = self._cursor, row
        if old != row:
            self._refresh_row(old)
            self._refresh_row(row)
            self.post_message(self.RowHighlighted(self, row, self._key(self._rows[row])))
        if scroll:
            self._scroll_cursor_into_view()

    # ------------------------------------------------------------------ geometry

    @property
    def _table_width(self) -> int:
        return sum(c.width + 2 for c in self.columns)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._table_width, len(self._rows) + 1)

    def _scroll_cursor_into_view(self) -> None:
        region = Region(int(self.scroll_x), self._cursor + 1, self.size.width, 1)
        self.scroll_to_region(region, animate=False, spacing=Spacing(1, 0, 0, 0), force=True)

    def _refresh_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.refresh_line(row + 1)

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """-1 for the header, a row index, or None outside the rows."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        if offset.y == 0:
            return -1
        row = offset.y - 1 + int(self.scroll_y)
        return row if 0 <= row < len(self._rows) else None

    def _column_at(self, x: int) -> int | None:
        edge = 0
        for index, column in enumerate(self.columns):
            edge += column.width + 2
            if x < edge:
                return index
        return None

    # ------------------------------------------------------------------ rendering

    def _invalidate(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._invalidate()

    def render_lines(self, crop: Region) -> list[Strip]:
        # focus (and the other pseudo-classes) change the cursor's and rows' colours
        state = self.get_pseudo_class_state()
        if state != self._pseudo_state:
            self._pseudo_state = state
            self._styles.clear()
            self._strips.clear()
        return super().render_lines(crop)

    def _on_resize(self, event: events.Resize) -> None:
        self._invalidate()  # the row's fill reaches the new width

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_styles(component).rich_style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            strip = self._strip(-1)
        else:
            row = y - 1 + scroll_y
            if row >= len(self._rows):
                return Strip.blank(width, base)
            strip = self._strip(row)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _strip(self, row: int) -> Strip:
        """One row's line (``-1``: the header), uncropped, from the cache if it is there."""
        cursor = row == self._cursor and row >= 0
        hover = self._show_hover and row == self._hover
        width = max(self.size.width, self._table_width)
        cache_key = (row, width, cursor, hover)
        strip = self._strips.get(cache_key)
        if strip is not None:
            return strip
        if row == -1:
            row_style = self._style("virtual-table--header")
            cells: Sequence[object] = [c.label for c in self.columns]
        else:
            if self.zebra_stripes:
                parity = "virtual-table--odd-row" if row % 2 else "virtual-table--even-row"
                row_style = self._style(parity)
            else:
                row_style = self.rich_style
            cells = self._cells(self._rows[row])
        over = Style()
        if hover:
            over += self._style("virtual-table--hover")
            if row == -1:
                over += self._style("virtual-table--header-hover")
        post = Style()
        if cursor:
            cursor_style = self._style("virtual-table--cursor")
            over += cursor_style
            post = Style.from_color(color=cursor_style.color)  # the cursor's text colour wins
        console = self.app.console
        line: list[Segment] = []
        pre = row_style + over
        for column, value in zip(self.columns, cells, strict=False):
            text = plain_cell(value)
            size = text.cell_len
            if size > column.width:
                text = text.copy()
                text.truncate(column.width, overflow="crop")
                size = text.cell_len
            gap = " " * (column.width - size)
            right = text.justify == "right"
            cell = Text.assemble(" ", gap if right else "", text, "" if right else gap, " ")
            line.extend(Segment.apply_style(cell.render(console), pre, post))
        fill = width - self._table_width
        if fill > 0:
            line.append(Segment(" " * fill, pre))
        strip = Strip(line, width).simplify()
        self._strips[cache_key] = strip
        return strip

    # ------------------------------------------------------------------ keys and mouse

    def action_select_cursor(self) -> None:
        self._set_hover(False)
        if self._rows:
            self.post_message(
                self.RowSelected(self, self._cursor, self._key(self._rows[self._cursor]))
            )

    def action_cursor_up(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=self._cursor + 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self._set_hover(False)
        self.scroll_relative(y=self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor + self._page(), scroll=False)
        self._scroll_cursor_into_view()

    def action_page_up(self) -> None:
        self._set_hover(False)
        self.scroll_relative(y=-self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor - self._page(), scroll=False)
        self._scroll_cursor_into_view()

    def action_scroll_top(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=0)

    def action_scroll_bottom(self) -> None:
        self._set_hover(False)
        self.move_cursor(row=len(self._rows) - 1)

    def action_scroll_home(self) -> None:
        self.scroll_x = 0

    def action_scroll_end(self) -> None:
        self.scroll_x = self.max_scroll_x

    def _set_hover(self, show: bool) -> None:
        if show != self._show_hover:
            self._show_hover = show
            self._refresh_hover()

    def _refresh_hover(self) -> None:
        if self._hover == -1:
            self.refresh_lines(int(self.scroll_y), 1)  # the header: line 0 on screen
        else:
            self._refresh_row(self._hover)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        hover = -2 if row is None else row
        if hover != self._hover or not self._show_hover:
            self._refresh_hover()
            self._hover, self._show_hover = hover, True
            self._refresh_hover()

    def _on_leave(self, event: events.Leave) -> None:
        self._set_hover(False)

    async def _on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        if row == -1:
            offset = event.get_content_offset(self)
            index = self._column_at(offset.x + int(self.scroll_x)) if offset else None
            if index is not None:
                column = self.columns[index]
                self.post_message(self.HeaderSelected(self, column.key, index, column.label))
            return
        if row == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)
        event.stop()
