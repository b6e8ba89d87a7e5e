"""A GPRP cohort: the engine's ranked proposal beside the panel's recorded decisions.

From here the panel runs the whole cohort from the keyboard: add applicants, set need x
impact, accept or override proposals (with a rationale and the support offered), record
the panel, lock the decision, and check how sensitive the outcome is to the method."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from resilience.domain import CohortInfo
from resilience.errors import StoreError
from resilience.safe_text import clean, plain
from resilience.services.cohorts import ProposedPlacement, support_names
from scoring.allocation import OUTCOME_LABELS, ROUTE_LABELS
from scoring.sensitivity import OutcomeChange
from screens.bands import band_text
from screens.cohort_dialogs import (
    AddApplicantsScreen,
    CohortPickerScreen,
    DecisionScreen,
    NeedImpactScreen,
    NewCohortScreen,
    PanelScreen,
    SensitivityResultScreen,
    SensitivityScreen,
)
from screens.dialogs import ConfirmScreen
from screens.handle import AppHandle
from screens.virtual_table import Column, VirtualTable

# keys that change the cohort: hidden and refused once it is locked
_EDITING = {"override", "accept_all", "need_impact", "add", "panel", "lock"}


def _code(p: ProposedPlacement) -> str:
    return p.placement.ods_code


class CohortScreen(AppHandle, Screen[None]):
    """GPRP cohort"""

    HELP_TITLE = "the GPRP cohort panel"
    CSS_PATH = "cohort.tcss"
    BINDINGS = [
        Binding("o", "override", "Decide", id="override"),
        Binding("A", "accept_all", "Accept all", id="accept-all"),
        Binding("i", "need_impact", "Need×impact", id="need-impact"),
        Binding("a", "add", "Add", id="add-applicants"),
        Binding("p", "panel", "Panel", id="panel"),
        Binding("l", "lock", "Lock", id="lock"),
        Binding("v", "sensitivity", "Sensitivity", id="sensitivity"),
        Binding("N", "new", "New cohort", show=False, id="new-cohort"),
        Binding("c", "choose", "Other cohort", show=False, id="choose-cohort"),
        Binding("escape", "back", "Back", id="cohort-back"),
        Binding("f1", "help", "Help", id="cohort-help"),
    ]

    def __init__(self, cohort: str) -> None:
        super().__init__()
        self.cohort = cohort
        self.info: CohortInfo | None = None
        self.placements: list[ProposedPlacement] = []
        self.names: list[str] = []  # every cohort, oldest first
        self.commissioners: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading...", id="cohort-line")
        yield Static("", id="panel-line")
        yield VirtualTable(id="placements", zebra_stripes=False)
        yield Static("", id="reason")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in _EDITING and self.info is not None and self.info.is_locked)

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="cohort", exit_on_error=False)
    def load(self) -> None:
        from resilience.services.cohorts import propose

        store = self.resilience_app.store
        self.names = store.cohort_names()
        if not self.commissioners:  # they do not change while the panel is open
            self.commissioners = store.commissioners()
        try:
            info = store.cohort(self.cohort)
            placements = propose(store, self.cohort, store.method)
        except StoreError as exc:
            self.app.call_from_thread(self.show_problem, str(exc))
            return
        self.app.call_from_thread(self.show, info, placements)

    def show_problem(self, message: str) -> None:
        self.query_one("#cohort-line", Static).update(plain(f"{self.cohort}: {message}"))

    def show(self, info: CohortInfo, placements: list[ProposedPlacement]) -> None:
        before = self._current()
        highlighted = before.placement.ods_code if before else None
        self.info = info
        self.placements = placements
        self.sub_title = clean(info.name, one_line=True)
        self.refresh_bindings()
        quotas = ", ".join(f"{c} {s}/{r}" for c, (s, r) in sorted(info.quotas.items()))
        differ = sum(1 for p in placements if p.differs_from_decision)
        undecided = sum(1 for p in placements if p.application.outcome is None)
        status = "LOCKED: decisions final" if info.is_locked else info.status
        self.query_one("#cohort-line", Static).update(
            plain(
                f"{info.name} · {status} · scored on {info.assessment_period} · places "
                f"{info.capacity_supported} supported / {info.capacity_reserve} reserve"
                + (f" (by commissioner {quotas})" if quotas else "")
                + f" · {len(placements)} applicants, {undecided} undecided, "
                f"{differ} differ from the proposal"
            )
        )
        self.query_one("#panel-line", Static).update(
            plain(
                f"Panel {info.panel_date.isoformat()}: {info.panel_attendees} · interests: "
                f"{info.declared_interests or 'none declared'}"
                if info.panel_date
                else "Panel not recorded yet (p records date, attendees and declared interests)"
            )
        )
        table = self.query_one("#placements", VirtualTable)
        wide = self.size.width >= 110  # below that: code only, need x impact in the reason
        # fixed widths: the layout does not depend on when the table measures its cells
        columns = [("Rank", 4), ("Practice", 36) if wide else ("Code", 6), ("CCG", 4)]
        columns += [("Score", 5), ("Band", 8)]
        if wide:
            columns.append(("Need×impact", 13))
        columns += [("Proposed", 13), ("Decided", 15)]
        table.set_columns([Column(label, label, width) for label, width in columns])

        def cells(p: ProposedPlacement) -> list[object]:
            decided = p.application.outcome
            shown_decision = (
                OUTCOME_LABELS.get(decided, "") + (" ≠" if p.differs_from_decision else "")
                if decided
                else "undecided"
            )
            cells: list[object] = [
                str(p.placement.rank),
                plain(
                    f"{p.placement.ods_code} {p.application.practice_name}"
                    if wide
                    else p.placement.ods_code,
                    one_line=True,
                ),
                plain(p.placement.commissioner or "", one_line=True),
                f"{p.placement.score:.1f}",
                band_text(p.placement.band),
            ]
            if wide:
                cells.append(f"{p.placement.need or '?'}×{p.placement.impact or '?'}")
            return [*cells, OUTCOME_LABELS[p.placement.outcome], shown_decision]

        # the highlight follows the practice, which may have moved in the ranking
        table.set_rows(placements, key=_code, cells=cells, cursor_key=highlighted)
        table.focus()
        self._show_reason()

    def on_virtual_table_row_highlighted(self) -> None:
        self._show_reason()

    def on_virtual_table_row_selected(self) -> None:
        """Enter on a row decides, like o."""
        if self.check_action("override", ()):
            self.action_override()

    def _current(self) -> ProposedPlacement | None:
        table = self.query_one("#placements", VirtualTable)
        if not self.placements or not 0 <= table.cursor_row < len(self.placements):
            return None
        return self.placements[table.cursor_row]

    def _show_reason(self) -> None:
        p = self._current()
        if p is None:
            self.query_one("#reason", Static).update(
                "No applicants yet: a adds them by code or copies an earlier cohort's."
            )
            return
        a = p.application
        lines = [
            f"{p.placement.ods_code} {a.practice_name} ({ROUTE_LABELS.get(a.route, a.route)}, "
            f"need {a.need or 'not assessed'} × impact {a.impact or 'not assessed'}): "
            f"{p.placement.reason}"
        ]
        if a.rationale and a.rationale != p.placement.reason:
            lines.append(f"Recorded by {a.decided_by}: {a.rationale}")
        if a.outcome is not None:
            offered = support_names(self.resilience_app.store.method, a.support_items)
            lines.append("Support offered: " + ("; ".join(offered) or "none"))
        elif p.support:
            suggested = support_names(self.resilience_app.store.method, p.support)
            lines.append("Support suggested: " + "; ".join(suggested))
        self.query_one("#reason", Static).update(
            plain("\n".join(clean(line, one_line=True) for line in lines))
        )

    # ------------------------------------------------------------------ actions

    def _after(self, message: str) -> Callable[[object], None]:
        """A dialog callback: on success, say what happened and reload."""

        def done(result: object) -> None:
            if result is not None and result is not False:
                self.notify(message.format(result=result))
                self.load()

        return done

    def action_override(self) -> None:
        placement = self._current()
        if placement is None:
            return
        method = self.resilience_app.store.method
        menu = [(item.id, item.name) for item in method.support_menu]
        self.app.push_screen(
            DecisionScreen(self.cohort, placement, menu),
            self._after(f"Recorded the decision for {placement.placement.ods_code}."),
        )

    def action_accept_all(self) -> None:
        undecided = [p for p in self.placements if p.application.outcome is None]
        if not undecided:
            self.notify("Every applicant already has a decision; o changes one.")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.accept_all()

        self.app.push_screen(
            ConfirmScreen(
                f"Record the engine's proposal, its reason and its suggested support as the "
                f"decision for the {len(undecided)} undecided applicant(s)?",
                yes="Accept",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="cohort-save", exit_on_error=False)
    def accept_all(self) -> None:
        from resilience.services.cohorts import accept_proposals

        store = self.resilience_app.store
        try:
            count = accept_proposals(store, self.cohort, store.method)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Recorded {count} decision(s) as proposed.")
        self.app.call_from_thread(self.load)

    def action_need_impact(self) -> None:
        placement = self._current()
        if placement is not None:
            self.app.push_screen(
                NeedImpactScreen(self.cohort, placement),
                self._after(f"Need and impact saved for {placement.placement.ods_code}."),
            )

    def action_add(self) -> None:
        others = [n for n in self.names if n != self.cohort]
        self.app.push_screen(
            AddApplicantsScreen(self.cohort, others), self._after("Added {result} applicant(s).")
        )

    def action_panel(self) -> None:
        if self.info is not None:
            self.app.push_screen(PanelScreen(self.info), self._after("Panel recorded."))

    def action_lock(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.lock_decisions()

        self.app.push_screen(
            ConfirmScreen(
                f"Lock {self.cohort}? Its decisions become final: nobody can change them "
                "afterwards.",
                yes="Lock",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="cohort-save", exit_on_error=False)
    def lock_decisions(self) -> None:
        try:
            self.resilience_app.store.lock_cohort(self.cohort)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"{self.cohort} is locked.")
        self.app.call_from_thread(self.load)

    def action_sensitivity(self) -> None:
        def compared(result: tuple[str, list[OutcomeChange]] | None) -> None:
            if result is not None:
                path, changes = result
                self.app.push_screen(SensitivityResultScreen(self.cohort, path, changes))

        self.app.push_screen(SensitivityScreen(self.cohort), compared)

    def action_new(self) -> None:
        period = self.resilience_app.period

        def created(name: str | None) -> None:
            if name:
                self.cohort = name
                self.info = None
                self.placements = []
                self.notify(f"Created {name}; a adds applicants.")
                self.load()

        self.app.push_screen(NewCohortScreen(period, self.commissioners), created)

    def action_choose(self) -> None:
        def chosen(name: str | None) -> None:
            if name and name != self.cohort:
                self.cohort = name
                self.info = None
                self.placements = []
                self.load()

        self.app.push_screen(CohortPickerScreen(self.names, self.cohort), chosen)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
