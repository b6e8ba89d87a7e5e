"""The `resilience` command: the TUI by default, subcommands for scripts.

Script paths (practices, demo, ...) never import Textual, so they start fast and run
where no terminal UI is wanted (cron, pipes).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from resilience import __version__
from resilience.cli_commissioners import commissioners_app
from resilience.cli_common import DbOption, OutputFormat, db_given_before_the_command, fail
from resilience.cli_db import db_app
from resilience.cli_method import method_app
from resilience.cli_month import month_app
from resilience.cli_scope import first_import_check, scope_app
from resilience.cli_users import users_app
from resilience.cli_validate import validate
from resilience.errors import DB_ENV_VAR, DatabaseError
from resilience.safe_text import clean, plain, spreadsheet_cell

app = typer.Typer(
    name="resilience",
    help="Monthly risk-share review of GP practices and GPRP cohort allocation.\n\n"
    "Run with no command to open the terminal app.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
)


def demo_db_path() -> Path:
    from resilience.cli_preflight import user_db_path  # resilience.db's, without SQLAlchemy

    return user_db_path().with_name("demo.db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"resilience {__version__}")
        raise typer.Exit()


def _refuse_demo_with_a_command(demo: bool) -> None:
    if demo:
        raise fail("--demo opens the app on the demo database; for a command, give --db PATH")


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Open the demo database (created on first use)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        _refuse_demo_with_a_command(demo)  # a --db given here reaches the command
        return
    _open_app(db, demo=demo)


def _open_app(db: str | None, *, demo: bool) -> None:
    if demo:
        _run_tui(str(demo_db_path()), seed_if_missing=True)
    else:
        # First run: only the default per-user database is seeded with the demo.
        _run_tui(db, seed_if_missing=db is None and not os.environ.get(DB_ENV_VAR))


def _run_tui(db: str | None, *, seed_if_missing: bool) -> None:
    from resilience.cli_preflight import ready_sqlite_url
    from resilience.errors import StoreError

    try:
        # a SQLite file at the schema head is checked with sqlite3 alone: the database
        # stack is then first imported by the app's worker, after the first frame
        url = ready_sqlite_url(db)
        if url is None:
            from resilience.db import resolve_url, sqlite_path
            from resilience.demo import create_demo_database
            from resilience.store import Store

            url = resolve_url(db)
            path = sqlite_path(url)
            if seed_if_missing and path is not None and not path.exists():
                typer.echo(f"First run: creating a demo database at {path} ...", err=True)
                create_demo_database(url).close()
            else:
                Store.open(url).close()  # migrate before the UI starts; fail here, in words
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None

    from resilience.app import ResilienceApp  # Textual only on this path

    ResilienceApp(url).run()


@app.command()
def demo(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Where to (re)create the demo database (path or URL).",
            callback=db_given_before_the_command,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Recreate an existing demo database without asking.")
    ] = False,
) -> None:
    """(Re)create a demo database: invented LLR practices, April 2016 - March 2017.
    Never replaces a database that is not a demo."""
    from resilience.db import resolve_url, sqlite_path
    from resilience.demo import create_demo_database, is_demo_file
    from resilience.store import StoreError

    target = db if db is not None else str(demo_db_path())
    try:
        path = sqlite_path(resolve_url(target))
        if path is not None and path.exists():
            if not is_demo_file(path):
                raise fail(
                    f"{path} is not a demo database; the demo never replaces other data. "
                    "Choose another path: resilience demo --db NEW.db"
                )
            if not yes and not typer.confirm(f"Delete the demo database {path} and recreate it?"):
                raise fail("nothing changed", code=1)
        store = create_demo_database(target, replace=True)
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
    count = len(store.list_practices())
    typer.echo(f"Demo database ready: {store.url} ({count} practices).")
    store.close()


@app.command()
def practices(
    db: DbOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Closed and dormant practices too.")
    ] = False,
) -> None:
    """List the active practices in scope with their latest workforce figures (the
    practices left out are counted on stderr)."""
    from resilience.domain import PRACTICE_CSV_COLUMNS  # the engine: not on every start
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
        rows = store.list_practices(include_closed=include_closed)
        closed, outside = store.hidden_counts()
        store.close()
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
    hidden = []
    if closed and not include_closed:
        hidden.append(f"{closed} closed or dormant (--include-closed lists them)")
    if outside:
        hidden.append(f"{outside} outside the scope (resilience scope show)")
    if hidden:
        typer.echo(f"resilience: not listed: {'; '.join(hidden)}.", err=True)
    if output_format is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=PRACTICE_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "" if v is None else spreadsheet_cell(v) for k, v in row.csv_values().items()}
            )
    elif output_format is OutputFormat.json:
        typer.echo(json.dumps([row.csv_values() for row in rows], indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(rows)} practices")
        for column in ("ods_code", "name", "commissioner_code", "locality", "list_size"):
            table.add_column(column, justify="right" if column == "list_size" else "left")
        for row in rows:
            table.add_row(
                plain(row.ods_code, one_line=True),
                plain(row.name, one_line=True),
                plain(row.commissioner_code, one_line=True),
                plain(row.locality, one_line=True),
                f"{row.list_size:,}" if row.list_size is not None else "unknown",
            )
        Console().print(table)


class InputFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


class ResultFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    table = "table"


@app.command()
def score(
    input_file: Annotated[
        str | None,
        typer.Argument(
            metavar="[FILE]",
            help="Practice inputs: a CSV or JSON Lines file, or - for standard input. "
            "Columns are the engine's input names (see the README).",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Month (YYYY-MM) for rows without a period column; "
            "required with --save and --from-db.",
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option("--input-format", help="Input format (default: from the file name)."),
    ] = None,
    output_format: Annotated[
        ResultFormat, typer.Option("--format", help="Output format.")
    ] = ResultFormat.csv,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    methodology: Annotated[
        Path | None, typer.Option("--methodology", help="Score with this method file.")
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Store the results as new assessment versions.")
    ] = False,
    from_db: Annotated[
        bool, typer.Option("--from-db", help="Rescore the findings stored for --period.")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Save as this person (default: your account; only for an account an "
            "admin made their delegate: `resilience users delegate`).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Score practice-months from a file (or the database) and write the results.

    Exit codes: 0 every row scored; 1 some rows invalid (each reported on stderr, the
    rest still scored); 2 usage or file errors.
    """
    from resilience.batch import BatchFileError, RowError, detect_format, read_rows
    from resilience.cli_method import database_method
    from resilience.errors import ConflictError, StoreError  # not the store: no database stack
    from resilience.services.scoring import rescore_month, score_file
    from scoring import MethodologyError, load_methodology
    from scoring.inputs import PERIOD_PATTERN

    if from_db == (input_file is not None):
        raise fail("give an input FILE (or - for stdin), or --from-db, but not both")
    if (save or from_db) and not period:
        raise fail("--save and --from-db need --period YYYY-MM")
    if period is not None and not PERIOD_PATTERN.match(period):
        raise fail(f"--period {period!r} is not a month; write it YYYY-MM, for example 2016-04")
    try:
        # one method per database: the database's unless --methodology names a what-if
        method = load_methodology(methodology) if methodology else database_method(db)
    except (MethodologyError, StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None

    errors: list[RowError] = []
    try:
        if from_db:
            scored = rescore_month(period or "", method, save=save, db=db, user=user)
        else:
            fmt = detect_format(input_file or "-", input_format.value if input_format else None)
            rows = read_rows(input_file or "-", fmt, period)  # streamed, not held
            scored = score_file(
                rows, method, errors, save=save, db=db, period=period, user=user,
                source=input_file or "-",
            )  # fmt: skip
            if scored.opened_period:
                typer.echo(f"resilience: opened review period {period}", err=True)
        results, saved_from, unchanged = scored.results, scored.saved, scored.unchanged
    except ConflictError as exc:
        typer.echo(f"resilience: {exc}", err=True)
        raise typer.Exit(1) from None
    except csv.Error as exc:
        raise fail(f"{input_file}: not a CSV file that can be read ({exc})") from None
    except (BatchFileError, StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None

    from resilience.batch import write_results
    from resilience.safe_files import atomic_write

    try:  # without --save the rows are read, scored and written one at a time
        if output is not None:
            try:
                with atomic_write(output) as handle:
                    count = write_results(results, handle, output_format.value)
            except OSError as exc:
                raise fail(f"{output}: cannot write it: {exc.strerror}") from None
        else:
            count = write_results(results, sys.stdout, output_format.value)
    except csv.Error as exc:
        raise fail(f"{input_file}: not a CSV file that can be read ({exc})") from None
    for error in errors:
        typer.echo(f"resilience: {clean(error, one_line=True)}", err=True)
    summary = f"{count} scored" + (f", {len(errors)} problem(s) in the input" if errors else "")
    if save:
        summary += (
            f"; saved {count if saved_from is None else saved_from} new version(s) for {period}"
        )
        if unchanged:
            summary += (
                f" ({unchanged} unchanged since this month's current version, not saved again)"
            )
    typer.echo(f"resilience: {summary}.", err=True)
    if errors:
        raise typer.Exit(1)


class ImportKind(StrEnum):
    ods = "ods"
    ods_names = "ods-names"
    list_size = "list-size"
    cqc = "cqc"
    workforce = "workforce"


@app.command("import")
def import_file(
    kind: Annotated[ImportKind, typer.Argument(help="What the file is.")],
    file: Annotated[Path, typer.Argument(help="The file as published.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    all_settings: Annotated[
        bool,
        typer.Option("--all-settings", help="ods: keep walk-in centres, prisons etc. too."),
    ] = False,
    extract_date: Annotated[
        str | None,
        typer.Option(
            "--extract-date",
            help="YYYY-MM-DD the figures are for, when the file does not say (workforce, ods).",
        ),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Import the valid rows; list the rejected ones and keep them in the record.",
        ),
    ] = False,
    user: Annotated[str | None, typer.Option("--user", help="Who imports (default: you).")] = None,
    db: DbOption = None,
    create: Annotated[
        bool, typer.Option("--create", help="Create the database if it does not exist.")
    ] = False,
) -> None:
    """Import a national file as published (CSV, or the zip it is shipped in): ods
    (epraccur, both dialects), ods-names (the ODS CCG / sub-ICB / ICB files: names of
    commissioners), list-size (registered patients, both headers), cqc (latest ratings,
    or the care directory / active locations .xlsx or its CSV) or workforce (GP
    workforce, practice level, detailed or high level). One transaction; the same file
    twice changes nothing.

    Exit codes: 0 imported (or previewed); 1 rows rejected, nothing imported (with
    --skip-invalid: the rest imported); 2 file or usage errors."""
    from datetime import date as _date

    from resilience.importers import ImportFileError
    from resilience.services import imports
    from resilience.store import Store, StoreError

    try:
        when = _date.fromisoformat(extract_date) if extract_date else None
    except ValueError:
        raise fail(f"--extract-date {extract_date!r} is not a date written YYYY-MM-DD") from None
    try:
        store = Store.open(db, user=user, create=create)
        plan = imports.plan_import(
            store, kind.value, file, all_settings=all_settings, extract_date=when
        )
    except (ImportFileError, StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    except csv.Error as exc:  # the csv module's own verdict: quoting, NUL bytes, huge cells
        raise fail(
            f"{file}: not a CSV file that can be read ({exc}); nothing was imported"
        ) from None
    if not dry_run:  # asked once the file is known to be the right kind
        first_import_check(store)
    typer.echo(clean(imports.preview(plan, dry_run=dry_run)))
    if plan.rejected and not skip_invalid:
        store.close()
        typer.echo(
            f"resilience: {len(plan.rejected)} row(s) rejected; nothing imported. "
            "Correct the file and import it again, or import the rest with --skip-invalid.",
            err=True,
        )
        raise typer.Exit(1)
    if dry_run:
        store.close()
        if plan.rejected:  # --skip-invalid: the rest would be imported
            raise typer.Exit(1)
        return
    try:
        batch = imports.apply_import(store, plan, skip_invalid=skip_invalid)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    if batch is None:
        typer.echo(imports.nothing_to_change(plan))
    else:
        typer.echo(f"Imported as batch {batch}.")
    if plan.rejected:
        typer.echo(
            f"resilience: {len(plan.rejected)} row(s) rejected and not imported "
            f"(listed above; kept in batch {batch}'s record).",
            err=True,
        )
        raise typer.Exit(1)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def export(
    period: Annotated[str, typer.Option("--period", help="The review month, YYYY-MM.")],
    output_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, xlsx or json.")
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (xlsx default: "
            "resilience-PERIOD.xlsx; csv and json default: stdout).",
        ),
    ] = None,
    include_confidential: Annotated[
        bool,
        typer.Option(
            "--include-confidential", help="Include confidential soft intelligence (audited)."
        ),
    ] = False,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Closed and dormant practices too.")
    ] = False,
    user: Annotated[str | None, typer.Option("--user", help="Who exports (default: you).")] = None,
    db: DbOption = None,
) -> None:
    """Every practice for a month with findings, scores, bands and the explanation
    summary. Confidential soft intelligence is left out unless --include-confidential."""
    from resilience.exporting import add_register_figures, write_xlsx
    from resilience.safe_files import atomic_write
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db, user=user)
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    try:
        items = store.period_snapshot(period, include_closed=include_closed)
        add_register_figures(items, store.register_figures())  # the list vs the median
        soft: list[Any] = []
        withheld = 0
        if output_format is not ExportFormat.csv:
            soft, withheld = store.soft_intel_for_export(include_confidential=include_confidential)
        method = store.method
        xlsx = output_format is ExportFormat.xlsx
        target = output or (Path(f"resilience-{period}.xlsx") if xlsx else None)

        def audit() -> None:
            store.record_export(
                "export",
                f"{period} as {output_format.value} to {target or 'stdout'}"
                + ("; confidential entries included" if include_confidential and soft else ""),
            )

        # a file is written to a temporary owner-only name, audited once complete, then
        # renamed into place: a failed export leaves no file and no "exported" line.
        # Standard output cannot be taken back, so it is audited before anything is sent.
        if output_format is ExportFormat.xlsx:
            made = {item["result"].methodology_version for item in items}
            scored = store.method_named(made.pop()) if len(made) == 1 else None
            with atomic_write(target, "wb", before_rename=audit) as binary:  # type: ignore[call-overload]
                write_xlsx(items, soft, withheld, binary, period, method, scored)
        elif target is not None:
            with atomic_write(target, before_rename=audit) as handle:
                _write_export(output_format, items, soft, withheld, handle, period, method)
        else:
            audit()
            _write_export(output_format, items, soft, withheld, sys.stdout, period, method)
    except BrokenPipeError:
        raise
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write the export to {target or 'stdout'}: {exc.strerror}") from None
    finally:
        store.close()
    if target is not None:
        typer.echo(f"Wrote {target} ({len(items)} practices).", err=True)
    if withheld:
        typer.echo(
            f"resilience: {withheld} confidential soft-intelligence entries withheld.", err=True
        )


