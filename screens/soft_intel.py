"""Record a piece of soft intelligence: who said what, how serious, how sure."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from resilience.domain import SOFT_INTEL_SOURCES, SoftIntel
from resilience.safe_text import plain


class SoftIntelScreen(ModalScreen[dict[str, Any] | None]):
    """Add or correct soft intelligence. ctrl+s saves, Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, ods_code: str, today: date, existing: SoftIntel | None = None) -> None:
        super().__init__()
        self.ods_code = ods_code
        self.today = today
        self.existing = existing

    def compose(self) -> ComposeResult:
        e = self.existing
        with Vertical(classes="dialog"):
            title = "Correct" if e else "New"
            yield Static(f"{title} soft intelligence for {self.ods_code}", classes="question")
            yield Label("Received (YYYY-MM-DD)")
            yield Input((e.received_on if e else self.today).isoformat(), id="received")
            yield Label("Source")
            yield Select(
                [(v, k) for k, v in SOFT_INTEL_SOURCES.items()],
                id="source",
                prompt="choose a source",
                value=e.source if e else Select.NULL,
            )
            yield Label("Category (e.g. leadership, access, patient safety)")
            yield Input(e.category if e else "", id="category")
            yield Label("Severity 1 (minor) to 5 (critical)")
            yield Select(
                [(str(n), n) for n in range(1, 6)],
                id="severity",
                prompt="choose",
                value=e.severity if e else Select.NULL,
            )
            yield Label("Confidence")
            yield Select(
                [("low", "low"), ("medium", "medium"), ("high", "high")],
                id="confidence",
                value=e.confidence if e else "medium",
                allow_blank=False,
            )
            with Horizontal(classes="switches"):
                yield Label("Corroborated ")
                yield Switch(bool(e and e.corroborated), id="corroborated")
                yield Label(" Whistleblowing ")
                yield Switch(bool(e and e.whistleblowing), id="whistleblowing")
                yield Label(" Confidential ")
                yield Switch(bool(e and e.confidential), id="confidential")
            yield Label("Expires (YYYY-MM-DD, empty: never)")
            yield Input(e.expires_on.isoformat() if e and e.expires_on else "", id="expires")
            yield Label("What was reported (confidential text is shown only to people allowed)")
            yield Input(e.text if e else "", id="text")
            yield Static("", id="intel-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#source", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        problems = []

        def text(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        def choice(widget_id: str) -> Any:
            value = self.query_one(f"#{widget_id}", Select).value
            return None if value is Select.NULL else value

        def when(widget_id: str, required: bool) -> date | None:
            raw = text(widget_id)
            if not raw:
                if required:
                    problems.append("the date received is required")
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                problems.append(f"{raw!r} is not a date written YYYY-MM-DD")
                return None

        received, expires = when("received", True), when("expires", False)
        for widget_id, what in (("source", "a source"), ("severity", "a severity")):
            if choice(widget_id) is None:
                problems.append(f"choose {what}")
        if not text("text"):
            problems.append("say what was reported")
        if problems:
            message = "Not saved: " + "; ".join(problems)  # quotes what was typed
            self.query_one("#intel-error", Static).update(plain(message))
            return
        self.dismiss(
            {
                "ods_code": self.ods_code,
                "received_on": received,
                "source": choice("source"),
                "category": text("category") or "other",
                "severity": choice("severity"),
                "confidence": choice("confidence"),
                "corroborated": self.query_one("#corroborated", Switch).value,
                "whistleblowing": self.query_one("#whistleblowing", Switch).value,
                "confidential": self.query_one("#confidential", Switch).value,
                "expires_on": expires,
                "text": text("text"),
            }
        )
