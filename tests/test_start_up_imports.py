"""What the app draws first and `resilience score FILE` do not import: the database
stack (checked in a fresh interpreter, so nothing imported by other tests can hide it).
The timing itself lives in the benchmarks (benchmarks/tui_probe.py frame)."""

from __future__ import annotations

from pathlib import Path

from tests.test_import_hygiene import loaded_top_level_modules

DATABASE_STACK = {"sqlalchemy", "sqlmodel", "alembic"}


def test_the_first_frame_of_the_app_needs_no_database_stack() -> None:
    loaded = loaded_top_level_modules(
        "import resilience.app, screens.practice_list, screens.virtual_table\n"
        "import resilience.agenda, screens.bands\n"
        "print('models' if 'resilience.models' in __import__('sys').modules else '')"
    )
    assert not DATABASE_STACK & loaded
    assert "models" not in loaded


def test_scoring_a_file_needs_no_database_stack(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "docs" / "examples" / "practices.csv"
    out = tmp_path / "scored.csv"
    loaded = loaded_top_level_modules(
        "import sys\nfrom resilience.cli import app\n"
        f"sys.argv = ['resilience', 'score', {str(example)!r}, '--output', {str(out)!r}]\n"
        "try:\n    app()\n"
        "except SystemExit as exit:\n    assert exit.code in (0, None), exit.code\n"
    )
    assert out.read_text().count("\n") > 1  # it did score the file
    assert not DATABASE_STACK & loaded
