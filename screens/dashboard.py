"""The month at a glance: the meeting pack's sections as tables, and a heatmap of every
practice across the five areas. Enter on a practice opens its history."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Static

from resilience.bands import BANDS
from resilience.domain import AgendaRow
from resilience.report import MeetingPack
from resilience.safe_text import clean, plain
from scoring import AREAS
from screens.bands import AREA_LETTERS, band_text
from screens.handle import AppHandle

CODE_FIRST = {
    "Newly High or Extreme",
    "Other deteriorations",
    "Open contract notices and list closures",
    "Not reviewed yet: highest risk on public data",
    "To confirm at the meeting",
    "Overdue actions",
}


def _cell(text: str) -> Text:
    """'High 52.8' keeps its number; the band word gets the band's colour. Names and
    the rest are plain text (never markup)."""
    word, _, rest = text.partition(" ")
    if word not in BANDS:
        return plain(text, one_line=True)
    cell = band_text(word)
    if rest:
        cell.append(clean(f" {rest}", one_line=True))
    return cell


class DashboardScreen(AppHandle, Screen[None]):
    """Dashboard"""

    HELP_TITLE = "the dashboard"
    CSS_PATH = "dashboard.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="dashboard-back"),
        Binding("f1", "help", "Help", id="dashboard-help"),
    ]

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="pack-subtitle")
        yield VerticalScroll(id="sections")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.period} dashboard"
        self.load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self) -> None:
        from resilience.report import build_pack

        store = self.resilience_app.store
        pack = build_pack(store, self.period, stamped=False)
        self.app.call_from_thread(self.show, pack, pack.rows)

    def show(self, pack: MeetingPack, rows: list[AgendaRow]) -> None:
        self.query_one("#pack-subtitle", Static).update(plain(pack.subtitle))
        container = self.query_one("#sections", VerticalScroll)
        widgets: list[Widget] = []
        for index, section in enumerate(pack.sections):
            widgets.append(Static(section.title, classes="title"))
            if not section.rows:
                widgets.append(Static(plain(f"  {section.empty}")))
            else:
                table: DataTable[object] = DataTable(id=f"section-{index}", cursor_type="row")
                table.add_columns(*section.header)
                for row_index, row in enumerate(section.rows):
                    key = row[0].split(" ")[0] if section.title in CODE_FIRST else str(row_index)
                    table.add_row(*(_cell(c) for c in row), key=f"{key}#{row_index}")
                widgets.append(table)
            if section.note:  # what the rows leave out, as the pack says it
                widgets.append(Static(plain(f"  {section.note}"), classes="note"))
        widgets.append(Static("Heatmap: every practice, highest score first", classes="title"))
        heat: DataTable[object] = DataTable(id="heatmap", cursor_type="row")
        heat.add_columns(
            "Code", "Practice", "Overall", *(letter for _, letter in AREA_LETTERS), "Score"
        )
        for r in sorted(rows, key=lambda r: (-(r.score or -1), r.ods_code)):
            heat.add_row(
                plain(r.ods_code, one_line=True),
                plain(
                    r.name[:28] if not r.public_data_only else f"{r.name[:15]} (not reviewed)",
                    one_line=True,
                ),
                band_text(r.band),
                *(band_text(r.area_bands.get(a), short=True) for a in AREAS),
                Text("-" if r.score is None else f"{r.score:.1f}", justify="right"),
                key=f"{r.ods_code}#heat",
            )
        widgets.append(heat)
        container.mount_all(widgets)
        first_table = next((w for w in widgets if isinstance(w, DataTable)), heat)
        first_table.focus()

    @on(DataTable.RowSelected)
    def _open_practice(self, event: DataTable.RowSelected) -> None:
        code = str(event.row_key.value).split("#")[0]
        if not code or code[0].isdigit():
            return
        from screens.practice import PracticeScreen

        self.app.push_screen(PracticeScreen(code))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
