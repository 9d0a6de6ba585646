"""``kam portfolio`` and ``kam alerts``: the dashboard's figures and warnings as text.

Registered on the ``kam`` group by one import at the end of ``cli.py``.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from kamtui.cli import Context, cli
from kamtui.failures import line_for

TODAY_HELP = "Figures as of this day (YYYY-MM-DD; default: today)."


@cli.command("portfolio")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON object (fractions 0–1, amounts in minor units).",
)
@click.option("--today", "today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help=TODAY_HELP)
@click.pass_obj
def portfolio_command(context: Context, as_json: bool, today: dt.datetime | None) -> None:
    """The dashboard's figures: 80/20 shares of revenue and gross profit, the "lose 5 of
    the top 10" exposure, totals against the four quarters before."""
    from kamtui.services.portfolio import portfolio, text_report

    db = context.open(quiet=True)
    try:
        pf = portfolio(db, today.date() if today else dt.date.today())
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(pf.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(text_report(pf), nl=False)


class AlertsFailed(click.ClickException):
    exit_code = 2  # 1 means "there are warnings"


@cli.command("alerts")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of the warnings.")
@click.option("--today", "today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help=TODAY_HELP)
@click.pass_obj
def alerts_command(context: Context, as_json: bool, today: dt.datetime | None) -> None:
    """The current early warnings (not snoozed, not dismissed), one line each
    (ACCOUNT: reason), for a morning cron mail.

    Exit status: 0 when there are none, 1 when there are some, 2 on an error."""
    from kamtui.services.early_warnings import current_alerts

    try:
        db = context.open(quiet=True)
        try:
            alerts = current_alerts(db, today.date() if today else dt.date.today())
        finally:
            db.close()
    except click.ClickException as exc:
        raise AlertsFailed(exc.message) from None
    except Exception as exc:
        raise AlertsFailed(line_for(exc, context.where())) from None
    if as_json:
        out = [
            {"account": a.account, "account_id": a.account_id, "rule": a.rule,
             "reason": a.reason, "severity": a.severity, "note": a.triage_note}
            for a in alerts
        ]  # fmt: skip
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for a in alerts:
            click.echo(a.line)
    raise SystemExit(1 if alerts else 0)
