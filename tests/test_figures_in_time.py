"""A month is scored with the figures of its own time: a CQC rating published later, or a
list size from a later file, never reaches an earlier month; and an older file imported
after a newer one does not take the newer figures' place."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app

DATA = Path(__file__).parent / "data"
REGISTER = DATA / "epraccur_legacy_2019-12_sample.csv"
LISTS_2021 = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
runner = CliRunner()
HEADER = (
    "Location ID,Location ODS Code,Location Name,Location Primary Inspection Category,"
    "Service / Population Group,Domain,Latest Rating,Publication Date\n"
)


def run(db: Path, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result


def scored(db: Path, period: str) -> dict[str, dict[str, str]]:
    out = run(db, "score", "--from-db", "--period", period).stdout
    return {row["ods_code"]: row for row in csv.DictReader(io.StringIO(out))}


def test_a_rating_published_after_the_month_is_not_used(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    run(db, "import", "ods", str(REGISTER))
    run(db, "import", "list-size", str(LISTS_2021))
    cqc = tmp_path / "ratings.csv"
    cqc.write_text(
        HEADER
        + "1-1,C82001,Somewhere,GP Practices,Overall,Overall,Inadequate,2023-07-27\n"
        + "1-2,C82002,Elsewhere,GP Practices,Overall,Overall,Good,2019-03-01\n"
    )
    run(db, "import", "cqc", str(cqc))
    run(db, "month", "open", "2021-01")
    run(db, "month", "open", "2024-01")
    early, late = scored(db, "2021-01"), scored(db, "2024-01")
    # published 2023: unknown in 2021, Inadequate in 2024 (and then worse than before)
    assert "cqc_overall" in early["C82001"]["unknown_inputs"].split(";")
    assert "cqc_overall" not in late["C82001"]["unknown_inputs"].split(";")
    assert float(late["C82001"]["score"]) > float(early["C82001"]["score"])
    # published 2019 and still the latest in the 2026 file: current in 2021 too
    assert "cqc_overall" not in early["C82002"]["unknown_inputs"].split(";")


def test_an_older_list_size_file_does_not_replace_a_newer_one(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    run(db, "import", "ods", str(REGISTER))
    newer = tmp_path / "lists_2022.csv"
    rows = LISTS_2021.read_text().splitlines()
    newer.write_text(
        "\n".join(
            [rows[0]]
            + [
                line.replace("01JAN2021", "01JAN2022").rsplit(",", 1)[0] + ",1200"
                for line in rows[1:]
            ]
        )
        + "\n"
    )
    run(db, "import", "list-size", str(newer))
    run(db, "import", "list-size", str(LISTS_2021))  # the older file, imported last
    # the register keeps the newer list size (the commissioner-relative figures are
    # computed from it); the older file's figures are kept for their own months
    listed = run(db, "practices", "--format", "csv").stdout
    sizes = {r["ods_code"]: r["list_size"] for r in csv.DictReader(io.StringIO(listed))}
    assert {size for size in sizes.values() if size} == {"1200"}
    run(db, "month", "open", "2022-02")
    run(db, "month", "open", "2021-02")
    code = "C82001"
    later = run(db, "score", "--from-db", "--period", "2022-02", "--format", "jsonl").stdout
    earlier = run(db, "score", "--from-db", "--period", "2021-02", "--format", "jsonl").stdout
    assert code in later and code in earlier
    import json

    late = next(json.loads(x) for x in later.splitlines() if json.loads(x)["ods_code"] == code)
    early = next(json.loads(x) for x in earlier.splitlines() if json.loads(x)["ods_code"] == code)
    # 1,200 patients in 2022 (a small list scores higher) whatever the import order
    assert late["score"] > early["score"]
