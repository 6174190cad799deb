"""`yuqing report daily|weekly`: the daily assignment table and the weekly department sheet (.xlsx)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from core import SHANGHAI, YuqingError, utcnow
from yuqing.context import AppContext, pass_app


def _day(text: str | None) -> date:
    if text is None:
        return utcnow().astimezone(SHANGHAI).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise YuqingError(f"invalid date {text!r} (use YYYY-MM-DD)") from None


@click.group("report")
def cli() -> None:
    """报表 reports: the daily table (每日巡查问题汇总和整改分工落实表) and the weekly sheet."""


@cli.command("daily")
@click.option("--date", "day", help="the day, YYYY-MM-DD (Asia/Shanghai; default: today)")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="folder (default: kept)")
@click.option("--deliver/--no-deliver", default=False, show_default=True,
              help="queue the table for the channels that take daily_report")
@pass_app
def daily(app: AppContext, day: str | None, out_dir: Path | None, deliver: bool) -> None:
    """Write the day's assignment table and print its path."""
    from alerts.outbox import Outbox
    from alerts.report import daily_report

    d = _day(day)
    path, summary = daily_report(app.store, app.config, d, out_dir=out_dir, now=min(utcnow(), _end(d)))
    if deliver:
        n = Outbox(app.store, app.config.alerts).publish_report(d.isoformat(), str(path), summary)
        click.echo(f"已排队推送 queued for {n} channel(s)", err=True)
    click.echo(str(path))
    click.echo(f"{summary['total']} 个问题 problems, {summary['urgent']} 个紧急 urgent", err=True)


def _end(d: date):
    from alerts.report import day_bounds

    return day_bounds(d)[1]


@cli.command("weekly")
@click.option("--date", "day", help="last day of the week, YYYY-MM-DD (default: yesterday)")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="folder (default: kept)")
@pass_app
def weekly(app: AppContext, day: str | None, out_dir: Path | None) -> None:
    """Write the weekly department sheet (received, rectified on time, overdue, median time to close)."""
    from alerts.report import weekly_report

    d = _day(day) if day else _day(None) - timedelta(days=1)
    click.echo(str(weekly_report(app.store, app.config, d, out_dir=out_dir, now=min(utcnow(), _end(d)))))
