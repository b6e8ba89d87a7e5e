"""The GPRP cohort panel: the proposal beside decisions, and overrides on the record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from resilience.app import ResilienceApp
from resilience.store import Store, StoreError
from screens.cohort import CohortScreen
from screens.virtual_table import VirtualTable
from tests.pilot import settle, text_of


async def open_panel(pilot) -> CohortScreen:  # type: ignore[no-untyped-def]
    """From the list, g opens the newest cohort's panel."""
    await settle(pilot)
    await pilot.press("g")
    await settle(pilot)
    panel = pilot.app.screen
    assert isinstance(panel, CohortScreen)
    return panel


async def test_cohort_one_rerun_and_an_override_recorded(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(pilot)
        line = text_of(panel, "#cohort-line")
        assert "GPRP cohort 1" in line and "0 differ from the proposal" in line
        table = panel.query_one("#placements", VirtualTable)
        assert table.row_count == 52
        assert str(table.get_row_at(0)[-2]) == "Supported"
        assert "ranked 1 of 52" in text_of(panel, "#reason")
        # override the top practice: the panel judged the support would not help
        code = panel.placements[0].placement.ods_code
        await pilot.press("o")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#outcome", Select).value = "reserve"
        await pilot.press("ctrl+s")  # refused without a rationale
        await settle(pilot)
        assert "rationale is required" in text_of(dialog, "#form-error")
        dialog.query_one("#rationale", Input).focus()
        await pilot.press(*"Panel judged impact low", "enter")
        await settle(pilot)
        assert app.screen is panel
        assert "1 differ from the proposal" in text_of(panel, "#cohort-line")
        assert "Reserve ≠" in str(panel.query_one("#placements", VirtualTable).get_row_at(0)[-1])
    store = Store.open(str(demo_db))
    decided = next(a for a in store.applications("GPRP cohort 1") if a.ods_code == code)
    assert decided.outcome == "reserve" and decided.rationale == "Panel judged impact low"
    audit = store.audit_entries("application")[0]
    assert audit["old_value"] == "supported" and audit["actor"]


def test_decisions_need_a_rationale_and_a_real_applicant(demo_store: Store) -> None:
    with pytest.raises(StoreError, match="rationale"):
        demo_store.record_decision("GPRP cohort 1", "ZC0007", "reserve", "  ")
    with pytest.raises(StoreError, match="has not applied"):
        demo_store.record_decision("GPRP cohort 1", "ZZ0000", "reserve", "why")
    with pytest.raises(StoreError, match="outcome is one of"):
        demo_store.record_decision("GPRP cohort 1", "ZC0007", "maybe", "why")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_cohort_panel_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=open_it
    )


COHORT_1 = "GPRP cohort 1"
RERUN = "Cohort 1 rerun"


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*[{" ": "space", ",": "comma", "/": "slash"}.get(ch, ch) for ch in text])


async def test_cohort_one_rerun_from_the_keyboard(demo_db: Path) -> None:
    """Done-when of issue 6: create a cohort, copy cohort 1's applicants, run the
    allocation, record every decision, the panel and the lock, all with keys."""
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(pilot)
        # a new cohort with cohort 1's places and quotas, scored on the same month
        await pilot.press("N")
        await settle(pilot)
        await _type(pilot, RERUN)
        await pilot.press("tab", "1", "0", "tab", "1", "6", "tab", "end", "ctrl+u")
        await _type(pilot, "2016-09")
        await pilot.press("tab")
        await _type(pilot, "04C 4/10, 03W 1/2, 04V 5/4")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel and panel.cohort == RERUN
        assert "0 applicants" in text_of(panel, "#cohort-line")
        # copy every applicant of cohort 1 (route, date, need, impact)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#copy-from", Select).focus()
        await pilot.press("enter", "down", "enter")  # open the list, pick cohort 1
        await settle(pilot)
        assert dialog.query_one("#copy-from", Select).value == COHORT_1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel
        assert "52 applicants, 52 undecided" in text_of(panel, "#cohort-line")
        # record the engine's proposal for everybody
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "0 undecided, 0 differ" in text_of(panel, "#cohort-line")
        # the panel, then the lock
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("tab")
        await _type(pilot, "A Khan ICB, J Wood NHSE")
        await pilot.press("tab")
        await _type(pilot, "J Wood partner at ZC0099")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "A Khan ICB, J Wood NHSE" in text_of(panel, "#panel-line")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "LOCKED" in text_of(panel, "#cohort-line")
        assert not panel.check_action("override", ())  # keys that change it are gone
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is panel
    store = Store.open(str(demo_db))
    rerun = {code: outcome for code, _, outcome in store.cohort_outcomes(RERUN)}
    original = {code: outcome for code, _, outcome in store.cohort_outcomes(COHORT_1)}
    assert rerun == original
    info = store.cohort(RERUN)
    assert info.is_locked and info.declared_interests == "J Wood partner at ZC0099"
    with pytest.raises(StoreError, match="locked"):
        store.record_decision(RERUN, "ZC0007", "reserve", "too late")
    actions = {(e["action"], e["entity"]) for e in store.audit_entries()}
    assert {("create", "cohort"), ("decide", "application"), ("lock", "cohort")} <= actions


