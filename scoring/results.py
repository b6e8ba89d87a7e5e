"""What the engine returns: plain records that serialise to JSON-ready dicts.

Not frozen on purpose: frozen dataclasses cost several times more to build, and the
engine builds a dozen of these per practice-month. Treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from scoring.formatting import format_value
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


class Explainer(Protocol):
    """Builds a result's areas and explanation on demand (see scoring.engine)."""

    def areas(self) -> tuple[AreaResult, ...]: ...

    def contributions(self) -> tuple[Contribution, ...]: ...

    def worst_case(self) -> tuple[int, str] | None: ...


class ScoreResult:
    """One practice-month's result.

    The score, band, triggers and completeness are computed when the result is made; the
    area cells, the explanation and the summary are built from the engine's record the
    first time they are read, because a batch run of a whole country rarely reads them.
    """

    __slots__ = (
        "_areas",
        "_contributions",
        "_explainer",
        "_summary",
        "_worst",
        "band",
        "data_completeness",
        "deteriorating_streak",
        "methodology_version",
        "ods_code",
        "period",
        "previous_band",
        "previous_score",
        "score_tenths",
        "to_confirm",
        "trend",
        "triggers",
        "unknown_inputs",
    )

    def __init__(
        self,
        *,
        ods_code: str,
        period: str,
        score_tenths: int,
        band: str,
        triggers: tuple[str, ...],
        data_completeness: float,
        unknown_inputs: tuple[str, ...],
        methodology_version: str,
        score_if_unknown_worst_tenths: int | None = None,
        band_if_unknown_worst: str | None = None,
        to_confirm: tuple[str, ...] = (),
        trend: str = "new",
        deteriorating_streak: int = 0,
        previous_score: float | None = None,
        previous_band: str | None = None,
        areas: tuple[AreaResult, ...] | None = None,
        contributions: tuple[Contribution, ...] | None = None,
        summary: str | None = None,
        explainer: Explainer | None = None,
    ) -> None:
        if explainer is None and (areas is None or contributions is None):
            raise ValueError("a result needs its areas and contributions, or an explainer")
        self.ods_code = ods_code
        self.period = period
        self.score_tenths = score_tenths
        self.band = band
        self.triggers = triggers
        self.data_completeness = data_completeness
        self.unknown_inputs = unknown_inputs
        self.methodology_version = methodology_version
        # the score with every unknown input at its worst case (and every floor whose
        # input is unknown fired); never below the score. None: the explainer makes it
        # when first read.
        self._worst: tuple[int, str] | None = (
            (score_if_unknown_worst_tenths, band_if_unknown_worst or band)
            if score_if_unknown_worst_tenths is not None
            else None
            if explainer is not None
            else (score_tenths, band)
        )
        # inputs a floor reads that are not known: to confirm at the meeting
        self.to_confirm = to_confirm
        self.trend = trend
        self.deteriorating_streak = deteriorating_streak
        self.previous_score = previous_score
        self.previous_band = previous_band
        self._areas = areas
        self._contributions = contributions
        self._summary = summary
        self._explainer = explainer

    def __repr__(self) -> str:
        return f"ScoreResult({self.ods_code} {self.period}: {self.score} {self.band})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ScoreResult) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    @property
    def score(self) -> float:
        return self.score_tenths / 10

    def _worst_case(self) -> tuple[int, str]:
        if self._worst is None:
            assert self._explainer is not None
            made = self._explainer.worst_case()
            self._worst = made if made is not None else (self.score_tenths, self.band)
        return self._worst

    @property
    def score_if_unknown_worst_tenths(self) -> int:
        return self._worst_case()[0]

    @property
    def band_if_unknown_worst(self) -> str:
        return self._worst_case()[1]

    @property
    def score_if_unknown_worst(self) -> float:
        return self._worst_case()[0] / 10

    @property
    def areas(self) -> tuple[AreaResult, ...]:
        if self._areas is None:
            assert self._explainer is not None
            self._areas = self._explainer.areas()
        return self._areas

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        """The explanation, biggest points first after the band line; sums to the score."""
        if self._contributions is None:
            assert self._explainer is not None
            self._contributions = self._explainer.contributions()
        return self._contributions

    @property
    def summary(self) -> str:
        """The one-line reason for tables: the biggest drivers, most points first."""
        if self._summary is None:
            self._summary = summarise(self.contributions, len(self.unknown_inputs))
        return self._summary

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
            "score_if_unknown_worst": self.score_if_unknown_worst,
            "band_if_unknown_worst": self.band_if_unknown_worst,
            "to_confirm": list(self.to_confirm),
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
            score_if_unknown_worst_tenths=(
                round(data["score_if_unknown_worst"] * 10)
                if data.get("score_if_unknown_worst") is not None
                else None
            ),
            band_if_unknown_worst=data.get("band_if_unknown_worst"),
            to_confirm=tuple(data.get("to_confirm", ())),
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
            summary=data.get("summary"),
        )


def summarise(contributions: Sequence[Contribution], unknown_count: int, limit: int = 3) -> str:
    """The biggest drivers, most points first, and how many inputs are unknown.

    An unknown input that adds points (a rule whose unknown counts as its worst case,
    such as a missing list size) is a driver too: it is named ("list size unknown (worst
    case)") rather than hidden in the unknown count."""
    parts: list[str] = []
    for c in contributions[1:]:
        # the within-band position (area "overall") orders a band; it is not a finding
        if c.points_tenths > 0 and c.area != "overall":
            text = c.summary
            if text not in parts:
                parts.append(text)
                if len(parts) == limit:
                    break
    if unknown_count:
        parts.append(f"{unknown_count} input{'s' if unknown_count != 1 else ''} unknown")
    if not parts:
        return "No risk findings"
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
