"""What the screens look like, at the smallest supported terminal and a roomy one.

After a deliberate change: review snapshot_report.html, then `pytest --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from resilience.app import ResilienceApp
from tests.pilot import settle

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_practice_list(snap_compare, demo_db: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=settle
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_form(snap_compare, demo_db: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def open_review(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("slash", *"ZE0005", "enter", "enter")
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=open_review
    )


def test_help_screen(snap_compare, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def open_help(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=(80, 24), run_before=open_help
    )
