"""`yuqing alerts …`: run detectors over a CSV, run the alert loop once, replay a rule over a past period."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core import YuqingError
from yuqing.context import AppContext, pass_app


def _detectors(app: AppContext, name: str | None):
    from alerts.detectors import build_detector, detectors_from_config

    cfg = app.config.alerts
    if name is None:
        return detectors_from_config(cfg)
    options = next((d.options for d in cfg.detectors if d.name == name), {})
    return [build_detector(name, options, {"false_alarms_per_1000_key_weeks": cfg.false_alarms_per_1000_key_weeks})]


@click.group("alerts")
def cli() -> None:
    """预警 spike detection, cases and delivery."""


@cli.command("detect")
@click.option("--series", "series_file", required=True, type=click.Path(dir_okay=False, allow_dash=True,
              path_type=Path), help="CSV with key,bucket,count rows (bucket: ISO time; naive = Asia/Shanghai)")
@click.option("--detector", "detector_name", help="one detector by short name (default: those configured)")
@click.option("--bucket", help="bucket length, e.g. 1h or 1d (default: alerts.bucket)")
@pass_app
def detect(app: AppContext, series_file: Path, detector_name: str | None, bucket: str | None) -> None:
    """Run detectors over a count series and print each match as a JSON line."""
    import sys

    from alerts.series import build_series, parse_duration, read_series_csv

    try:
        text = sys.stdin.read() if str(series_file) == "-" else series_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise YuqingError(f"{series_file}: cannot read: {exc.strerror or exc}") from None
    try:
        step = parse_duration(bucket or app.config.alerts.bucket)
        rows = read_series_csv(text)
    except ValueError as exc:
        raise YuqingError(f"{series_file}: {exc}") from None
    detectors = _detectors(app, detector_name)
    series = build_series(rows, step)
    matches = sorted((m for det in detectors for m in det.detect_many(series)),
                     key=lambda m: (m.key, m.bucket, m.detector))
    for match in matches:
        click.echo(json.dumps(match.to_json(), ensure_ascii=False))


def _when(text: str | None, default):
    from alerts.series import parse_time

    if text is None:
        return default
    try:
        if len(text) == 10:  # a date: its Asia/Shanghai midnight
            text += "T00:00"
        return parse_time(text)
    except ValueError:
        raise YuqingError(f"invalid time {text!r} (use e.g. 2026-11-05 or 2026-11-05T08:00)") from None


def _print_matches(matches) -> None:
    for m in matches:
        click.echo(json.dumps(m.to_json(), ensure_ascii=False))


@cli.command("run")
@click.option("--once", is_flag=True, help="one pass, then exit (default: repeat every --interval seconds)")
@click.option("--dry-run", is_flag=True, help="detect and print matches; open no case, send nothing")
@click.option("--interval", default=300.0, show_default=True, help="seconds between passes without --once")
@click.option("--now", "now_text", help="run as if it were this time (date or ISO time, Asia/Shanghai; with --once)")
@pass_app
def run(app: AppContext, once: bool, dry_run: bool, interval: float, now_text: str | None) -> None:
    """Detect spikes over recent buckets, open or update cases, escalate overdue ones and deliver."""
    import time

    from alerts.runner import AlertRunner
    from core import SHANGHAI

    if now_text is not None and not (once or dry_run):
        raise YuqingError("--now needs --once (or --dry-run): a repeating loop runs on the real clock")
    now = _when(now_text, None)
    if now is not None:  # a frozen clock: cases, deadlines and retries as of that time (signatures stay on wall time)
        runner = AlertRunner(app.store, app.config, clock=lambda: now)
    else:
        runner = AlertRunner(app.store, app.config)
    while True:
        report = runner.run_once(dry_run=dry_run)
        if dry_run:
            _print_matches([*report.matches, *report.clusters])  # clusters print in the same shape
        d = report.delivery
        if report.since is not None and report.until is not None:
            click.echo(f"检测窗口 window: [{report.since.astimezone(SHANGHAI):%Y-%m-%d %H:%M}, "
                       f"{report.until.astimezone(SHANGHAI):%Y-%m-%d %H:%M}) Asia/Shanghai"
                       + ("" if report.keys else "（此窗口及回看期内没有计数 no counts in window or lookback；"
                          "旧数据请加 --now 指定时间 use --now for older data）"), err=True)
        click.echo(
            f"{report.keys} 个键 keys, {len(report.matches)} 个预警 matches, "
            f"{len({c.id for c in report.cases})} 个案件 cases, {report.escalated} 个督办 escalated"
            + (f", 推送 sent {d.sent} / 重试 retried {d.retried} / 失败 dead {d.dead}" if d else "")
            + ("（演练 dry run：未写入）" if dry_run else ""),
            err=True,
        )
        if once or dry_run:
            return
        time.sleep(interval)


@cli.command("test-rule")
@click.option("--since", required=True, help="start of the period (date or ISO time, Asia/Shanghai)")
@click.option("--until", "until_", help="end of the period (default: now)")
@click.option("--detector", "detector_name", help="one detector by short name (default: those configured)")
@pass_app
def test_rule(app: AppContext, since: str, until_: str | None, detector_name: str | None) -> None:
    """Replay the detectors over a past period of stored posts; print what would have fired (writes nothing)."""
    from alerts.runner import AlertRunner
    from core import utcnow

    start, end = _when(since, None), _when(until_, utcnow())
    if end <= start:
        raise YuqingError("--until must be after --since")
    runner = AlertRunner(app.store, app.config, detectors=_detectors(app, detector_name))
    matches = runner.test_rule(start, end)
    _print_matches(matches)
    click.echo(f"{len(matches)} 个预警 matches in [{start.isoformat()}, {end.isoformat()})", err=True)


@cli.command("series")
@click.option("--since", required=True, help="start (date or ISO time, Asia/Shanghai)")
@click.option("--until", "until_", help="end (default: now)")
@click.option("--bucket", help="bucket length (default: alerts.bucket)")
@pass_app
def series_(app: AppContext, since: str, until_: str | None, bucket: str | None) -> None:
    """Print stored distinct-complaint counts as a key,bucket,count CSV (the input of `alerts detect`)."""
    from alerts.series import parse_duration
    from core import SHANGHAI, Case, utcnow

    start, end = _when(since, None), _when(until_, utcnow())
    try:
        step = parse_duration(bucket or app.config.alerts.bucket)
    except ValueError as exc:
        raise YuqingError(str(exc)) from None
    by_topic = app.config.alerts.by_topic
    click.echo("key,bucket,count")
    for r in app.store.complaint_counts(start, end, step, by_topic=by_topic):
        key = Case.make_key(r.place_id, r.topic if by_topic else None)
        click.echo(f"{key},{r.bucket.astimezone(SHANGHAI).isoformat()},{r.count}")


@cli.command("outbox")
@click.option("--dead", "show_dead", is_flag=True, help="list the items that gave up (status dead), one JSON line each")
@click.option("--redrive", "redrive_ids", multiple=True, metavar="ID|all",
              help="put a dead item (or all of them) back in the queue, due now; repeatable")
@pass_app
def outbox(app: AppContext, show_dead: bool, redrive_ids: tuple[str, ...]) -> None:
    """Show the delivery outbox: items by status and the oldest pending item's age; list or re-drive dead items."""
    from alerts.outbox import dead_items, redrive
    from core import Conflict, utcnow

    now = utcnow()
    if not show_dead and not redrive_ids:
        click.echo(json.dumps(app.store.outbox_stats(now), ensure_ascii=False))
        return
    dead = dead_items(app.store, app.config.alerts, now)
    if show_dead:
        for it in dead:
            click.echo(json.dumps({"id": it.id, "channel": it.channel, "case_id": it.case_id,
                                   "event": it.payload.get("event"), "attempts": it.attempts,
                                   "last_error": it.last_error, "created_at": it.created_at.isoformat()},
                                  ensure_ascii=False))
        click.echo(f"{len(dead)} 条投递失败 dead item(s)", err=True)
    if redrive_ids:
        wanted = {it.id: it for it in dead} if "all" in redrive_ids else {}
        for item_id in redrive_ids:
            if item_id == "all":
                continue
            item = app.store.get_outbox_item(item_id)
            if item is None or item.status != "dead":
                raise YuqingError(f"outbox item {item_id!r}: {'not found' if item is None else 'not dead'}")
            wanted[item.id] = item
        done = 0
        for item in wanted.values():
            try:
                redrive(app.store, item, now)
                done += 1
            except Conflict:
                click.echo(f"{item.id}: changed meanwhile, skipped", err=True)
        click.echo(f"{done} 条已重新排队 re-queued (the next delivery pass sends them)", err=True)
