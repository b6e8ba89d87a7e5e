"""The risk-share scoring engine: pure Python, no I/O beyond a named methodology file.

Imports only the standard library and pydantic, so scripts, the CLI and the TUI share
one engine and it can be tested and timed on its own.
"""

from scoring.allocation import Applicant, Capacity, Placement, allocate
from scoring.engine import (
    cell_band,
    period_bounds,
    score,
    score_many,
    summarise_soft_intel,
)
from scoring.formatting import format_value
from scoring.inputs import (
    AREA_LABELS,
    AREAS,
    FIELDS_BY_AREA,
    INPUT_FIELDS,
    PracticeInputs,
    SoftIntelItem,
)
from scoring.methodology import (
    Methodology,
    MethodologyError,
    default_methodology,
    load_methodology,
    parse_methodology,
)
from scoring.results import AreaResult, Contribution, ScoreResult
from scoring.sensitivity import OutcomeChange, compare_methodologies
from scoring.support_menu import SupportSuggestion, suggest_support
from scoring.trend import HistoryPoint

__all__ = [
    "AREAS",
    "AREA_LABELS",
    "FIELDS_BY_AREA",
    "INPUT_FIELDS",
    "Applicant",
    "AreaResult",
    "Capacity",
    "Contribution",
    "HistoryPoint",
    "Methodology",
    "MethodologyError",
    "OutcomeChange",
    "Placement",
    "PracticeInputs",
    "ScoreResult",
    "SoftIntelItem",
    "SupportSuggestion",
    "allocate",
    "cell_band",
    "compare_methodologies",
    "default_methodology",
    "format_value",
    "load_methodology",
    "parse_methodology",
    "period_bounds",
    "score",
    "score_many",
    "suggest_support",
    "summarise_soft_intel",
]