def _write_export(fmt, items, soft, withheld, handle, period, method):  # type: ignore[no-untyped-def]
    from resilience.exporting import write_csv, write_json

    if fmt is ExportFormat.csv:
        write_csv(items, handle)
    else:
        write_json(items, soft, withheld, handle, period, method)


class ReportFormat(StrEnum):
    md = "md"
    html = "html"


@app.command()
def report(
    period: Annotated[str, typer.Option("--period", help="The review month, YYYY-MM.")],
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="md or html (one printable file).")
    ] = ReportFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Closed and dormant practices too.")
    ] = False,
    db: DbOption = None,
) -> None:
    """The meeting pack: bands by commissioner and locality, newly High or Extreme and
    their drivers, deteriorations, contract notices and list closures, overdue actions,
    GPRP cohorts."""
    from resilience.report import build_pack, render_html, render_markdown
    from resilience.safe_files import write_text
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    try:
        pack = build_pack(store, period, include_closed=include_closed)
        text = render_html(pack) if output_format is ReportFormat.html else render_markdown(pack)

        def audit() -> None:
            store.record_export(
                "report", f"{period} as {output_format.value} to {output or 'stdout'}"
            )

        if output is None:
            audit()
            typer.echo(text)
        else:  # owner-only, complete or not at all; audited once written
            write_text(output, text, before_rename=audit)
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{output}: cannot write it: {exc.strerror}") from None
    finally:
        store.close()
    if output is not None:
        typer.echo(f"Wrote {output}.", err=True)


