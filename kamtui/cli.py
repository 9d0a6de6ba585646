"""The ``kam`` command line (click). User mistakes end as one line on stderr."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from kamtui.errors import KamError


class Context:
    def __init__(self, db_arg: str | None) -> None:
        self.db_arg = db_arg

    def open(self, *, quiet: bool = False):  # type: ignore[no-untyped-def]
        """The database, prepared and migrated; notes go to stderr."""
        from kamtui.db import Database
        from kamtui.migrate import open_database

        db = Database.from_argument(self.db_arg)
        for note in open_database(db):
            if not quiet:
                click.echo(f"kam: {note}", err=True)
        return db


def _fail(message: str) -> None:
    raise click.ClickException(message)


class KamGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KamError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(
                f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
            ) from None


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
    ctx.obj = Context(db_arg)
    if ctx.invoked_subcommand is None:
        _run_tui(ctx.obj)


def _run_tui(context: Context) -> None:
    from kamtui.app import make_app

    if not sys.stdout.isatty() and not os.environ.get("KAM_ALLOW_NO_TTY"):
        _fail("kam needs a terminal; use a subcommand (kam --help) for scripts")
    db = context.open()
    app = make_app(db)
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
    """Check the database: integrity, foreign keys, schema revision."""
    from kamtui.db import Database
    from kamtui.migrate import read_state, refuse_if_unusable
    from kamtui.migrations import HEAD

    db = Database.from_argument(context.db_arg)
    if db.path is not None and not db.path.exists():
        _fail(f"no database at {db.path}")
    state = read_state(db)
    refuse_if_unusable(state)
    problems = db.check()
    click.echo(f"database: {db.path or db.url}")
    click.echo(
        f"schema:   {state.revision} ({'current' if state.current else f'will upgrade to {HEAD}'})"
    )
    if problems:
        for p in problems[:50]:
            click.echo(f"problem:  {p}")
        _fail(f"{len(problems)} problem(s) found")
    click.echo("integrity: ok")
    db.close()


@cli.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(context: Context, path: Path | None) -> None:
    """Copy the database consistently, even while kam is open (mode 0600)."""
    db = context.open(quiet=True)
    if db.path is None:
        _fail("kam backup works on SQLite files; use pg_dump for PostgreSQL")
    assert db.path is not None
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = db.path.with_name(f"{db.path.stem}-backup-{stamp}.db")
    target = db.backup_to(path)
    db.close()
    click.echo(f"Backup written to {target}")


def main() -> None:
    cli(prog_name="kam")


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

    db = context.open(quiet=True)
    try:
        text = build(db, dt.date.today(), account)
    finally:
        db.close()
    if out is None:
        click.echo(text, nl=False)
        return
    from kamtui.db import create_private_file

    create_private_file(out)
    out.write_text(text, encoding="utf-8")
    click.echo(f"Status report written to {out}")
