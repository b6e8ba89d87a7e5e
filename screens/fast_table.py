"""A DataTable for long lists whose columns all have fixed widths.

Textual's DataTable measures every cell of every new row to size its columns, which is
most of the cost of showing 6,700 practices (two seconds on a modest machine). With fixed
column widths there is nothing to measure, so this table skips that work; everything
else is the stock widget.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._data_table import RowKey


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
