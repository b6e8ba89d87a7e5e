"""`resilience month` from a script, and the whole month run as a cron job would."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store, StoreError

DATA = Path(__file__).parent / "data"
REAL = next(
    (
        p / "shared/data/real"
        for p in Path(__file__).resolve().parents
        if (p / "shared/data/real").is_dir()
    ),
    None,
)
runner = CliRunner()


def run(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--db", str(db)])


def test_month_open_status_close_with_audit_and_exit_codes(demo_db: Path) -> None:
    store = Store.open(str(demo_db))
    latest = store.latest_period()
    total = len(store.agenda_rows(latest.period)) if latest else 0
    store.close()
    assert latest is not None
    listing = run(demo_db, "month", "list")
    assert listing.exit_code == 0 and f"{latest.period}  {latest.status}" in listing.output
    assert listing.output.count("opened") == len(Store.open(str(demo_db)).periods())

    opened = run(demo_db, "month", "open")  # the month after the newest
    assert opened.exit_code == 0, opened.output
    new = opened.output.split()[-1].rstrip(".")
    assert new > latest.period
    assert "already open" in run(demo_db, "month", "open", new).output

    status = run(demo_db, "month", "status")
    assert status.exit_code == 0
    assert f"{new}: open; {total} practices, reviewed 0, unreviewed {total}" in status.output

    closed = run(demo_db, "month", "close", new)
    assert closed.exit_code == 0 and f"Closed {new}." in closed.stdout
    assert f"{total} practice(s) were not reviewed" in closed.stderr

    for args, sentence in (
        (("close", new), "already closed"),
        (("open", new), "a closed month is read-only"),
        (("status", "2031-07"), "resilience month open 2031-07"),
        (("close", "2031-07"), "resilience month open 2031-07"),
        (("open", "July"), "is not a month"),
    ):
        refused = run(demo_db, "month", *args)
        assert refused.exit_code == 2 and sentence in refused.stderr, (args, refused.output)

    store = Store.open(str(demo_db))
    actions = [(e["action"], e["entity_id"]) for e in store.audit_entries("review_period")]
    store.close()
    assert ("open", new) in actions and ("close", new) in actions


def test_a_viewer_may_not_open_a_month(demo_db: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    admin = Store.open(str(demo_db))
    admin.set_role("reader", "viewer")
    admin.close()
    act_as("reader")
    refused = run(demo_db, "month", "open", "2030-01")
    assert refused.exit_code == 2 and "reader is a viewer" in refused.stderr
    # a month that exists: the viewer hears the refusal, not "already open"
    existing = run(demo_db, "month", "open", "2017-03")
    assert existing.exit_code == 2 and "reader is a viewer" in existing.stderr
    assert "already open" not in existing.output


def test_a_closed_month_is_refused_by_the_store_itself(demo_db: Path) -> None:
    # the app opens months through the store, not the CLI: the refusal lives there
    store = Store.open(str(demo_db))
    try:
        closed = next(p for p in store.periods() if p.is_closed)
        with pytest.raises(StoreError, match="closed month is read-only"):
            store.open_period(closed.period)
        assert next(p for p in store.periods() if p.period == closed.period).is_closed
    finally:
        store.close()


def test_score_from_db_names_the_command_that_opens_the_month(demo_db: Path) -> None:
    result = run(demo_db, "score", "--from-db", "--period", "2031-07")
    assert result.exit_code == 2
    assert "resilience month open 2031-07" in result.stderr


# ------------------------------------------------------------------ the month from cron


SAMPLES = {
    "register": DATA / "epraccur_legacy_2019-12_sample.csv",
    "list_size": DATA / "gp-reg-pat-prac-all_2021-01_sample.csv",
    "cqc": DATA / "cqc_ratings_sample.csv",
}


def _real_files() -> dict[str, Path]:
    assert REAL is not None
    return {
        "register": REAL / "validation/epraccur_2019-12.zip",
        "list_size": REAL / "validation/gp-reg-pat-prac-all_2021-01.zip",
        "cqc": REAL / "cqc_gp_locations_2026-01.xlsx",
    }


@pytest.mark.parametrize(
    "file_set",
    [
        "samples",
        pytest.param(
            "real",
            marks=pytest.mark.skipif(
                REAL is None,
                reason="the real national files (../shared/data/real/) are not here",
            ),
        ),
    ],
)
def test_the_whole_month_as_a_cron_job(tmp_path: Path, file_set: str) -> None:
    """Fresh database, no terminal, one command after another; every step exits 0 and
    the meeting pack names the commissioners as the register stores them.

    The "real" case imports the files exactly as published (zip, xlsx). No ODS names
    file is among them: the CQC care directory names the sub-ICB locations (its
    "Location Commissioning CCG" column), so the pack must show those names, not
    "Commissioner 03W". The samples carry no names, so they are named by hand."""
    files = SAMPLES if file_set == "samples" else _real_files()
    db = tmp_path / "month.db"
    env = {**os.environ, "RESILIENCE_DB": str(db)}
    steps = [
        ("import", "ods", str(files["register"]), "--create"),  # a new database, explicitly
        ("import", "list-size", str(files["list_size"])),
        ("import", "cqc", str(files["cqc"])),
        ("scope", "set", "03W", "04C", "04V"),  # the LLR patch, set after a national import
        ("month", "open", "2021-01"),
        ("score", "--from-db", "--save", "--period", "2021-01", "-o", str(tmp_path / "s.csv")),
        ("report", "--period", "2021-01", "--format", "html", "-o", str(tmp_path / "pack.html")),
        ("export", "--period", "2021-01", "--format", "xlsx", "-o", str(tmp_path / "pack.xlsx")),
        ("month", "close", "2021-01"),
    ]
    outputs = []
    for step in steps:
        if step[0] == "report" and file_set == "samples":
            _name_by_hand(db)
        done = subprocess.run(
            [sys.executable, "-m", "resilience.cli", *step],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
        )
        print(" ".join(step[:2]), done.returncode, done.stdout[-300:], done.stderr[-300:])
        assert done.returncode == 0, (step, done.stdout, done.stderr)
        outputs.append(done)
    assert "resilience scope set" in outputs[0].stderr  # no terminal: says how, imports
    assert "Closed 2021-01." in outputs[-1].stdout

    store = Store.open(str(db))
    tree = store.commissioner_tree()
    practices = store.list_practices()
    shown = {row.commissioner_code for row in practices}
    scored = set(store.period_results("2021-01"))
    store.close()
    assert shown == {"03W", "04C", "04V"}
    assert scored and scored <= {row.ods_code for row in practices}  # the patch, active
    pack = (tmp_path / "pack.html").read_text(encoding="utf-8")
    for code in shown:
        name = tree[code][0]
        assert not name.startswith("Commissioner "), f"{code} has no real name: {name!r}"
        assert html.escape(name) in pack
    assert (tmp_path / "pack.xlsx").stat().st_size > 0


def _name_by_hand(db: Path) -> None:
    """The samples come without the ODS organisation files that name commissioners:
    name them as a person would, with `resilience commissioners name`."""
    for code, name in (
        ("03W", "NHS East Leicestershire and Rutland CCG"),
        ("04C", "NHS Leicester City CCG"),
        ("04V", "NHS West Leicestershire CCG"),
    ):
        named = run(db, "commissioners", "name", code, name)
        assert named.exit_code == 0, named.output


def test_a_scripted_score_is_not_a_review(tmp_path: Path) -> None:
    """`score --from-db --save` from cron stores public-data scores; the month still says
    nobody reviewed those practices, until a person does (and a later rescore keeps it)."""
    db = tmp_path / "m.db"
    assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    assert run(db, "import", "ods", str(SAMPLES["register"])).exit_code == 0
    assert run(db, "import", "list-size", str(SAMPLES["list_size"])).exit_code == 0
    assert run(db, "month", "open", "2021-01").exit_code == 0
    saved = run(db, "score", "--from-db", "--save", "--period", "2021-01", "-o", "/dev/null")
    assert saved.exit_code == 0, saved.output
    status = run(db, "month", "status", "2021-01").stdout
    total = int(status.split(" practices")[0].rsplit(" ", 1)[1])
    assert f"reviewed 0, unreviewed {total}" in status

    store = Store.open(str(db))
    code = store.unreviewed("2021-01")[0]
    context = store.review_context(code, "2021-01")
    # the first person's review over the script's score needs no reason
    store.save_assessment(code, "2021-01", context.findings, based_on_version=context.version)
    store.close()
    assert f"reviewed 1, unreviewed {total - 1}" in run(db, "month", "status", "2021-01").stdout
    again = run(db, "score", "--from-db", "--save", "--period", "2021-01", "-o", "/dev/null")
    assert again.exit_code == 0, again.output
    assert f"reviewed 1, unreviewed {total - 1}" in run(db, "month", "status", "2021-01").stdout
