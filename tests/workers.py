"""Processes that write to one database at once, for the concurrency and crash tests.

    python -m tests.workers saves DB WORKER COUNT CODE [CODE ...]

saves COUNT new versions (round-robin over the codes), each naming the version it
started from and retrying on a conflict, and prints one line per acknowledged save:
``ack CODE VERSION`` (flushed at once, so a killed process has reported exactly what
the store acknowledged), then ``done CONFLICTS``. COUNT 0 means until killed.
"""

from __future__ import annotations

import itertools
import sys

from resilience.store import ConflictError, Store

PERIOD = "2017-03"


def saves(db: str, worker: str, count: int, codes: list[str]) -> None:
    store = Store.open(db)
    conflicts = 0
    numbers = itertools.count() if count == 0 else iter(range(count))
    for n in numbers:
        code = codes[n % len(codes)]
        while True:
            context = store.review_context(code, PERIOD)
            findings = dict(context.findings)
            findings["list_size"] = 5000 + n % 1000
            try:
                saved = store.save_assessment(
                    code,
                    PERIOD,
                    findings,
                    reason=f"{worker} save {n}",
                    based_on_version=context.version,
                    actor=worker,
                )
            except ConflictError:
                conflicts += 1
                continue
            print(f"ack {code} {saved.version}", flush=True)
            break
    print(f"done {conflicts}", flush=True)
    store.close()


if __name__ == "__main__":
    kind, db, worker, count, *codes = sys.argv[1:]
    if kind != "saves":
        raise SystemExit(f"unknown job {kind}")
    saves(db, worker, int(count), codes)
