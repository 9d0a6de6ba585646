"""The ``kam`` command line (click). User mistakes end as one line on stderr."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from kamtui.errors import KamError
from kamtui.failures import Where, line_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from kamtui.db import Database


class Context:
    def __init__(self, db_arg: str | None, setting: str = "--db") -> None:
        self.db_arg = db_arg
        self.setting = setting
        self.db: Database | None = None

    def database(self) -> Database:
        """The database named by --db / KAM_DB (not opened yet)."""
        from kamtui.db import Database

        if self.db is None:
            self.db = Database.from_argument(self.db_arg)
        return self.db

    def warn_about_password(self) -> None:
        """A password written into the URL: accepted, with one warning (never echoed)."""
        if not self.db_arg or "://" not in self.db_arg or self.db_arg.startswith("sqlite"):
            return
        from kamtui.db import url_has_password

        if url_has_password(self.db_arg):
            click.echo(
                f"kam: warning: the password in {self.setting} can be seen by other users "
                "(ps, shell history); leave it out of the URL and put it in PGPASSWORD "
                "or ~/.pgpass",
                err=True,
            )

    def open(self, *, quiet: bool = False) -> Database:
        """The database, prepared and migrated; notes go to stderr."""
        from kamtui.migrate import open_database

        db = self.database()
        for note in open_database(db):
            if not quiet:
                click.echo(f"kam: {note}", err=True)
        return db

    def where(self) -> Where:
        """What an error line names: the database and the setting that chose it."""
        if self.db is not None:
            return Where(self.db.label, self.db.path, self.setting)
        if self.db_arg and "://" not in self.db_arg:
            path = Path(self.db_arg).expanduser().absolute()
            return Where(str(path), path, self.setting)
        if self.db_arg:
            from kamtui.db import redact_url

            return Where(redact_url(self.db_arg), None, self.setting)
        return Where(setting=self.setting)


def _fail(message: str) -> None:
    raise click.ClickException(message)


class KamGroup(click.Group):
    """Every failure of every command ends here as one line on stderr and exit 1: no
    traceback, no SQL, no customer data (kamtui.failures)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            context = ctx.obj if isinstance(ctx.obj, Context) else None
            where = context.where() if context is not None else None
            raise click.ClickException(line_for(exc, where)) from None


@click.group(cls=KamGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_arg",
    envvar="KAM_DB",
    metavar="PATH_OR_URL",
    help="Database file or SQLAlchemy URL (default: kam.db in your data folder; env KAM_DB).",
)
@click.version_option(package_name="kamtui", prog_name="kam")
@click.pass_context
def cli(ctx: click.Context, db_arg: str | None) -> None:
    """kamtui: key account management in the terminal. Run without a command to open it."""
    source = ctx.get_parameter_source("db_arg")
    ctx.obj = Context(db_arg, "KAM_DB" if source == ParameterSource.ENVIRONMENT else "--db")
    ctx.obj.warn_about_password()
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj)


def _run_tui(context: Context) -> None:
    if not sys.stdout.isatty() and not os.environ.get("KAM_ALLOW_NO_TTY"):
        _fail("kam needs a terminal; use a subcommand (kam --help) for scripts")
    db = context.open()
    from kamtui.services.account_list import start_reading

    first_rows = start_reading(db, dt.date.today())  # while Textual imports (start-up)
    from kamtui.app import make_app

    app = make_app(db, first_rows=first_rows)
    try:
        code = app.run()
    finally:
        db.close()
    sys.exit(code or app.return_code or 0)


@cli.command()
@click.option("--accounts", default=300, show_default=True, help="How many accounts.")
@click.option("--seed", default=7, show_default=True, help="Same seed, same portfolio.")
@click.option("--replace", is_flag=True, help="Wipe the database first.")
@click.pass_obj
def demo(context: Context, accounts: int, seed: int, replace: bool) -> None:
    """Fill the database with a realistic demo portfolio."""
    import time

    from kamtui.services.demo import build_demo

    db = context.open()
    started = time.perf_counter()
    counts = build_demo(db, accounts=accounts, seed=seed, today=dt.date.today(), replace=replace)
    took = time.perf_counter() - started
    summary = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    click.echo(f"Demo portfolio ready in {took:.1f} s: {summary}.")
    db.close()


