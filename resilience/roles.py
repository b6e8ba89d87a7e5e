"""The roles a person can have (kept apart so the command line can name them cheaply)."""

from __future__ import annotations

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
ROLE_HELP = {
    "viewer": "reads everything except confidential text; cannot change anything",
    "editor": "reviews practices, records intelligence, actions, imports and cohort decisions",
    "admin": "everything an editor does, plus people, roles and these rules",
}


def a_role(role: str) -> str:
    """A role with its article, for sentences that name one: 'a viewer', 'an editor',
    'an admin'."""
    return ("an " if role[:1].lower() in "aeiou" else "a ") + role


def needs(role: str) -> str:
    """What an action needs, in words: 'an editor or above'; 'an admin' (nothing is above
    it)."""
    return a_role(role) + ("" if role == ROLES[-1] else " or above")
