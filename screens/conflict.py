"""Two people saved the same practice-month: show theirs and yours field by field and let
the person choose: keep theirs, keep yours, or merge (field by field)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from resilience.fields import SPECS, show_value
from resilience.safe_text import plain
from resilience.services.review import FieldClash

# what the person chose, and the findings to continue with (None: keep theirs)
Resolution = tuple[str, dict[str, Any] | None]


def _shown(name: str, value: Any) -> str:
    return show_value(name, value) or "unknown"


class ConflictScreen(ModalScreen[Resolution | None]):
    """t keeps theirs, y keeps yours, m merges with the Use column; Space flips a row's
    Use between theirs and yours; Escape goes back to the form, nothing saved."""

    BINDINGS = [
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("y", "choose('yours')", "Keep yours"),
        Binding("m", "choose('merge')", "Merge"),
        Binding("space", "flip", "Flip use"),
        Binding("escape", "cancel", "Back to the form"),
    ]
    DEFAULT_CSS = """
    ConflictScreen .dialog { width: 110; }
    ConflictScreen #clashes { height: auto; max-height: 16; }
    """

    def __init__(
        self,
        title: str,
        clashes: list[FieldClash],
        theirs: dict[str, Any],
        mine: dict[str, Any],
    ) -> None:
        super().__init__()
        self.title_text = title
        self.clashes = clashes
        self.theirs = theirs
        self.mine = mine
        # field -> "theirs" | "yours": what the merge takes
        self.use = {
            c.name: "theirs" if c.merged == c.theirs and not c.both_changed else "yours"
            for c in clashes
        }

    def compose(self) -> ComposeResult:
        both = sum(1 for c in self.clashes if c.both_changed)
        with Vertical(classes="dialog"):
            yield Static(
                plain(
                    f"{self.title_text}\n{len(self.clashes)} field(s) differ; {both} changed "
                    "by both of you (marked !). Nothing has been saved yet."
                ),
                classes="question",
            )
            table: DataTable[str] = DataTable(id="clashes", cursor_type="row")
            table.add_columns("", "Field", "You started from", "Theirs", "Yours", "Use")
            yield table
            yield Static("", id="merge-note", classes="tips")
            with Horizontal(classes="buttons"):
                yield Button("Keep theirs (t)", id="theirs")
                yield Button("Keep yours (y)", id="yours")
                yield Button("Merge (m)", id="merge", variant="primary")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#clashes", DataTable).focus()

    def _fill(self) -> None:
        table = self.query_one("#clashes", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear()
        for c in self.clashes:
            table.add_row(
                "!" if c.both_changed else "",
                SPECS[c.name].label if c.name in SPECS else c.name,
                plain(_shown(c.name, c.base), one_line=True),
                plain(_shown(c.name, c.theirs), one_line=True),
                plain(_shown(c.name, c.mine), one_line=True),
                self.use[c.name],
                key=c.name,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#merge-note", Static).update(
            "Merge takes the Use column (Space flips it); the form then shows the result "
            "for you to check and save."
        )

    def action_flip(self) -> None:
        table = self.query_one("#clashes", DataTable)
        if not self.clashes:
            return
        name = self.clashes[table.cursor_row].name
        self.use[name] = "yours" if self.use[name] == "theirs" else "theirs"
        self._fill()

    def merged(self) -> dict[str, Any]:
        values = dict(self.theirs)
        values.update({n: v for n, v in self.mine.items() if n not in self.theirs})
        for c in self.clashes:
            values[c.name] = c.mine if self.use[c.name] == "yours" else c.theirs
        return values

    def action_choose(self, choice: str) -> None:
        if choice == "theirs":
            self.dismiss(("theirs", None))
        elif choice == "yours":
            self.dismiss(("yours", dict(self.mine)))
        else:
            self.dismiss(("merge", self.merged()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(str(event.button.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
