"""A DataTable for long lists whose columns all have fixed widths.

Textual's DataTable measures every cell of every new row to size its columns, which is
most of the cost of showing 6,700 practices (two seconds on a modest machine). With fixed
column widths there is nothing to measure, so this table skips that work. It also loads
many rows in one step (``add_rows_at_once``): the stock ``add_row`` re-sets the cursor
and re-lists the columns for every row. Everything else is the stock widget, whose
internals this relies on: Textual is pinned (8.2.8) and the list's tests exercise it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._data_table import DuplicateKey, Row, RowKey


class FixedWidthTable(DataTable):  # type: ignore[type-arg]
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        columns = list(self.columns.values())
        if any(c.auto_width for c in columns) or any(
            self.rows[k].auto_height or self.rows[k].label is not None
            for k in new_rows
            if k in self.rows
        ):
            super()._update_dimensions(new_rows)  # something does need measuring
            return
        width = sum(c.get_render_width(self) for c in columns) + self._row_label_column_width
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    def add_rows_at_once(self, rows: Iterable[tuple[Sequence[object], str]]) -> None:
        """Append rows of (cells, key), each one line high, as one update."""
        columns = self.ordered_columns
        was_empty = self.row_count == 0
        locations, data, table_rows, new = (
            self._row_locations,
            self._data,
            self.rows,
            self._new_rows,
        )
        index = self.row_count
        for cells, key in rows:
            row_key = RowKey(key)
            if row_key in locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            if len(cells) > len(columns):
                raise ValueError("More values provided than there are columns.")
            locations[row_key] = index
            index += 1
            values = list(cells) + [None] * (len(columns) - len(cells))
            data[row_key] = {column.key: cell for column, cell in zip(columns, values, strict=True)}
            table_rows[row_key] = Row(row_key, 1, None, False)
            new.add(row_key)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        visible_cursor = self.show_cursor and self.cursor_type != "none"
        if was_empty and self.row_count and self.columns and visible_cursor:
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:
        """(row, line within row) per line; every row here is one line high, so one pass
        instead of one small list per row (it is rebuilt after each change)."""
        cached = self._offset_cache.get(self._update_count)
        if cached is not None:
            return cached
        rows = self.ordered_rows
        if any(row.height != 1 for row in rows):
            return DataTable._y_offsets.fget(self)  # type: ignore[attr-defined]
        offsets = [(row.key, 0) for row in rows]
        self._offset_cache[self._update_count] = offsets
        return offsets
