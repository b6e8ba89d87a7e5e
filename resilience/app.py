"""The Textual application: opens on the practice list for one database."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from resilience.safe_text import clean

if TYPE_CHECKING:  # the database stack is imported by the first worker, after the
    # first frame is drawn (SQLAlchemy, SQLModel and the models cost more than Textual)
    from resilience.store import Store


def _commands():  # type: ignore[no-untyped-def]
    from screens.commands import ResilienceCommands

    return ResilienceCommands


class ResilienceApp(App[None]):
    """The terminal app. Construct it with a database URL (or a ready store in tests)."""

    TITLE = "resilience"
    SUB_TITLE = "GP practice risk share"
    # the styles every screen shares (the dialog frame, field errors), loaded at start so
    # the command palette and every dialog look the same from the first frame
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="toggle-theme"),
    ]
    COMMANDS = App.COMMANDS | {_commands}
    # The review month every screen shows; None until the first load picks the latest.
    period: reactive[str | None] = reactive(None)

    def __init__(self, db_url: str | None = None, *, store: Store | None = None) -> None:
        super().__init__()
        if store is None and db_url is None:
            raise ValueError("ResilienceApp needs a database URL or a store")
        self.db_url = db_url
        self._store = store
        self._store_lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The service layer; opened lazily (and off the UI thread by the first worker)."""
        with self._store_lock:  # two workers asking at once must share one store
            if self._store is None:
                assert self.db_url is not None
                from resilience.store import Store

                self._store = Store.open(self.db_url)
            return self._store

    # The garbage collector is process-wide, so the app (not a screen) owns what is done
    # to it; these two methods are the only places the project touches it.
    @contextmanager
    def collector_paused(self) -> Iterator[None]:
        """Pause the cyclic garbage collector while a worker builds a large, long-lived
        result (the practice list's rows): otherwise the collector walks the objects being
        made again and again for nothing (measured: a third of the England list's read).
        It is switched back on, if it was on, when the block ends, even on an error."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                gc.enable()

    def keep_loaded(self, *, collect_first: bool = False) -> None:
        """Move everything alive now (a just-shown list) out of the collector's sight
        (``gc.freeze``): it lives until the next load, and otherwise every later keystroke
        pays for the collector walking thousands of rows again (measured: most of a filter
        change's time on the England database). ``collect_first`` runs a full collection
        before, for a caller in a pause (after the start-up's background work): garbage
        frozen with the rest would never be freed."""
        if collect_first:
            gc.collect()
        gc.freeze()

    def collect_if_due(self) -> None:
        """Run the collector's full pass now if Python would start one soon anyway (half
        its count of younger passes reached), for a moment when nobody waits: a screen
        has just been left and the one below drawn. Left to itself the pass lands in
        whichever key makes the last object: measured on the England database, 15–35 ms
        added to opening a practice, about one open in three (it frees thousands of
        Textual's strips, which hold themselves in their own caches)."""
        if gc.isenabled() and gc.get_count()[2] * 2 >= gc.get_threshold()[2]:
            gc.collect()

    def on_mount(self) -> None:
        from screens.practice_list import PracticeListScreen

        self.push_screen(PracticeListScreen())
        # after the first frame: opening the store imports the database stack
        self.call_after_refresh(self._check_file_mode)

    @work(thread=True, exit_on_error=False)
    def _check_file_mode(self) -> None:
        from resilience.db import shared_file_warning

        warning = shared_file_warning(self.store.engine.url.render_as_string())
        if warning:
            self.call_from_thread(self.notify, warning, severity="warning", timeout=20)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """One place where any background job's failure becomes a message in words."""
        if event.state is not WorkerState.ERROR:
            return
        from resilience.errors import DatabaseError, StoreError

        error = event.worker.error
        self.log.error(f"worker {event.worker.name} failed: {error!r}")
        if isinstance(error, StoreError | DatabaseError):  # written for people: show it
            text = str(error)
        else:  # a database driver's or Python's own words would mean nothing here
            text = (
                "the database could not be read just now. Try again; if it keeps "
                "happening, tell whoever looks after this database"
            )
        self.notify(f"Something went wrong: {text}", severity="error", timeout=10)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, from any screen, as plain text: messages quote names,
        reasons and typed text, which must never be read as markup (``[/x]`` would
        crash the app, ``[link=...]`` become a live link) or reach the terminal as
        control sequences. ``markup`` is accepted and ignored."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()
