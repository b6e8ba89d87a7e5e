"""The method in words: Markdown tables of every band, weight, rule and floor, and a
worked example, rendered from a Methodology (docs/methodology.md embeds this text, and a
test keeps the two identical, so the document cannot drift from the defaults)."""

from __future__ import annotations

from datetime import date

from scoring.allocation import OUTCOME_LABELS, Applicant, Capacity, allocate
from scoring.engine import score
from scoring.inputs import AREA_LABELS, AREAS, PracticeInputs
from scoring.methodology import Methodology, Rule
from scoring.metrics import LABELS
from scoring.support_menu import suggest_support

START = "<!-- generated from scoring/methodology/default.toml: do not edit by hand -->"
END = "<!-- end of generated section -->"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _rule_outcomes(rule: Rule) -> str:
    def cell(lik: int, con: int) -> str:
        return f"+{lik} / {con}"

    if rule.kind == "category":
        assert rule.levels is not None
        parts = [
            f"{value.replace('_', ' ')}: {cell(*lc)}"
            for value, lc in rule.levels.items()
            if lc != (0, 1)
        ]
        return "; ".join(parts) or "no effect"
    if rule.kind == "flag":
        assert rule.when_true is not None
        return f"yes: {cell(*rule.when_true)}"
    assert rule.steps is not None
    sign = ">=" if rule.kind == "above" else "<"
    return "; ".join(f"{sign} {_number(t)}: {cell(lik, con)}" for t, lik, con in rule.steps)


def _unknown_policy(rule: Rule) -> str:
    """What an unknown input counts as, in words, with the method's reason."""
    value = rule.unknown_value()
    if value is None:
        text = "worst case"
    else:
        shown = (
            ("yes" if value else "no")
            if isinstance(value, bool)
            else _number(value)
            if isinstance(value, int | float)
            else str(value).replace("_", " ")
        )
        text = f"typical: {shown}" if rule.unknown == "typical" else f"counts as {shown}"
    return f"{text} ({rule.why_unknown})" if rule.why_unknown else text


def _within_band(method: Methodology) -> list[str]:
    """The position within the band, as a table row (no section when the method has none)."""
    wb = method.within_band
    if wb is None:
        return []
    label = LABELS.get(wb.input, wb.input)
    if wb.unknown == "worst" or wb.typical is None:
        unknown = "worst: the whole share"
    else:
        unknown = f"typical: {_number(wb.typical)}"
    if wb.why_unknown:
        unknown += f" ({wb.why_unknown})"
    return [
        "### Position within the band",
        "",
        "Within its band the score also moves up by up to a share of the band's width, "
        "straight-line in the figure between the two ends; it never leaves the band.",
        "",
        "| rule | reads | share of the band's width | nothing at | whole share at "
        "| if unknown (why) |",
        "|---|---|---|---|---|---|",
        f"| {wb.id} | {label} (`{wb.input}`) | {_number(wb.share)}% | {_number(wb.none_at)} "
        f"| {_number(wb.full_at)} | {unknown} |",
        "",
    ]


def describe_methodology(method: Methodology) -> str:
    lines = [START, "", f"Method version: `{method.version}` ({method.name}).", ""]

    lines += [
        "### The 5x5 bands",
        "",
        "| band | area score (likelihood x consequence) | overall score |",
        "|---|---|---|",
    ]
    for band in method.matrix_bands:
        low, high = method.overall.score_ranges[band.name]
        lines.append(f"| {band.name} | {band.min}-{band.max} | {low}-{high} |")

    total = sum(method.overall.weights.values())
    lines += [
        "",
        "### Weights of the areas in the overall score",
        "",
        "| area | weight | share |",
        "|---|---|---|",
    ]
    for area in AREAS:
        weight = method.overall.weights[area]
        lines.append(f"| {AREA_LABELS[area]} | {weight} | {100 * weight / total:.0f}% |")
    lines += [
        "",
        f"Triangulation: {method.overall.triangulation_areas} or more areas at "
        f"{method.overall.triangulation_band} or worse raise the overall band one step.",
        f"Trend: a change of band, or of at least {_number(method.trend.min_change)} points, "
        f"is a movement; {method.trend.streak} deteriorations in a row raise a flag.",
        "Uncorroborated soft intelligence is discounted by confidence: "
        + ", ".join(
            f"{level} -{points}"
            for level, points in method.soft_intelligence.uncorroborated_discount.items()
        )
        + " severity points.",
        "",
    ]
    lines += _within_band(method)

    lines += [
        "### Rules",
        "",
        "Each cell shows *likelihood points / consequence level* for that finding.",
        "",
    ]
    for area in AREAS:
        lines += [
            f"**{AREA_LABELS[area]}**",
            "",
            "| rule | reads | findings that count | if unknown (why) |",
            "|---|---|---|---|",
        ]
        for rule in method.rules:
            if rule.area == area:
                reads = LABELS.get(rule.input, rule.input)
                lines.append(
                    f"| {rule.id} | {reads} (`{rule.input}`) | {_rule_outcomes(rule)} "
                    f"| {_unknown_policy(rule)} |"
                )
        lines.append("")

    lines += ["### Floors", "", "| floor | when | effect |", "|---|---|---|"]
    for floor in method.floors:
        when = (
            f"`{floor.input}` is {' or '.join(str(v).lower() for v in floor.values)}"
            if floor.values is not None
            else f"`{floor.input}` >= {_number(floor.at_least or 0)}"
        )
        assert floor.cell is not None
        lines.append(
            f"| {floor.id} | {when} | {AREA_LABELS[floor.area or '']} at least "
            f"{floor.band} (cell {floor.cell[0]} x {floor.cell[1]}) |"
        )
    for floor in method.overall_floors:
        when = f"`{floor.input}` is {' or '.join(str(v).lower() for v in floor.values or ())}"
        lines.append(f"| {floor.id} | {when} | overall {floor.band} |")

    alloc = method.allocation
    lines += [
        "",
        "### GPRP allocation",
        "",
        "Priority = overall score + need points + impact points. Need: "
        + ", ".join(f"{k} {_number(v)}" for k, v in alloc.need_points.items())
        + ". Impact: "
        + ", ".join(f"{k} {_number(v)}" for k, v in alloc.impact_points.items())
        + f". Not assessed counts as {alloc.unknown_matrix}. Practices below "
        f"{alloc.min_band} are not supported.",
        "",
        "### GPRP menu of support",
        "",
        "| item | suggested by |",
        "|---|---|",
    ]
    for item in method.support_menu:
        drivers = ", ".join(item.rules)
        if item.areas_at_least:
            drivers = (drivers + "; " if drivers else "") + (
                f"{item.min_areas} or more areas at "
                f"{sorted(set(item.areas_at_least.values()))[0]} or worse"
            )
        lines.append(f"| {item.name} | {drivers} |")
    lines += ["", worked_example(method), END]
    return "\n".join(lines)


