"""A plain (non-editable) install works on its own: `pip install .` as a new user runs it.

The wheel is built from the checkout and installed, with its dependencies, into a fresh
virtual environment made by a subprocess. Everything then runs with that environment's
interpreter in isolated mode (`-I`: no PYTHONPATH, no current folder on the path), from
a folder outside the checkout, so the editable install of the development environment
cannot leak in; the test checks that the modules really come from the new environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_FRAME = textwrap.dedent(
    """
    import asyncio, sys
    import resilience, screens, scoring
    from textual.widgets import DataTable, Static
    from screens.virtual_table import VirtualTable
    from resilience.app import ResilienceApp

    async def main() -> None:
        app = ResilienceApp("sqlite:///" + sys.argv[1])
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one("#practices", VirtualTable)
            status = str(app.screen.query_one("#status", Static).render())
            print(resilience.__file__, screens.__file__, scoring.__file__)
            print(type(app.screen).__name__, table.row_count, status)
            await pilot.press("q")

    asyncio.run(main())
    """
)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installed_in_a_fresh_venv_runs_the_cli_and_the_app(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    wheel = next(dist.glob("resilience-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "resilience/cli.py",
        "resilience/importers/__init__.py",
        "resilience/importers/ods.py",
        "resilience/migrations/env.py",
        "resilience/migrations/script.py.mako",
        "resilience/migrations/versions/0001_initial_schema.py",
        "screens/practice_list.py",
        "screens/practice_list.tcss",
        "resilience/app.tcss",
        "scoring/methodology/default.toml",
        "fixtures/practices.csv",
        "fixtures/organisations.toml",
        "fixtures/cohort1.csv",
    ):
        assert required in names, required
    # every package of the checkout is in the wheel (none left out by a hand-kept list)
    for package in ("resilience", "screens", "scoring", "fixtures"):
        for init in (ROOT / package).rglob("__init__.py"):
            assert init.relative_to(ROOT).as_posix() in names, init
    assert not any(n.startswith(("tests/", "benchmarks/", "tools/")) for n in names)

    # A fresh virtual environment with the wheel and its dependencies, nothing else.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp_path / "home")  # no user data folder of the developer
    env.pop("RESILIENCE_DB", None)
    work = tmp_path / "elsewhere"  # outside the checkout: nothing importable from cwd
    work.mkdir()
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], work, env)

    where = _run(
        [str(python), "-I", "-c",
         "import resilience, resilience.importers, screens, scoring, fixtures\n"
         "for m in (resilience, resilience.importers, screens, scoring, fixtures):"
         " print(m.__file__)"],
        work,
        env,
    ).split()  # fmt: skip
    assert len(where) == 5
    for module_file in where:
        assert Path(module_file).is_relative_to(venv), module_file
        assert not Path(module_file).is_relative_to(ROOT), module_file

    exe = str(venv / "bin" / "resilience")
    db = work / "installed.db"
    _run([exe, "demo", "--db", str(db)], work, env)
    listing = _run([exe, "practices", "--db", str(db), "--format", "csv"], work, env)
    assert listing.splitlines()[0].startswith("ods_code,name,commissioner_code")
    assert len(listing.splitlines()) == 1 + 138
    scored = _run([exe, "score", str(ROOT / "docs" / "examples" / "practices.csv")], work, env)
    assert scored.splitlines()[0].startswith("ods_code,period,score,band")
    assert len(scored.splitlines()) > 1

    script = work / "first_frame.py"
    script.write_text(FIRST_FRAME, encoding="utf-8")
    frame = _run([str(python), "-I", str(script), str(db)], work, env).splitlines()
    for module_file in frame[0].split():
        assert Path(module_file).is_relative_to(venv), module_file
    assert frame[1].startswith("PracticeListScreen 138 ")
    assert "138 / 138 reviewed" in frame[1]
