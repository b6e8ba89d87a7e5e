"""The same store on a real PostgreSQL server: the demo loads and scores identically,
history is append-only in the database itself, and concurrent savers queue instead of
overwriting each other. Skipped, with the reason printed, when no server is given."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from resilience.demo import create_demo_database
from resilience.store import ConflictError, Store
from tests.test_store import GOOD, small_register


def test_the_demo_loads_and_scores_the_same_as_on_sqlite(
    postgres_url: str, demo_store: Store
) -> None:
    store = create_demo_database(postgres_url)
    assert len(store.list_practices()) == 138
    on_pg = store.period_results("2017-03")
    on_sqlite = demo_store.period_results("2017-03")
    assert {c: (r.score, r.band) for c, r in on_pg.items()} == {
        c: (r.score, r.band) for c, r in on_sqlite.items()
    }
    assert [r.ods_code for r in store.agenda_rows("2017-03")] == [
        r.ods_code for r in demo_store.agenda_rows("2017-03")
    ]
    assert store.cohort_outcomes("GPRP cohort 1") == demo_store.cohort_outcomes("GPRP cohort 1")
    store.close()


@pytest.mark.parametrize("table", ["assessment", "audit_log"])
def test_history_cannot_be_rewritten_on_postgres(postgres_url: str, table: str) -> None:
    store = Store.open(postgres_url)
    small_register(store)
    store.open_period("2016-04")
    store.save_assessment("ZT0001", "2016-04", GOOD)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(text(statement))
    store.close()


def test_concurrent_saves_queue_and_number_versions_without_gaps(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    small_register(store)
    store.open_period("2016-04")
    store.close()
    errors: list[BaseException] = []
    acknowledged: list[int] = []

    def writer(name: str) -> None:
        mine = Store.open(postgres_url)
        try:
            for n in range(15):
                while True:
                    version = mine.review_context("ZT0001", "2016-04").version
                    try:
                        saved = mine.save_assessment(
                            "ZT0001",
                            "2016-04",
                            {**GOOD, "list_size": 8000 + n},
                            reason=f"{name} {n}",
                            based_on_version=version,
                            actor=name,
                        )
                    except ConflictError:
                        continue
                    acknowledged.append(saved.version)
                    break
        except BaseException as exc:
            errors.append(exc)
        finally:
            mine.close()

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(acknowledged) == list(range(1, 6 * 15 + 1))
    store = Store.open(postgres_url)
    versions = [v.version for v in store.assessment_versions("ZT0001", "2016-04")]
    assert versions == list(range(1, 91))
    store.close()
