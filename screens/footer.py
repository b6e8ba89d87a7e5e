"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` throws its key widgets away and composes new ones every time the
screen's bindings are announced as changed, which happens on every screen switch and
every focus change, even when the footer would show the same keys. Measured on the
practice screen (120×40, England): each rebuild mounts and styles about fifteen widgets
and lays out the screen again, about 15 ms of CPU, up to twice per open of a practice
(the practice screen's footer, and the list's footer behind it, whose screen announces its
bindings again when it is covered). This footer remembers what it last composed (each
shown key's key, action, words, whether it is enabled, its tooltip) and lets a change
through only when that differs and its screen is the one on show (a covered screen
announces its bindings again when it returns), so it looks and behaves as Textual's
footer does (same widgets, same styles, same clicks).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class SteadyFooter(Footer):
    """A ``Footer`` that is not recomposed when what it shows has not changed."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: tuple[Hashable, ...] | None = None
        self._pending = False  # a rebuild is asked for and has not run yet

    def shown_keys(self) -> tuple[Hashable, ...]:
        """What the footer shows for the screen's bindings now: every shown binding (and
        the command palette's) with its display, words, enabled state and tooltip."""
        app = self.app
        shown: list[Hashable] = [self.compact, self.show_command_palette]
        for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show or key == app.COMMAND_PALETTE_BINDING:
                group = binding.group
                shown.append(
                    (
                        key,
                        binding.action,
                        binding.description,
                        app.get_key_display(binding),
                        enabled,
                        tooltip or binding.tooltip,
                        None if group is None else (group.description, group.compact),
                    )
                )
        return tuple(shown)

    def on_mount(self) -> None:
        # (Footer's own on_mount, which subscribes to the bindings, runs as well.)
        # Compose the keys now rather than when the screen first comes to the front: a
        # screen composed ahead of time (the practice screen) then shows them at once.
        self._ask_rebuild(self.screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._pending = False
            self._composed = self.shown_keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._pending:
            return  # the rebuild asked for reads the keys when it runs
        if self._composed is not None and (
            not self.screen.is_current  # nobody sees it: it is checked again on return
            or self._composed == self.shown_keys()  # the keys it shows already
        ):
            return
        self._ask_rebuild(screen)

    def _ask_rebuild(self, screen: Screen) -> None:
        # Footer.bindings_changed asks for a rebuild after the next refresh only when
        # the app has the focus and the footer is on that screen
        self._pending = screen.app.app_focus and self.is_attached and screen is self.screen
        super().bindings_changed(screen)
