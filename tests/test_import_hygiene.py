"""The engine stays pure and the script paths stay free of Textual (checked in a fresh
interpreter, so nothing imported by other tests can hide a leak)."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN_FOR_SCORING = ("textual", "sqlalchemy", "sqlmodel", "alembic", "resilience", "screens")


def loaded_top_level_modules(code: str) -> set[str]:
    script = (
        f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_scoring_imports_no_ui_or_database_code() -> None:
    loaded = loaded_top_level_modules(
        "import scoring\nfrom scoring import score, allocate, default_methodology\n"
        "default_methodology()"
    )
    leaked = sorted(set(FORBIDDEN_FOR_SCORING) & loaded)
    assert leaked == [], f"scoring pulled in {leaked}"


def test_scoring_source_imports_only_stdlib_pydantic_and_itself() -> None:
    import ast
    from pathlib import Path

    allowed = set(sys.stdlib_module_names) | {"pydantic", "scoring", "__future__"}
    root = Path(__file__).resolve().parent.parent / "scoring"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] not in allowed]
    assert offenders == []


@pytest.mark.parametrize("module", ["resilience.cli", "resilience.store", "resilience.demo"])
def test_script_paths_do_not_import_textual(module: str) -> None:
    loaded = loaded_top_level_modules(f"import {module}")
    assert "textual" not in loaded