@cli.command()
@click.pass_obj
def check(context: Context) -> None:
    """Check the database: connection, integrity, schema revision, rows per table."""
    from kamtui.db import Database
    from kamtui.migrate import read_state, refuse_if_unusable
    from kamtui.migrations import HEAD

    db = Database.from_argument(context.db_arg)
    if db.path is not None and not db.path.exists():
        _fail(f"no database at {db.path}")
    try:
        state = read_state(db)  # the first query: a server that cannot be reached fails here
        click.echo(f"database: {db.label}")
        server = db.server_version()
        if server:
            click.echo(f"server:   {server}, connected")
        refuse_if_unusable(state)
        if state.revision is None:
            _fail("the database is empty: no kam schema yet (any kam command creates it)")
        behind = "current" if state.current else f"will upgrade to {HEAD}"
        click.echo(f"schema:   {state.revision} ({behind})")
        problems = db.check()
        if state.current:
            counts = db.row_counts()
            shown = [f"{n:,} {t}" for t, n in sorted(counts.items()) if n]
            click.echo(f"rows:     {', '.join(shown) or 'none'}")
    finally:
        db.close()
    if problems:
        for p in problems[:50]:
            click.echo(f"problem:  {p}")
        _fail(f"{len(problems)} problem(s) found")
    click.echo("integrity: ok")


@cli.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(context: Context, path: Path | None) -> None:
    """Copy the database consistently, even while kam is open (mode 0600).

    A SQLite file is copied through SQLite's backup API; a PostgreSQL database is
    written by pg_dump in its custom format (restore it with pg_restore).
    """
    db = context.open(quiet=True)
    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        if path is None and db.path is not None:
            path = db.path.with_name(f"{db.path.stem}-backup-{stamp}.db")
        elif path is None:
            path = Path(f"kam-backup-{stamp}.dump")
        target = db.backup_to(path)
    finally:
        db.close()
    click.echo(f"Backup written to {target}")


def _write_private(path: Path, data: bytes) -> None:
    """Write an output file that holds customer data with mode 0600. An existing regular
    file of ours is replaced; a link, a folder or a device is refused (never written
    through)."""
    from kamtui.db import create_private_file, tighten

    path = path.expanduser()
    if not path.parent.is_dir():
        _fail(f"folder {path.parent} does not exist")
    create_private_file(path)  # refuses links and anything but a regular file
    tighten(path)
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _markdown(
    context: Context,
    build: Callable[[Database], str],
    out: Path | None,
    what: str,
    *,
    note_to_stderr: bool = True,
) -> None:
    """A Markdown document built from the database: printed, or written to ``out``
    (mode 0600) with a note saying where."""
    db = context.open(quiet=True)
    try:
        text = build(db)
    finally:
        db.close()
    if out is None:
        click.echo(text, nl=False)
        return
    _write_private(out, text.encode("utf-8"))
    click.echo(f"{what} written to {out}", err=note_to_stderr)


@cli.command("review-pack")
@click.argument("account")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: print).",
)
@click.pass_obj
def review_pack_command(context: Context, account: str, out: Path | None) -> None:
    """The review pack of ACCOUNT (name or id) as Markdown, ready to present."""
    from kamtui.services.review_pack import review_pack

    _markdown(context, lambda db: review_pack(db, account, dt.date.today()), out, "Review pack")


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: print).",
)
@click.option("--owner", metavar="NAME", help="Only this person's reviews and actions.")
@click.pass_obj
def calendar(context: Context, out: Path | None, owner: str | None) -> None:
    """Next reviews and open actions' due dates as an iCalendar (.ics) file."""
    from kamtui.services.review_pack import calendar_ics

    db = context.open(quiet=True)
    try:
        data = calendar_ics(db, dt.date.today(), owner=owner)
    finally:
        db.close()
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    _write_private(out, data)
    click.echo(f"Calendar written to {out}", err=True)


def main() -> None:
    cli(prog_name="kam")


