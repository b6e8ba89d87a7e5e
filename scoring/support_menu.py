"""Match a practice's risk drivers to the seven items of the GPRP menu of support."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.methodology import Methodology, default_methodology
from scoring.results import ScoreResult


@dataclass(frozen=True, slots=True)
class SupportSuggestion:
    item_id: str
    name: str
    reason: str
    drivers: tuple[str, ...]  # the findings that suggest it, as people read them


def suggest_support(
    result: ScoreResult, method: Methodology | None = None
) -> list[SupportSuggestion]:
    """The menu items this result's drivers point to, each with its reason."""
    method = method or default_methodology()
    names = method.band_names
    fired: dict[str, str] = {}
    for c in result.contributions:
        if c.rule_id != "BAND" and not c.unknown and (c.points_tenths > 0 or c.likelihood > 0):
            fired.setdefault(c.rule_id, c.summary)
    suggestions = []
    for item in method.support_menu:
        drivers = [fired[r] for r in item.rules if r in fired]
        if item.areas_at_least:
            hits = [
                f"{a.label} {a.band}"
                for a in result.areas
                if a.area in item.areas_at_least
                and names.index(a.band) >= names.index(item.areas_at_least[a.area])
            ]
            if len(hits) >= item.min_areas:
                drivers.extend(hits)
        if drivers:
            suggestions.append(
                SupportSuggestion(
                    item_id=item.id,
                    name=item.name,
                    reason=f"{item.reason[0].upper()}{item.reason[1:]}: {'; '.join(drivers)}.",
                    drivers=tuple(drivers),
                )
            )
    return suggestions
