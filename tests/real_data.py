"""Where the real national files are: `../shared/data/real/` beside the project (or in
any folder above it). Tests that need them skip, saying why, when it is absent."""

from __future__ import annotations

from pathlib import Path

REAL: Path = next(
    (
        parent / "shared" / "data" / "real"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "data" / "real").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "real",
)
