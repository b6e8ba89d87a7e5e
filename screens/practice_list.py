"""The practice list: every practice in the database, loaded off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from resilience.domain import PracticeRow

# (key, label, width): widths keep every column visible at 80 columns.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("code", "Code", 6),
    ("name", "Practice", 29),
    ("commissioner", "CCG/ICB", 7),
    ("locality", "Locality", 17),
    ("list_size", "List size", 9),
)


@dataclass(frozen=True, slots=True)
class ListData:
    rows: list[PracticeRow]
    is_demo: bool
    description: str | None


class PracticeListScreen(Screen[None]):
    CSS_PATH = "practice_list.tcss"
    BINDINGS = [
        Binding("r", "reload", "Reload", id="reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="demo-banner")
        yield Static("Loading practices...", id="status")
        table: DataTable[str | Text] = DataTable(
            id="practices", cursor_type="row", zebra_stripes=True
        )
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#demo-banner").display = False
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="practice-list", exit_on_error=False)
    def load(self) -> ListData:
        store = self.app.store  # type: ignore[attr-defined]
        data = ListData(
            rows=store.list_practices(),
            is_demo=store.is_demo(),
            description=store.get_setting("demo_description"),
        )
        self.app.call_from_thread(self.show, data)
        return data

    def show(self, data: ListData) -> None:
        banner = self.query_one("#demo-banner", Static)
        banner.display = data.is_demo
        if data.is_demo:
            banner.update(
                "DEMO DATA: " + (data.description or "invented practices, not real findings")
            )
        table = self.query_one("#practices", DataTable)
        table.clear()
        for row in data.rows:
            table.add_row(
                row.ods_code,
                row.name,
                row.commissioner_short_name or row.commissioner_code,
                row.locality,
                Text(
                    f"{row.list_size:,}" if row.list_size is not None else "unknown",
                    justify="right",
                ),
                key=row.ods_code,
            )
        status = self.query_one("#status", Static)
        if data.rows:
            status.update(f"{len(data.rows)} practices")
        else:
            status.update("No practices in this database yet. Run `resilience demo` for demo data.")
        table.focus()
