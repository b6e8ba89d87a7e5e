"""A modal form whose save is a store call made off the UI thread.

The form closes only when the store accepts. A refusal (bad input, a locked cohort, a
name already taken) is shown inside the form, and everything typed stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from resilience.errors import StoreError
from resilience.safe_text import plain
from scoring import MethodologyError

T = TypeVar("T")


class FormError(ValueError):
    """What the person typed cannot be used; the message says what is accepted."""


class FormScreen(ModalScreen[T], Generic[T]):
    """Subclasses compose their fields plus a ``Static`` with id ``form-error`` and
    implement ``collect``: read the fields and return the store call to make."""

    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def collect(self) -> Callable[[], T]:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(plain(message))  # quotes names

    def action_save(self) -> None:
        try:
            job = self.collect()
        except (FormError, StoreError) as exc:
            self.show_error(str(exc))
            return
        self.show_error("Saving...")
        self._run(job)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def _run(self, job: Callable[[], T]) -> None:
        try:
            result = job()
        except (StoreError, MethodologyError) as exc:
            self.app.call_from_thread(self.show_error, str(exc))
            return
        self.app.call_from_thread(self.dismiss, result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last input it saves."""
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Any) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