# --- import and export (issue 3) -------------------------------------------------------------


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "salesforce", "hubspot", "generic"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="Whose column names the file uses (accounts files).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=field"',
    help='Map another column to one of our fields; "COLUMN=" skips it. Repeatable.',
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--encoding", default=None, help="Text encoding of a CSV (default UTF-8, BOM or not)."
)
@click.option("--decimal-comma", is_flag=True, help="Amounts are written 2.500,50 (not 2,500.50).")
@click.option(
    "--source",
    default=None,
    metavar="SYSTEM",
    help="The system the file's ids come from (e.g. pipedrive); Salesforce and HubSpot "
    "files are recognised by their columns.",
)
@click.pass_obj
def import_(
    context: Context,
    file: Path,
    fmt: str,
    maps: tuple[str, ...],
    dry_run: bool,
    encoding: str | None,
    decimal_comma: bool,
    source: str | None,
) -> None:
    """Import accounts, contacts or economics from CSV/XLSX, or restore a JSON dump.

    \b
    Accounts: Salesforce (API names or report labels), HubSpot company exports, or
    kam's own columns. A row updates the account with the same external id, else the
    same name (any case); an empty cell keeps what kam holds. Contacts (First Name,
    Last Name, Email, … with Company Name or AccountId) and economics (account, period,
    revenue, cost to serve, gross profit, receivables) are recognised by their headers.
    All or nothing: one bad row rejects the file, and nothing changes.
    A .json file made by kam export restores into an empty database.
    """
    from kamtui.io.importer import apply_import, parse_map, prepare_import
    from kamtui.io.plan import Options, rejected
    from kamtui.io.progress import TerminalProgress

    opts = Options(fmt.lower(), parse_map(maps), encoding, decimal_comma, source)
    db = context.open()
    try:
        with TerminalProgress("checking ") as checking:
            plan = prepare_import(db, file, opts, dt.date.today(), checking)
        lines = plan.describe()
        click.echo(lines[0], err=True)
        if plan.problems:
            for line in lines[1:]:
                click.echo(f"  {line}", err=True)
            raise rejected(plan)
        for line in lines[2:]:
            click.echo(f"kam: {line}", err=True)
        if dry_run:
            click.echo(f"Dry run, nothing written: {plan.counts_text()}.")
            return
        try:
            with TerminalProgress("importing") as importing:
                apply_import(plan, importing)
        except Exception as exc:
            text = str(exc).lower()  # searched, never shown: it holds the rows
            if type(exc).__name__ != "IntegrityError" or not (
                "unique" in text or "duplicate key" in text
            ):
                raise
            raise KamError(
                f"another program imported the same names at the same time; nothing from "
                f"{file.name} was saved — run the import again"
            ) from None
        click.echo(f"Imported {file.name}: {plan.result_text()}.")
    finally:
        db.close()


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx"], case_sensitive=False),
    default="json",
    show_default=True,
    help="json: complete dump (kam import restores it); csv: a folder, one file per table; "
    "xlsx: one sheet per table.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write (default kam-export-DATE[.json|.xlsx] here; never overwrites).",
)
@click.pass_obj
def export_(context: Context, fmt: str, out: Path | None) -> None:
    """Export everything: a JSON dump, CSV files or an XLSX workbook (mode 0600)."""
    from kamtui.io.export import default_path, export

    db = context.open(quiet=True)
    try:
        target = out if out is not None else default_path(fmt.lower(), dt.date.today())
        path, rows = export(db, fmt.lower(), target)
    finally:
        db.close()
    click.echo(f"Exported {rows:,} rows to {path}")


@cli.command("plan")
@click.argument("account")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (mode 0600) instead of standard output.",
)
@click.pass_obj
def plan_command(context: Context, account: str, out: Path | None) -> None:
    """The one-page account plan of ACCOUNT (name or external id) as Markdown."""
    from kamtui.services.account_plan import account_plan

    _markdown(context, lambda db: account_plan(db, account, dt.date.today()), out, "Account plan")


@cli.command("status-report")
@click.option("--account", "account", metavar="NAME", help="Only this account (default: all).")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (mode 0600) instead of standard output.",
)
@click.pass_obj
def status_report(context: Context, account: str | None, out: Path | None) -> None:
    """The attack-plan status report as Markdown: objectives, actions, overdue, owners."""
    from kamtui.services.plan_report import status_report as build

    _markdown(
        context, lambda db: build(db, dt.date.today(), account), out, "Status report",
        note_to_stderr=False,
    )  # fmt: skip


from kamtui import cli_dashboard  # noqa: E402, F401  (kam portfolio, kam alerts: issue 11)

# --- look-alikes (issue 12) ------------------------------------------------------------------


@cli.command("lookalikes")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the N best.")
@click.option("--json", "json_out", is_flag=True, help="A JSON list, best first.")
@click.option("--customers", is_flag=True, help="Rank customers not yet key too.")
@click.pass_obj
def lookalikes_command(context: Context, top: int | None, json_out: bool, customers: bool) -> None:
    """Prospects and targets ranked by similarity (0–100) to today's key accounts, with
    the reasons for each match and mismatch. Accounts with a vetoing nightmare trait are
    never ranked. Needs at least 3 key accounts."""
    import json

    from kamtui.services.lookalike import as_json, format_text, lookalikes, too_few_text

    db = context.open(quiet=True)
    try:
        ranking, _ = lookalikes(db, dt.date.today(), customers=customers)
    finally:
        db.close()
    if not ranking.enough:
        _fail(too_few_text(ranking.profile))
    if json_out:
        click.echo(json.dumps(as_json(ranking, top), ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(ranking, top), nl=False)
