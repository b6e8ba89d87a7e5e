"""How bands, movement and review marks look: always a word or symbol, colour on top,
so the list reads the same with NO_COLOR or a monochrome projector."""

from __future__ import annotations

from rich.text import Text

from resilience.agenda import ARROWS
from resilience.bands import BAND_STYLES

AREA_LETTERS = (
    ("quality", "Q"),
    ("contract", "C"),
    ("workforce", "W"),
    ("soft_intelligence", "S"),
    ("sustainability", "U"),
)
MOVE_STYLES = {"worse": "bold red", "better": "green", "same": "dim", "new": "cyan"}


def band_text(band: str | None, *, short: bool = False) -> Text:
    if not band:
        return Text("-" if short else "none", style="dim")
    label = band[0] if short else band
    return Text(label, style=BAND_STYLES.get(band, ""))


def area_bands_text(area_bands: dict[str, str]) -> Text:
    """Five letters, one per area in Q C W S U order: L, M, H or E."""
    text = Text()
    for i, (area, _letter) in enumerate(AREA_LETTERS):
        if i:
            text.append(" ")
        text.append_text(band_text(area_bands.get(area), short=True))
    return text


def movement_text(move: str, *, short: bool = True) -> Text:
    label = ARROWS[move]
    return Text(label[0] if short else label, style=MOVE_STYLES[move])


def score_text(score: float | None) -> Text:
    return Text("-" if score is None else f"{score:.1f}", justify="right")
