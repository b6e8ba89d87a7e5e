"""What the engine returns: plain records that serialise to JSON-ready dicts.

Not frozen on purpose: frozen dataclasses cost several times more to build, and the
engine builds a dozen of these per practice-month. Treat them as read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.inputs import AREA_LABELS
from scoring.metrics import LABELS


@dataclass(slots=True)
class AreaResult:
    area: str
    likelihood: int
    consequence: int
    score: int
    band: str

    @property
    def label(self) -> str:
        return AREA_LABELS[self.area]


@dataclass(slots=True)
class Contribution:
    """One line of the explanation: a rule, what it read, and the points it added.

    ``points`` of all contributions add up exactly to the result's score (in tenths).
    The words are made when first read (``text`` holds them, or the templates and the
    raw value make them), because most results are never explained to anyone.
    """

    rule_id: str
    area: str  # an area name, or "overall"
    input: str
    points_tenths: int
    likelihood: int = 0
    consequence: int = 0
    unknown: bool = False
    raw: Any = None
    text: tuple[str, str, str] | None = None  # (value shown, summary, sentence)
    templates: tuple[str, str] = ("", "")  # (summary, sentence) with {value}

    def _words(self) -> tuple[str, str, str]:
        if self.text is None:
            from scoring.engine import format_value

            shown = format_value(self.input, self.raw)
            summary, sentence = self.templates
            self.text = (shown, summary.format(value=shown), sentence.format(value=shown))
        return self.text

    @property
    def value(self) -> str:
        return self._words()[0]

    @property
    def summary(self) -> str:
        return self._words()[1]

    @property
    def sentence(self) -> str:
        return self._words()[2]

    @property
    def points(self) -> float:
        return self.points_tenths / 10

    @property
    def input_label(self) -> str:
        return LABELS.get(self.input, self.input)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "area": self.area,
            "input": self.input,
            "value": self.value,
            "points": self.points,
            "likelihood": self.likelihood,
            "consequence": self.consequence,
            "unknown": self.unknown,
            "sentence": self.sentence,
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contribution:
        return cls(
            rule_id=data["rule_id"],
            area=data["area"],
            input=data["input"],
            points_tenths=round(data["points"] * 10),
            likelihood=data.get("likelihood", 0),
            consequence=data.get("consequence", 0),
            unknown=data.get("unknown", False),
            text=(data["value"], data.get("summary", ""), data.get("sentence", "")),
        )


@dataclass(slots=True)
class ScoreResult:
    ods_code: str
    period: str
    score_tenths: int
    band: str
    areas: tuple[AreaResult, ...]
    contributions: tuple[Contribution, ...]
    triggers: tuple[str, ...]
    data_completeness: float
    unknown_inputs: tuple[str, ...]
    methodology_version: str
    trend: str = "new"
    deteriorating_streak: int = 0
    previous_score: float | None = None
    previous_band: str | None = None
    summary: str = field(default="")

    @property
    def score(self) -> float:
        return self.score_tenths / 10

    def area(self, name: str) -> AreaResult:
        for result in self.areas:
            if result.area == name:
                return result
        raise KeyError(name)

    @property
    def area_bands(self) -> dict[str, str]:
        return {a.area: a.band for a in self.areas}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ods_code": self.ods_code,
            "period": self.period,
            "score": self.score,
            "band": self.band,
            "areas": [
                {
                    "area": a.area,
                    "likelihood": a.likelihood,
                    "consequence": a.consequence,
                    "score": a.score,
                    "band": a.band,
                }
                for a in self.areas
            ],
            "contributions": [c.to_dict() for c in self.contributions],
            "triggers": list(self.triggers),
            "data_completeness": self.data_completeness,
            "unknown_inputs": list(self.unknown_inputs),
            "methodology_version": self.methodology_version,
            "trend": self.trend,
            "deteriorating_streak": self.deteriorating_streak,
            "previous_score": self.previous_score,
            "previous_band": self.previous_band,
            "summary": self.summary,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreResult:
        return cls(
            ods_code=data["ods_code"],
            period=data["period"],
            score_tenths=round(data["score"] * 10),
            band=data["band"],
            areas=tuple(AreaResult(**a) for a in data["areas"]),
            contributions=tuple(Contribution.from_dict(c) for c in data["contributions"]),
            triggers=tuple(data["triggers"]),
            data_completeness=data["data_completeness"],
            unknown_inputs=tuple(data["unknown_inputs"]),
            methodology_version=data["methodology_version"],
            trend=data.get("trend", "new"),
            deteriorating_streak=data.get("deteriorating_streak", 0),
            previous_score=data.get("previous_score"),
            previous_band=data.get("previous_band"),
            summary=data.get("summary", ""),
        )
