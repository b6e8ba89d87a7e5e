"""One scoring method per database: which method this database scores with.

The method in use is the newest row of ``scoring_method`` (none: the shipped default).
An admin changes it with ``resilience method set FILE``; the change is audited and the
old methods are kept, so every stored result can still be traced to the rules of its
day (each result also records its method's version).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from resilience.models import ScoringMethod
from scoring import default_methodology


@dataclass(frozen=True, slots=True)
class MethodInfo:
    version: str
    name: str
    sha256: str
    set_at: datetime | None  # None: the shipped default, never set in this database
    set_by: str
    reason: str
    text: str


def shipped_text() -> str:
    return resources.files("scoring.methodology").joinpath("default.toml").read_text("utf-8")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _info(row: ScoringMethod) -> MethodInfo:
    return MethodInfo(
        row.version, row.name, row.sha256, row.set_at, row.set_by, row.reason, row.toml
    )


def _shipped_info() -> MethodInfo:
    text = shipped_text()
    method = default_methodology()
    return MethodInfo(method.version, method.name, _sha(text), None, "", "shipped default", text)
