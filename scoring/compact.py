"""A result in few bytes, and back: the explanation kept as rule ids, points and the
values shown, its sentences made again from the method's words when it is read.

A saved result used to carry every sentence of its explanation (about 2.5 kB of JSON a
practice-month, most of it the same words over and over). ``compact`` keeps, for each
line, the rule id, its points, its cell and the value it showed; the words (each rule's
templates, what "unknown" says, each floor's sentence) are the method's, kept once per
method (``method_words``; the store saves them in a table by their SHA-256).
``expand(compact(r, w), w)`` is ``r`` to the last character (``to_dict()`` equal): a
line whose words do not come out exactly as the method's (nothing the engine makes
today) is kept whole instead, so nothing is ever shown differently.

The format is marked ``"format": 2``; a result without the mark is the full format
(``ScoreResult.to_dict``) and is read with ``ScoreResult.from_dict``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scoring.engine import _position_line, compiled
from scoring.formatting import format_value
from scoring.inputs import AREAS
from scoring.methodology import Methodology, WithinBand
from scoring.results import AreaResult, Contribution, ScoreResult

FORMAT = 2
WORDS_FORMAT = 1
_UNKNOWN_FLOOR = " (input unknown)"

# A method's words: line id -> (area, input, kind, summary, sentence, unknown summary,
# unknown sentence). kind "rule": summary and sentence are templates with {value};
# kind "floor": they are the floor's own words.
Words = dict[str, tuple[str, str, str, str, str, str, str]]

# id(method) -> (method, words, sha256): built once per method (the method is kept so
# its id is never reused)
_WORDS: dict[int, tuple[Methodology, Words, str]] = {}


def method_words(method: Methodology) -> tuple[Words, str]:
    """The words every line of this method's explanations is made from, and their
    SHA-256 (of the canonical JSON, ``words_json``): the key a compact result names."""
    entry = _WORDS.get(id(method))
    if entry is None:
        words = _build_words(method)
        entry = (method, words, hashlib.sha256(words_json(words).encode()).hexdigest())
        _WORDS[id(method)] = entry
    return entry[1], entry[2]


def words_json(words: Words) -> str:
    """The words as canonical JSON (sorted keys), as the store keeps them."""
    return json.dumps(
        {"format": WORDS_FORMAT, "lines": {k: list(v) for k, v in words.items()}},
        sort_keys=True,
        separators=(",", ":"),
    )


def parse_words(text: str) -> Words:
    """The words from their stored JSON (``words_json``)."""
    data = json.loads(text)
    if data.get("format") != WORDS_FORMAT:
        raise ValueError(f"explanation words in format {data.get('format')!r} are not readable")
    return {k: tuple(v) for k, v in data["lines"].items()}


def _build_words(method: Methodology) -> Words:
    """From the compiled method: the same strings the engine's explanation uses."""
    c = compiled(method)
    words: Words = {}
    for rule in c.rules:
        summary, sentence = rule.templates
        words[rule.rule.id] = (
            AREAS[rule.area_index],
            rule.name,
            "rule",
            summary,
            sentence,
            rule.unknown_text[1],
            rule.unknown_text[2],
        )
    for floor in (*c.floors, *c.overall_floors):
        # an overall floor's line carries the area index -1, as the engine writes it
        words[floor.floor.id] = (
            AREAS[floor.area_index],
            floor.name,
            "floor",
            floor.summary,
            floor.floor.sentence,
            "",
            "",
        )
    within = c.within
    if within is not None:
        # what the engine's _position_line says when the figure is unknown
        unknown = _position_line_unknown(within)
        words[within.id] = (
            "overall",
            within.input,
            "rule",
            within.summary,
            within.sentence,
            unknown[1],
            unknown[2],
        )
    return words


def _position_line_unknown(within: WithinBand) -> tuple[str, str, str]:
    line = _position_line(within, 0, None)
    assert line.text is not None
    return line.text


# --------------------------------------------------------------------------- lines


def _band_parts(c: Contribution) -> str | None:
    """The reason of the band line, when its words are the engine's own; else None."""
    if c.area != "overall" or c.input != "band" or c.unknown or c.likelihood or c.consequence:
        return None
    if c.points_tenths % 10:
        return None
    shown, summary, sentence = c._words()
    prefix = f"Overall band {shown}: "
    suffix = f". The score starts at the band's base, {c.points_tenths // 10}."
    if summary != f"{shown} band" or not sentence.startswith(prefix):
        return None
    if not sentence.endswith(suffix) or len(sentence) < len(prefix) + len(suffix):
        return None
    return sentence[len(prefix) : len(sentence) - len(suffix)]