async def test_decision_ticks_support_and_need_impact_reranks(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(pilot)
        top = panel.placements[0]
        assert top.support, "the demo's top applicant has suggested support"
        # Enter decides, like o; the suggested items start ticked; untick the first
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        support = dialog.query_one("#support")
        assert set(support.selected) == set(top.application.support_items or top.support)
        first_ticked = support.selected[0]
        support.focus()
        index = [support.get_option_at_index(i).value for i in range(support.option_count)]
        for _ in range(index.index(first_ticked)):
            await pilot.press("down")
        await pilot.press("space")
        dialog.query_one("#rationale", Input).focus()
        await _type(pilot, "Diagnostic already funded by the ICB")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is panel
        # need x impact: mark a practice assessed low on both as high / high: it moves up
        row = next(
            i
            for i, p in enumerate(panel.placements)
            if (p.application.need, p.application.impact) == ("low", "low")
        )
        before = panel.placements[row]
        await pilot.press(*["down"] * row)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        for widget_id in ("need", "impact"):
            dialog.query_one(f"#{widget_id}", Select).value = "high"
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = next(
            p for p in panel.placements if p.placement.ods_code == before.placement.ods_code
        )
        assert after.placement.priority > before.placement.priority
        assert after.placement.rank < before.placement.rank
        assert "need high × impact high" in text_of(panel, "#reason")
    store = Store.open(str(demo_db))
    decided = next(a for a in store.applications(COHORT_1) if a.ods_code == top.placement.ods_code)
    assert first_ticked not in decided.support_items
    assert set(decided.support_items) == set(top.application.support_items or top.support) - {
        first_ticked
    }
    changes = [e for e in store.audit_entries("application") if e["field"] in ("need", "impact")]
    assert {e["new_value"] for e in changes} == {"high"}


async def test_forms_keep_what_was_typed_when_refused(demo_db: Path) -> None:
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        panel = app.screen
        await pilot.press("N")
        await settle(pilot)
        dialog = app.screen
        await _type(pilot, COHORT_1)  # the name is taken
        await pilot.press("tab", "2", "tab", "3", "tab", "tab")
        await _type(pilot, "04C four")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not 'CODE supported/reserve'" in text_of(dialog, "#form-error")
        quotas = dialog.query_one("#quotas", Input)
        quotas.value = "04C 1/1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "already exists" in text_of(dialog, "#form-error")
        assert dialog.query_one("#name", Input).value == COHORT_1
        await pilot.press("escape")
        await settle(pilot)
        # unknown practice codes are named and nothing is added
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        await _type(pilot, "zc0007 ZZ9999")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ZZ9999" in text_of(dialog, "#form-error")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is panel
    store = Store.open(str(demo_db))
    assert store.cohort_names() == [COHORT_1]
    assert len(store.applications(COHORT_1)) == 52


async def test_sensitivity_names_who_would_move(demo_db: Path, tmp_path: Path) -> None:
    from importlib.resources import files

    text = files("scoring.methodology").joinpath("default.toml").read_text(encoding="utf-8")
    changed = text.replace(
        "need_points = { low = 0, medium = 5, high = 10 }",
        "need_points = { low = 0, medium = 10, high = 20 }",
    )
    assert changed != text
    other = tmp_path / "need-heavy.toml"
    other.write_text(changed, encoding="utf-8")
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        dialog = app.screen
        await _type(pilot, str(tmp_path / "missing.toml"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "cannot read" in text_of(dialog, "#form-error")
        dialog.query_one("#method-path", Input).value = str(other)
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        movers = result.query_one("#movers", DataTable)
        assert movers.row_count >= 1
        assert "priority" in str(movers.get_row_at(0)[-1])


def test_lock_needs_every_decision_and_the_panel(demo_store: Store) -> None:
    demo_store.create_cohort("C2", 1, 1, assessment_period="2016-09")
    demo_store.add_applications("C2", [{"ods_code": "ZC0007", "route": "commissioner"}])
    with pytest.raises(StoreError, match="already applied"):
        demo_store.add_applications("C2", [{"ods_code": "ZC0007", "route": "commissioner"}])
    with pytest.raises(StoreError, match="route is one of"):
        demo_store.add_applications("C2", [{"ods_code": "ZC0011", "route": "telepathy"}])
    with pytest.raises(StoreError, match="1 applicant"):
        demo_store.lock_cohort("C2")
    demo_store.record_decision("C2", "ZC0007", "supported", "top of the list")
    with pytest.raises(StoreError, match="record the panel"):
        demo_store.lock_cohort("C2")
    demo_store.record_panel("C2", date(2016, 10, 3), "A Khan", "")
    demo_store.lock_cohort("C2")
    with pytest.raises(StoreError, match="locked"):
        demo_store.set_need_impact("C2", "ZC0007", "high", "high")
    with pytest.raises(StoreError, match="locked"):
        demo_store.add_applications("C2", [{"ods_code": "ZC0011", "route": "commissioner"}])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_decision_dialog_snapshot(snap_compare, demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    async def open_it(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=size, run_before=open_it
    )


# (the add-applicants and panel forms start from today's date, so no snapshot of them)
@pytest.mark.parametrize("key", ["N"], ids=["new-cohort"])
def test_cohort_forms_snapshot_80x24(snap_compare, demo_db: Path, key: str) -> None:  # type: ignore[no-untyped-def]
    async def open_form(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    assert snap_compare(
        ResilienceApp(f"sqlite:///{demo_db}"), terminal_size=(80, 24), run_before=open_form
    )


async def test_support_ticks_read_without_colour(demo_db: Path) -> None:
    """An unticked box is blank, so NO_COLOR and monochrome terminals show the state."""
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_panel(pilot)
        await pilot.press("o")
        await settle(pilot)
        support = app.screen.query_one("#support")
        for i in range(support.option_count):
            ticked = support.get_option_at_index(i).value in support.selected
            assert ("▐X▌" if ticked else "▐ ▌") in support.render_line(i).text
        assert panel is not app.screen