app.add_typer(db_app, name="db")
app.command("validate")(validate)
app.add_typer(method_app, name="method")
app.add_typer(users_app, name="users")
app.add_typer(commissioners_app, name="commissioners")
app.add_typer(scope_app, name="scope")
app.add_typer(month_app, name="month")

cohort_app = typer.Typer(
    help="GPRP cohorts: proposed allocation and recorded decisions.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cohort_app, name="cohort")


class CohortFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@cohort_app.command("allocate")
def cohort_allocate(
    name: Annotated[str, typer.Argument(help="The cohort's name, e.g. 'GPRP cohort 1'.")],
    db: DbOption = None,
    methodology: Annotated[
        Path | None, typer.Option("--methodology", help="Rank with this method file.")
    ] = None,
    output_format: Annotated[
        CohortFormat, typer.Option("--format", help="Output format.")
    ] = CohortFormat.table,
) -> None:
    """The engine's proposed allocation, ranked, beside the panel's recorded outcome."""
    from resilience.services.cohorts import propose, support_names
    from resilience.store import Store, StoreError
    from scoring import MethodologyError, load_methodology

    try:
        chosen = load_methodology(methodology) if methodology else None
        store = Store.open(db, method=chosen)
        method = store.method  # the database's method unless --methodology was given
        proposed = propose(store, name, method)
        store.close()
    except (MethodologyError, StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    records = [
        {
            "rank": p.placement.rank,
            "ods_code": p.placement.ods_code,
            "practice": p.application.practice_name,
            "commissioner": p.placement.commissioner,
            "score": p.placement.score,
            "band": p.placement.band,
            "need": p.placement.need or "",
            "impact": p.placement.impact or "",
            "priority": p.placement.priority,
            "proposed": p.placement.outcome,
            "recorded": p.application.outcome or "",
            "reason": p.placement.reason,
            "support": "; ".join(support_names(method, p.support)),
        }
        for p in proposed
    ]
    _write_records(records, output_format.value)
    if output_format is CohortFormat.table:
        differ = sum(1 for p in proposed if p.differs_from_decision)
        typer.echo(
            f"{len(proposed)} applicants; {differ} recorded outcome(s) differ from the "
            f"proposal (method {method.version}).",
            err=True,
        )


@cohort_app.command("show")
def cohort_show(
    name: Annotated[str, typer.Argument(help="The cohort's name.")],
    db: DbOption = None,
    output_format: Annotated[
        CohortFormat, typer.Option("--format", help="Output format.")
    ] = CohortFormat.table,
) -> None:
    """Applicants and the panel's recorded decisions."""
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
        cohort = store.cohort(name)
        applications = store.applications(name)
        store.close()
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    records = [
        {
            "ods_code": a.ods_code,
            "practice": a.practice_name,
            "commissioner": a.commissioner_code,
            "route": a.route,
            "received_on": a.received_on.isoformat() if a.received_on else "",
            "need": a.need or "",
            "impact": a.impact or "",
            "outcome": a.outcome or "",
            "decided_by": a.decided_by or "",
            "rationale": a.rationale or "",
            "support_items": ";".join(a.support_items),
        }
        for a in applications
    ]
    _write_records(records, output_format.value)
    if output_format is CohortFormat.table:
        quotas = ", ".join(f"{c} {s}/{r}" for c, (s, r) in sorted(cohort.quotas.items()))
        typer.echo(
            clean(
                f"{cohort.name}: {cohort.status}; places {cohort.capacity_supported} supported, "
                f"{cohort.capacity_reserve} reserve"
                + (f" (by commissioner {quotas})" if quotas else "")
            ),
            err=True,
        )


def _write_records(records: Sequence[Mapping[str, object]], fmt: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(records, indent=2))
        return
    if fmt == "csv":
        if records:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: spreadsheet_cell(v) for k, v in r.items()} for r in records)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    # the table is for a terminal: the key columns only (csv and json carry everything)
    brief = (
        "rank",
        "ods_code",
        "commissioner",
        "score",
        "band",
        "need",
        "impact",
        "proposed",
        "recorded",
        "route",
        "outcome",
    )
    columns = [c for c in (records[0] if records else {}) if c in brief]
    for column in columns:
        table.add_column(column)
    for record in records:
        table.add_row(*(plain(record[c], one_line=True) for c in columns))
    Console().print(table)


