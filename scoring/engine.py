"""Score one practice-month: five 5x5 area cells, an overall band and a 0-100 score.

How a score is built (docs/methodology.md says the same for commissioners):

1. Each area starts at the cell likelihood 1 x consequence 1. Rules run in the order the
   method lists them; each adds likelihood points (likelihood is capped at 5) and may
   raise the consequence. An unknown input counts as the rule's ``unknown`` policy: its
   worst case, its typical value (stated in the method) or a given level; never as
   better than typical, so a missing figure never lowers a score below what a typical
   practice would get. The result also carries the score with every unknown at its
   worst case (``score_if_unknown_worst``).
2. Floors raise an area's cell to at least a given cell (CQC Inadequate => High...).
   Floors fire on known facts only: an unknown floor input puts the input on the
   practice's "to confirm" list (and fires in the worst-case score).
3. The overall band is the worst area band, one step higher when enough areas are High
   or worse (triangulation), and at least the band of any overall floor.
4. The score sits inside the overall band's range: the band's base, plus each area's
   points above the 1x1 cell, weighted and scaled to the band's width. Every point is
   attributed to the rule or floor that caused it, in tenths, so the explanation adds
   up exactly to the score.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from scoring.formatting import format_value
from scoring.inputs import AREA_LABELS, AREAS, PracticeInputs, SoftIntelItem
from scoring.methodology import Floor, Methodology, Rule, WithinBand, default_methodology
from scoring.metrics import DERIVED_METRICS, LABELS, raw_inputs_of
from scoring.results import AreaResult, Contribution, ScoreResult
from scoring.trend import HistoryPoint, compute_trend

# Where a rule's value comes from.
_RAW, _DERIVED_SOURCE = 0, 1
# Rule kinds, as small ints for the hot loop.
_CATEGORY, _FLAG, _ABOVE, _BELOW = 0, 1, 2, 3
_KINDS = {"category": _CATEGORY, "flag": _FLAG, "above": _ABOVE, "below": _BELOW}


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    order: int  # position in the method, for the explanation's replay
    kind: int
    name: str
    area_index: int
    # category / flag: value -> (likelihood, consequence, (shown, summary, sentence)),
    # or None when the value adds nothing
    table: dict[Any, tuple[int, int, tuple[str, str, str]] | None]
    # above / below: ((threshold, likelihood, consequence), ...) furthest step first
    steps: tuple[tuple[float, int, int], ...]
    worst: tuple[int, int]
    unknown_cell: tuple[int, int]  # what an unknown input counts as, by the policy
    unknown_text: tuple[str, str, str]  # (shown, summary, sentence) when unknown
    templates: tuple[str, str]  # (summary, sentence) with {value}
    raw_inputs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _CompiledFloor:
    floor: Floor
    area_index: int  # -1 for overall floors
    name: str
    accepted: frozenset[Any] | None
    at_least: float | None
    band_index: int
    trigger: str
    summary: str
    raw_inputs: tuple[str, ...]
    cell: tuple[int, int]
    cell_score: int


@dataclass(frozen=True, slots=True)
class _Compiled:
    method: Methodology
    rules: tuple[_CompiledRule, ...]
    # the rules as plain tuples for the hot loop, by kind: (input, area index, table or
    # steps, rule)
    table_rows: tuple[tuple[Any, ...], ...]
    above_rows: tuple[tuple[Any, ...], ...]
    below_rows: tuple[tuple[Any, ...], ...]
    floors: tuple[_CompiledFloor, ...]
    overall_floors: tuple[_CompiledFloor, ...]
    band_of_cell: tuple[int, ...]  # index 0..25 -> band index
    band_names: tuple[str, ...]
    ranges: tuple[tuple[int, int], ...]
    weights: tuple[int, ...]
    weight_total: int
    to_confirm_labels: dict[str, str]  # floor input -> words for the "to confirm" list
    denominator: int  # 24 x the weights' total: the composite's common denominator
    tri_areas: int
    tri_band: int
    discount: dict[str, int]
    scored_inputs: tuple[str, ...]  # every raw input a rule or floor reads
    scored_count: int
    needs_derived: bool
    within: WithinBand | None  # the smooth within-band position, if the method has one
    within_raw: tuple[str, ...]  # the raw inputs the position reads


_SOFT_FIELDS = (
    "soft_intel_max_severity",
    "soft_intel_count",
    "whistleblowing",
    "whistleblowing_corroborated",
)


# --------------------------------------------------------------------------- metrics


def _ratio(numerator: float | None, denominator: float | None, scale: float) -> float | None:
    if numerator is None or denominator is None:
        return None
    if denominator == 0:
        return 0.0 if numerator == 0 else float("inf")
    return numerator * scale / denominator


def _derived(values: dict[str, Any], period_end: date) -> None:
    """Add the derived ratios (DERIVED_METRICS) to ``values`` in place."""
    list_size, gp_fte = values["list_size"], values["gp_fte"]
    values["patients_per_gp_fte"] = _ratio(list_size, gp_fte, 1.0)
    values["patients_per_nurse_fte"] = _ratio(list_size, values["nurse_fte"], 1.0)
    values["gp_aged_55_plus_pct"] = _ratio(values["gp_aged_55_plus"], values["gp_headcount"], 100.0)
    vacant = values["gp_vacancy_fte"]
    values["gp_vacancy_pct"] = (
        None if vacant is None or gp_fte is None else _ratio(vacant, vacant + gp_fte, 100.0)
    )
    opened = values["practice_opened"]
    values["practice_age_years"] = (
        None if opened is None else max(0, (period_end - opened).days // 365)
    )
    inspected = values["cqc_last_inspection"]
    values["months_since_cqc_inspection"] = (
        None
        if inspected is None
        else max(
            0,
            (period_end.year - inspected.year) * 12 + period_end.month - inspected.month,
        )
    )


_DERIVED_NAMES = frozenset(DERIVED_METRICS)


# --------------------------------------------------------------------------- compiling


def _compile_rule(rule: Rule, area_index: int, order: int) -> _CompiledRule:
    table: dict[Any, tuple[int, int, tuple[str, str, str]] | None] = {}
    steps: tuple[tuple[float, int, int], ...] = ()
    if rule.kind == "category":
        assert rule.levels is not None
        for value, (lik, con) in rule.levels.items():
            shown = format_value(rule.input, value)
            text = (shown, rule.summary.format(value=shown), rule.sentence.format(value=shown))
            table[value] = None if lik == 0 and con <= 1 else (lik, con, text)
        worst = (
            max(v[0] for v in rule.levels.values()),
            max(v[1] for v in rule.levels.values()),
        )
    elif rule.kind == "flag":
        assert rule.when_true is not None
        worst = (rule.when_true[0], rule.when_true[1])
        text = ("yes", rule.summary.format(value="yes"), rule.sentence.format(value="yes"))
        table[True] = (*worst, text)
        table[False] = None
    else:
        assert rule.steps is not None
        steps = tuple((float(t), lik, con) for t, lik, con in reversed(rule.steps))
        worst = (steps[0][1], steps[0][2])
    label = LABELS.get(rule.input, rule.input)
    assumed = rule.unknown_value()
    if assumed is None:
        unknown_cell = worst
        unknown_text = (
            "unknown",
            f"{label} unknown (worst case)",
            f"Not known: {label} is scored as its worst case until it is recorded.",
        )
    else:
        unknown_cell = _cell_of(rule, assumed, table, steps)
        shown = format_value(rule.input, assumed)
        how = "typical" if rule.unknown == "typical" else "the level"
        unknown_text = (
            "unknown",
            f"{label} unknown (counted as {shown})",
            f"Not known: {label} counts as {how} ({shown}) until it is recorded.",
        )
    return _CompiledRule(
        rule=rule,
        order=order,
        kind=_KINDS[rule.kind],
        name=rule.input,
        area_index=area_index,
        table=table,
        steps=steps,
        worst=worst,
        unknown_cell=unknown_cell,
        unknown_text=unknown_text,
        raw_inputs=raw_inputs_of(rule.input),
        templates=(rule.summary, rule.sentence),
    )


def _cell_of(
    rule: Rule,
    value: Any,
    table: dict[Any, tuple[int, int, tuple[str, str, str]] | None],
    steps: tuple[tuple[float, int, int], ...],
) -> tuple[int, int]:
    """The (likelihood points, consequence) a rule gives a known value."""
    if rule.kind in ("category", "flag"):
        hit = table[value]
        return (0, 1) if hit is None else (hit[0], hit[1])
    for threshold, lik, con in steps:
        if (value >= threshold) if rule.kind == "above" else (value < threshold):
            return (lik, con)
    return (0, 1)


def _compile_floor(floor: Floor, area_index: int, band_index: int) -> _CompiledFloor:
    cell = (floor.cell[0], floor.cell[1]) if floor.cell is not None else (1, 1)
    return _CompiledFloor(
        floor=floor,
        area_index=area_index,
        name=floor.input,
        accepted=frozenset(floor.values) if floor.values is not None else None,
        at_least=floor.at_least,
        band_index=band_index,
        trigger=floor.trigger or floor.id,
        summary=floor.sentence.split(":")[0],
        raw_inputs=raw_inputs_of(floor.input),
        cell=cell,
        cell_score=cell[0] * cell[1],
    )


def _compile(method: Methodology) -> _Compiled:
    names = method.band_names
    band_of_cell = [0] * 26
    for cell in range(1, 26):
        for index, band in enumerate(method.matrix_bands):
            if band.min <= cell <= band.max:
                band_of_cell[cell] = index
    order = {area: i for i, area in enumerate(AREAS)}
    rules = tuple(
        _compile_rule(rule, order[rule.area], position)
        for position, rule in enumerate(sorted(method.rules, key=lambda r: order[r.area]))
    )
    floors = tuple(
        _compile_floor(f, order[f.area or ""], names.index(f.band)) for f in method.floors
    )
    overall_floors = tuple(
        _compile_floor(f, -1, names.index(f.band)) for f in method.overall_floors
    )
    read = [r.input for r in method.rules] + [
        f.input for f in method.floors + method.overall_floors
    ]
    if method.within_band is not None:
        read.append(method.within_band.input)
    scored: list[str] = []
    for name in read:
        for raw in raw_inputs_of(name):
            if raw not in scored:
                scored.append(raw)
    return _Compiled(
        method=method,
        rules=rules,
        table_rows=tuple(
            (r.name, r.area_index, r.table, r) for r in rules if r.kind in (_CATEGORY, _FLAG)
        ),
        above_rows=tuple((r.name, r.area_index, r.steps, r) for r in rules if r.kind == _ABOVE),
        below_rows=tuple((r.name, r.area_index, r.steps, r) for r in rules if r.kind == _BELOW),
        floors=floors,
        overall_floors=overall_floors,
        band_of_cell=tuple(band_of_cell),
        band_names=names,
        ranges=tuple(method.overall.score_ranges[n] for n in names),
        weights=tuple(method.overall.weights[a] for a in AREAS),
        weight_total=sum(method.overall.weights.values()),
        to_confirm_labels={
            f.input: LABELS.get(f.input, f.input) for f in method.floors + method.overall_floors
        },
        denominator=24 * sum(method.overall.weights.values()),
        tri_areas=method.overall.triangulation_areas,
        tri_band=names.index(method.overall.triangulation_band),
        discount={str(k): v for k, v in method.soft_intelligence.uncorroborated_discount.items()},
        scored_inputs=tuple(scored),
        scored_count=max(1, len(scored)),
        needs_derived=any(n in _DERIVED_NAMES for n in read),
        within=method.within_band,
        within_raw=raw_inputs_of(method.within_band.input) if method.within_band else (),
    )


# id(method) -> (method, compiled); the method is kept so its id is never reused.
_COMPILED: dict[int, tuple[Methodology, _Compiled]] = {}


def compiled(method: Methodology) -> _Compiled:
    """The method turned into tables the hot loop reads (built once per method)."""
    entry = _COMPILED.get(id(method))
    if entry is None:
        entry = (method, _compile(method))
        _COMPILED[id(method)] = entry
    return entry[1]


# --------------------------------------------------------------------------- helpers


def cell_band(likelihood: int, consequence: int, method: Methodology | None = None) -> str:
    """The band of a 5x5 cell under ``method`` (NHS default: 1-3 Low ... 15-25 Extreme)."""
    if not (1 <= likelihood <= 5 and 1 <= consequence <= 5):
        raise ValueError("likelihood and consequence are 1 to 5")
    c = compiled(method or default_methodology())
    return c.band_names[c.band_of_cell[likelihood * consequence]]


@lru_cache(maxsize=4096)
def period_bounds(period: str) -> tuple[date, date]:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def summarise_soft_intel(
    entries: Sequence[SoftIntelItem], period: str, method: Methodology | None = None
) -> dict[str, Any]:
    """The flat soft-intelligence fields the engine derives from a practice's entries.

    Entries not yet received by the end of ``period`` or expired before it starts do not
    count; uncorroborated entries are discounted by confidence.
    """
    c = compiled(method or default_methodology())
    start, end = period_bounds(period)
    values: dict[str, Any] = {}
    _soft_summary(values, entries, c.discount, start, end)
    return values


def _soft_summary(
    values: dict[str, Any],
    entries: Sequence[SoftIntelItem],
    discount: dict[str, int],
    start: date,
    end: date,
) -> None:
    """Replace the flat soft-intelligence fields by what the current entries say."""
    max_severity = count = 0
    whistle = whistle_corroborated = False
    for entry in entries:
        if entry.received > end or (entry.expires is not None and entry.expires < start):
            continue
        count += 1
        severity = entry.severity
        if not entry.corroborated:
            severity = max(1, severity - discount[entry.confidence])
        max_severity = max(max_severity, severity)
        if entry.whistleblowing:
            whistle = True
            whistle_corroborated = whistle_corroborated or entry.corroborated
    values["soft_intel_max_severity"] = max_severity
    values["soft_intel_count"] = count
    values["whistleblowing"] = whistle
    values["whistleblowing_corroborated"] = whistle_corroborated


def _apportion(numerators: list[int], denominator: int) -> list[int]:
    """Round numerators/denominator to whole tenths whose sum is the rounded total."""
    total = (2 * sum(numerators) + denominator) // (2 * denominator)
    shares = [n // denominator for n in numerators]
    missing = total - sum(shares)
    if missing:
        by_remainder = sorted(
            range(len(numerators)), key=lambda i: (-(numerators[i] % denominator), i)
        )
        for i in by_remainder[:missing]:
            shares[i] += 1
    return shares


# --------------------------------------------------------------------------- scoring



def _unknown(
    rule: _CompiledRule,
    values: dict[str, Any],
    unknown_inputs: set[str],
    unknown_rules: list[_CompiledRule],
) -> tuple[int, int]:
    """The cell an unknown input counts as (the rule's unknown policy), noting which
    inputs were unknown and which rules read them, for every rule kind alike."""
    unknown_inputs.update(f for f in rule.raw_inputs if values[f] is None)
    unknown_rules.append(rule)
    return rule.unknown_cell

def score(
    inputs: PracticeInputs,
    method: Methodology | None = None,
    history: Sequence[HistoryPoint] = (),
) -> ScoreResult:
    """Score one practice-month. ``history`` holds earlier months, oldest first."""
    c = compiled(method or default_methodology())
    start, end = period_bounds(inputs.period)
    values = inputs.__dict__.copy()
    entries = values["soft_intel_entries"]
    if entries is not None:
        _soft_summary(values, entries, c.discount, start, end)
    if c.needs_derived:
        _derived(values, end)

    # The cells do not depend on rule order (likelihood is a capped sum, consequence a
    # maximum), so rules run in three tight loops by kind. The explanation replays the
    # fired rules in the method's order to attribute points (see _Explanation).
    points = [0, 0, 0, 0, 0]
    consequence = [1, 1, 1, 1, 1]
    fired: list[tuple[_CompiledRule, int, int, Any, bool]] = []
    unknown_inputs: set[str] = set()
    unknown_rules: list[_CompiledRule] = []

    for name, a, table, rule in c.table_rows:  # category and flag rules
        value = values[name]
        if value is None:
            lik, con = _unknown(rule, values, unknown_inputs, unknown_rules)
            if not lik and con <= 1:
                continue
            fired.append((rule, lik, con, None, True))
        else:
            hit = table[value]
            if hit is None:
                continue
            lik, con = hit[0], hit[1]
            fired.append((rule, lik, con, value, False))
        points[a] += lik
        if con > consequence[a]:
            consequence[a] = con

    for name, a, steps, rule in c.above_rows:
        value = values[name]
        if value is None:
            lik, con = _unknown(rule, values, unknown_inputs, unknown_rules)
            if not lik and con <= 1:
                continue
            fired.append((rule, lik, con, None, True))
        else:
            for threshold, lik, con in steps:  # noqa: B007 (used after break)
                if value >= threshold:
                    break
            else:
                continue
            fired.append((rule, lik, con, value, False))
        points[a] += lik
        if con > consequence[a]:
            consequence[a] = con

    for name, a, steps, rule in c.below_rows:
        value = values[name]
        if value is None:
            lik, con = _unknown(rule, values, unknown_inputs, unknown_rules)
            if not lik and con <= 1:
                continue
            fired.append((rule, lik, con, None, True))
        else:
            for threshold, lik, con in steps:  # noqa: B007 (used after break)
                if value < threshold:
                    break
            else:
                continue
            fired.append((rule, lik, con, value, False))
        points[a] += lik
        if con > consequence[a]:
            consequence[a] = con

    likelihood = [1 + p if p < 4 else 5 for p in points]
    pre_floor_consequence = consequence  # copied if a floor changes it (worst case)
    # Floors fire on known facts only; an unknown floor input is "to confirm".
    triggers: list[str] = []
    floor_hits: list[tuple[_CompiledFloor, Any, bool]] = []
    unknown_floors: list[_CompiledFloor] = []
    for floor in c.floors:
        value = values[floor.name]
        if value is None:
            unknown_inputs.update(f for f in floor.raw_inputs if values[f] is None)
            unknown_floors.append(floor)
            continue
        if floor.accepted is not None:
            if value not in floor.accepted:
                continue
        elif value < floor.at_least:
            continue
        a = floor.area_index
        if likelihood[a] * consequence[a] < floor.cell_score:
            # raise the area to the floor's cell; a cell already as high stays as it is
            if pre_floor_consequence is consequence:
                pre_floor_consequence = consequence.copy()
            likelihood[a], consequence[a] = floor.cell
        triggers.append(floor.trigger)
        floor_hits.append((floor, value, False))

    band_names = c.band_names
    band_of_cell = c.band_of_cell
    cells = [
        likelihood[0] * consequence[0],
        likelihood[1] * consequence[1],
        likelihood[2] * consequence[2],
        likelihood[3] * consequence[3],
        likelihood[4] * consequence[4],
    ]
    area_bands = [
        band_of_cell[cells[0]],
        band_of_cell[cells[1]],
        band_of_cell[cells[2]],
        band_of_cell[cells[3]],
        band_of_cell[cells[4]],
    ]
    band = max(area_bands)
    # why the band is what it is: ("worst", area) | ("triangulation", n) | ("floor", text)
    reason: tuple[str, Any] = ("worst", area_bands.index(band))
    tri_band = c.tri_band
    elevated = len([b for b in area_bands if b >= tri_band])
    if elevated >= c.tri_areas and band < len(band_names) - 1:
        band += 1
        triggers.append("triangulation")
        reason = ("triangulation", elevated)
    for floor in c.overall_floors:
        value = values[floor.name]
        if value is None:
            unknown_inputs.update(f for f in floor.raw_inputs if values[f] is None)
            unknown_floors.append(floor)
            continue
        if floor.accepted is not None:
            if value not in floor.accepted:
                continue
        elif value < floor.at_least:
            continue
        triggers.append(floor.trigger)
        if floor.band_index >= band:  # the floor is the deciding reason
            band = floor.band_index
            reason = ("floor", floor.floor.sentence.rstrip("."))

    low, high = c.ranges[band]
    weights = c.weights
    weighted = (
        weights[0] * (cells[0] - 1)
        + weights[1] * (cells[1] - 1)
        + weights[2] * (cells[2] - 1)
        + weights[3] * (cells[3] - 1)
        + weights[4] * (cells[4] - 1)
    )
    denominator = c.denominator
    numerator = weighted * (high - low) * 10
    score_tenths = low * 10 + (2 * numerator + denominator) // (2 * denominator)
    # The smooth within-band position (issue 13): up to a share of the band's width from
    # one public figure, so practices whose inputs differ do not tie; never past the top.
    within = c.within
    position_tenths = 0
    position_value: Any = None
    position_unknown = False
    if within is not None:
        position_value = values[within.input]
        if position_value is None:
            position_unknown = True
            unknown_inputs.update(f for f in c.within_raw if values[f] is None)
        position_tenths = _position_tenths(within, position_value, low, high, score_tenths)
        score_tenths += position_tenths

    # The worst case (every unknown at its worst, unknown floors fired) is computed when
    # first read (ScoreResult.score_if_unknown_worst): most batch runs never read it.
    worst: tuple[Any, ...] | None = None
    to_confirm: tuple[str, ...] = ()
    if unknown_rules or unknown_floors or position_unknown:
        worst = (values, points, pre_floor_consequence, unknown_rules)
        if unknown_floors:
            seen: dict[str, None] = {}
            for floor in unknown_floors:
                seen[c.to_confirm_labels[floor.name]] = None
            to_confirm = tuple(seen)

    total_scored = c.scored_count
    completeness = round((total_scored - len(unknown_inputs)) / total_scored, 3)
    ordered_unknown = (
        tuple([f for f in c.scored_inputs if f in unknown_inputs]) if unknown_inputs else ()
    )

    if history:
        trend, streak, prev_score, prev_band = compute_trend(
            score_tenths / 10, band, history, band_names, c.method.trend
        )
        if streak >= c.method.trend.streak:
            triggers.append(f"deteriorating_{streak}_months")
    else:
        trend, streak, prev_score, prev_band = "new", 0, None, None

    return ScoreResult(
        ods_code=inputs.ods_code,
        period=inputs.period,
        score_tenths=score_tenths,
        band=band_names[band],
        triggers=tuple(triggers),
        data_completeness=completeness,
        unknown_inputs=ordered_unknown,
        score_if_unknown_worst_tenths=None if worst else score_tenths,
        band_if_unknown_worst=None if worst else band_names[band],
        to_confirm=to_confirm,
        methodology_version=c.method.version,
        trend=trend,
        deteriorating_streak=streak,
        previous_score=prev_score,
        previous_band=prev_band,
        explainer=_Explanation(
            c,
            likelihood,
            consequence,
            area_bands,
            fired,
            floor_hits,
            band,
            reason,
            low,
            worst,
            (position_tenths, position_value),
        ),
    )


def _position_tenths(within: WithinBand, value: Any, low: int, high: int, score_tenths: int) -> int:
    """Tenths the within-band position adds: the value's fraction of ``share`` percent
    of the band's width, rounded, and never past the band's top. An unknown value
    counts by the position's unknown policy (None here)."""
    earned = round(within.fraction(value) * (high - low) * within.share / 10)
    return max(0, min(earned, high * 10 - score_tenths))


def _fires(floor: _CompiledFloor, value: Any) -> bool:
    """Whether a floor fires on a value; an unknown value fires (the worst case)."""
    if value is None:
        return True
    if floor.accepted is not None:
        return value in floor.accepted
    return bool(value >= floor.at_least)


def _worst_case(c: _Compiled, state: tuple[Any, ...]) -> tuple[int, int]:
    """(score in tenths, band index) with every unknown at its worst case and every
    floor whose input is unknown fired. ``state`` is what score() kept: the values, the
    likelihood points and consequences before floors, and the unknown rules."""
    values, points, pre_floor_consequence, unknown_rules = state
    points = points.copy()
    consequence = pre_floor_consequence.copy()
    for rule in unknown_rules:
        a = rule.area_index
        points[a] += rule.worst[0] - rule.unknown_cell[0]
        if rule.worst[1] > consequence[a]:
            consequence[a] = rule.worst[1]
    likelihood = [1 + p if p < 4 else 5 for p in points]
    for floor in c.floors:
        if _fires(floor, values[floor.name]):
            a = floor.area_index
            if likelihood[a] * consequence[a] < floor.cell_score:
                likelihood[a], consequence[a] = floor.cell
    cells = [lik * con for lik, con in zip(likelihood, consequence, strict=True)]
    area_bands = [c.band_of_cell[cell] for cell in cells]
    band = max(area_bands)
    if (
        len([b for b in area_bands if b >= c.tri_band]) >= c.tri_areas
        and band < len(c.band_names) - 1
    ):
        band += 1
    for floor in c.overall_floors:
        if _fires(floor, values[floor.name]):
            band = max(band, floor.band_index)
    low, high = c.ranges[band]
    weighted = sum(w * (cell - 1) for w, cell in zip(c.weights, cells, strict=True))
    numerator = weighted * (high - low) * 10
    tenths = low * 10 + (2 * numerator + c.denominator) // (2 * c.denominator)
    if c.within is not None:
        value = values[c.within.input]
        if value is None:  # the worst case: the whole share
            value = c.within.full_at
        tenths += _position_tenths(c.within, value, low, high, tenths)
    return tenths, band


class _Explanation:
    """What the engine recorded while scoring, turned into areas and contributions on
    demand (by ScoreResult).

    Points are attributed by replaying the fired rules in the method's order from the
    1 x 1 cell: each rule's share is the change it caused in its area's cell, weighted
    and scaled like the score, so the contributions add up exactly to the score.
    """

    __slots__ = (
        "area_bands",
        "band",
        "c",
        "consequence",
        "fired",
        "floor_hits",
        "likelihood",
        "low",
        "position",
        "reason",
        "worst",
    )

    def __init__(
        self,
        c: _Compiled,
        likelihood: list[int],
        consequence: list[int],
        area_bands: list[int],
        fired: list[tuple[_CompiledRule, int, int, Any, bool]],
        floor_hits: list[tuple[_CompiledFloor, Any, bool]],
        band: int,
        reason: tuple[str, Any],
        low: int,
        worst: tuple[Any, ...] | None = None,
        position: tuple[int, Any] = (0, None),
    ) -> None:
        self.c = c
        self.likelihood = likelihood
        self.consequence = consequence
        self.area_bands = area_bands
        self.fired = fired
        self.floor_hits = floor_hits
        self.band = band
        self.reason = reason
        self.low = low
        self.worst = worst
        self.position = position  # (tenths added, the value read) by the within-band rule

    def worst_case(self) -> tuple[int, str] | None:
        """(score in tenths, band) with every unknown at its worst; None: no unknowns."""
        if self.worst is None:
            return None
        tenths, band = _worst_case(self.c, self.worst)
        return tenths, self.c.band_names[band]

    def areas(self) -> tuple[AreaResult, ...]:
        names = self.c.band_names
        return tuple(
            AreaResult(
                AREAS[a],
                self.likelihood[a],
                self.consequence[a],
                self.likelihood[a] * self.consequence[a],
                names[self.area_bands[a]],
            )
            for a in range(len(AREAS))
        )

    def _events(self) -> list[tuple[int, int, tuple[Any, ...]]]:
        """(area, cell delta, Contribution fields) in the method's order."""
        lik_now = [1] * len(AREAS)
        con_now = [1] * len(AREAS)
        events: list[tuple[int, int, tuple[Any, ...]]] = []
        for rule, lik, con, value, unknown in sorted(self.fired, key=lambda f: f[0].order):
            a = rule.area_index
            before = lik_now[a] * con_now[a]
            lik_now[a] = min(5, lik_now[a] + lik)
            con_now[a] = max(con_now[a], con)
            text: tuple[str, str, str] | None = None
            if unknown:
                text = rule.unknown_text
            elif rule.table:
                hit = rule.table[value]
                text = hit[2] if hit is not None else None
            fields = (
                rule.rule.id,
                AREAS[a],
                rule.name,
                lik,
                con,
                unknown,
                value,
                text,
                rule.templates,
            )
            events.append((a, lik_now[a] * con_now[a] - before, fields))
        for floor, value, unknown in self.floor_hits:
            a = floor.area_index
            before = lik_now[a] * con_now[a]
            if before < floor.cell_score:
                lik_now[a], con_now[a] = floor.cell
            text = (
                format_value(floor.name, value),
                floor.summary,
                floor.floor.sentence + (" (input unknown)" if unknown else ""),
            )
            fields = (
                floor.floor.id,
                AREAS[a],
                floor.name,
                floor.cell[0],
                floor.cell[1],
                unknown,
                value,
                text,
                ("", ""),
            )
            events.append((a, lik_now[a] * con_now[a] - before, fields))
        # the replay must land on the cells the score was made from
        assert lik_now == self.likelihood and con_now == self.consequence
        return events

    def contributions(self) -> tuple[Contribution, ...]:
        names = self.c.band_names
        band_name = names[self.band]
        kind, detail = self.reason
        if kind == "worst":
            why = f"the worst area, {AREA_LABELS[AREAS[detail]]}, is {band_name}"
        elif kind == "triangulation":
            why = (
                f"{detail} areas are {names[self.c.tri_band]} or worse (triangulation), "
                "so one step above the worst area"
            )
        else:
            why = detail
        low, high = self.c.ranges[self.band]
        multiplier = (high - low) * 10
        events = self._events()
        tenths = _apportion(
            [self.c.weights[a] * delta * multiplier for a, delta, _ in events],
            self.c.denominator,
        )
        out = [
            Contribution(
                "BAND",
                "overall",
                "band",
                self.low * 10,
                text=(
                    band_name,
                    f"{band_name} band",
                    f"Overall band {band_name}: {why}. "
                    f"The score starts at the band's base, {self.low}.",
                ),
            )
        ]
        lines = []
        for i in range(len(events)):
            rule_id, area, name, lik, con, unknown, raw, text, templates = events[i][2]
            lines.append(
                Contribution(
                    rule_id, area, name, tenths[i], lik, con, unknown, raw, text, templates
                )
            )
        position_tenths, value = self.position
        within = self.c.within
        if within is not None and position_tenths > 0:
            lines.append(_position_line(within, position_tenths, value))
        lines.sort(key=lambda line: line.points_tenths, reverse=True)  # stable: ties keep order
        return tuple(out + lines)


def _position_line(within: WithinBand, tenths: int, value: Any) -> Contribution:
    """The within-band position as a line of the explanation."""
    if value is not None:
        return Contribution(
            within.id,
            "overall",
            within.input,
            tenths,
            raw=value,
            templates=(within.summary, within.sentence),
        )
    label = LABELS.get(within.input, within.input)
    shown = (
        "its worst case" if within.typical is None else format_value(within.input, within.typical)
    )
    return Contribution(
        within.id,
        "overall",
        within.input,
        tenths,
        unknown=True,
        text=(
            "unknown",
            f"{label} unknown",
            f"Not known: {label} counts as {shown} for the position within the band.",
        ),
    )


def score_many(
    rows: Sequence[PracticeInputs], method: Methodology | None = None
) -> list[ScoreResult]:
    chosen = method or default_methodology()
    return [score(row, chosen) for row in rows]
