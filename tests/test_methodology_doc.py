"""docs/methodology.md matches the shipped method: its tables and worked example are
rendered from default.toml, and must be re-rendered when the method changes."""

from __future__ import annotations

from pathlib import Path

from scoring import default_methodology
from scoring.describe import END, START, describe_methodology

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


def test_the_document_shows_the_current_defaults() -> None:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(START), text.index(END) + len(END)
    embedded = text[start:end]
    current = describe_methodology(default_methodology())
    assert embedded == current, (
        "docs/methodology.md is out of date with scoring/methodology/default.toml; "
        "re-render it with: python tools/render_methodology_doc.py"
    )


def test_every_rule_and_floor_is_in_the_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    method = default_methodology()
    for item in (*method.rules, *method.floors, *method.overall_floors):
        assert f"| {item.id} |" in text, item.id
    assert method.version in text
