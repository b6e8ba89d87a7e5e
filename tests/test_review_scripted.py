"""The review form of a practice whose only version this month a script saved
(`resilience score --from-db --save`): it says so, and the first review needs no reason."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select
from typer.testing import CliRunner

from resilience.app import ResilienceApp
from resilience.cli import app as cli
from resilience.services.review import load_review
from resilience.store import Store
from screens.review import ReviewScreen
from tests.pilot import settle, text_of


def scripted_month(db: Path) -> None:
    """2017-04 opened and scored by a script: every practice has version 1, unreviewed."""
    store = Store.open(str(db))
    store.open_period("2017-04")
    store.close()
    result = CliRunner().invoke(
        cli, ["score", "--from-db", "--save", "--period", "2017-04", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output


def test_the_review_context_knows_a_scripted_version(demo_db: Path) -> None:
    scripted_month(demo_db)
    store = Store.open(str(demo_db))
    context = load_review(store, "ZE0005", "2017-04")
    assert context.version == 1 and context.version_scripted
    reviewed = load_review(store, "ZE0005", "2017-03")  # a person saved this one
    assert reviewed.version >= 1 and not reviewed.version_scripted
    store.close()


async def test_the_form_says_scored_by_script_and_the_first_review_needs_no_reason(
    demo_db: Path,
) -> None:
    scripted_month(demo_db)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ZE0005", "enter", "enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        line = text_of(review, "#practice-line")
        assert "2017-04" in line and "scored by script (not reviewed): version 1" in line
        assert "saved this month" not in line

        cqc = review.query_one("#f-cqc_overall", Select)
        cqc.focus()
        await pilot.press("enter", *"inad", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")  # over a script's score: no reason asked
        await settle(pilot)
        assert app.screen is review
        assert "version 2 saved this month" in text_of(review, "#practice-line")
        await pilot.press("escape")
        await settle(pilot)
