"""The practice list: the month's agenda. Search, filter, sort, and Enter to review."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from resilience.agenda import ListFilter, agenda_group, agenda_order, apply_filter, movement
from resilience.safe_text import plain
from screens.bands import area_bands_text, band_text, movement_text, score_text
from screens.footer import SteadyFooter
from screens.handle import AppHandle
from screens.virtual_table import Column, VirtualTable

if TYPE_CHECKING:  # the worker imports them (with the store), after the first frame
    from resilience.app import ResilienceApp
    from resilience.domain import AgendaRow, PeriodInfo

SORTS: tuple[str, ...] = ("agenda", "score", "code", "name", "band", "commissioner")
WIDE = 110  # terminal width from which the list shows locality and longer names
WIDEST = 140  # ... and why each practice is on the agenda


PRACTICE_SCREEN = "practice"


@dataclass(frozen=True, slots=True)
class ListData:
    period: PeriodInfo | None
    rows: list[AgendaRow]
    is_demo: bool
    description: str | None


def _unscored(app: ResilienceApp) -> list[AgendaRow]:
    """Before any review month exists the list still shows the register."""
    from resilience.domain import AgendaRow, short_label

    return [
        AgendaRow(
            ods_code=p.ods_code,
            name=p.name,
            commissioner=short_label(p.commissioner_short_name, p.commissioner_code),
            commissioner_code=p.commissioner_code,
            locality=p.locality,
            list_size=p.list_size,
            score=None,
            band=None,
            area_bands={},
            previous_score=None,
            previous_band=None,
            reviewed=False,
            version=0,
            contract_notices_open=0,
            new_soft_intel=0,
            summary="not assessed yet",
            active=p.status == "active",
        )
        for p in app.store.list_practices(include_closed=True)
    ]


def _code(row: AgendaRow) -> str:
    return row.ods_code


def list_columns(wide: bool, why: bool) -> list[Column]:
    """The list's columns: locality and longer names from WIDE, the reason from WIDEST."""
    columns = [
        Column("code", "Code", 6),
        Column("name", "Practice", 30 if wide else 22),
        Column("commissioner", "CCG", 4),
    ]
    if wide:
        columns.append(Column("locality", "Locality", 20))
    columns += [
        Column("score", "Score", 5),
        Column("band", "Band", 8),
        Column("trend", "Trend" if wide else "Δ", 9 if wide else 1),
        Column("areas", "Q C W S U", 9),
        Column("reviewed", "✓", 1),
    ]
    if why:
        columns.append(Column("why", "Why on the agenda", 22))
    return columns


def sort_rows(rows: list[AgendaRow], mode: str) -> list[AgendaRow]:
    from resilience.agenda import band_rank

    if mode == "agenda":
        return agenda_order(rows)
    keys = {
        "score": lambda r: (-(r.score or -1), r.ods_code),
        "code": lambda r: r.ods_code,
        "name": lambda r: (r.name.casefold(), r.ods_code),
        "band": lambda r: (-band_rank(r.band), -(r.score or -1), r.ods_code),
        "commissioner": lambda r: (r.commissioner, r.locality, r.ods_code),
    }
    return sorted(rows, key=keys[mode])


