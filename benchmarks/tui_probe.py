"""Start one Textual app headless and report when its first interactive frame is drawn.

    python benchmarks/tui_probe.py label|table|app|frame [DB]

Prints ``READY <unix time> <peak RSS in KiB> ... cpu=<seconds>`` once the app can take a
keypress with its content on screen, then exits (cpu: the process's CPU time by then).
The parent notes the time before it starts this process, so interpreter start-up and
imports are part of the measurement, as they are for a person typing `resilience`.

- ``label``: a bare Textual app showing one label (the reference for the demo database);
- ``table``: a plain DataTable loaded with 6,700 rows of five strings (the reference for
  the England database, for time and memory);
- ``app``: resilience on DB, ready when the practice list shows its rows;
- ``frame``: resilience on DB, ready at its first frame (header, the list's frame and
  status line, footer), before the rows arrive. The READY line then also says whether the
  database stack (SQLAlchemy) had been imported by then: ``db-stack=no`` is the aim.
- ``cli-frame`` and ``cli-app``: the same two moments, but started as a person starts it,
  through the command line (``resilience --db DB``: `resilience.cli.main`, with its checks
  before the app), the app run headless at the same size.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def _ready(app, extra: str = "") -> None:  # type: ignore[no-untyped-def]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    print(f"READY {time.time():.6f} {peak}{extra} cpu={cpu:.3f}", flush=True)
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


def _install_probe_screen(*, at_rows: bool) -> None:
    """Make the app's list screen signal READY after the frame that first shows its
    composed widgets (``at_rows=False``) or its rows (``at_rows=True``): the same
    ``call_after_refresh`` signal as the references, no polling."""
    import screens.practice_list

    class ProbeScreen(screens.practice_list.PracticeListScreen):
        CSS_PATH = str(Path(screens.practice_list.__file__).with_name("practice_list.tcss"))

        def on_mount(self) -> None:
            super().on_mount()
            if not at_rows:
                # composed, not yet drawn: the list's worker starts only after this frame
                stack = "yes" if "sqlalchemy" in sys.modules else "no"
                self.call_after_refresh(_ready, self.app, f" db-stack={stack}")

        def show(self, data) -> None:  # type: ignore[no-untyped-def]
            super().show(data)
            if at_rows:
                self.call_after_refresh(_ready, self.app)

    # the app opens its list screen by this name; the probe's screen only adds the signal
    screens.practice_list.PracticeListScreen = ProbeScreen  # type: ignore[misc]


def _probe_app(db: str, *, at_rows: bool):  # type: ignore[no-untyped-def]
    """The real app, its list screen signalling READY."""
    from resilience.app import ResilienceApp

    _install_probe_screen(at_rows=at_rows)
    return ResilienceApp(db)


def resilience_app(db: str):  # type: ignore[no-untyped-def]
    return _probe_app(db, at_rows=True)


def frame_app(db: str):  # type: ignore[no-untyped-def]
    return _probe_app(db, at_rows=False)


def run_cli(db: str, *, at_rows: bool) -> None:
    """`resilience --db DB` through resilience.cli.main, headless at 120 x 40."""
    from resilience.app import ResilienceApp
    from resilience.cli import main

    _install_probe_screen(at_rows=at_rows)
    run = ResilienceApp.run

    def headless(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return run(self, headless=True, size=(120, 40))

    ResilienceApp.run = headless  # type: ignore[method-assign]
    sys.argv = ["resilience", "--db", db]
    main()


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind.startswith("cli-"):
        run_cli(sys.argv[2], at_rows=kind == "cli-app")
        raise SystemExit(0)
    if kind == "label":
        app = label_app()
    elif kind == "table":
        app = table_app()
    elif kind == "frame":
        app = frame_app(sys.argv[2])
    else:
        app = resilience_app(sys.argv[2])
    app.run(headless=True, size=(120, 40))
