"""The bands' names and colours, from one source.

The names are the method's: ``[[matrix_bands]]`` of the shipped method
(``scoring/methodology/default.toml``), lowest risk first. Their look is given here by
severity (the first band the calmest, the last the most alarming) and used by every
place that shows a band: the practice list and dashboard (terminal styles), the
spreadsheet export and the meeting pack (cell fills). A method that renamed its bands
would be shown with the same colours in the same order without touching any screen.

The method file is read with the standard library (the package is located, not
imported), so the list's first frame still loads neither the scoring engine nor pydantic.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BandLook:
    name: str
    style: str  # a Rich style for the terminal; the word is always shown too (NO_COLOR)
    fill: str  # RRGGBB for spreadsheet cells and the HTML meeting pack


# By severity, lowest first: (terminal style, fill).
_LOOKS: tuple[tuple[str, str], ...] = (
    ("green", "C6EFCE"),
    ("yellow", "FFEB9C"),
    ("bold dark_orange", "F8CBAD"),
    ("bold red", "FF7C80"),
)


def _method_band_names() -> tuple[str, ...]:
    spec = find_spec("scoring")
    assert spec is not None and spec.submodule_search_locations, "scoring is installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "methodology" / "default.toml"
    with path.open("rb") as file:
        method = tomllib.load(file)
    names = tuple(str(band["name"]) for band in method["matrix_bands"])
    if len(names) != len(_LOOKS):
        raise RuntimeError(
            f"{path}: the method names {len(names)} bands and resilience/bands.py gives "
            f"{len(_LOOKS)} looks; give each band a look"
        )
    return names


BANDS: tuple[str, ...] = _method_band_names()
LOOKS: dict[str, BandLook] = {
    name: BandLook(name, style, fill) for name, (style, fill) in zip(BANDS, _LOOKS, strict=True)
}
BAND_STYLES: dict[str, str] = {name: look.style for name, look in LOOKS.items()}
BAND_FILLS: dict[str, str] = {name: look.fill for name, look in LOOKS.items()}
# The two highest bands: what the agenda and the pack call "High or Extreme".
ELEVATED: tuple[str, ...] = BANDS[-2:]


def band_css() -> str:
    """The meeting pack's CSS classes, one per band (two to a line)."""
    rules = [f".{name} {{ background: #{look.fill.lower()}; }}" for name, look in LOOKS.items()]
    return "\n".join(" ".join(rules[i : i + 2]) for i in range(0, len(rules), 2))
