"""A SelectionList whose boxes say ticked or not in characters, not only in colour.

Textual draws an X in every box and shows the state by colour, which disappears with
NO_COLOR or on a monochrome terminal over SSH. Here an unticked box is blank."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton


class TickList(SelectionList[str]):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        if (
            len(segments) < 3
            or segments[1].text != ToggleButton.BUTTON_INNER
            or index >= self.option_count
        ):
            return strip
        ticked = self.get_option_at_index(index).value in self._selected
        segments[1] = Segment(ToggleButton.BUTTON_INNER if ticked else " ", segments[1].style)
        return Strip(segments, strip.cell_length)
