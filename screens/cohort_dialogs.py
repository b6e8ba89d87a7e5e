"""The GPRP cohort panel's forms: new cohort, add applicants, need x impact, the decision
with its support, the panel record, and the sensitivity check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from resilience.domain import CohortInfo
from resilience.safe_text import plain
from resilience.services.cohorts import (
    ProposedPlacement,
    add_applicants,
    copy_applicants,
    parse_codes,
    parse_quotas,
)
from scoring.allocation import LEVELS, OUTCOME_LABELS, ROUTE_LABELS
from scoring.sensitivity import OutcomeChange
from screens.forms import FormError, FormScreen
from screens.handle import resilience_app
from screens.tick_list import TickList

NOT_ASSESSED = "not assessed"


def _buttons(save: str) -> Horizontal:
    return Horizontal(
        Button(f"{save} (ctrl+s)", id="save", variant="primary"),
        Button("Cancel (esc)", id="cancel"),
        classes="buttons",
    )


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FormError(f"{what} is a date written YYYY-MM-DD, e.g. 2026-11-20") from None


def _level_select(value: str | None, widget_id: str) -> Select[str]:
    return Select(
        [(level, level) for level in LEVELS],
        value=value or Select.NULL,
        prompt=NOT_ASSESSED,
        id=widget_id,
    )


def _level(select: Select[str]) -> str | None:
    return None if select.value is Select.NULL else str(select.value)


class NewCohortScreen(FormScreen[str]):
    """Name a cohort, its places and the month its applicants are scored on."""

    def __init__(self, period: str | None, commissioners: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.period = period
        self.commissioners = commissioners

    def compose(self) -> ComposeResult:
        known = ", ".join(f"{code} {short}" for code, short in self.commissioners[:12])
        with VerticalScroll(classes="dialog"):
            yield Static("New GPRP cohort", classes="question")
            yield Input(placeholder="Name, e.g. GPRP cohort 2", id="name")
            with Horizontal(classes="pair"):
                yield Input(placeholder="Supported places", id="supported", type="integer")
                yield Input(placeholder="Reserve places", id="reserve", type="integer")
            yield Label("Scored on month (YYYY-MM)")
            yield Input(self.period or "", id="period")
            yield Label(
                plain(f"Quotas by commissioner, optional: CODE supported/reserve ({known})")
            )
            yield Input(placeholder="e.g. 04C 4/10, 04V 1/2", id="quotas")
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Create")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def collect(self) -> Callable[[], str]:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            raise FormError("Give the cohort a name.")
        places = []
        for field, what in (("supported", "Supported places"), ("reserve", "Reserve places")):
            text = self.query_one(f"#{field}", Input).value.strip()
            if not text.isdigit():
                raise FormError(f"{what} is a whole number, 0 or more.")
            places.append(int(text))
        period = self.query_one("#period", Input).value.strip()
        quotas = parse_quotas(self.query_one("#quotas", Input).value)
        store = resilience_app(self).store

        def create() -> str:
            store.create_cohort(
                name, places[0], places[1], quotas=quotas, assessment_period=period or None
            )
            return name

        return create


class AddApplicantsScreen(FormScreen[int]):
    """Add practices by ODS code, or copy every applicant of an earlier cohort."""

    def __init__(self, cohort: str, other_cohorts: Sequence[str]) -> None:
        super().__init__()
        self.cohort = cohort
        self.other_cohorts = other_cohorts

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(plain(f"Add applicants to {self.cohort}"), classes="question")
            yield Input(placeholder="ODS codes, e.g. ZC0007 ZC0012", id="codes")
            yield Label("Route")
            yield Select(
                [(label, key) for key, label in ROUTE_LABELS.items()],
                value="self_referral",
                allow_blank=False,
                id="route",
            )
            yield Label("Received (YYYY-MM-DD)")
            yield Input(date.today().isoformat(), id="received")
            with Horizontal(classes="pair"):
                yield _level_select(None, "need")
                yield _level_select(None, "impact")
            yield Label("Or copy every applicant of an earlier cohort")
            yield Select([(plain(c), c) for c in self.other_cohorts], prompt="no", id="copy-from")
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Add")

    def on_mount(self) -> None:
        self.query_one("#codes", Input).focus()

    def collect(self) -> Callable[[], int]:
        store = resilience_app(self).store
        source = self.query_one("#copy-from", Select).value
        codes = parse_codes(self.query_one("#codes", Input).value)
        if source is not Select.NULL:
            if codes:
                raise FormError("Either type codes or copy from a cohort, not both.")
            return lambda: copy_applicants(store, str(source), self.cohort)
        if not codes:
            raise FormError("Type at least one ODS code, or choose a cohort to copy from.")
        received = _date(self.query_one("#received", Input).value, "Received")
        route = str(self.query_one("#route", Select).value)
        need = _level(self.query_one("#need", Select))
        impact = _level(self.query_one("#impact", Select))
        return lambda: add_applicants(
            store, self.cohort, codes, route=route, received_on=received, need=need, impact=impact
        )


class NeedImpactScreen(FormScreen[tuple[str | None, str | None]]):
    """The panel's view of an applicant's need, and the impact support would have."""

    def __init__(self, cohort: str, placement: ProposedPlacement) -> None:
        super().__init__()
        self.cohort = cohort
        self.placement = placement

    def compose(self) -> ComposeResult:
        a = self.placement.application
        with Vertical(classes="dialog"):
            yield Static(
                plain(f"Need and impact for {a.ods_code} {a.practice_name}"), classes="question"
            )
            yield Label("Need")
            yield _level_select(a.need, "need")
            yield Label("Impact of support")
            yield _level_select(a.impact, "impact")
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#need", Select).focus()

    def collect(self) -> Callable[[], tuple[str | None, str | None]]:
        need = _level(self.query_one("#need", Select))
        impact = _level(self.query_one("#impact", Select))
        store, code = resilience_app(self).store, self.placement.application.ods_code

        def save() -> tuple[str | None, str | None]:
            store.set_need_impact(self.cohort, code, need, impact)
            return need, impact

        return save


class DecisionScreen(FormScreen[str]):
    """Choose an outcome, say why, and tick the support offered. The engine's suggested
    support is ticked to start with (or what was recorded before)."""

    def __init__(
        self, cohort: str, placement: ProposedPlacement, menu: Sequence[tuple[str, str]]
    ) -> None:
        super().__init__()
        self.cohort = cohort
        self.placement = placement
        self.menu = menu

    def compose(self) -> ComposeResult:
        p = self.placement
        current = p.application.outcome or p.placement.outcome
        ticked = set(p.application.support_items or p.support)
        with VerticalScroll(classes="dialog"):
            yield Static(
                plain(
                    f"Decision for {p.placement.ods_code} {p.application.practice_name}. "
                    f"The engine proposes {p.placement.reason}"
                ),
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
            yield Label("Support offered (space ticks; the suggested items start ticked)")
            yield TickList(
                *[(name, item_id, item_id in ticked) for item_id, name in self.menu], id="support"
            )
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Record")

    def on_mount(self) -> None:
        self.query_one("#outcome", Select).focus()

    def collect(self) -> Callable[[], str]:
        rationale = self.query_one("#rationale", Input).value.strip()
        if not rationale:
            raise FormError("A rationale is required: the panel's reason is part of the record.")
        outcome = str(self.query_one("#outcome", Select).value)
        chosen = self.query_one("#support", TickList).selected
        support = [item_id for item_id, _ in self.menu if item_id in chosen]
        store, p = resilience_app(self).store, self.placement

        def record() -> str:
            store.record_decision(
                self.cohort,
                p.placement.ods_code,
                outcome,
                rationale,
                proposed=p.placement.outcome,
                support_items=support,
            )
            return outcome

        return record


class PanelScreen(FormScreen[bool]):
    """Who sat on the panel, when, and the interests they declared."""

    def __init__(self, info: CohortInfo) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        info = self.info
        when = (info.panel_date or date.today()).isoformat()
        with Vertical(classes="dialog"):
            yield Static(plain(f"The panel for {info.name}"), classes="question")
            yield Label("Date (YYYY-MM-DD)")
            yield Input(when, id="panel-date")
            yield Label("Attendees")
            yield Input(
                info.panel_attendees, placeholder="e.g. A Khan (ICB), J Wood (NHSE)", id="attendees"
            )
            yield Label("Declared interests (blank: none declared)")
            yield Input(info.declared_interests, id="interests")
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Record")

    def on_mount(self) -> None:
        self.query_one("#attendees" if self.info.panel_date else "#panel-date", Input).focus()

    def collect(self) -> Callable[[], bool]:
        when = _date(self.query_one("#panel-date", Input).value, "The panel date")
        attendees = self.query_one("#attendees", Input).value
        if not attendees.strip():
            raise FormError("Name the attendees: the record says who decided.")
        interests = self.query_one("#interests", Input).value or "none declared"
        store, name = resilience_app(self).store, self.info.name

        def record() -> bool:
            store.record_panel(name, when, attendees, interests)
            return True

        return record


class SensitivityScreen(FormScreen[tuple[str, list[OutcomeChange]]]):
    """Name another methodology file; see who would move and why."""

    def __init__(self, cohort: str) -> None:
        super().__init__()
        self.cohort = cohort

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(f"Sensitivity of {self.cohort}: rank it with another methodology file"),
                classes="question",
            )
            yield Input(placeholder="Path to a methodology .toml", id="method-path")
            yield Static("", id="form-error", classes="field-error")
            yield _buttons("Compare")

    def collect(self) -> Callable[[], tuple[str, list[OutcomeChange]]]:
        path = self.query_one("#method-path", Input).value.strip()
        if not path:
            raise FormError("Give the path of a methodology file (.toml).")
        store = resilience_app(self).store

        def compare() -> tuple[str, list[OutcomeChange]]:
            from pathlib import Path

            from resilience.services.cohorts import sensitivity
            from scoring import load_methodology

            other = load_methodology(Path(path).expanduser())
            return path, sensitivity(store, self.cohort, store.method, other)

        return compare


class SensitivityResultScreen(ModalScreen[None]):
    """Who moves between outcomes under the other method, and why."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, cohort: str, path: str, changes: Sequence[OutcomeChange]) -> None:
        super().__init__()
        self.cohort, self.path, self.changes = cohort, path, changes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            if not self.changes:
                yield Static(
                    plain(f"Nobody in {self.cohort} changes outcome under {self.path}."),
                    classes="question",
                )
            else:
                yield Static(
                    plain(
                        f"{len(self.changes)} practice(s) in {self.cohort} would change "
                        f"outcome under {self.path}:"
                    ),
                    classes="question",
                )
                table: DataTable[object] = DataTable(id="movers", cursor_type="row")
                table.add_columns("Code", "Now", "Would be", "Why")
                for ch in self.changes:
                    table.add_row(
                        plain(ch.ods_code),
                        OUTCOME_LABELS[ch.outcome_before],
                        OUTCOME_LABELS[ch.outcome_after],
                        plain(ch.reason, one_line=True),
                    )
                yield table
            yield Static("Esc closes.", classes="tips")

    def action_close(self) -> None:
        self.dismiss(None)


class CohortPickerScreen(ModalScreen[str | None]):
    """Choose a cohort to open."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, names: Sequence[str], current: str | None) -> None:
        super().__init__()
        self.names, self.current = names, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open which GPRP cohort?", classes="question")
            yield OptionList(*[Option(plain(n), id=n) for n in reversed(self.names)], id="cohorts")

    def on_mount(self) -> None:
        options = self.query_one("#cohorts", OptionList)
        ordered = list(reversed(self.names))
        if self.current in ordered:
            options.highlighted = ordered.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
