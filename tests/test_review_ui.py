"""The meeting's flow, driven from the keyboard with Textual's pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from resilience.app import ResilienceApp
from screens.practice_list import PracticeListScreen
from screens.review import ReviewScreen
from screens.virtual_table import VirtualTable
from tests.pilot import settle, text_of


async def test_review_flow_from_search_to_version_two_and_next_month(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, PracticeListScreen)
        assert "2017-03 (open) · 138 / 138 reviewed" in text_of(listing, "#status")

        # search as you type, then Enter opens the review
        await pilot.press("slash", *"ze0005", "enter")
        await settle(pilot)
        table = listing.query_one("#practices", VirtualTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "ZE0005" in text_of(review, "#practice-line")
        assert "version 1 saved this month" in text_of(review, "#practice-line")
        before = text_of(review, "#overall")

        # set CQC overall to Inadequate from the keyboard: the band changes before saving
        cqc = review.query_one("#f-cqc_overall", Select)
        cqc.focus()
        await pilot.press("enter", *"inad", "enter")
        await settle(pilot)
        assert cqc.value == "inadequate"
        after = text_of(review, "#overall")
        assert after != before
        assert "High" in after or "Extreme" in after
        assert "*" in text_of(review, "#label-cqc_overall")  # unsaved edit marked

        # save: this month has a version already, so a reason is required
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # an empty reason is refused
        await settle(pilot)
        assert "reason is required" in text_of(app.screen, "#reason-error")
        await pilot.press(*"CQC report published", "enter")
        await settle(pilot)
        assert app.screen is review
        assert "version 2 saved this month" in text_of(review, "#practice-line")
        label = text_of(review, "#label-cqc_overall")
        assert "●" in label and "*" not in label  # changed this month, and saved

        # back to the list and in again: version 2 and the markers are still there
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is listing
        await pilot.press("enter")
        await settle(pilot)
        again = app.screen
        assert "version 2" in text_of(again, "#practice-line")
        assert "●" in text_of(again, "#label-cqc_overall")
        assert again.query_one("#f-cqc_overall", Select).value == "inadequate"
        await pilot.press("escape")
        await settle(pilot)

        # open the next month: every practice carries forward, none reviewed yet
        await pilot.press("x", "n")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "2017-04 (open) · 0 / 138 reviewed" in text_of(listing, "#status")
        await pilot.press("slash", *"ZE0005", "enter", "enter")
        await settle(pilot)
        carried = app.screen
        assert "starting from 2017-03" in text_of(carried, "#practice-line")
        assert carried.query_one("#f-cqc_overall", Select).value == "inadequate"
        assert "●" not in text_of(carried, "#label-cqc_overall")  # same as last month


async def test_invalid_input_is_flagged_at_the_field_and_save_is_refused(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        field = review.query_one("#f-list_size", Input)
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"lots")
        await settle(pilot)
        assert "is not a whole number" in text_of(review, "#error-list_size")
        versions_before = app.store.assessment_versions(review.ods_code, "2017-03")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)  # no reason dialog: refused first
        assert field.value == "lots"  # nothing typed is lost
        assert app.store.assessment_versions(review.ods_code, "2017-03") == versions_before
        # escape asks before throwing the edit away
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is review and field.value == "lots"


async def test_a_closed_month_is_read_only(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    app.period = "2016-11"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "2016-11 (closed, read-only)" in text_of(app.screen, "#status")
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert "CLOSED: read-only" in text_of(review, "#practice-line")
        assert review.query_one("#f-cqc_overall", Select).disabled
        code = review.ods_code
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(app.store.assessment_versions(code, "2016-11")) == 1


async def test_save_and_next_walks_the_agenda(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "y")  # a fresh month: nothing reviewed yet
        await settle(pilot)
        listing = app.screen
        order = [r.ods_code for r in listing.shown]
        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        assert review.ods_code == order[0]
        for expected in order[1:4]:
            await pilot.press("ctrl+n")  # no change this month: save as reviewed, move on
            await settle(pilot)
            assert review.ods_code == expected
        await pilot.press("alt+up")
        await settle(pilot)
        assert review.ods_code == order[2]
        await pilot.press("escape")
        await settle(pilot)
        assert "4 / 138 reviewed" in text_of(listing, "#status")  # save & previous saves too


async def test_command_palette_goes_to_a_practice_and_opens_a_month(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"go to practice ZW0011", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and app.screen.ods_code == "ZW0011"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"open period 2016-09", "enter")
        await settle(pilot)
        assert "2016-09 (closed, read-only)" in text_of(app.screen, "#status")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"filter band extreme", "enter")
        await settle(pilot)
        listing = app.screen
        assert listing.shown and all(r.band == "Extreme" for r in listing.shown)


async def test_help_lists_every_key_of_the_screen(demo_db: Path) -> None:
    from screens.help import HelpScreen

    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = dict((does, key) for key, does in app.screen.rows)
        assert described["Save"] == "^s" and described["Save & next"] == "^n"
        for action in ("Save & prev", "Back", "Help", "Quit", "Light/dark"):
            assert action in described
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_soft_intelligence_added_in_the_review_counts_at_once(demo_db: Path) -> None:
    from textual.widgets import Switch

    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ZW0005", "enter", "enter")
        await settle(pilot)
        review = app.screen
        quiet = review.result.area("soft_intelligence").band
        assert quiet == "Low"
        await pilot.press("f3")
        await settle(pilot)
        form = app.screen
        form.query_one("#source", Select).value = "staff_whistleblower"
        form.query_one("#severity", Select).value = 4
        form.query_one("#confidence", Select).value = "high"
        form.query_one("#corroborated", Switch).value = True
        form.query_one("#whistleblowing", Switch).value = True
        form.query_one("#confidential", Switch).value = True
        form.query_one("#received", Input).value = "2017-03-02"
        form.query_one("#text", Input).value = "Staff member reports unsafe rotas."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is review
        assert review.result.area("soft_intelligence").band in ("High", "Extreme")
        table = review.query_one("#soft-intel", DataTable)
        assert table.row_count == 1 and "Staff / whistleblower" in str(table.get_row_at(0))
        # correct it: not corroborated after all
        table.focus()
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#corroborated", Switch).value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        entry = app.store.soft_intel("ZW0005")[0]
        assert not entry.corroborated
        audit = [e for e in app.store.audit_entries("soft_intel") if e["field"] == "corroborated"]
        assert audit and audit[0]["old_value"] == "True" and audit[0]["new_value"] == "False"


async def test_imported_figures_show_their_source_in_the_form(demo_db: Path) -> None:
    from typer.testing import CliRunner

    from resilience.cli import app as cli

    data = Path(__file__).resolve().parent / "data" / "cqc_ratings_sample.csv"
    assert (
        CliRunner().invoke(cli, ["import", "cqc", str(data), "--db", str(demo_db)]).exit_code == 0
    )
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # March was reviewed before the import: the figure is offered, not used
        await pilot.press("slash", *"ZC0001", "enter", "enter")
        await settle(pilot)
        review = app.screen
        label = review.query_one("#label-cqc_overall", Static)
        assert "≠" in str(label.render())
        assert "Requires improvement" in str(label.tooltip) or "requires_improvement" in str(
            label.tooltip
        )
        assert "cqc_ratings_sample.csv as of 2017-02-14" in str(label.tooltip)
        await pilot.press("escape")
        await settle(pilot)
        # a new month starts from it, marked ⇣
        await pilot.press("x", "n", "y")
        await settle(pilot)
        await pilot.press("slash", *"ZC0001", "enter", "enter")
        await settle(pilot)
        review = app.screen
        assert review.query_one("#f-cqc_overall", Select).value == "requires_improvement"
        assert "⇣" in str(review.query_one("#label-cqc_overall", Static).render())
        assert "figure(s) from imported files" in text_of(review, "#practice-line")


async def test_closing_a_month_and_correcting_it_later(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "y")  # open 2017-04 and review just one practice
        await settle(pilot)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        listing = app.screen
        await pilot.press("c")
        await settle(pilot)
        question = text_of(app.screen, ".question")
        assert "137 practice(s) are not reviewed" in question
        await pilot.press("y")
        await settle(pilot)
        assert "2017-04 (closed, read-only)" in text_of(listing, "#status")

        await pilot.press("enter")
        await settle(pilot)
        review = app.screen
        code = review.ods_code
        assert "f4 to correct" in text_of(review, "#practice-line")
        await pilot.press("ctrl+s")  # refused: read-only
        await settle(pilot)
        assert len(app.store.assessment_versions(code, "2017-04")) == 1
        await pilot.press("f4")
        await settle(pilot)
        assert "CORRECTING" in text_of(review, "#practice-line")
        field = review.query_one("#f-qof_achievement_pct", Input)
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"80")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "what was wrong" in text_of(app.screen, ".question")
        await pilot.press(*"QOF figure was mistyped", "enter")
        await settle(pilot)
        versions = app.store.assessment_versions(code, "2017-04")
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].is_correction and versions[1].reason == "QOF figure was mistyped"
        assert versions[0].findings["qof_achievement_pct"] != 80.0  # the original stands
        assert "version 2 correction" in text_of(review, "#practice-line")