WORKED_INPUTS = {
    "ods_code": "ZX0001",
    "period": "2016-11",
    "cqc_overall": "requires_improvement",
    "cqc_safe": "requires_improvement",
    "cqc_effective": "good",
    "cqc_caring": "good",
    "cqc_responsive": "good",
    "cqc_well_led": "requires_improvement",
    "cqc_special_measures": False,
    "cqc_enforcement_action": False,
    "cqc_last_inspection": date(2016, 6, 8),
    "qof_achievement_pct": 88.0,
    "gpps_overall_good_pct": 79.0,
    "gpps_phone_easy_pct": 58.0,
    "remedial_notices_open": 1,
    "breach_notices_open": 0,
    "contract_sanction": False,
    "list_closed": False,
    "list_size": 9300,
    "gp_fte": 3.0,
    "nurse_fte": 2.0,
    "other_clinical_fte": 1.0,
    "gp_vacancy_fte": 1.0,
    "gp_sessions_unfilled_pct": 8.0,
    "gp_headcount": 4,
    "gp_aged_55_plus": 1,
    "single_handed": False,
    "soft_intel_max_severity": 0,
    "soft_intel_count": 0,
    "whistleblowing": False,
    "whistleblowing_corroborated": False,
    "premises_risk": "low",
    "financial_risk": "low",
    "partnership_change": True,
    "list_growth_pct_12m": 2.0,
    "merger_or_split": "none",
    "at_risk_of_closure_12m": False,
}


def worked_example(method: Methodology) -> str:
    """One invented practice from findings to band to cohort outcome."""
    result = score(PracticeInputs(**WORKED_INPUTS), method)  # type: ignore[arg-type]
    lines = [
        "### Worked example",
        "",
        "An invented practice, ZX0001, in November 2016: CQC rated it Requires improvement "
        "(safe and well-led too); it has 9,300 patients, 3.0 GP FTE with 1.0 FTE vacant, "
        "2.0 nurse FTE, an open remedial notice, and its partnership is changing. Every "
        "other finding is unremarkable.",
        "",
        "**Area cells.**",
        "",
        "| area | likelihood | consequence | score | band |",
        "|---|---|---|---|---|",
    ]
    for a in result.areas:
        lines.append(f"| {a.label} | {a.likelihood} | {a.consequence} | {a.score} | {a.band} |")
    lines += [
        "",
        "**The explanation, as the app shows it** (points add up to the score):",
        "",
        "| rule | finding | points | why |",
        "|---|---|---|---|",
    ]
    for c in result.contributions:
        lines.append(f"| {c.rule_id} | {c.value} | {c.points:.1f} | {c.sentence} |")
    lines += [
        "",
        f"**Result:** {result.score:.1f}, band **{result.band}**; summary line: "
        f'"{result.summary}"; triggers: {", ".join(result.triggers) or "none"}.',
        "",
    ]
    applicants = [
        Applicant("ZX0001", result.score, result.band, "X", need="high", impact="high"),
        Applicant("ZX0002", 80.0, "Extreme", "X", need="medium", impact="low"),
        Applicant("ZX0003", 40.0, "Moderate", "X", need="high", impact="medium"),
        Applicant("ZX0004", 20.0, "Low", "X", need="high", impact="high"),
    ]
    lines += [
        "**Cohort.** Four practices apply for 1 supported and 1 reserve place (ZX0002-4 "
        "invented with their scores given):",
        "",
        "| practice | score | band | need x impact | priority | outcome | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in allocate(applicants, Capacity(1, 1), method):
        lines.append(
            f"| {p.ods_code} | {p.score:.1f} | {p.band} | {p.need} x {p.impact} | "
            f"{p.priority:.1f} | {OUTCOME_LABELS[p.outcome]} | {p.reason} |"
        )
    suggestions = suggest_support(result, method)
    lines += ["", "**Support menu suggested for ZX0001:**", ""]
    lines += [f"- {s.name}: {s.reason}" for s in suggestions]
    lines.append("")
    return "\n".join(lines)
