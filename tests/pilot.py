"""Helpers for driving the app with Textual's pilot."""

from __future__ import annotations

from textual.widgets import Static


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let background jobs (database reads and writes) finish and the screen repaint."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())
