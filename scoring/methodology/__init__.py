"""The scoring method as data: a TOML file validated into a :class:`Methodology`.

Weights, thresholds, bands and floors are local policy, so they live in a file a
commissioner can read and change; this module only checks that the file makes sense
and says which key is wrong when it does not.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from scoring.inputs import AREAS
from scoring.metrics import CATEGORY_VALUES, metric_kind

POSSIBLE_CELL_SCORES: tuple[int, ...] = tuple(
    sorted({lik * con for lik in range(1, 6) for con in range(1, 6)})
)
Level = Literal["low", "medium", "high"]


class MethodologyError(ValueError):
    """A methodology file that cannot be used; the message names the file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatrixBand(_Strict):
    name: str = Field(min_length=1)
    min: int = Field(ge=1, le=25)
    max: int = Field(ge=1, le=25)


class OverallSettings(_Strict):
    score_ranges: dict[str, tuple[int, int]]
    weights: dict[str, int]
    triangulation_areas: int = Field(ge=1, le=5)
    triangulation_band: str


class WithinBand(_Strict):
    """A smooth within-band position from one public figure (issue 13: within a band,
    the score must still separate practices whose inputs differ).

    The 5x5 cells give only a few distinct scores on public data alone, so practices
    with lists of 2,600 and 3,900 tie. This adds up to ``share`` percent of the band's
    width, in proportion to where the figure lies between ``none_at`` (nothing) and
    ``full_at`` (the whole share), straight-line in between; never past the band's top.
    The band itself is decided by the rules, never by this.
    """

    id: str = Field(min_length=1)
    input: str
    share: float = Field(gt=0, le=50)  # percent of the band's width
    none_at: float
    full_at: float
    unknown: Literal["typical", "worst"] = "typical"
    typical: float | None = None  # what an unknown counts as when unknown = "typical"
    why_unknown: str = ""
    summary: str
    sentence: str

    @model_validator(mode="after")
    def _coherent(self) -> WithinBand:
        if metric_kind(self.input) != "number":
            raise ValueError(f"within_band.input {self.input!r} is not a numeric input")
        if self.none_at == self.full_at:
            raise ValueError("within_band: none_at and full_at must differ")
        if self.unknown == "typical" and self.typical is None:
            raise ValueError("within_band: unknown = 'typical' needs a 'typical' value")
        return self

    def fraction(self, value: float | None) -> float:
        """The share of the position (0..1) a value earns; None counts by the policy."""
        if value is None:
            if self.unknown == "worst" or self.typical is None:
                return 1.0
            value = self.typical
        span = self.full_at - self.none_at
        return min(1.0, max(0.0, (value - self.none_at) / span))


class TrendSettings(_Strict):
    min_change: float = Field(gt=0)
    streak: int = Field(ge=2, le=12)


class SoftIntelSettings(_Strict):
    uncorroborated_discount: dict[Level, int]


class Rule(_Strict):
    id: str = Field(min_length=1)
    area: str
    kind: Literal["category", "flag", "above", "below"]
    input: str
    levels: dict[str, tuple[int, int]] | None = None
    when_true: tuple[int, int] | None = None
    steps: tuple[tuple[float, int, int], ...] | None = None
    # What an unknown input counts as: "worst" (the rule's worst case), "typical" (the
    # value ``typical`` states) or a given value (a level, true/false or a number).
    unknown: str | bool | float = "worst"
    typical: str | bool | float | None = None
    why_unknown: str = ""
    summary: str
    sentence: str

    def unknown_value(self) -> str | bool | float | None:
        """The value an unknown input counts as; None for the worst case."""
        if self.unknown == "worst":
            return None
        if self.unknown == "typical":
            return self.typical
        return self.unknown

    def _check_value(self, value: object, key: str) -> None:
        if self.kind == "category":
            fits = isinstance(value, str) and value in (self.levels or {})
            accepted = f"one of the levels {', '.join(repr(v) for v in self.levels or {})}"
        elif self.kind == "flag":
            fits, accepted = isinstance(value, bool), "true or false"
        else:
            fits = not isinstance(value, bool) and isinstance(value, int | float)
            accepted = "a number"
        if not fits:
            if key == "unknown":
                accepted = f"'worst', 'typical' (the rule's stated typical value) or {accepted}"
            raise ValueError(
                f"{key} = {_as_toml(value)} is not accepted for {_a_rule(self.kind)}: "
                f"{key} must be {accepted}"
            )

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        kind = metric_kind(self.input)
        if kind is None:
            raise ValueError(f"input {self.input!r} is not an engine input or derived metric")
        expected = {"category": "category", "flag": "flag", "above": "number", "below": "number"}
        if expected[self.kind] != kind:
            raise ValueError(f"kind {self.kind!r} cannot read {self.input!r}, which is a {kind}")
        if self.kind == "category":
            if self.levels is None:
                raise ValueError("a category rule needs 'levels'")
            allowed = set(CATEGORY_VALUES[self.input])
            missing = allowed - set(self.levels)
            extra = set(self.levels) - allowed
            if missing or extra:
                raise ValueError(
                    f"levels must name exactly {sorted(allowed)}; "
                    f"missing {sorted(missing)}, unknown {sorted(extra)}"
                )
            cells = list(self.levels.values())
        elif self.kind == "flag":
            if self.when_true is None:
                raise ValueError("a flag rule needs 'when_true'")
            cells = [self.when_true]
        else:
            if not self.steps:
                raise ValueError(f"{_a_rule(self.kind)} needs 'steps'")
            thresholds = [s[0] for s in self.steps]
            ordered = sorted(thresholds, reverse=self.kind == "below")
            if thresholds != ordered or len(set(thresholds)) != len(thresholds):
                order = "descending" if self.kind == "below" else "ascending"
                raise ValueError(f"steps must have strictly {order} thresholds")
            cells = [(s[1], s[2]) for s in self.steps]
            for earlier, later in itertools.pairwise(cells):
                if later[0] < earlier[0] or later[1] < earlier[1]:
                    raise ValueError("each step must be at least as severe as the one before")
        for lik, con in cells:
            if not 0 <= lik <= 4:
                raise ValueError("likelihood points must be 0..4")
            if not 1 <= con <= 5:
                raise ValueError("consequence must be 1..5")
        if self.typical is not None:
            self._check_value(self.typical, "typical")
        if self.unknown == "typical":
            if self.typical is None:
                raise ValueError("unknown = 'typical' needs the 'typical' value stated")
        elif self.unknown != "worst":
            self._check_value(self.unknown, "unknown")
        return self


