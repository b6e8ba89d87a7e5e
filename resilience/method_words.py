"""Which method made the scores a pack or an export shows, in words.

A stored result keeps the method it was scored with (its ``methodology_version``) until
the month is rescored, so after ``resilience method set`` a month's scores were made
with an older method than the one the database scores with now. What is printed beside
those scores names the method that made them, and says plainly when the database has
moved on. No imports: the pack and the exports both use it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def versions_of(versions: Iterable[str]) -> Counter[str]:
    """How many of the shown scores each method version made."""
    return Counter(versions)


def scored_with(made: Counter[str], current: str) -> str:
    """The versions that made the scores, most scores first: "llr-2026.4", or
    "llr-2026.4 (130 practices) and local-1 (8 practices)"; ``current`` when there are
    no scores."""
    if not made:
        return current
    if len(made) == 1:
        return next(iter(made))
    ranked = sorted(made.items(), key=lambda vc: (-vc[1], vc[0]))
    parts = [
        f"{version} ({count} practice{'s' if count != 1 else ''})" for version, count in ranked
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def method_note(made: Counter[str], current: str) -> str:
    """'' when every score was made with the database's method ``current``; else what
    has changed and how to apply it."""
    if not made or set(made) == {current}:
        return ""
    if current in made:
        return (
            f"the database now scores with {current}: rescore the month to apply it to "
            "every practice"
        )
    return f"the database now scores with {current}: rescore the month to apply it"


def method_phrase(made: Counter[str], current: str) -> str:
    """One phrase for a header: "method llr-2026.4", or "scored with method llr-2026.4
    (the database now scores with local-1: rescore the month to apply it)"."""
    note = method_note(made, current)
    if not note:
        return f"method {current}"
    plural = "s" if len(made) > 1 else ""
    return f"scored with method{plural} {scored_with(made, current)} ({note})"
