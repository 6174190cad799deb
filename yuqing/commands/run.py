"""`yuqing run`: the scheduler daemon."""

from __future__ import annotations

from datetime import timedelta

import click

from yuqing.context import AppContext, pass_app


@click.command("run")
@click.option("--web/--no-web", default=True, show_default=True,
              help="serve the console in this process (or run `yuqing web` beside it)")
@click.option("--node-id", help="this node's name in the log and the outbox (default host:pid)")
@click.option("--json-logs", is_flag=True, default=None, help="one JSON object per log line")
@click.option("--crawl-workers", type=click.IntRange(min=1), default=2, show_default=True,
              envvar="YUQING_CRAWL_WORKERS", help="warm crawl worker processes (each runs one crawl at a time)")
@click.option("--crawl-lease", type=click.FloatRange(min=1), envvar="YUQING_CRAWL_LEASE",
              help="seconds a crawl lease lasts unless renewed (default 7200; renewed every quarter of it)")
@pass_app
def cli(app: AppContext, web: bool, node_id: str | None, json_logs: bool | None, crawl_workers: int,
        crawl_lease: float | None) -> None:
    """运行 — crawl on schedule, detect spikes, open and deliver cases, serve the console (SIGTERM stops)."""
    from yuqing.daemon import Daemon
    from yuqing.logs import setup_logging

    setup_logging(app.config, json_format=json_logs)
    lease = timedelta(seconds=crawl_lease) if crawl_lease else None
    Daemon(app.config_path, node_id=node_id, web=web, crawl_workers=crawl_workers,
           crawl_lease=lease).run_forever()
