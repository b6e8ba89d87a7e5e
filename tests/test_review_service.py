"""The meeting's services: periods, carry-forward, the agenda order, review context."""

from __future__ import annotations

import pytest

from resilience.agenda import ListFilter, agenda_group, agenda_order, apply_filter, movement
from resilience.fields import FieldError, parse_value, show_value
from resilience.services.review import changed_fields, preview, unsaved_fields
from resilience.store import Store, StoreError, next_month, previous_month


def test_month_arithmetic() -> None:
    assert next_month("2016-12") == "2017-01" and next_month("2017-03") == "2017-04"
    assert previous_month("2017-01") == "2016-12" and previous_month("2016-10") == "2016-09"


def test_opening_the_next_month_carries_every_practice_forward(demo_store: Store) -> None:
    opened = demo_store.open_next_period(actor="chair")
    assert opened.period == "2017-04" and not opened.is_closed
    rows = demo_store.agenda_rows("2017-04")
    assert len(rows) == 138
    assert not any(r.reviewed for r in rows)  # nothing saved until reviewed
    march = {r.ods_code: r for r in demo_store.agenda_rows("2017-03")}
    for row in rows:
        assert row.score == march[row.ods_code].score  # last month's result carried
        assert row.previous_score == march[row.ods_code].score
    context = demo_store.review_context("ZC0007", "2017-04")
    assert context.version == 0 and context.carried_from == "2017-03"
    assert context.findings["cqc_overall"] == "requires_improvement"
    assert changed_fields(context, context.findings) == set()


def test_agenda_puts_new_high_and_deteriorations_first(demo_store: Store) -> None:
    rows = agenda_order(demo_store.agenda_rows("2016-11"))
    groups = [agenda_group(r) for r in rows]
    first_rest = groups.index("")
    assert all(g for g in groups[:first_rest]) and not any(groups[first_rest:])
    assert groups[0] == "new High/Extreme"
    assert rows[0].band in ("High", "Extreme") and rows[0].previous_band not in ("High", "Extreme")
    order = ["new High/Extreme", "deteriorated", "contract notice", "new soft intelligence"]
    assert [g for g in groups[:first_rest]] == sorted(groups[:first_rest], key=order.index)
    zw0020 = next(r for r in rows if r.ods_code == "ZC0015")
    assert zw0020.contract_notices_open == 0  # remedied in November
    assert movement(zw0020) in ("better", "same")


def test_filters_and_search(demo_store: Store) -> None:
    rows = demo_store.agenda_rows("2017-03")
    assert [r.ods_code for r in apply_filter(rows, ListFilter(text="zc0007"))] == ["ZC0007"]
    name = next(r for r in rows if r.ods_code == "ZW0011").name
    assert "ZW0011" in [r.ods_code for r in apply_filter(rows, ListFilter(text=name[:6]))]
    city = apply_filter(rows, ListFilter(commissioner="City"))
    assert len(city) == 59
    assert len(apply_filter(rows, ListFilter(commissioner="04C"))) == 59
    high = apply_filter(rows, ListFilter(band="High"))
    assert high and all(r.band == "High" for r in high)
    assert apply_filter(rows, ListFilter(reviewed=False)) == []
    f = ListFilter(text="oak", band="High", reviewed=True)
    assert f.active and f.describe() == '"oak", High, reviewed'


def test_review_context_and_live_preview(demo_store: Store) -> None:
    context = demo_store.review_context("ZE0005", "2016-11")
    assert context.version == 1 and context.period_closed
    assert changed_fields(context, context.findings) == {
        "partnership_change",
        "premises_risk",
        "financial_risk",
    }
    draft = {**context.findings, "cqc_overall": "inadequate"}
    assert unsaved_fields(context, draft) == {"cqc_overall"}
    before, after = preview(context, context.findings), preview(context, draft)
    assert after.area("quality").band in ("High", "Extreme")
    assert after.score >= before.score
    assert before.score == demo_store.period_results("2016-11")["ZE0005"].score
    with pytest.raises(StoreError, match="no practice"):
        demo_store.review_context("ZZ9999", "2016-11")


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("cqc_overall", "Requires improvement", "requires_improvement"),
        ("cqc_overall", "", None),
        ("single_handed", "yes", True),
        ("list_size", "12,463", 12463),
        ("gp_fte", "4.5", 4.5),
        ("qof_achievement_pct", "84.5%", 84.5),
        ("cqc_last_inspection", "2016-05-12", __import__("datetime").date(2016, 5, 12)),
    ],
)
def test_parse_typed_values(field: str, text: str, value: object) -> None:
    assert parse_value(field, text) == value
    if value is not None:
        assert parse_value(field, show_value(field, value)) == value


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("list_size", "lots", "list size: 'lots' is not a whole number, at least 0"),
        ("qof_achievement_pct", "120", "out of range; expected a number from 0 to 100"),
        ("cqc_overall", "excellent", "one of outstanding, good"),
        ("cqc_last_inspection", "12/05/2016", "a date written YYYY-MM-DD"),
        ("single_handed", "maybe", "yes or no"),
    ],
)
def test_bad_typed_values_say_what_is_accepted(field: str, text: str, message: str) -> None:
    with pytest.raises(FieldError, match=message.replace("(", r"\(")):
        parse_value(field, text)
