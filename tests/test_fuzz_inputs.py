"""Hypothesis throws bad files at every importer and at `resilience score`: random bytes,
truncated files, huge fields, odd encodings, wrong types. Whatever comes in, the answer
is a sentence and an exit code (0 for a file that happens to be valid, else 1 or 2),
never a traceback, and a rejected file leaves the database exactly as it was."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from resilience.cli import app as cli

DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "practices.csv"
SAMPLES = {
    "ods": DATA / "epraccur_ods_2026_sample.csv",
    "list-size": DATA / "gp-reg-pat-prac-all_2026-04_sample.csv",
    "cqc": DATA / "cqc_ratings_sample.csv",
    "workforce": DATA / "gp_workforce_practice_sample.csv",
}
TABLES = ("practice", "commissioner", "practice_figure", "import_batch", "audit_log", "assessment")
runner = CliRunner()
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fingerprint(db: Path) -> tuple[int, ...]:
    with sqlite3.connect(db) as connection:
        return tuple(connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)


def _mangled(sample: bytes) -> st.SearchStrategy[bytes]:
    """Bad versions of a real file, and plain garbage."""
    text = sample.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    return st.one_of(
        st.binary(max_size=2_000),
        st.integers(0, len(sample)).map(lambda n: sample[:n]),  # truncated anywhere
        st.sampled_from(["utf-16", "utf-32", "cp1252", "latin-1"]).map(
            lambda enc: text.replace("a", "é", 3).encode(enc, errors="replace")
        ),
        st.tuples(st.integers(1, max(1, len(lines) - 1)), st.integers(100_000, 2_000_000)).map(
            lambda t: "".join(lines[: t[0]]).encode() + b"Z" * t[1] + b"," * 3 + b"\n"
        ),  # one enormous field
        st.tuples(
            st.integers(0, max(0, len(text) - 1)),
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
        ).map(lambda t: (text[: t[0]] + t[1] + text[t[0] + len(t[1]) :]).encode()),  # wrong types
        st.just(b"\x00" * 64 + sample),
    )


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_importers_survive_anything(kind: str, demo_db: Path) -> None:
    sample = SAMPLES[kind].read_bytes()
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{kind}-"))

    @FUZZ
    @given(content=_mangled(sample))
    def run(content: bytes) -> None:
        path = folder / "input.csv"
        path.write_bytes(content)
        before = _fingerprint(demo_db)
        result = runner.invoke(cli, ["import", kind, str(path), "--db", str(demo_db)])
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code != 0:
            assert result.output.strip().startswith("resilience:") or "row" in result.output
            assert _fingerprint(demo_db) == before, "a rejected file changed the database"

    run()


def test_score_survives_anything(tmp_path: Path) -> None:
    sample = EXAMPLE.read_bytes()

    @FUZZ
    @given(content=_mangled(sample), as_jsonl=st.booleans())
    def run(content: bytes, as_jsonl: bool) -> None:
        path = tmp_path / ("input.jsonl" if as_jsonl else "input.csv")
        path.write_bytes(content)
        result = runner.invoke(cli, ["score", str(path), "--period", "2017-03"])
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), repr(result.exception)
        if result.exit_code:
            assert "resilience:" in result.output

    run()
