"""A plain (non-editable) install carries the demo data, the method and the migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_packages_and_data_and_works_installed(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("resilience-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "resilience/cli.py",
        "resilience/migrations/env.py",
        "resilience/migrations/versions/0001_initial_schema.py",
        "screens/practice_list.py",
        "screens/practice_list.tcss",
        "scoring/methodology/default.toml",
        "fixtures/practices.csv",
        "fixtures/organisations.toml",
        "fixtures/cohort1.csv",
    ):
        assert required in names, required
    assert not any(n.startswith("tests/") for n in names)

    # Install it into a folder and load the demo from there, away from the checkout.
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import fixtures, scoring, resilience\n"
        "from resilience.demo import create_demo_database\n"
        "s = create_demo_database('installed.db')\n"
        "print(fixtures.__file__, scoring.__file__, len(s.list_practices()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r})\n{code}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0].startswith(str(target)) and out[1].startswith(str(target))
    assert out[2] == "138"