def _as_toml(value: object) -> str:
    """A value as the file writes it: true, 3.5, 'text'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _a_rule(kind: str) -> str:
    """'a category rule', 'a flag rule', "an 'above' rule", "a 'below' rule"."""
    if kind in ("category", "flag"):
        return f"a {kind} rule"
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind!r} rule"


class Floor(_Strict):
    id: str = Field(min_length=1)
    area: str | None = None
    input: str
    values: tuple[str | bool, ...] | None = None
    at_least: float | None = None
    cell: tuple[int, int] | None = None
    band: str
    trigger: str = ""
    sentence: str

    @model_validator(mode="after")
    def _shape(self) -> Floor:
        if metric_kind(self.input) is None:
            raise ValueError(f"input {self.input!r} is not an engine input or derived metric")
        if (self.values is None) == (self.at_least is None):
            raise ValueError("a floor needs exactly one of 'values' or 'at_least'")
        if self.cell is not None:
            lik, con = self.cell
            if not (1 <= lik <= 5 and 1 <= con <= 5):
                raise ValueError("cell must be [likelihood 1..5, consequence 1..5]")
        return self


class Allocation(_Strict):
    need_points: dict[Level, float]
    impact_points: dict[Level, float]
    unknown_matrix: Level = "medium"
    min_band: str


class SupportItem(_Strict):
    id: str
    name: str
    rules: tuple[str, ...] = ()
    areas_at_least: dict[str, str] = {}
    min_areas: int = 1
    reason: str


class Methodology(_Strict):
    version: str = Field(min_length=1)
    name: str = ""
    matrix_bands: tuple[MatrixBand, ...]
    overall: OverallSettings
    trend: TrendSettings
    soft_intelligence: SoftIntelSettings
    rules: tuple[Rule, ...]
    floors: tuple[Floor, ...] = ()
    overall_floors: tuple[Floor, ...] = ()
    allocation: Allocation
    support_menu: tuple[SupportItem, ...] = ()
    within_band: WithinBand | None = None

    @property
    def band_names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.matrix_bands)

    @model_validator(mode="after")
    def _coherent(self) -> Methodology:
        names = self.band_names
        if len(set(names)) != len(names) or len(names) < 2:
            raise ValueError("matrix_bands: need two or more bands with different names")
        previous_max = 0
        for band in self.matrix_bands:
            if band.min > band.max or band.min <= previous_max:
                raise ValueError(f"matrix_bands: band {band.name!r} overlaps or is out of order")
            previous_max = band.max
        for cell in POSSIBLE_CELL_SCORES:
            if not any(b.min <= cell <= b.max for b in self.matrix_bands):
                raise ValueError(f"matrix_bands: the 5x5 score {cell} falls in no band")

        ranges = self.overall.score_ranges
        if list(ranges) != list(names):
            raise ValueError(f"overall.score_ranges must name the bands {list(names)} in order")
        expected_low = 0
        for band_name, (low, high) in ranges.items():
            if low != expected_low or high <= low:
                raise ValueError(
                    f"overall.score_ranges.{band_name}: ranges must run from 0 to 100 with "
                    "no gaps or overlaps"
                )
            expected_low = high
        if expected_low != 100:
            raise ValueError("overall.score_ranges must end at 100")

        if set(self.overall.weights) != set(AREAS):
            raise ValueError(f"overall.weights must name exactly the areas {list(AREAS)}")
        if any(w <= 0 for w in self.overall.weights.values()):
            raise ValueError("overall.weights must be positive whole numbers")
        if self.overall.triangulation_band not in names:
            raise ValueError("overall.triangulation_band must be one of " + ", ".join(names))
        if set(self.soft_intelligence.uncorroborated_discount) != {"low", "medium", "high"}:
            raise ValueError("soft_intelligence.uncorroborated_discount needs low, medium, high")

        ids = [r.id for r in self.rules] + [f.id for f in self.floors + self.overall_floors]
        if self.within_band is not None:
            ids.append(self.within_band.id)
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule and floor ids must be unique; repeated: {duplicates}")
        for rule in self.rules:
            if rule.area not in AREAS:
                raise ValueError(f"rules ({rule.id}).area {rule.area!r} is not one of {AREAS}")
        for floor in self.floors:
            if floor.area not in AREAS:
                raise ValueError(f"floors ({floor.id}).area must be one of {AREAS}")
            if floor.cell is None:
                raise ValueError(f"floors ({floor.id}) needs a 'cell'")
            if floor.band not in names:
                raise ValueError(f"floors ({floor.id}).band must be one of {names}")
            cell_score = floor.cell[0] * floor.cell[1]
            band = next(b for b in self.matrix_bands if b.min <= cell_score <= b.max)
            if band.name != floor.band:
                raise ValueError(
                    f"floors ({floor.id}).cell {list(floor.cell)} scores {cell_score}, "
                    f"which is {band.name}, not {floor.band}"
                )
        for floor in self.overall_floors:
            if floor.band not in names:
                raise ValueError(f"overall_floors ({floor.id}).band must be one of {names}")
        if self.allocation.min_band not in names:
            raise ValueError("allocation.min_band must be one of " + ", ".join(names))
        known_ids = set(ids)
        for item in self.support_menu:
            unknown = [r for r in item.rules if r not in known_ids]
            if unknown:
                raise ValueError(f"support_menu ({item.id}) names unknown rules {unknown}")
            for area, band_name in item.areas_at_least.items():
                if area not in AREAS or band_name not in names:
                    raise ValueError(
                        f"support_menu ({item.id}).areas_at_least: {area} = {band_name!r} "
                        "is not an area and band"
                    )
        return self


def _describe_location(data: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """Turn pydantic's ('rules', 3, 'steps') into 'rules[3] (id Q4).steps'."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict):
                rule_id = node[item].get("id")
                if rule_id:
                    label += f" (id {rule_id})"
            parts.append(label)
            node = node[item] if isinstance(node, list) and item < len(node) else None
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def _reject_non_finite(node: object, source: str, where: str = "") -> None:
    """TOML reads inf, nan and 1e400 (as infinity) as floats; none is a threshold."""
    if isinstance(node, float) and not math.isfinite(node):
        raise MethodologyError(f"{source}: {where or '(top level)'}: {node} is not a finite number")
    if isinstance(node, dict):
        for key, value in node.items():
            _reject_non_finite(value, source, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _reject_non_finite(value, source, f"{where}[{index}]")


def parse_methodology(text: str, source: str = "<methodology>") -> Methodology:
    """Validate methodology TOML text; raise MethodologyError naming the bad key."""
    # a byte-order mark (Windows Notepad saves one) is not part of the TOML
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
        _reject_non_finite(data, source)
    except tomllib.TOMLDecodeError as exc:
        raise MethodologyError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise MethodologyError(f"{source}: nested too deeply to be a methodology file") from None
    try:
        return Methodology.model_validate(data)
    except RecursionError:
        raise MethodologyError(f"{source}: nested too deeply to be a methodology file") from None
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = _describe_location(data, tuple(error["loc"]))
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{source}: {where}: {message}")
        raise MethodologyError("\n".join(problems)) from None


def load_methodology(path: str | Path) -> Methodology:
    """Read the methodology file the caller names."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise MethodologyError(
            f"{file}: cannot read the methodology file: {exc.strerror}"
        ) from None
    except UnicodeDecodeError:
        raise MethodologyError(f"{file}: the methodology file is not UTF-8 text") from None
    return parse_methodology(text, str(file))


_default: Methodology | None = None


def default_methodology() -> Methodology:
    """The shipped method, ``scoring/methodology/default.toml`` (read once)."""
    global _default
    if _default is None:
        text = resources.files(__name__).joinpath("default.toml").read_text(encoding="utf-8")
        _default = parse_methodology(text, "scoring/methodology/default.toml")
    return _default
