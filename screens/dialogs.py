"""Small modal screens: confirm, give a reason, choose filters, choose a month."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from resilience.agenda import BANDS, ListFilter
from resilience.domain import PeriodInfo
from resilience.safe_text import plain


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no question. y or Enter confirms, n or Escape declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReasonScreen(ModalScreen[str | None]):
    """Ask why a new version is being saved. Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.prompt), classes="question")
            yield Input(placeholder="Reason (required), then Enter", id="reason")
            yield Static("", id="reason-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#reason-error", Static).update(
                "A reason is required: say what changed and why."
            )
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterScreen(ModalScreen[ListFilter | None]):
    """Choose commissioner, locality, band and reviewed filters. Enter applies."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s,f2", "apply", "Apply"),
    ]

    def __init__(
        self, current: ListFilter, commissioners: Sequence[str], localities: Sequence[str]
    ) -> None:
        super().__init__()
        self.current = current
        self.commissioners = commissioners
        self.localities = localities

    def compose(self) -> ComposeResult:
        # scrolls when the terminal is short (80x24): every field stays reachable with Tab
        with VerticalScroll(classes="dialog", id="filter-dialog"):
            yield Static("Filter the practice list", classes="question")
            yield Label("Commissioner")
            yield Select(
                [(plain(c), c) for c in self.commissioners],
                value=self.current.commissioner or Select.NULL,
                prompt="any",
                id="commissioner",
            )
            yield Label("Locality")
            yield Select(
                [(plain(loc), loc) for loc in self.localities],
                value=self.current.locality or Select.NULL,
                prompt="any",
                id="locality",
            )
            yield Label("Band")
            yield Select(
                [(b, b) for b in BANDS],
                value=self.current.band or Select.NULL,
                prompt="any",
                id="band",
            )
            yield Label("Reviewed this month")
            yield Select(
                [("reviewed", True), ("not reviewed", False)],
                value=Select.NULL if self.current.reviewed is None else self.current.reviewed,
                prompt="either",
                id="reviewed",
            )
            yield Label("Status")
            yield Select(
                [("active only", "active"), ("all: closed and dormant too", "all")],
                value=self.current.status,
                allow_blank=False,
                id="practice-status",
            )
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", id="apply", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def _value(self, widget_id: str) -> object:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        self.dismiss(
            ListFilter(
                text=self.current.text,
                commissioner=self._value("commissioner"),  # type: ignore[arg-type]
                locality=self._value("locality"),  # type: ignore[arg-type]
                band=self._value("band"),  # type: ignore[arg-type]
                reviewed=self._value("reviewed"),  # type: ignore[arg-type]
                status=str(self._value("practice-status") or "active"),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)


class PeriodScreen(ModalScreen[str | None]):
    """Choose a review month. Closed months open read-only."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, periods: Sequence[PeriodInfo], current: str | None) -> None:
        super().__init__()
        self.periods = periods
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Open which review month?", classes="question")
            options = [
                Option(
                    f"{p.period}  {'closed (read-only)' if p.is_closed else 'open'}",
                    id=p.period,
                )
                for p in reversed(self.periods)
            ]
            yield OptionList(*options, id="periods")

    def on_mount(self) -> None:
        options = self.query_one("#periods", OptionList)
        ids = [p.period for p in reversed(self.periods)]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
