"""The footer shows the keys that work now: a key that becomes available appears, one
that stops working goes, and keys that did not change are not rebuilt (each rebuild
restyles and lays out the screen again)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from screens.footer import SteadyFooter


def _shown(app: App[None]) -> list[str]:
    return [getattr(key, "description", "") for key in app.screen.query("FooterKey")]


class _Other(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("another screen")
        yield SteadyFooter()


class _Toggle(App[None]):
    BINDINGS = [
        Binding("x", "extra", "Extra"),
        Binding("y", "other", "Other"),
        Binding("z", "maybe", "Maybe"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.extra_shown = False
        self.maybe_enabled = True

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "extra":
            return self.extra_shown  # False: not shown at all
        if action == "maybe":
            return True if self.maybe_enabled else None  # None: shown, greyed out
        return True

    def action_other(self) -> None:
        self.push_screen(_Other())


async def test_the_footer_follows_the_keys_that_work_and_keeps_the_rest() -> None:
    app = _Toggle()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert _shown(app)[:2] == ["Other", "Maybe"] and "Extra" not in _shown(app)
        keys = list(app.screen.query("FooterKey"))

        app.refresh_bindings()  # announced again, nothing changed: the same widgets
        await pilot.pause()
        assert list(app.screen.query("FooterKey")) == keys

        app.extra_shown = True
        app.refresh_bindings()
        await pilot.pause()
        assert _shown(app)[:3] == ["Extra", "Other", "Maybe"]

        app.maybe_enabled = False
        app.refresh_bindings()
        await pilot.pause()
        maybe = next(k for k in app.screen.query("FooterKey") if k.has_class("-disabled"))
        assert getattr(maybe, "description", "") == "Maybe"  # greyed out, still shown

        keys = list(app.screen.query("FooterKey"))
        await pilot.press("y")  # another screen over it, then back
        await pilot.pause()
        assert "Back" in _shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert list(app.screen.query("FooterKey")) == keys  # not rebuilt for the trip
