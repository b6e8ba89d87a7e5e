"""The roles a person can have (kept apart so the command line can name them cheaply)."""

from __future__ import annotations

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
ROLE_HELP = {
    "viewer": "reads everything except confidential text; cannot change anything",
    "editor": "reviews practices, records intelligence, actions, imports and cohort decisions",
    "admin": "everything an editor does, plus people, roles and these rules",
}
