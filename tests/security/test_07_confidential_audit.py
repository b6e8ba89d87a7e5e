"""Item 7: confidential text never enters the audit log, whatever order the fields of one
edit come in: declassifying and rewording together, or classifying and rewording."""

from __future__ import annotations

import json
from datetime import date
from itertools import permutations

import pytest

from resilience.domain import SOFT_INTEL_SOURCES
from resilience.store import Store
from tests.test_store import small_register

SECRET = "Dr Jones told us the partners falsify the rota (name withheld)"


def _entry(store: Store, *, confidential: bool, text: str = SECRET) -> int:
    return store.add_soft_intel(
        "ZT0001",
        received_on=date(2016, 4, 5),
        source=next(iter(SOFT_INTEL_SOURCES)),
        category="workforce",
        severity=4,
        confidence="medium",
        text=text,
        confidential=confidential,
    ).id


@pytest.fixture
def store(database_url: str):  # type: ignore[no-untyped-def]
    opened = Store.open(database_url, create=True)
    small_register(opened)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    "order", list(permutations(["confidential", "text", "severity"])), ids=lambda o: "-".join(o)
)
def test_declassify_and_reword_keeps_the_old_secret_out(store: Store, order) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(store, confidential=True)
    values = {"confidential": False, "text": "Rota concerns raised; being checked", "severity": 3}
    store.update_soft_intel(entry, {field: values[field] for field in order})
    log = json.dumps(store.audit_entries(), default=str)
    assert SECRET not in log
    assert "name withheld" not in log
    assert "Rota concerns raised" not in log  # written in the same confidential edit


@pytest.mark.parametrize("order", [("text", "confidential"), ("confidential", "text")])
def test_classify_and_reword_keeps_the_new_secret_out(store: Store, order) -> None:  # type: ignore[no-untyped-def]
    entry = _entry(store, confidential=False, text="Rota worries")
    secret = "Named nurse says: " + SECRET
    values = {"confidential": True, "text": secret}
    store.update_soft_intel(entry, {field: values[field] for field in order})
    log = json.dumps(store.audit_entries(), default=str)
    assert SECRET not in log
    changed = [e for e in store.audit_entries("soft_intel") if e["field"] == "confidential"]
    assert changed and changed[0]["new_value"] in ("True", "true", "1")
