"""Start one Textual app headless and report when its first interactive frame is drawn.

    python benchmarks/tui_probe.py label|table|app|frame [DB]

Prints ``READY <unix time> <peak RSS in KiB>`` once the app can take a keypress with
its content on screen, then exits. The parent notes the time before it starts this
process, so interpreter start-up and imports are part of the measurement, as they are
for a person typing `resilience`.

- ``label``: a bare Textual app showing one label (the reference for the demo database);
- ``table``: a plain DataTable loaded with 6,700 rows of five strings (the reference for
  the England database, for time and memory);
- ``app``: resilience on DB, ready when the practice list shows its rows;
- ``frame``: resilience on DB, ready at its first frame (header, the list's frame and
  status line, footer), before the rows arrive. The READY line then also says whether the
  database stack (SQLAlchemy) had been imported by then: ``db-stack=no`` is the aim.
"""

from __future__ import annotations

import resource
import sys
import time


def _ready(app, extra: str = "") -> None:  # type: ignore[no-untyped-def]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"READY {time.time():.6f} {peak}{extra}", flush=True)
    app.exit()


def label_app():  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(_ready, self)

    return Bare()


def table_app(*, report_ready: bool = True):  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("a", "b", "c", "d", "e")
            for i in range(6_700):
                table.add_row(f"ZB{i:04d}", f"Practice {i}", "SL1", "52.3", "High")
            table.focus()
            if report_ready:
                self.call_after_refresh(_ready, self)

    return Plain()


def resilience_app(db: str):  # type: ignore[no-untyped-def]
    from resilience.app import ResilienceApp
    from screens.practice_list import PracticeListScreen

    class Probe(ResilienceApp):
        def on_mount(self) -> None:
            super().on_mount()
            self._probe_timer = self.set_interval(0.002, self._check)

        def _check(self) -> None:
            screen = self.screen
            if isinstance(screen, PracticeListScreen) and screen.shown:
                self._probe_timer.stop()
                self.call_after_refresh(_ready, self)

    return Probe(db)


def frame_app(db: str):  # type: ignore[no-untyped-def]
    from resilience.app import ResilienceApp
    from screens.practice_list import PracticeListScreen

    class FrameProbe(ResilienceApp):
        def on_mount(self) -> None:
            super().on_mount()
            self._probe_timer = self.set_interval(0.001, self._check)

        def _check(self) -> None:
            if isinstance(self.screen, PracticeListScreen) and self.screen.is_mounted:
                self._probe_timer.stop()
                # composed, not yet drawn: the list's worker starts only after this frame
                stack = "yes" if "sqlalchemy" in sys.modules else "no"
                self.call_after_refresh(_ready, self, f" db-stack={stack}")

    return FrameProbe(db)


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "label":
        app = label_app()
    elif kind == "table":
        app = table_app()
    elif kind == "frame":
        app = frame_app(sys.argv[2])
    else:
        app = resilience_app(sys.argv[2])
    app.run(headless=True, size=(120, 40))
