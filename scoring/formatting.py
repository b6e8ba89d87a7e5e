"""How the engine shows a value in words; shared by the engine (its explanations) and
the result records (a contribution's shown value), so neither imports the other."""

from __future__ import annotations

from datetime import date
from typing import Any


def format_value(name: str, value: Any) -> str:
    """A value as a person reads it: 'Requires improvement', '2,900', '42.5'."""
    if type(value) is int:
        return f"{value:,}"
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.replace("_", " ").capitalize()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value == float("inf"):
            return "no staff in post"
        if name.startswith("patients_per"):
            return f"{value:,.0f}"
        text = f"{value:,.1f}"
        return text[:-2] if text.endswith(".0") else text
    return f"{value:,}"
