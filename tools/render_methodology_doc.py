"""Re-render the generated section of docs/methodology.md from the shipped method.

    python tools/render_methodology_doc.py

Run it after changing scoring/methodology/default.toml; tests/test_methodology_doc.py
fails until the document matches.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import default_methodology  # noqa: E402
from scoring.describe import END, START, describe_methodology  # noqa: E402

DOC = ROOT / "docs" / "methodology.md"


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    DOC.write_text(
        text[:start] + describe_methodology(default_methodology()) + text[end:], encoding="utf-8"
    )
    print(f"rendered {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
