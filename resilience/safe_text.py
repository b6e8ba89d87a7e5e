"""Text from files and colleagues, made safe for a terminal, a screen or a spreadsheet.

Every name, reason and note is hostile until shown otherwise:

* ``clean`` shows control characters visibly (``\\x1b`` instead of ESC), so colours,
  window titles and OSC 8 hyperlinks never reach the terminal;
* ``plain`` is that text as a Rich ``Text``: shown as written, never read as markup
  (``[/oops]`` and ``[link=...]`` are characters, not instructions); ``clean_text`` does
  the same for a ``Text`` already built, keeping its styles;
* ``spreadsheet_cell`` neutralises a formula (OWASP CSV injection: a cell starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading single quote).

Standard library and Rich only: the CLI and the app both use it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.text import Text

# C0 controls (tab and newline kept: multi-line notes), DEL, C1 controls, the
# invisible direction marks and overrides that make a name read differently from what it
# is, and the characters that take no space on screen: soft hyphen, zero-width space,
# joiners, word joiner and invisible operators, line and paragraph separators, the
# byte-order mark used as a zero-width no-break space, interlinear annotations. A value
# holding one looks like another (``"A81001\u200b"`` is not ``"A81001"``), so it is
# shown as its code. (Joiners inside emoji sequences are shown as codes too: a
# commissioning tool's names and notes are plain text.)
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"
)
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
_CONTROL_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object, *, one_line: bool = False) -> str:
    """``text`` with every control character written visibly (ESC -> ``\\x1b``).

    Tab and newline are kept unless ``one_line`` (for table cells and single-line
    messages, where a newline would break the layout)."""
    value = "" if text is None else str(text)
    pattern = _CONTROL_ONE_LINE if one_line else _CONTROL
    return pattern.sub(_visible, value)


def quoted(value: object) -> str:
    """A value from a file or a person, quoted for a one-line message: ``'A81\\x09X'``.

    The one way a rejected value is shown, so every message writes it alike (Python's
    ``repr`` writes a tab ``\\t`` where ``clean`` writes ``\\x09``, and switches to double
    quotes around an apostrophe): every control and invisible character as its code, on
    one line, between single quotes. A value that is not text (a number or true/false
    from a JSON file) is written as it is, without quotes."""
    if not isinstance(value, str):
        return clean(repr(value), one_line=True)
    return "'" + clean(value, one_line=True) + "'"


def has_control(text: str, *, allow_newlines: bool = False) -> bool:
    """Whether ``text`` holds a control character (NUL included)."""
    return bool((_CONTROL if allow_newlines else _CONTROL_ONE_LINE).search(text))


def plain(text: object, style: str = "", *, one_line: bool = False) -> Text:
    """Data text for a Rich or Textual renderable: never markup, controls visible."""
    from rich.text import Text

    return Text(clean(text, one_line=one_line), style=style)


def clean_text(text: Text, *, one_line: bool = False) -> Text:
    """A Rich ``Text`` with its control characters shown visibly, as ``clean`` does for a
    string, keeping its styles, justification and overflow. Returned as it is when it
    holds none (the usual case, and the cheap one)."""
    if not has_control(text.plain, allow_newlines=not one_line):
        return text
    from rich.text import Text

    # cut at every style's edges, so each piece has one set of styles over all of it
    edges = sorted({edge for span in text.spans for edge in (span.start, span.end)})
    shown = text.blank_copy()
    for piece in text.divide(edges):
        part = Text(clean(piece.plain, one_line=one_line))
        for span in piece.spans:
            part.stylize(span.style)
        shown.append_text(part)
    return shown


def spreadsheet_cell(value: Any) -> Any:
    """A value for a CSV or xlsx cell: text that a spreadsheet would run as a formula
    gets a leading single quote; numbers, booleans and None are left as they are.
    Control characters are shown visibly (xlsx refuses most of them)."""
    if not isinstance(value, str):
        return value
    value = clean(value)
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    """``spreadsheet_cell`` of every value, with one search for control characters over
    the whole row's text instead of one per cell (the same result: a row of 18 cells
    written 6,700 times is where a batch's output spent its time)."""
    cells = list(values)
    # newline joins the texts: it is not a control character here (clean keeps it)
    if _CONTROL.search("\n".join([v for v in cells if isinstance(v, str)])):
        return [spreadsheet_cell(v) for v in cells]
    return ["'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in cells]
