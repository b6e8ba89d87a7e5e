"""A practice's story: who it is, where it stands, how it got here, and what is being
done about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Sparkline, Static

from resilience.domain import ActionInfo, AssessmentVersion, PracticeRow, SoftIntel
from resilience.fields import show_value
from resilience.safe_text import clean, plain
from scoring import AREAS
from screens.bands import band_text
from screens.footer import SteadyFooter
from screens.handle import AppHandle
from screens.history_grid import HistoryGrid
from screens.practice_tables import (
    ACTION_HEADINGS,
    INTEL_HEADINGS,
    MORE_KEY,
    VERSION_HEADINGS,
    Row,
    action_rows,
    intel_rows,
    intel_title,
    row_cells,
    row_key,
    version_rows,
)
from screens.virtual_table import VirtualTable, fit_columns

RECENT_MONTHS = 12  # versions shown when the screen opens; o shows the older ones


@dataclass(frozen=True, slots=True)
class PracticeStory:
    practice: PracticeRow
    versions: list[AssessmentVersion]
    soft_intel: list[SoftIntel]
    actions: list[ActionInfo]
    sources: dict[str, dict[str, Any]]


def diff_versions(old: AssessmentVersion, new: AssessmentVersion) -> list[str]:
    """'field: old -> new' for every finding that differs, then the score."""
    lines = [
        f"{name}: {show_value(name, old.findings.get(name)) or 'unknown'} -> "
        f"{show_value(name, new.findings.get(name)) or 'unknown'}"
        for name in new.findings
        if old.findings.get(name) != new.findings.get(name)
    ]
    lines.append(
        f"score: {old.result.score:.1f} {old.result.band} -> "
        f"{new.result.score:.1f} {new.result.band}"
    )
    return lines


class PracticeScreen(AppHandle, Screen[None]):
    """Practice"""

    CSS_PATH = "practice.tcss"
    HELP_TITLE = "the practice screen"
    BINDINGS = [
        Binding("escape", "back", "Back", id="practice-back"),
        Binding("space", "mark_version", "Mark for diff", id="mark-version"),
        Binding("d", "diff", "Diff marked", id="diff"),
        Binding("o", "older_versions", "Older versions", show=False, id="older-versions"),
        Binding("a", "add_action", "Add action", id="add-action"),
        Binding("x", "complete_action", "Complete action", id="complete-action"),
        Binding("f1", "help", "Help", id="practice-help"),
    ]

    def __init__(self, ods_code: str | None = None) -> None:
        """``ods_code`` None: composed ahead, with no practice yet (``compose_hidden``)."""
        super().__init__()
        self.ods_code = ods_code
        self.story: PracticeStory | None = None
        self.marked: list[int] = []  # indexes into story.versions
        self.all_versions = False  # False: only the versions of the last 12 months
        self._version_rows: list[int] = []  # story.versions index of each table row
        self._push_when_shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="identity")
        with VerticalScroll(id="story"):
            with Horizontal(id="top"):
                with Vertical(id="now"):
                    yield Static("", id="result")
                    yield Sparkline([], id="trend")
                    yield Static("", id="trend-label")
                yield HistoryGrid(id="grid")
            yield Static("Versions (space marks two, d shows what changed)", classes="title")
            yield VirtualTable(id="versions", zebra_stripes=False)
            yield Static("", id="diff")
            yield Static("Soft intelligence", classes="title", id="intel-title")
            yield VirtualTable(id="intel", zebra_stripes=False)
            yield Static("Actions (a adds, x completes; overdue in red)", classes="title")
            yield VirtualTable(id="actions", zebra_stripes=False)
            yield Input(
                placeholder="New action: text ; owner ; due YYYY-MM-DD, then Enter", id="new-action"
            )
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#new-action", Input).display = False
        self.query_one("#diff", Static).display = False
        if self.ods_code is not None:
            self.load()

    def compose_hidden(self) -> None:
        """Compose this screen (mount, style and lay out its widgets) without showing it,
        so that its first open only fills it in: composing costs more CPU than a whole
        later open (measured: about 100 ms at 120×40). Textual has no public way to mount
        a screen that is not on top, so it is pushed and popped in one step: no frame is
        drawn in between, the screen below is not restyled, and this one stays installed
        (the caller installs it first) with its widgets mounted."""
        self.app.push_screen(self)
        self.app.pop_screen()

    def show_practice(self, ods_code: str) -> None:
        """Point a kept screen at another practice (the list keeps one practice screen:
        building its widgets again costs more than reading the practice)."""
        self.ods_code = ods_code
        self.story = None
        self.marked = []
        self.all_versions = False
        if self.is_mounted:
            self.query_one("#identity", Static).update("Loading...")
            self.query_one("#new-action", Input).display = False
            self.query_one("#diff", Static).display = False
            self.load()

    def open_practice(self, ods_code: str) -> None:
        """Show a practice, coming to the front once it is read: a kept screen is not
        drawn first with the previous practice and then again (each full frame of this
        screen costs more CPU than reading the practice)."""
        self._push_when_shown = self.is_mounted and not self.is_current
        self.show_practice(ods_code)
        if not self._push_when_shown and not self.is_current:
            self.app.push_screen(self)  # the first time: composed, then loaded

    @work(thread=True, group="practice-warm-up", exit_on_error=False)
    def warm_up(self, ods_code: str) -> None:
        """Read one practice in the background and drop what was read, so the first open
        does not pay for each query's first run (measured: about 20 ms of CPU more than
        later runs, mostly SQLAlchemy compiling the statements). Soft intelligence is not
        read here: showing confidential entries writes an audit line, and nobody saw it."""
        store = self.resilience_app.store
        store.practice(ods_code)
        store.assessment_versions(ods_code)
        store.practice_actions(ods_code)
        store.figure_sources(ods_code)
        # the composed screen and what the reads loaded stay: out of the collector's sight
        self.app.call_from_thread(self.resilience_app.keep_loaded, collect_first=True)

    @work(thread=True, exclusive=True, group="practice", exit_on_error=False)
    def load(self) -> None:
        if self.ods_code is None:
            return
        store = self.resilience_app.store
        practice = store.practice(self.ods_code)
        story = PracticeStory(
            practice=practice,
            versions=store.assessment_versions(self.ods_code),
            soft_intel=store.soft_intel(self.ods_code),
            actions=store.practice_actions(self.ods_code),
            sources=store.figure_sources(self.ods_code),
        )
        self.app.call_from_thread(self.show, story)

    def show(self, story: PracticeStory) -> None:
        self.story = story
        p = story.practice
        size = f"{p.list_size:,}" if p.list_size is not None else "unknown"
        source = story.sources.get("list_size")
        if source:
            size += f" ({source['file_name']}, {source['as_of'] or 'undated'})"
        else:
            size += " (from the reviews)"
        self.query_one("#identity", Static).update(
            plain(
                f"{p.ods_code} {p.name} · {p.commissioner_name} · {p.locality or 'no locality'} · "
                f"{p.federation or 'no federation'} · {p.contract_type or 'contract unknown'} · "
                f"{p.status} · list {size}"
            )
        )
        self.sub_title = p.ods_code
        latest = self._latest_by_month()
        if latest:
            result = latest[-1].result
            text = Text()
            text.append_text(band_text(result.band))
            text.append(f"  {result.score:.1f}  ({latest[-1].period})\n", style="bold")
            text.append(clean(result.summary) + "\n\n")
            for c in result.contributions[:8]:
                text.append(clean(f"{c.points:5.1f} {c.sentence}") + "\n")
            self.query_one("#result", Static).update(text)
            self.query_one("#trend", Sparkline).data = [v.result.score for v in latest[-24:]]
            self.query_one("#trend-label", Static).update(
                f"overall score, {latest[-24:][0].period} to {latest[-1].period}"
            )
        self._fill_grid(latest[-12:])
        self._fill_versions()
        self._fill_intel()
        self._fill_actions()
        if self._push_when_shown:
            self._push_when_shown = False
            self.app.push_screen(self)

    def _latest_by_month(self) -> list[AssessmentVersion]:
        assert self.story is not None
        by_month: dict[str, AssessmentVersion] = {}
        for v in self.story.versions:
            by_month[v.period] = v  # versions come oldest first: the last one wins
        return [by_month[k] for k in sorted(by_month)]

    def _fill_grid(self, months: list[AssessmentVersion]) -> None:
        self.query_one("#grid", HistoryGrid).set_rows(
            [
                v.period,
                band_text(v.result.band),
                *(band_text(v.result.area_bands.get(area), short=True) for area in AREAS),
                f"{v.result.score:.1f}",
            ]
            for v in reversed(months)
        )

    def _fill_versions(self) -> None:
        assert self.story is not None
        versions = self.story.versions
        months = sorted({v.period for v in versions})
        shown = set(months if self.all_versions else months[-RECENT_MONTHS:])
        self._version_rows = [
            i for i in range(len(versions) - 1, -1, -1) if versions[i].period in shown
        ]
        self._fill_table(
            "#versions", VERSION_HEADINGS, version_rows(versions, self._version_rows, self.marked)
        )

    def _fill_intel(self) -> None:
        assert self.story is not None
        self._fill_table("#intel", INTEL_HEADINGS, intel_rows(self.story.soft_intel))
        self.query_one("#intel-title", Static).update(intel_title(self.story.soft_intel))

    def _fill_actions(self) -> None:
        assert self.story is not None
        self._fill_table("#actions", ACTION_HEADINGS, action_rows(self.story.actions, date.today()))

    def _fill_table(self, selector: str, headings: tuple[str, ...], rows: list[Row]) -> None:
        """Columns as wide as what they show (a practice has at most a few hundred
        versions, entries or actions), then the rows."""
        table = self.query_one(selector, VirtualTable)
        table.set_columns(fit_columns(headings, (cells for _, cells in rows)))
        table.set_rows(rows, key=row_key, cells=row_cells)

    # ------------------------------------------------------------------ versions

    def action_mark_version(self) -> None:
        table = self.query_one("#versions", VirtualTable)
        if self.focused is not table or self.story is None or not self.story.versions:
            return
        if not 0 <= table.cursor_row < len(self._version_rows):
            return  # the "older versions" row
        real = self._version_rows[table.cursor_row]
        if real in self.marked:
            self.marked.remove(real)
        else:
            self.marked = [*self.marked, real][-2:]
        row = table.cursor_row
        self._fill_versions()
        table.move_cursor(row=row)

    def action_older_versions(self) -> None:
        if self.story is None or self.all_versions:
            return
        self.all_versions = True
        table = self.query_one("#versions", VirtualTable)
        row = table.cursor_row
        self._fill_versions()
        table.move_cursor(row=row)

    @on(VirtualTable.RowSelected, "#versions")
    def _version_selected(self, event: VirtualTable.RowSelected) -> None:
        if event.row_key == MORE_KEY:
            self.action_older_versions()

    def action_diff(self) -> None:
        if self.story is None or len(self.marked) != 2:
            self.notify("Mark two versions with space first.")
            return
        old, new = (self.story.versions[i] for i in sorted(self.marked))
        lines = diff_versions(old, new)
        panel = self.query_one("#diff", Static)
        panel.update(
            plain(
                f"{old.period} v{old.version} -> {new.period} v{new.version}:\n  "
                + "\n  ".join(clean(line, one_line=True) for line in lines)
            )
        )
        panel.display = True

    # ------------------------------------------------------------------ actions

    def action_add_action(self) -> None:
        field = self.query_one("#new-action", Input)
        field.display = True
        field.focus()

    @on(Input.Submitted, "#new-action")
    def _action_submitted(self, event: Input.Submitted) -> None:
        parts = [p.strip() for p in event.value.split(";")]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            self.notify("Write: what ; who ; due date (YYYY-MM-DD)", severity="error")
            return
        try:
            due = date.fromisoformat(parts[2]) if parts[2] else None
        except ValueError:
            self.notify(f"{parts[2]!r} is not a date written YYYY-MM-DD", severity="error")
            return
        if self.story is None:
            return  # no practice on show yet
        event.input.value = ""
        event.input.display = False
        self.add_action(self.story.practice.ods_code, parts[0], parts[1], due)

    @work(thread=True, exclusive=True, group="practice-save", exit_on_error=False)
    def add_action(self, ods_code: str, text: str, owner: str, due: date | None) -> None:
        self.resilience_app.store.add_action(ods_code, text, owner, due)
        self.app.call_from_thread(self.load)

    def action_complete_action(self) -> None:
        table = self.query_one("#actions", VirtualTable)
        if self.focused is not table or self.story is None or not self.story.actions:
            return
        self.complete(self.story.actions[table.cursor_row].id)

    @work(thread=True, exclusive=True, group="practice-save", exit_on_error=False)
    def complete(self, action_id: int) -> None:
        self.resilience_app.store.complete_action(action_id)
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        field = self.query_one("#new-action", Input)
        if field.display:
            field.display = False
            return
        self.app.pop_screen()
        # the list is drawn first; then, in the pause, the collection the next open would pay
        self.app.call_after_refresh(self.resilience_app.collect_if_due)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