def _score_only() -> typer.Typer:
    """`resilience score` alone. Scripts call it in loops: building every command's
    options from its signature first (what `app()` does) costs about 20 ms of a few
    hundred. Same options, help and messages (`resilience score ...` in each)."""
    only = typer.Typer(add_completion=False, rich_markup_mode=None)
    only.command()(score)
    return only


def _only_the_app(args: list[str]) -> tuple[str | None, bool] | None:
    """(--db, --demo) when the command line just opens the app: `resilience`,
    `resilience --db X` (or --db=X), `resilience --demo`. Anything else is Typer's."""
    if not args:
        return None, False
    if args == ["--demo"]:
        return None, True
    if len(args) == 2 and args[0] == "--db":
        return args[1], False
    if len(args) == 1 and args[0].startswith("--db="):
        return args[0].removeprefix("--db="), False
    return None


def main() -> None:
    try:
        if sys.argv[1:2] == ["score"]:
            _score_only()(args=sys.argv[2:], prog_name="resilience score")
        elif (plain := _only_the_app(sys.argv[1:])) is not None:
            # Typer would first build every command and, for a given --db, a pydantic
            # adapter (pydantic's import alone is ~50 ms): the first frame waits for none
            try:
                _open_app(plain[0], demo=plain[1])
            except typer.Exit as exit:  # a refusal, already said in words
                sys.exit(exit.exit_code)
            except (KeyboardInterrupt, EOFError):  # as Typer says it (ctrl+c while migrating)
                typer.echo("\nAborted!", err=True)
                sys.exit(1)
        else:
            app()
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, like other command-line tools
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
