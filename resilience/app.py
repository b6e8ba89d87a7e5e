"""The Textual application: opens on the practice list for one database."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from resilience.store import Store


class ResilienceApp(App[None]):
    """The terminal app. Construct it with a database URL (or a ready store in tests)."""

    TITLE = "resilience"
    SUB_TITLE = "GP practice risk share"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, db_url: str | None = None, *, store: Store | None = None) -> None:
        super().__init__()
        if store is None and db_url is None:
            raise ValueError("ResilienceApp needs a database URL or a store")
        self.db_url = db_url
        self._store = store

    @property
    def store(self) -> Store:
        """The service layer; opened lazily (and off the UI thread by the first worker)."""
        if self._store is None:
            assert self.db_url is not None
            self._store = Store.open(self.db_url)
        return self._store

    def on_mount(self) -> None:
        from screens.practice_list import PracticeListScreen

        self.push_screen(PracticeListScreen())

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()
