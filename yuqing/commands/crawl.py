"""`yuqing parse`, `yuqing crawl` and `yuqing simulator`: check a parser on a saved page, crawl sources,
serve the offline simulator."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from core import SHANGHAI, YuqingError, utcnow
from yuqing.context import AppContext, pass_app

FAMILIES = ["weibo", "wechat", "discuz", "forum", "board", "portal"]
ENRICHMENT = {"tokens", "keywords", "topic", "topic_scores", "sentiment", "sentiment_label", "is_complaint", "places",
              "severity", "simhash", "cluster_id", "review", "case_id", "crawled_at"}


class PageNotUsable(YuqingError):
    """A page that holds no content (a permanent placeholder)."""

    exit_code = 3


@click.command("parse")
@click.argument("family", type=click.Choice(FAMILIES))
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--url", help="the page's URL (ids and links are derived from it)")
@click.option("--now", "now_text", help="the time the page was saved (anchors 3小时前 etc.), ISO; default now")
@click.option("--source", help="override the post source, e.g. forum:dachang")
def parse_cmd(family: str, file: Path, url: str | None, now_text: str | None, source: str | None) -> None:
    """解析页面 — parse a saved page, print one JSON object per item (posts, links, patches)."""
    from crawler.parsers import PARSERS

    try:
        body = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise YuqingError(f"{file}: 无法读取 cannot read: {exc.strerror or exc}") from None
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=SHANGHAI)
    kwargs = {"source": source} if source else {}
    result = PARSERS[family](body, url=url, now=now, **kwargs)
    if result.gone:
        raise PageNotUsable(f"页面已失效（永久）page gone: {result.gone}")
    for post in result.items:
        data = post.model_dump(mode="json", exclude=ENRICHMENT)
        click.echo(json.dumps({"type": "post", **data}, ensure_ascii=False))
    for link in result.links:
        click.echo(json.dumps({"type": "link", **link}, ensure_ascii=False))
    for patch in result.patches:
        click.echo(json.dumps({"type": "patch", **patch}, ensure_ascii=False))
    if result.next_url or result.cursor:
        click.echo(json.dumps({"type": "next", "url": result.next_url, "cursor": result.cursor}, ensure_ascii=False))
    if result.skipped:
        click.echo(f"跳过 skipped {len(result.skipped)}: " + "; ".join(result.skipped[:5]), err=True)


def _echo_report(report, as_json: bool) -> None:
    from crawler.run import report_line

    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, default=str) if as_json else report_line(report))


FAILED = ("stopped", "incomplete", "failed", "lost_lease")


def _summary(reports: list) -> str:
    """The closing line of a round: how many sources ended how, and what they brought in."""
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.status] = counts.get(r.status, 0) + 1
    from crawler.run import STATUS_TEXT

    parts = "，".join(f"{STATUS_TEXT.get(k, k)} {v}" for k, v in counts.items())
    failed = [r.source for r in reports if r.status in FAILED]
    line = (f"共 {len(reports)} 个数据源：{parts}；抓取 {sum(r.scraped for r in reports)} 条，"
            f"入库 {sum(r.stored for r in reports)} 条")
    return line + (f"；失败 failed: {', '.join(failed)}" if failed else "")


@click.command("crawl")
@click.argument("source", required=False)
@click.option("--all", "all_sources", is_flag=True, help="every enabled source")
@click.option("--once", is_flag=True, help="with --all: one round, then exit (default: keep crawling at each "
                                           "source's interval); a single SOURCE is always crawled once")
@click.option("--force", is_flag=True, help="crawl even if the source is backing off")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--dry-run", is_flag=True, help="print the first URLs SOURCE would request, fetch nothing")
@click.option("-v", "--verbose", is_flag=True, help="Scrapy's own log (INFO) and stats too")
@pass_app
def crawl_cmd(app: AppContext, source: str | None, all_sources: bool, once: bool, force: bool, as_json: bool,
              dry_run: bool, verbose: bool) -> None:
    """抓取 — crawl one source (in this process) or all enabled ones (on a warm crawl worker).

    One line per source, and with --all --once a summary; exits 1 when any source failed (blocked, incomplete,
    lost its lease or crashed). Scrapy's log shows warnings only, unless -v."""
    config = app.config
    if bool(source) == all_sources:
        raise click.UsageError("give a SOURCE or --all")
    if dry_run and not source:
        raise click.UsageError("--dry-run takes a SOURCE")
    log_level = None if verbose else "WARNING"
    if source:
        try:
            config.source(source)
        except KeyError:
            names = ", ".join(s.name for s in config.sources) or "（配置中没有数据源 no sources configured）"
            raise YuqingError(f"未知数据源 unknown source {source!r}; configured: {names}") from None
        if dry_run:
            from crawler.run import first_requests

            for url in first_requests(config, source):
                click.echo(url)
            return
        from crawler.run import run_crawl

        report = run_crawl(config, source, force=force, log_level=log_level)
        _echo_report(report, as_json)
        if report.status in FAILED:
            sys.exit(1)
        return
    from crawler.workers import WorkerPool

    sources = [s for s in config.sources if s.enabled]
    if not sources:
        raise YuqingError("配置中没有启用的数据源 no enabled sources in the configuration")
    due = {s.name: 0.0 for s in sources}
    with WorkerPool(1).start(config) as pool:  # one warm worker: start-up paid once, not per source
        while True:
            reports = []
            for s in sources:
                if time.monotonic() >= due[s.name]:
                    report = pool.run(config, s.name, force=force, log_level=log_level)
                    reports.append(report)
                    _echo_report(report, as_json)
                    due[s.name] = time.monotonic() + s.interval
            if once:
                if not as_json:
                    click.echo(_summary(reports))
                if any(r.status in FAILED for r in reports):
                    sys.exit(1)
                return
            time.sleep(max(1.0, min(due.values()) - time.monotonic()))


@click.command("simulator")
@click.option("--port", type=int, default=8901, show_default=True, help="port on 127.0.0.1 (0: any free port)")
@click.option("--scenario", "scenario_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="scenario YAML (default: config/demo-scenario.yaml)")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
def simulator_cmd(port: int, scenario_file: Path | None, host: str) -> None:
    """模拟站点 — serve the offline simulator of every source family (Weibo, WeChat, forum, board, portal)."""
    from simulator.scenario import load_scenario
    from simulator.server import SimServer

    default = Path(__file__).resolve().parents[2] / "config" / "demo-scenario.yaml"
    path = scenario_file or default
    try:
        scenario = load_scenario(path)
    except (OSError, ValueError) as exc:
        raise YuqingError(f"{path}: 场景文件无效 invalid scenario: {exc}") from None
    try:
        server = SimServer(scenario, port=port, host=host)
    except OSError as exc:
        raise YuqingError(f"无法监听 cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    click.echo(f"模拟站点已启动 simulator on {server.url} (scenario {path}, speed ×{scenario.speed:g})")
    for fam in ("weibo", "wechat", "forum", "board", "portal"):
        click.echo(f"  {fam:<7} {server.base(fam)}")
    click.echo(f"  control {server.url}/_sim/clock  {server.url}/_sim/faults")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.httpd.server_close()


#: The commands this module adds to the `yuqing` group.
commands = [parse_cmd, crawl_cmd, simulator_cmd]