def _line(c: Contribution, words: Words) -> list[Any] | dict[str, Any]:
    """One line of the explanation, compact when the method's words make it exactly."""
    head = [c.rule_id, c.points_tenths, c.likelihood, c.consequence, int(c.unknown)]
    if c.rule_id == "BAND":
        why = _band_parts(c)
        return c.to_dict() if why is None else [*head, c.value, why]
    entry = words.get(c.rule_id)
    if entry is None or entry[0] != c.area or entry[1] != c.input:
        return c.to_dict()
    _, _, kind, summary, sentence, unknown_summary, unknown_sentence = entry
    if c.text is None:  # a template line: the words are made from the raw value
        if kind == "rule" and not c.unknown and c.templates == (summary, sentence):
            return [*head, format_value(c.input, c.raw)]
        return c.to_dict()
    shown, said, written = c.text
    key = (c.rule_id, c.unknown, c.text, entry)
    made = _CHECKED.get(key)
    if made is None:
        if kind == "floor":
            made = said == summary and written == sentence + (_UNKNOWN_FLOOR if c.unknown else "")
        elif c.unknown:
            made = shown == "unknown" and said == unknown_summary and written == unknown_sentence
        else:
            made = said == summary.format(value=shown) and written == sentence.format(value=shown)
        if len(_CHECKED) > 20_000:  # a category's few values, a floor's values: rarely many
            _CHECKED.clear()
        _CHECKED[key] = made
    return [*head, shown] if made else c.to_dict()


# (rule id, unknown, its words as shown, the method's words) -> whether the method's
# words make them: most lines are a category's level, the same strings again and again
_CHECKED: dict[tuple[Any, ...], bool] = {}


def _contribution(line: list[Any] | dict[str, Any], words: Words) -> Contribution:
    if isinstance(line, dict):
        return Contribution.from_dict(line)
    rule_id, tenths, likelihood, consequence, unknown, shown, *rest = line
    if rule_id == "BAND":
        text = (
            shown,
            f"{shown} band",
            f"Overall band {shown}: {rest[0]}. The score starts at the band's base, "
            f"{tenths // 10}.",
        )
        return Contribution(rule_id, "overall", "band", tenths, text=text)
    area, name, kind, summary, sentence, unknown_summary, unknown_sentence = words[rule_id]
    if kind == "floor":
        text = (shown, summary, sentence + (_UNKNOWN_FLOOR if unknown else ""))
    elif unknown:
        text = (shown, unknown_summary, unknown_sentence)
    else:
        text = (shown, summary.format(value=shown), sentence.format(value=shown))
    return Contribution(
        rule_id, area, name, tenths, likelihood, consequence, bool(unknown), text=text
    )


# --------------------------------------------------------------------------- results


def compact(result: ScoreResult, words: Words, words_sha: str) -> dict[str, Any]:
    """The result as a JSON-ready dict in the compact format, naming its words."""
    return {
        "format": FORMAT,
        "words": words_sha,
        "ods_code": result.ods_code,
        "period": result.period,
        "score": result.score,
        "band": result.band,
        "score_if_unknown_worst": result.score_if_unknown_worst,
        "band_if_unknown_worst": result.band_if_unknown_worst,
        "to_confirm": list(result.to_confirm),
        "areas": [[a.area, a.likelihood, a.consequence, a.score, a.band] for a in result.areas],
        "lines": [_line(c, words) for c in result.contributions],
        "triggers": list(result.triggers),
        "data_completeness": result.data_completeness,
        "unknown_inputs": list(result.unknown_inputs),
        "methodology_version": result.methodology_version,
        "trend": result.trend,
        "deteriorating_streak": result.deteriorating_streak,
        "previous_score": result.previous_score,
        "previous_band": result.previous_band,
        "summary": result.summary,
    }


def is_compact(data: dict[str, Any]) -> bool:
    return data.get("format") == FORMAT


def expand(data: dict[str, Any], words: Words) -> ScoreResult:
    """A compact result (``compact``) with its sentences made from ``words``."""
    return ScoreResult(
        ods_code=data["ods_code"],
        period=data["period"],
        score_tenths=round(data["score"] * 10),
        band=data["band"],
        score_if_unknown_worst_tenths=round(data["score_if_unknown_worst"] * 10),
        band_if_unknown_worst=data["band_if_unknown_worst"],
        to_confirm=tuple(data["to_confirm"]),
        areas=tuple(AreaResult(*a) for a in data["areas"]),
        contributions=tuple(_contribution(line, words) for line in data["lines"]),
        triggers=tuple(data["triggers"]),
        data_completeness=data["data_completeness"],
        unknown_inputs=tuple(data["unknown_inputs"]),
        methodology_version=data["methodology_version"],
        trend=data["trend"],
        deteriorating_streak=data["deteriorating_streak"],
        previous_score=data["previous_score"],
        previous_band=data["previous_band"],
        summary=data["summary"],
    )
