"""The screens' typed handle on the running app.

Textual types ``self.app`` as a plain ``App``; the screens need ours (its ``store`` and the
review ``period``). The cast is made here, once, so no screen carries a
``type: ignore[attr-defined]`` and a type checker sees every store call a screen makes.
The import is for the type checker only: at run time the app is already loaded, and the
database stack behind ``store`` is imported by the first worker that asks for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from resilience.app import ResilienceApp


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


def resilience_app(node: _HasApp) -> ResilienceApp:
    """The running ``ResilienceApp`` of a screen, a widget or a command provider."""
    return cast("ResilienceApp", node.app)


class AppHandle:
    """Mixin for screens and widgets: ``self.resilience_app`` is ``self.app``, typed."""

    __slots__ = ()

    @property
    def resilience_app(self) -> ResilienceApp:
        return cast("ResilienceApp", cast("DOMNode", self).app)