class PracticeListScreen(AppHandle, Screen[None]):
    """Practice list"""

    CSS_PATH = "practice_list.tcss"
    HELP_TITLE = "the practice list (the month's agenda)"
    BINDINGS = [
        Binding("enter", "review", "Review", show=False, id="review"),
        Binding("slash", "search", "Search", key_display="/", id="search"),
        Binding("f", "filter", "Filter", id="filter"),
        Binding("x", "clear_filter", "Clear filter", show=False, id="clear-filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("n", "next_month", "Next month", show=False, id="next-month"),
        Binding("m", "choose_month", "Month", show=False, id="choose-month"),
        Binding("c", "close_month", "Close month", show=False, id="close-month"),
        Binding("p", "practice", "Practice", id="practice"),
        Binding("d", "dashboard", "Dashboard", show=False, id="dashboard"),
        Binding("g", "cohort", "GPRP cohort", show=False, id="cohort"),
        Binding("r", "reload", "Reload", show=False, id="reload"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: ListData | None = None
        self.filter = ListFilter()
        self.sort_mode = "agenda"
        self.shown: list[AgendaRow] = []
        self._layout: tuple[bool, bool] | None = None
        self._reload_on_resume = False
        self._cell_cache: dict[tuple[str, bool, bool], list[object]] = {}
        self._preloaded = False
        self._shown_data: ListData | None = None  # the load the table was last built from

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="demo-banner")
        yield Input(placeholder="/ search name or code", id="search")
        yield Static("Loading practices...", id="status")
        yield VirtualTable(id="practices", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#demo-banner").display = False
        # the frame first; the worker then imports the database stack and reads the rows
        self.call_after_refresh(self.load)

    def on_screen_resume(self) -> None:
        # back from a review: show what was saved (dialogs closing need no reload)
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.load()

    def on_resize(self) -> None:
        layout = (self.size.width >= WIDE, self.size.width >= WIDEST)
        if self.data is not None and self._layout != layout:
            self.refresh_table()

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="practice-list", exit_on_error=False)
    def load(self) -> None:
        app = self.resilience_app
        with app.collector_paused():  # see ResilienceApp.collector_paused
            store = app.store
            periods = store.periods()  # oldest first
            period_name = app.period or (periods[-1].period if periods else None)
            period = next((p for p in periods if p.period == period_name), None)
            data = ListData(
                period=period,
                rows=store.agenda_rows(period.period, include_closed=True)
                if period
                else _unscored(app),
                is_demo=store.is_demo(),
                description=store.get_setting("demo_description"),
            )
        # cells are built by the table for the rows it shows, when it shows them
        app.call_from_thread(self.show, data)

    def show(self, data: ListData) -> None:
        self.data = data
        self._cell_cache = {}  # cells of the previous load are stale
        if data.period is not None:
            self.resilience_app.period = data.period.period
        banner = self.query_one("#demo-banner", Static)
        banner.display = data.is_demo
        if data.is_demo:
            banner.update(
                plain("DEMO DATA: " + (data.description or "invented practices, not real findings"))
            )
        self.refresh_table()
        self.query_one("#practices", VirtualTable).focus()
        self.resilience_app.keep_loaded()  # see ResilienceApp.keep_loaded
        if not self._preloaded:
            self._preloaded = True
            self._preload_screens()

    @work(thread=True, group="preload", exit_on_error=False)
    def _preload_screens(self) -> None:
        """Import the other screens in the background once the list is up, so the first
        Enter or p opens at once instead of paying their import then."""
        import screens.cohort
        import screens.dashboard
        import screens.practice
        import screens.review  # noqa: F401

        self.app.call_from_thread(self._prepare_practice_screen)

    def _prepare_practice_screen(self) -> None:
        """Compose the practice screen while the list is read, so the first p only fills
        it in (see ``PracticeScreen.compose_hidden``); not while a dialog or another
        screen is up."""
        from screens.practice import PracticeScreen

        if self.is_current and not self.app.is_screen_installed(PRACTICE_SCREEN):
            screen = PracticeScreen()
            self.app.install_screen(screen, PRACTICE_SCREEN)
            screen.compose_hidden()
            code = self.current_code()
            if code is not None:
                screen.warm_up(code)

    # ------------------------------------------------------------------ the table

    def refresh_table(self, keep: str | None = None) -> None:
        if self.data is None:
            return
        table = self.query_one("#practices", VirtualTable)
        if keep is None:
            keep = self.current_code()
        layout = (self.size.width >= WIDE, self.size.width >= WIDEST)
        shown = sort_rows(apply_filter(self.data.rows, self.filter), self.sort_mode)
        if (
            layout == self._layout
            and table.row_count == len(shown)
            and self._shown_data is self.data
            and [r.ods_code for r in shown] == [r.ods_code for r in self.shown]
        ):
            self.shown = shown  # same rows in the same order: nothing to redraw
            self.update_status()
            return
        self._shown_data = self.data
        self._layout = layout
        table.set_columns(list_columns(*layout))
        self.shown = shown
        table.set_rows(
            shown,
            key=_code,
            cells=lambda row: self._cells(row, layout),
            cursor_key=keep,
        )
        self.update_status()

    def _cells(self, row: AgendaRow, layout: tuple[bool, bool]) -> list[object]:
        """A row's cells for this layout (a seam: AgendaRow -> cells). The table asks
        only for the rows it draws; they are kept for the load, so a search that brings
        a row back does not build its cells again."""
        cache = self._cell_cache
        key = (row.ods_code, *layout)
        cached = cache.get(key)
        if cached is not None:
            return cached
        wide, why = layout
        # names come from files and colleagues: plain text, never markup or controls
        cells: list[object] = [
            plain(row.ods_code, one_line=True),
            plain(row.name, one_line=True),
            plain(row.commissioner, one_line=True),
        ]
        if wide:
            cells.append(plain(row.locality, one_line=True))
        cells += [
            score_text(row.score),
            band_text(row.band),
            movement_text(movement(row), short=not wide),
            area_bands_text(row.area_bands),
            Text("✓", style="green")
            if row.reviewed
            else Text("?", style="yellow")  # not reviewed: scored on public data only
            if row.public_data_only
            else Text("·", style="dim"),
        ]
        if why:
            group = agenda_group(row)
            if row.to_confirm:
                confirm = f"{len(row.to_confirm)} to confirm"
                group = f"{group}; {confirm}" if group else confirm
            cells.append(group)
        cache[key] = cells
        return cells

    def update_status(self) -> None:
        status = self.query_one("#status", Static)
        data = self.data
        if data is None:
            return
        if not data.rows:
            status.update("No practices in this database yet. Run `resilience demo` for demo data.")
            return
        if data.period is None:
            status.update("No review months yet. Press n to open one.")
            return
        active = [r for r in data.rows if r.active]  # closed and dormant are not reviewed
        reviewed = sum(1 for r in active if r.reviewed)
        state = "closed, read-only" if data.period.is_closed else "open"
        parts = [
            f"{data.period.period} ({state})",
            f"{reviewed} / {len(active)} reviewed",
            f"sorted by {self.sort_mode}",
        ]
        if len(active) < len(data.rows) and self.filter.status == "active":
            parts.append(f"{len(data.rows) - len(active)} closed or dormant hidden (f shows)")
        if self.filter.active:
            parts.append(f"showing {len(self.shown)}: {self.filter.describe()} (x clears)")
        status.update(plain(" · ".join(parts), one_line=True))  # the search text, as typed
        self.sub_title = f"{data.period.period} {state}"

    # ------------------------------------------------------------------ actions

    def current_code(self) -> str | None:
        table = self.query_one("#practices", VirtualTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row].ods_code

    @on(VirtualTable.RowSelected, "#practices")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_review()

    def action_review(self) -> None:
        code = self.current_code()
        if code is None or self.data is None or self.data.period is None:
            return
        from screens.review import ReviewScreen

        order = [r.ods_code for r in self.shown]
        self._reload_on_resume = True
        self.app.push_screen(ReviewScreen(code, self.data.period.period, order))

    def action_practice(self) -> None:
        code = self.current_code()
        if code is None:
            return
        from screens.practice import PracticeScreen

        # one practice screen, kept and re-pointed; it changes nothing the list shows,
        # so there is no reload on return
        if not self.app.is_screen_installed(PRACTICE_SCREEN):
            self.app.install_screen(PracticeScreen(code), PRACTICE_SCREEN)
        screen = self.app.get_screen(PRACTICE_SCREEN)
        assert isinstance(screen, PracticeScreen)
        screen.open_practice(code)

    def action_dashboard(self) -> None:
        if self.data is None or self.data.period is None:
            return
        from screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen(self.data.period.period))

    def action_cohort(self) -> None:
        self.open_cohort()

    @work(thread=True, exclusive=True, group="month", exit_on_error=False)
    def open_cohort(self) -> None:
        store = self.resilience_app.store
        names = store.cohort_names()
        from screens.cohort import CohortScreen

        if names:
            # the newest cohort; c on the panel or the command palette opens another
            self.app.call_from_thread(self.app.push_screen, CohortScreen(names[-1]))
            return
        from screens.cohort_dialogs import NewCohortScreen

        def created(name: str | None) -> None:
            if name:
                self.app.push_screen(CohortScreen(name))

        period = self.data.period.period if self.data and self.data.period else None
        dialog = NewCohortScreen(period, store.commissioners())
        self.app.call_from_thread(self.notify, "No GPRP cohort yet: create the first.")
        self.app.call_from_thread(self.app.push_screen, dialog, created)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filter = replace(self.filter, text=event.value.strip())
        self.refresh_table()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        table = self.query_one("#practices", VirtualTable)
        table.focus()
        if self.shown:
            table.move_cursor(row=0)

    def key_escape(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one("#practices", VirtualTable).focus()

    def action_clear_filter(self) -> None:
        self.filter = ListFilter()
        self.query_one("#search", Input).value = ""
        self.refresh_table()

    def action_filter(self) -> None:
        from screens.dialogs import FilterScreen

        if self.data is None:
            return
        commissioners = sorted({r.commissioner for r in self.data.rows})
        localities = sorted({r.locality for r in self.data.rows if r.locality})

        def apply(chosen: ListFilter | None) -> None:
            if chosen is not None:
                self.filter = chosen
                self.refresh_table()

        self.app.push_screen(FilterScreen(self.filter, commissioners, localities), apply)

    def apply_filter(self, chosen: ListFilter) -> None:
        """Used by the command palette."""
        self.filter = chosen
        self.query_one("#search", Input).value = chosen.text
        self.refresh_table()

    def action_sort(self) -> None:
        self.sort_mode = SORTS[(SORTS.index(self.sort_mode) + 1) % len(SORTS)]
        self.refresh_table()

    @on(VirtualTable.HeaderSelected, "#practices")
    def _header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        key = event.column_key
        mapping = {
            "code": "code",
            "name": "name",
            "score": "score",
            "band": "band",
            "commissioner": "commissioner",
            "locality": "commissioner",
        }
        self.sort_mode = mapping.get(key, "agenda")
        self.refresh_table()

    def action_reload(self) -> None:
        self.load()

    def action_next_month(self) -> None:
        from screens.dialogs import ConfirmScreen

        latest = self.data.period.period if self.data and self.data.period else None
        question = (
            "Open the next review month? Every practice's latest findings carry "
            "forward as its starting point; nothing is saved until it is reviewed."
            if latest
            else "Open a review month for this month?"
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.open_next_month()

        self.app.push_screen(ConfirmScreen(question, yes="Open it"), answer)

    @work(thread=True, exclusive=True, group="month", exit_on_error=False)
    def open_next_month(self) -> None:
        store = self.resilience_app.store
        opened = store.open_next_period()
        self.app.call_from_thread(self._switch_to, opened.period)

    def _switch_to(self, period: str) -> None:
        self.resilience_app.period = period
        self.notify(f"Review month {period}")
        self.load()

    def action_close_month(self) -> None:
        if self.data is None or self.data.period is None:
            return
        if self.data.period.is_closed:
            self.notify(f"{self.data.period.period} is already closed.")
            return
        period = self.data.period.period
        unreviewed = [r.ods_code for r in self.data.rows if not r.reviewed and r.active]
        from screens.dialogs import ConfirmScreen

        if unreviewed:
            listed = ", ".join(unreviewed[:8]) + (" ..." if len(unreviewed) > 8 else "")
            warning = f"{len(unreviewed)} practice(s) are not reviewed: {listed}. "
        else:
            warning = "Every practice is reviewed. "
        question = (
            f"Close {period}? {warning}A closed month is read-only: its findings, scores, "
            "method version and decisions are frozen, and a later change is saved as a "
            "correction with a reason."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.close_month(period)

        self.app.push_screen(ConfirmScreen(question, yes="Close it", no="Not yet"), answer)

    @work(thread=True, exclusive=True, group="month", exit_on_error=False)
    def close_month(self, period: str) -> None:
        self.resilience_app.store.close_period(period)
        self.app.call_from_thread(self.notify, f"{period} closed.")
        self.app.call_from_thread(self.load)

    def action_choose_month(self) -> None:
        self.choose_month()

    @work(thread=True, exclusive=True, group="month", exit_on_error=False)
    def choose_month(self) -> None:
        from screens.dialogs import PeriodScreen

        periods = self.resilience_app.store.periods()

        def chosen(period: str | None) -> None:
            if period:
                self._switch_to(period)

        self.app.call_from_thread(
            self.app.push_screen,
            PeriodScreen(periods, self.resilience_app.period),
            chosen,
        )

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
