"""The review of one practice for one month: the five areas as a form, a live score
panel beside it, save (new version), save-and-next/previous in agenda order."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from resilience.domain import SOFT_INTEL_SOURCES, ReviewContext
from resilience.fields import FieldError, FieldSpec, fields_by_area, parse_value, show_value
from resilience.safe_text import clean, plain
from resilience.services.review import (
    DraftError,
    changed_fields,
    load_review,
    preview,
    unsaved_fields,
)
from scoring import AREA_LABELS, AREAS, ScoreResult
from screens.bands import band_text
from screens.handle import AppHandle

MARK = "●"
SHORT_AREA = {
    "quality": "Quality",
    "contract": "Contract",
    "workforce": "Workforce",
    "soft_intelligence": "Soft intel",
    "sustainability": "Sustainab.",
}


def _select_options(spec: FieldSpec) -> list[tuple[str, Any]]:
    if spec.kind == "bool":
        return [("yes", True), ("no", False)]
    return [(choice.replace("_", " ").capitalize(), choice) for choice in spec.choices]


class ReviewScreen(AppHandle, Screen[None]):
    """Review form"""

    CSS_PATH = "review.tcss"
    HELP_TITLE = "the review form"
    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save", key_display="^s", id="save"),
        Binding(
            "ctrl+n,alt+down", "save_and_move(1)", "Save & next", key_display="^n", id="save-next"
        ),
        Binding(
            "alt+up,ctrl+r",
            "save_and_move(-1)",
            "Save & prev",
            key_display="^r",
            id="save-previous",
        ),
        Binding("escape", "back", "Back", id="back"),
        Binding("f1", "help", "Help", id="help-review"),
        Binding("f3", "add_soft_intel", "Add intel", show=False, id="add-intel"),
        Binding("f4", "correct", "Correct", id="correct"),
    ]

    def __init__(self, ods_code: str, period: str, order: list[str] | None = None) -> None:
        super().__init__()
        self.ods_code = ods_code
        self.period = period
        self.order = order or [ods_code]
        self.context: ReviewContext | None = None
        self.draft: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.result: ScoreResult | None = None
        self.correcting = False
        self.specs = {s.name: s for specs in fields_by_area().values() for s in specs}

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="practice-line")
        with Horizontal(id="body"):
            with VerticalScroll(id="form"):
                by_area = fields_by_area()
                for area in AREAS:
                    yield Static(AREA_LABELS[area], classes="section")
                    for spec in by_area.get(area, []):
                        yield from self._field(spec)
                    if area == "soft_intelligence":
                        yield from self._soft_intel_section()
            with Vertical(id="panel"):
                yield Static("", id="overall")
                yield Static("", id="areas")
                yield VerticalScroll(Static("", id="explain"), id="explain-scroll")
        yield Footer()

    def _field(self, spec: FieldSpec) -> ComposeResult:
        with Horizontal(classes="field", id=f"row-{spec.name}"):
            yield Static(spec.label, id=f"label-{spec.name}", classes="label")
            widget: Widget
            if spec.kind in ("choice", "bool"):
                widget = Select(
                    _select_options(spec), prompt="unknown", id=f"f-{spec.name}", compact=True
                )
            else:
                widget = Input(
                    placeholder="unknown", id=f"f-{spec.name}", compact=True, select_on_focus=True
                )
            widget.tooltip = f"Accepts {spec.accepted()}; empty means unknown."
            yield widget
        error = Static("", id=f"error-{spec.name}", classes="field-error")
        error.display = False
        yield error

    def _soft_intel_section(self) -> ComposeResult:
        yield Static(
            "Soft intelligence log (focus the table: a adds, e edits; f3 adds from anywhere)",
            classes="hint",
        )
        table: DataTable[str] = DataTable(id="soft-intel", cursor_type="row")
        table.add_columns("Received", "Source", "Sev", "Conf", "Corr", "Conf'l", "Expires")
        yield table

    def on_mount(self) -> None:
        self.load(self.ods_code)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def load(self, ods_code: str) -> None:
        context = load_review(self.resilience_app.store, ods_code, self.period)
        self.app.call_from_thread(self.populate, context)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self._editor:
            if action == "save_and_move":
                return True  # a viewer still walks the agenda; nothing is saved
            if action in ("save", "correct", "add_soft_intel"):
                return None  # shown, greyed out: the form says why (read-only role)
        if action == "correct":  # only offered in a closed month, before correcting
            return bool(self.context and self.context.period_closed and not self.correcting)
        return True

    @property
    def _editor(self) -> bool:
        return bool(self.resilience_app.store.may("editor"))

    def action_correct(self) -> None:
        if self.context is None or not self.context.period_closed:
            return
        self.correcting = True
        for name in self.specs:
            self.query_one(f"#f-{name}").disabled = False
        self.query_one(f"#f-{next(iter(self.specs))}").focus()
        self._update_practice_line()
        self.refresh_bindings()
        self.notify("Correcting a closed month: change what was wrong, then ctrl+s and say why.")

    def populate(self, context: ReviewContext) -> None:
        self.correcting = False
        self.refresh_bindings()
        self.context = context
        self.ods_code = context.ods_code
        self.draft = dict(context.findings)
        self.errors = {}
        for name in self.specs:
            widget = self.query_one(f"#f-{name}")
            value = self.draft.get(name)
            if isinstance(widget, Select):
                widget.value = Select.NULL if value is None else value
            elif isinstance(widget, Input):
                widget.value = show_value(name, value)
            widget.disabled = context.period_closed or not self._editor
            self._show_error(name, "")
        self._fill_soft_intel(context)
        self.sub_title = f"{context.period} {'closed' if context.period_closed else 'open'}"
        self._update_practice_line()
        self.rescore()
        self.refresh_markers()
        first = self.query_one(f"#f-{next(iter(self.specs))}")
        if not context.period_closed:
            first.focus()
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)

    def _fill_soft_intel(self, context: ReviewContext) -> None:
        table = self.query_one("#soft-intel", DataTable)
        table.clear()
        for entry in context.soft_intel:
            table.add_row(
                entry.received_on.isoformat(),
                plain(SOFT_INTEL_SOURCES.get(entry.source, entry.source), one_line=True),
                str(entry.severity),
                plain(entry.confidence, one_line=True),
                "yes" if entry.corroborated else "no",
                "yes" if entry.confidential else "no",
                entry.expires_on.isoformat() if entry.expires_on else "",
                key=str(entry.id),
            )
        if not context.soft_intel:
            table.add_row("none recorded", "", "", "", "", "", "", key="none")

    def _update_practice_line(self) -> None:
        c = self.context
        if c is None:
            return
        position = self.order.index(c.ods_code) + 1 if c.ods_code in self.order else 0
        if c.version and c.version_scripted:
            who = f" by {c.version_author}" if c.version_author else ""
            state = f"scored by script (not reviewed): version {c.version}{who}"
        elif c.version:
            kind = "correction" if c.version_is_correction else "saved this month"
            state = f"version {c.version} {kind}"
        elif c.carried_from:
            state = f"not reviewed yet: starting from {c.carried_from}"
        else:
            state = "not reviewed yet"
        parts = [f"{c.ods_code} {c.name}", c.commissioner, c.locality, c.period, state]
        if c.prefilled:
            parts.append(f"⇣ {len(c.prefilled)} figure(s) from imported files")
        if not self._editor:
            parts.append(f"READ-ONLY: {self.resilience_app.store.role} role")
        elif c.period_closed and self.correcting:
            parts.append("CORRECTING a closed month: saving needs a reason")
        elif c.period_closed:
            parts.append("CLOSED: read-only (f4 to correct)")
        if position:
            parts.append(f"{position} of {len(self.order)}")
        line = " · ".join(p for p in parts if p)
        self.query_one("#practice-line", Static).update(plain(line, one_line=True))

    # ------------------------------------------------------------------ editing

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            # the widget's value now, not the event's: a queued event from an earlier
            # fill of the form must not undo values put there since (after a merge)
            self._set_from_text(event.input.id[2:], event.input.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("f-"):
            current = event.select.value
            value = None if current is Select.NULL else current
            self._set_value(event.select.id[2:], value)

    def _show_error(self, name: str, message: str) -> None:
        line = self.query_one(f"#error-{name}", Static)
        line.update(plain(message))  # it quotes what was typed
        line.display = bool(message)

    def _set_from_text(self, name: str, text: str) -> None:
        try:
            value = parse_value(name, text)
        except FieldError as exc:
            self.errors[name] = str(exc)
            self._show_error(name, f"  {exc}")
            self.refresh_markers()
            return
        self.errors.pop(name, None)
        self._show_error(name, "")
        self._set_value(name, value)

    def _set_value(self, name: str, value: Any) -> None:
        if self.draft.get(name) == value and name not in self.errors:
            return
        self.draft[name] = value
        self.rescore()
        self.refresh_markers()

    def refresh_markers(self) -> None:
        if self.context is None:
            return
        changed = changed_fields(self.context, self.draft)
        unsaved = unsaved_fields(self.context, self.draft)
        prefilled = self.context.prefilled
        for name, spec in self.specs.items():
            label = Text()
            if name in changed:
                label.append(f"{MARK} ", style="bold yellow")
            else:
                label.append("  ")
            imported = name in prefilled and self.draft.get(name) == self.context.findings.get(name)
            if imported:
                label.append("⇣", style="bold cyan")
            label.append(spec.label, style="bold" if name in unsaved else "")
            if name in unsaved:
                label.append(" *", style="bold")
            source = self.context.imported.get(name)
            if source is not None and not imported and self.draft.get(name) != source[0]:
                label.append("≠", style="cyan")  # differs from the latest imported figure
            widget = self.query_one(f"#label-{name}", Static)
            widget.update(label)
            widget.tooltip = (
                plain(
                    f"Latest imported figure: {show_value(name, source[0]) or 'unknown'}, from "
                    f"{source[1]}" + (" (used here)" if imported else "")
                )
                if source is not None
                else None
            )

    def rescore(self) -> None:
        if self.context is None:
            return
        try:
            self.result = preview(self.context, self.draft)
        except DraftError as exc:
            self.query_one("#overall", Static).update(plain(f"Cannot score: {exc}", "red"))
            return
        self.render_panel(self.result)

    def render_panel(self, result: ScoreResult) -> None:
        overall = Text()
        overall.append_text(band_text(result.band))
        overall.append(f"  {result.score:.1f}", style="bold")
        if result.previous_band is not None:
            overall.append(
                f"  (last month {result.previous_band} {result.previous_score:.1f})", style="dim"
            )
        overall.append(f"\ndata {result.data_completeness:.0%} complete", style="dim")
        if result.unknown_inputs:
            overall.append(f": {len(result.unknown_inputs)} unknown", style="yellow")
            if result.score_if_unknown_worst_tenths != result.score_tenths:
                overall.append(
                    f"; if every unknown were its worst case: {result.band_if_unknown_worst} "
                    f"{result.score_if_unknown_worst:.1f}",
                    style="yellow",
                )
        if result.to_confirm:
            # floors fire on known facts only: these must be confirmed at the meeting
            overall.append("\nto confirm: " + ", ".join(result.to_confirm), style="bold yellow")
        self.query_one("#overall", Static).update(overall)

        table = Table(box=None, show_header=True, padding=(0, 1), expand=True)
        table.add_column("Area")
        table.add_column("L×C", justify="right")
        table.add_column("Band")
        for area in result.areas:
            table.add_row(
                SHORT_AREA[area.area],
                f"{area.likelihood}×{area.consequence}={area.score}",
                band_text(area.band),
            )
        self.query_one("#areas", Static).update(table)

        lines = Text()
        for c in result.contributions:
            lines.append(f"{c.points:5.1f} ", style="bold")
            lines.append(clean(c.sentence) + "\n", style="yellow" if c.unknown else "")
        if result.triggers:
            lines.append("Triggers: " + ", ".join(result.triggers), style="bold red")
        self.query_one("#explain", Static).update(lines)

    # ------------------------------------------------------------------ saving

    def _can_save(self) -> bool:
        if self.context is None:
            return False
        if self.context.period_closed and not self.correcting:
            self.notify(
                f"{self.period} is closed: press f4 to make a correction.", severity="warning"
            )
            return False
        if self.errors:
            first = next(iter(self.errors))
            self.notify(
                f"Not saved: {len(self.errors)} field(s) need fixing. {self.errors[first]}",
                severity="error",
            )
            self.query_one(f"#f-{first}").focus()
            return False
        return True

    def action_save(self) -> None:
        self._save_then(0)

    def action_save_and_move(self, step: int) -> None:
        if self.context is None:
            return
        read_only = (self.context.period_closed and not self.correcting) or not self._editor
        nothing_new = not unsaved_fields(self.context, self.draft) and not self.errors
        if read_only or (self._reviewed_version and nothing_new):
            self._move(step)  # nothing to save: just move on
            return
        self._save_then(step)

    @property
    def _reviewed_version(self) -> int:
        """This month's version a person saved (0: none, or only a script's score, which
        the first review replaces without a reason and without being asked)."""
        c = self.context
        return 0 if c is None or c.version_scripted else c.version

    def _save_then(self, step: int) -> None:
        if not self._can_save():
            return
        assert self.context is not None
        if self._reviewed_version or self.correcting:
            from screens.dialogs import ReasonScreen

            def with_reason(reason: str | None) -> None:
                if reason:
                    self.save(reason, step)

            self.app.push_screen(
                ReasonScreen(
                    f"Correction to closed month {self.period} for {self.context.ods_code}: "
                    "what was wrong?"
                    if self.correcting
                    else f"{self.context.ods_code} already has version {self.context.version} "
                    f"for {self.period}. Why are you saving a new version?"
                ),
                with_reason,
            )
        else:
            self.save("", step)

    @work(thread=True, exclusive=True, group="review-save", exit_on_error=False)
    def save(self, reason: str, step: int) -> None:
        from resilience.errors import StoreError
        from resilience.services.review import SavedElsewhere, save_review

        assert self.context is not None
        context, draft = self.context, dict(self.draft)
        store = self.resilience_app.store
        try:
            saved = save_review(store, context, draft, reason=reason, correction=self.correcting)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            return
        if isinstance(saved, SavedElsewhere):
            self.app.call_from_thread(self._conflict, context, saved.theirs, draft, step)
            return
        self.app.call_from_thread(self._saved, saved.version, saved.result, step)

    def _conflict(
        self, base: ReviewContext, theirs: ReviewContext, mine: dict[str, Any], step: int
    ) -> None:
        """Someone saved this practice-month while it was open here: show both, field by
        field, and carry on from what the person chooses. Nothing is lost either way."""
        from resilience.services.review import compare_edits
        from screens.conflict import ConflictScreen, Resolution

        clashes = compare_edits(base.findings, theirs.findings, mine)
        who = theirs.version_author or "someone"
        title = (
            f"{theirs.ods_code} {theirs.period}: {who} saved version {theirs.version} "
            f"while you were editing version {base.version}"
            + (f' ("{theirs.version_reason}")' if theirs.version_reason else "")
            + "."
        )

        def resolved(choice: Resolution | None) -> None:
            if choice is None:
                self.notify(
                    "Not saved. Your edits are still in the form; saving again will show "
                    "the differences again.",
                    severity="warning",
                )
                return
            kind, values = choice
            correcting = self.correcting
            self.populate(theirs)  # now based on their version
            if kind == "theirs" or values is None:
                self.notify(f"Kept version {theirs.version} by {who}; your edits were dropped.")
                return
            if correcting:
                self.action_correct()
            self._apply_draft(values)
            if kind == "yours":
                self._save_then(step)
            else:
                self.notify(
                    f"Merged your edits onto version {theirs.version}: check the form, then "
                    "ctrl+s to save."
                )

        self.app.push_screen(ConflictScreen(title, clashes, theirs.findings, mine), resolved)

    def _apply_draft(self, values: dict[str, Any]) -> None:
        """Put findings into the form as unsaved edits (after a merge)."""
        self.draft = dict(values)
        for name in self.specs:
            widget = self.query_one(f"#f-{name}")
            value = self.draft.get(name)
            with widget.prevent(Input.Changed, Select.Changed):
                if isinstance(widget, Select):
                    widget.value = Select.NULL if value is None else value
                elif isinstance(widget, Input):
                    widget.value = show_value(name, value)
        self.rescore()
        self.refresh_markers()

    def _saved(self, version: int, result: ScoreResult, step: int) -> None:
        assert self.context is not None
        self.notify(
            f"Saved {self.context.ods_code} version {version}: {result.band} {result.score:.1f}"
        )
        if step:
            self._move(step)
        else:
            self.load(self.context.ods_code)

    def _move(self, step: int) -> None:
        if self.ods_code not in self.order:
            return
        index = self.order.index(self.ods_code) + step
        if not 0 <= index < len(self.order):
            self.notify(
                "That was the last practice on the list."
                if step > 0
                else "That was the first practice on the list."
            )
            self.load(self.ods_code)
            return
        self.load(self.order[index])

    # ------------------------------------------------------------------ leaving

    def action_back(self) -> None:
        if self.context is None:
            self.app.pop_screen()
            return
        pending = unsaved_fields(self.context, self.draft) | set(self.errors)
        if not pending:
            self.app.pop_screen()
            return
        from screens.dialogs import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                f"Discard your unsaved changes to {len(pending)} field(s) "
                f"({', '.join(sorted(pending)[:4])})?",
                yes="Discard",
                no="Keep editing",
            ),
            answer,
        )

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    # ------------------------------------------------------------------ soft intelligence

    def action_add_soft_intel(self) -> None:
        if self.context is None or self.context.period_closed:
            return
        from screens.soft_intel import SoftIntelScreen

        def added(entry: dict[str, Any] | None) -> None:
            if entry:
                self.add_soft_intel(entry)

        self.app.push_screen(SoftIntelScreen(self.context.ods_code, date.today()), added)

    def on_key(self, event: Any) -> None:
        if self.focused is not self.query_one("#soft-intel", DataTable):
            return
        if event.key == "a":
            event.stop()
            self.action_add_soft_intel()
        elif event.key == "e":
            event.stop()
            self.edit_soft_intel()

    @on(DataTable.RowSelected, "#soft-intel")
    def _intel_selected(self) -> None:
        self.edit_soft_intel()

    def edit_soft_intel(self) -> None:
        if self.context is None or self.context.period_closed or not self.context.soft_intel:
            return
        table = self.query_one("#soft-intel", DataTable)
        entry = self.context.soft_intel[table.cursor_row]
        if entry.masked:
            self.notify(
                "This entry is confidential and your role may not read it, so you cannot "
                "change it.",
                severity="warning",
            )
            return
        from screens.soft_intel import SoftIntelScreen

        def edited(values: dict[str, Any] | None) -> None:
            if values:
                values.pop("ods_code", None)
                self.update_soft_intel(entry.id, values)

        self.app.push_screen(SoftIntelScreen(self.context.ods_code, date.today(), entry), edited)

    @work(thread=True, exclusive=True, group="review-save", exit_on_error=False)
    def add_soft_intel(self, entry: dict[str, Any]) -> None:
        from resilience.errors import StoreError

        try:
            self.resilience_app.store.add_soft_intel(**entry)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._reload_keeping_draft, "added")

    @work(thread=True, exclusive=True, group="review-save", exit_on_error=False)
    def update_soft_intel(self, entry_id: int, values: dict[str, Any]) -> None:
        from resilience.errors import StoreError

        try:
            self.resilience_app.store.update_soft_intel(entry_id, values)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._reload_keeping_draft, "corrected")

    def _reload_keeping_draft(self, what: str) -> None:
        """The log changed: reread the context (it scores the new entry) but keep edits."""
        draft, errors = dict(self.draft), dict(self.errors)
        self.reload_context(draft, errors, what)

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def reload_context(self, draft: dict[str, Any], errors: dict[str, str], what: str) -> None:
        context = load_review(self.resilience_app.store, self.ods_code, self.period)

        def apply() -> None:
            self.context = context
            self.draft, self.errors = draft, errors
            self._fill_soft_intel(context)
            self.rescore()
            self.refresh_markers()
            self.notify(f"Soft intelligence {what}; the score includes it.")

        self.app.call_from_thread(apply)
