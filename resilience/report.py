"""`resilience report`: the meeting pack for a month, as Markdown or one printable HTML
file. Built once as sections of plain tables, then rendered; no soft-intelligence text
appears in it (only counts and bands), so it can be circulated."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from resilience.agenda import BANDS, ELEVATED, movement
from resilience.bands import band_css
from resilience.domain import AgendaRow
from resilience.method_words import method_phrase, versions_of
from resilience.safe_text import clean
from resilience.store import Store
from scoring import period_bounds


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[str]]
    empty: str = "None."
    note: str = ""


@dataclass
class MeetingPack:
    period: str
    title: str
    subtitle: str
    demo: bool
    rows: list[AgendaRow] = field(default_factory=list)  # the month's agenda it was built on
    sections: list[Section] = field(default_factory=list)


def build_pack(
    store: Store, period: str, *, stamped: bool = True, include_closed: bool = False
) -> MeetingPack:
    """The pack's sections; ``stamped`` adds when it was made (for printed packs).
    Active practices in scope only, unless ``include_closed``."""
    rows = store.agenda_rows(period, include_closed=include_closed)
    snapshot = {
        item["ods_code"]: item
        for item in store.period_snapshot(period, include_closed=include_closed)
    }
    # a commissioner without a short name is called by its name, not its code
    names = {code: name for code, (name, _, _) in store.commissioner_tree().items()}
    period_info = next(p for p in store.periods() if p.period == period)
    reviewed = sum(1 for r in rows if r.reviewed)
    public = sum(1 for r in rows if r.public_data_only)
    pack = MeetingPack(
        period=period,
        title=f"Primary care risk share: meeting pack for {period}",
        subtitle=(
            f"{reviewed} of {len(rows)} practices reviewed"
            + (f" ({public} not reviewed, scored on public data alone)" if public else "")
            + "; month "
            f"{'closed' if period_info.is_closed else 'open'}; "
            # the method that made the scores shown, not only the one in use now
            + method_phrase(
                versions_of(i["result"].methodology_version for i in snapshot.values()),
                store.method.version,
            )
            + (f"; made {datetime.now(UTC):%Y-%m-%d %H:%M} UTC" if stamped else "")
        ),
        demo=store.is_demo(),
        rows=rows,
    )

    def band_table(title: str, key: str) -> Section:
        counts: dict[str, Counter[str]] = {}
        for r in rows:
            group = getattr(r, key) or "(none)"
            if key == "commissioner" and group == r.commissioner_code:
                group = names.get(group, group)
            counts.setdefault(group, Counter())[r.band or "not scored"] += 1
        return Section(
            title,
            [key.capitalize(), *BANDS, "Total"],
            [
                [g, *(str(c[b]) for b in BANDS), str(sum(c.values()))]
                for g, c in sorted(counts.items())
            ],
        )

    pack.sections.append(band_table("Bands by commissioner", "commissioner"))
    pack.sections.append(band_table("Bands by locality", "locality"))

    new_high = [r for r in rows if r.band in ELEVATED and r.previous_band not in ELEVATED]
    pack.sections.append(
        Section(
            "Newly High or Extreme",
            ["Practice", "Commissioner", "Band", "Last month", "Drivers"],
            [
                [
                    f"{r.ods_code} {r.name}",
                    r.commissioner,
                    f"{r.band} {r.score:.1f}",
                    r.previous_band or "new",
                    r.summary,
                ]
                for r in sorted(new_high, key=lambda r: -(r.score or 0))
            ],
        )
    )
    pack.sections.append(_public_section(rows))
    pack.sections.append(_to_confirm_section(rows))
    worse = [r for r in rows if movement(r) == "worse" and r not in new_high]
    pack.sections.append(
        Section(
            "Other deteriorations",
            ["Practice", "Commissioner", "Now", "Last month", "Drivers"],
            [
                [
                    f"{r.ods_code} {r.name}",
                    r.commissioner,
                    f"{r.band} {r.score:.1f}",
                    f"{r.previous_band} {r.previous_score:.1f}",
                    r.summary,
                ]
                for r in sorted(worse, key=lambda r: -(r.score or 0))
            ],
        )
    )

    contract_rows = []
    for code, item in sorted(snapshot.items()):
        f = item["findings"]
        events = []
        if f.get("remedial_notices_open"):
            events.append(f"remedial notices open: {f['remedial_notices_open']}")
        if f.get("breach_notices_open"):
            events.append(f"breach notices open: {f['breach_notices_open']}")
        if f.get("list_closed"):
            end = f.get("list_closure_end")
            events.append(
                "list closed" + (f" until {end.isoformat()}" if end else " (end date not recorded)")
            )
        if events:
            contract_rows.append(
                [f"{code} {item['name']}", item["commissioner"], "; ".join(events)]
            )
    pack.sections.append(
        Section(
            "Open contract notices and list closures",
            ["Practice", "Commissioner", "What"],
            contract_rows,
        )
    )

    _, month_end = period_bounds(period)
    overdue = [(a, a.due_on) for a in store.open_actions() if a.due_on and a.due_on <= month_end]
    pack.sections.append(
        Section(
            "Overdue actions",
            ["Practice", "Action", "Owner", "Due"],
            [
                [f"{a.ods_code} {a.practice}", a.text, a.owner, due_on.isoformat()]
                for a, due_on in overdue
            ],
            note=f"Open actions due by {month_end.isoformat()}.",
        )
    )

    cohort_rows = []
    for name in store.cohort_names():
        cohort = store.cohort(name)
        outcomes = Counter(o or "undecided" for _, _, o in store.cohort_outcomes(name))
        cohort_rows.append(
            [
                name,
                cohort.status,
                str(sum(outcomes.values())),
                str(outcomes["supported"]),
                str(outcomes["reserve"]),
                str(outcomes["not_supported"]),
                str(outcomes["undecided"]),
            ]
        )
    pack.sections.append(
        Section(
            "GPRP cohorts",
            [
                "Cohort",
                "Status",
                "Applications",
                "Supported",
                "Reserve",
                "Not supported",
                "Undecided",
            ],
            cohort_rows,
        )
    )
    return pack


def md_cell(text: str) -> str:
    """Data text for a Markdown table cell or line: shown as written, never as HTML,
    a link, emphasis or a new table column. HTML special characters become entities,
    Markdown's inline punctuation is backslash-escaped (and a heading, quote or list
    marker at the start), and a line break becomes visible text, not a new line."""
    text = html.escape(clean(text, one_line=True), quote=False)
    text = _MD_INLINE.sub(r"\\\g<0>", text)
    text = _MD_NUMBERED.sub(r"\1\\\2", text)
    return _MD_LINE_START.sub(r"\\\g<0>", text)


_MD_INLINE = re.compile(r"[\\`*_\[\]|~]")
_MD_LINE_START = re.compile(r"^[#>+=-]")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


PUBLIC_LIMIT = 30


def _public_section(rows: list[AgendaRow]) -> Section:
    """Practices nobody has reviewed, highest public-data risk first: the triage."""
    public = sorted(
        (r for r in rows if r.public_data_only), key=lambda r: (-(r.score or 0), r.ods_code)
    )
    return Section(
        "Not reviewed yet: highest risk on public data",
        ["Practice", "Commissioner", "Band", "List size", "To confirm", "Drivers"],
        [
            [
                f"{r.ods_code} {r.name}",
                r.commissioner,
                f"{r.band} {r.score:.1f}",
                "-" if r.list_size is None else f"{r.list_size:,}",
                str(len(r.to_confirm)),
                r.summary.split(": ", 1)[-1],
            ]
            for r in public[:PUBLIC_LIMIT]
        ],
        empty="Every practice has a review or a result carried forward.",
        note=(
            f"Scored on the national files alone (not reviewed); the first {PUBLIC_LIMIT} of "
            f"{len(public)}."
            if len(public) > PUBLIC_LIMIT
            else ("Scored on the national files alone (not reviewed)." if public else "")
        ),
    )


def _to_confirm_section(rows: list[AgendaRow]) -> Section:
    """Facts a floor reads that nobody has recorded: a floor fires on known facts only,
    so these are confirmed at the meeting rather than assumed either way."""
    reviewed = [r for r in rows if r.to_confirm and not r.public_data_only]
    public = [r for r in rows if r.to_confirm and r.public_data_only]
    listed = [
        [f"{r.ods_code} {r.name}", r.commissioner, "; ".join(r.to_confirm)]
        for r in sorted(reviewed, key=lambda r: (-(r.score or 0), r.ods_code))
    ]
    note = (
        f"Plus {len(public)} practice(s) not reviewed yet, each with every floor's fact "
        "to confirm (see the section above)."
        if public
        else ""
    )
    if any(not r.public_data_only for r in rows) or not public:
        empty = "Every reviewed practice's floor facts are recorded."
    else:
        empty = "No practice has been reviewed yet, so no floor fact is recorded."
    return Section(
        "To confirm at the meeting",
        ["Practice", "Commissioner", "Not known yet"],
        listed,
        empty=empty,
        note=note,
    )


def render_markdown(pack: MeetingPack) -> str:
    lines = [f"# {md_cell(pack.title)}", "", md_cell(pack.subtitle), ""]
    if pack.demo:
        lines += ["> **Demo data**: invented practices, not real findings.", ""]
    for section in pack.sections:
        lines += [f"## {md_cell(section.title)}", ""]
        if section.note:
            lines += [md_cell(section.note), ""]
        if not section.rows:
            lines += [section.empty, ""]
            continue
        lines.append("| " + " | ".join(section.header) + " |")
        lines.append("|" + "---|" * len(section.header))
        for row in section.rows:
            lines.append("| " + " | ".join(md_cell(cell) for cell in row) + " |")
        lines.append("")
    return "\n".join(lines)


_PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.demo { background: #fff3cd; padding: .5em; border: 1px solid #e0c060; }
@media print {
  body { margin: 1cm; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; }
}
"""
# the band classes come from the one source of band colours (resilience/bands.py)
CSS = _PAGE_CSS.replace("@media print", band_css() + "\n@media print", 1)


def _esc(text: str) -> str:
    return html.escape(clean(text))


def render_html(pack: MeetingPack) -> str:
    esc = _esc
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(pack.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(pack.title)}</h1><p>{esc(pack.subtitle)}</p>",
    ]
    if pack.demo:
        parts.append(
            '<p class="demo"><strong>Demo data</strong>: invented practices, not real findings.</p>'
        )
    for section in pack.sections:
        parts.append(f"<h2>{esc(section.title)}</h2>")
        if section.note:
            parts.append(f"<p>{esc(section.note)}</p>")
        if not section.rows:
            parts.append(f"<p>{esc(section.empty)}</p>")
            continue
        parts.append(
            "<table><thead><tr>"
            + "".join(f"<th>{esc(h)}</th>" for h in section.header)
            + "</tr></thead><tbody>"
        )
        for row in section.rows:
            cells = []
            for cell in row:
                band = cell.split(" ")[0]
                css = f' class="{band}"' if band in BANDS else ""
                cells.append(f"<td{css}>{esc(cell)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
