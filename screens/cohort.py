"""A GPRP cohort: the engine's ranked proposal beside the panel's recorded decisions.
`o` overrides the decision for the highlighted practice, with a rationale."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from resilience.cohorts import ProposedPlacement
from scoring.allocation import OUTCOME_LABELS
from screens.bands import band_text


class DecisionScreen(ModalScreen[tuple[str, str] | None]):
    """Choose an outcome and say why. ctrl+s records, Escape cancels."""

    BINDINGS = [Binding("ctrl+s,f2", "save", "Record"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, placement: ProposedPlacement) -> None:
        super().__init__()
        self.placement = placement

    def compose(self) -> ComposeResult:
        p = self.placement
        current = p.application.outcome or p.placement.outcome
        with Vertical(classes="dialog"):
            yield Static(
                f"Decision for {p.placement.ods_code} {p.application.practice_name}. The "
                f"engine proposes {OUTCOME_LABELS[p.placement.outcome]}: {p.placement.reason}",
                classes="question",
            )
            yield Select(
                [(label, key) for key, label in OUTCOME_LABELS.items()],
                value=current,
                allow_blank=False,
                id="outcome",
            )
            yield Input(
                placeholder="Rationale (required), e.g. panel judged impact low", id="rationale"
            )
            yield Static("", id="decision-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Record (ctrl+s)", id="record", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#outcome", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "record":
            self.action_save()
        else:
            self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        rationale = self.query_one("#rationale", Input).value.strip()
        if not rationale:
            self.query_one("#decision-error", Static).update(
                "A rationale is required: the panel's reason is part of the record."
            )
            return
        self.dismiss((str(self.query_one("#outcome", Select).value), rationale))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CohortScreen(Screen[None]):
    """GPRP cohort"""

    HELP_TITLE = "the GPRP cohort panel"
    DEFAULT_CSS = """
    CohortScreen #cohort-line { padding: 0 1; background: $boost; text-style: bold; }
    CohortScreen #placements { height: 1fr; }
    CohortScreen #reason { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("o", "override", "Decide / override", id="override"),
        Binding("escape", "back", "Back", id="cohort-back"),
        Binding("f1", "help", "Help", id="cohort-help"),
    ]

    def __init__(self, cohort: str) -> None:
        super().__init__()
        self.cohort = cohort
        self.placements: list[ProposedPlacement] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="cohort-line")
        yield DataTable(id="placements", cursor_type="row")
        yield Static("", id="reason")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.cohort
        self.load()

    @work(thread=True, exclusive=True, group="cohort", exit_on_error=False)
    def load(self) -> None:
        from resilience.cohorts import propose

        store = self.app.store  # type: ignore[attr-defined]
        info = store.cohort(self.cohort)
        placements = propose(store, self.cohort, store.method)
        self.app.call_from_thread(self.show, info, placements)

    def show(self, info, placements: list[ProposedPlacement]) -> None:  # type: ignore[no-untyped-def]
        self.placements = placements
        quotas = ", ".join(f"{c} {s}/{r}" for c, (s, r) in sorted(info.quotas.items()))
        differ = sum(1 for p in placements if p.differs_from_decision)
        self.query_one("#cohort-line", Static).update(
            f"{info.name} · {info.status} · scored on {info.assessment_period} · places "
            f"{info.capacity_supported} supported / {info.capacity_reserve} reserve"
            + (f" (by commissioner {quotas})" if quotas else "")
            + f" · {differ} decision(s) differ from the proposal"
        )
        table = self.query_one("#placements", DataTable)
        row = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        wide = self.size.width >= 110  # below that: code only, need x impact in the reason
        if wide:
            table.add_columns(
                "Rank", "Practice", "CCG", "Score", "Band", "Need×impact", "Proposed", "Decided"
            )
        else:
            table.add_columns("Rank", "Code", "CCG", "Score", "Band", "Proposed", "Decided")
        for p in placements:
            decided = p.application.outcome
            shown_decision = (
                OUTCOME_LABELS.get(decided, "") + (" ≠" if p.differs_from_decision else "")
                if decided
                else "undecided"
            )
            cells: list[object] = [
                str(p.placement.rank),
                f"{p.placement.ods_code} {p.application.practice_name}"
                if wide
                else p.placement.ods_code,
                p.placement.commissioner or "",
                f"{p.placement.score:.1f}",
                band_text(p.placement.band),
            ]
            if wide:
                cells.append(f"{p.placement.need or '?'}×{p.placement.impact or '?'}")
            cells += [OUTCOME_LABELS[p.placement.outcome], shown_decision]
            table.add_row(*cells, key=p.placement.ods_code)
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))
        table.focus()
        self._show_reason()

    def on_data_table_row_highlighted(self) -> None:
        self._show_reason()

    def _show_reason(self) -> None:
        table = self.query_one("#placements", DataTable)
        if not self.placements or not 0 <= table.cursor_row < len(self.placements):
            return
        p = self.placements[table.cursor_row]
        lines = [f"{p.placement.ods_code} {p.application.practice_name}: {p.placement.reason}"]
        if p.application.rationale and p.application.rationale != p.placement.reason:
            lines.append(f"Recorded by {p.application.decided_by}: {p.application.rationale}")
        if p.support:
            lines.append("Support suggested: " + "; ".join(p.support))
        self.query_one("#reason", Static).update("\n".join(lines))

    def action_override(self) -> None:
        table = self.query_one("#placements", DataTable)
        if not self.placements:
            return
        placement = self.placements[table.cursor_row]

        def decided(choice: tuple[str, str] | None) -> None:
            if choice:
                self.record(placement, *choice)

        self.app.push_screen(DecisionScreen(placement), decided)

    @work(thread=True, exclusive=True, group="cohort-save", exit_on_error=False)
    def record(self, placement: ProposedPlacement, outcome: str, rationale: str) -> None:
        from resilience.store import StoreError

        try:
            self.app.store.record_decision(  # type: ignore[attr-defined]
                self.cohort,
                placement.placement.ods_code,
                outcome,
                rationale,
                proposed=placement.placement.outcome,
            )
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Recorded {OUTCOME_LABELS[outcome]} for {placement.placement.ods_code}."
        )
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
