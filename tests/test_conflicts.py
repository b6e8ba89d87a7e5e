"""Two people saving the same practice-month: nobody's work is silently overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from resilience.app import ResilienceApp
from resilience.services.review import compare_edits
from resilience.store import ConflictError, Store
from screens.conflict import ConflictScreen
from screens.review import ReviewScreen
from tests.pilot import settle, text_of

CODE, PERIOD = "ZE0005", "2017-03"


def test_compare_edits_merges_one_sided_changes_and_flags_both() -> None:
    base = {"a": 1, "b": 2, "c": 3, "d": 4}
    theirs = {"a": 10, "b": 2, "c": 30, "d": 4}
    mine = {"a": 1, "b": 20, "c": 31, "d": 4}
    clashes = {c.name: c for c in compare_edits(base, theirs, mine)}
    assert set(clashes) == {"a", "b", "c"}  # d agrees
    assert clashes["a"].merged == 10 and not clashes["a"].both_changed  # only theirs
    assert clashes["b"].merged == 20 and not clashes["b"].both_changed  # only mine
    assert clashes["c"].both_changed and clashes["c"].merged == 31


def test_a_stale_save_is_refused_and_names_the_newer_version(demo_store: Store) -> None:
    context = demo_store.review_context(CODE, PERIOD)
    findings = dict(context.findings)
    demo_store.save_assessment(
        CODE, PERIOD, findings, reason="first", based_on_version=context.version
    )
    with pytest.raises(ConflictError, match=f"saved version {context.version + 1}"):
        demo_store.save_assessment(
            CODE, PERIOD, findings, reason="second", based_on_version=context.version
        )
    versions = [v.version for v in demo_store.assessment_versions(CODE, PERIOD)]
    assert sorted(versions) == list(range(1, context.version + 2))


async def _edit_then_collide(pilot, app, demo_db: Path, theirs: dict) -> ReviewScreen:  # type: ignore[no-untyped-def]
    """Open CODE's review, type a new list size, let someone else save first, then save."""
    await settle(pilot)
    await pilot.press("slash", *CODE.lower(), "enter", "enter")
    await settle(pilot)
    review = app.screen
    assert isinstance(review, ReviewScreen)
    size = review.query_one("#f-list_size", Input)
    size.focus()
    size.value = "9999"
    await settle(pilot)
    # meanwhile a colleague saves the same practice-month from another process
    other = Store.open(str(demo_db))
    start = other.review_context(CODE, PERIOD)
    other.save_assessment(
        CODE,
        PERIOD,
        {**start.findings, **theirs},
        reason="colleague's update",
        based_on_version=start.version,
        actor="colleague",
    )
    other.close()
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press(*"new list size", "enter")
    await settle(pilot)
    return review


async def test_conflict_screen_merge_keeps_both_peoples_changes(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _edit_then_collide(pilot, app, demo_db, {"gp_fte": 1.5})
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        assert "colleague saved version 2" in text_of(conflict, ".question")
        table = conflict.query_one("#clashes", DataTable)
        rows = {str(table.get_row_at(i)[1]): table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == {"GP FTE", "list size"}, rows
        assert str(rows["GP FTE"][5]) == "theirs" and str(rows["list size"][5]) == "yours"
        await pilot.press("m")
        await settle(pilot)
        assert app.screen is review
        assert review.draft["gp_fte"] == 1.5 and review.draft["list_size"] == 9999
        assert "version 2" in text_of(review, "#practice-line")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press(*"merged with colleague", "enter")
        await settle(pilot)
        assert "version 3" in text_of(review, "#practice-line")
    store = Store.open(str(demo_db))
    latest = store.latest_assessment(CODE, PERIOD)
    assert latest is not None and latest.version == 3
    assert latest.findings["gp_fte"] == 1.5 and latest.findings["list_size"] == 9999


async def test_conflict_screen_keep_theirs_saves_nothing(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _edit_then_collide(pilot, app, demo_db, {"list_size": 4321})
        conflict = app.screen
        assert isinstance(conflict, ConflictScreen)
        assert "1 changed by both" in text_of(conflict, ".question")
        await pilot.press("t")
        await settle(pilot)
        assert app.screen is review and review.draft["list_size"] == 4321
    store = Store.open(str(demo_db))
    latest = store.latest_assessment(CODE, PERIOD)
    assert latest is not None and latest.version == 2 and latest.author == "colleague"


def test_cli_save_naming_an_old_version_exits_1_and_saves_nothing(
    demo_db: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from resilience.cli import app as cli

    store = Store.open(str(demo_db))
    version = store.review_context(CODE, PERIOD).version
    store.close()
    assert version >= 1
    rows = tmp_path / "rows.csv"
    rows.write_text(f"ods_code,period,list_size,based_on_version\n{CODE},{PERIOD},7000,0\n")
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--save", "--period", PERIOD, "--db", str(demo_db)]
    )
    assert result.exit_code == 1, result.output
    assert f"saved version {version} since you opened version 0" in result.output
    store = Store.open(str(demo_db))
    assert store.review_context(CODE, PERIOD).version == version
    # naming the current version saves
    rows.write_text(f"ods_code,period,list_size,based_on_version\n{CODE},{PERIOD},7000,{version}\n")
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--save", "--period", PERIOD, "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    assert store.review_context(CODE, PERIOD).version == version + 1


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_conflict_screen_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def collide(pilot) -> None:  # type: ignore[no-untyped-def]
        await _edit_then_collide(pilot, pilot.app, demo_db, {"list_size": 4321, "gp_fte": 1.5})

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=collide
    )
