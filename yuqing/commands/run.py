"""`yuqing run`: the scheduler daemon."""

from __future__ import annotations

import click

from yuqing.context import AppContext, pass_app


@click.command("run")
@click.option("--web/--no-web", default=True, show_default=True,
              help="serve the console in this process (or run `yuqing web` beside it)")
@click.option("--node-id", help="this node's name in crawl leases (default host:pid)")
@click.option("--json-logs", is_flag=True, default=None, help="one JSON object per log line")
@pass_app
def cli(app: AppContext, web: bool, node_id: str | None, json_logs: bool | None) -> None:
    """运行 — crawl on schedule, detect spikes, open and deliver cases, serve the console (SIGTERM stops)."""
    from yuqing.daemon import Daemon
    from yuqing.logs import setup_logging

    setup_logging(app.config, json_format=json_logs)
    Daemon(app.config_path, node_id=node_id, web=web).run_forever()
