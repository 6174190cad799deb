"""A crawl's report: :class:`CrawlReport` (what one source's crawl did), the Chinese text of each status,
and the one line a person reads (``report_line``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from core import SHANGHAI

#: What each crawl status means, as the CLI and the log say it.
STATUS_TEXT = {"finished": "完成", "stopped": "被拦截，已停止", "incomplete": "未完成（部分页面失败）",
               "backing_off": "退避中，跳过", "busy": "另一进程正在抓取，跳过", "failed": "失败",
               "lost_lease": "租约被另一进程接管，已停止（已抓内容均已保存）",
               "recent": "刚由另一进程抓取过，跳过", "shutdown": "守护进程正在停止，未开始"}

#: Scrapy stats copied into a crawl report.
REPORTED_STATS = ("yuqing/", "item_", "response_", "elapsed", "robotstxt/", "httpcompression/")


@dataclass
class CrawlReport:
    """What a crawl did, for the CLI, the daemon and the health page."""

    source: str
    status: str  # finished | stopped | incomplete | lost_lease | backing_off | busy | recent | shutdown | failed
    scraped: int = 0
    stored: int = 0
    spooled: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    health: str | None = None
    error: str | None = None
    backoff_until: str | None = None
    capped: list[str] = field(default_factory=list)  # lists whose walk stopped at the page cap this crawl
    backlog: dict[str, Any] = field(default_factory=dict)  # per list, what the next crawl resumes (not a failure)
    stats: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None  # the lease owner (host:pid of the crawl process) while it ran
    leased_at: str | None = None  # when the lease was taken, and released (ISO, UTC): who crawled when
    released_at: str | None = None
    worker: dict[str, Any] = field(default_factory=dict)  # the warm worker that ran it (crawler.workers)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def report_line(report: CrawlReport) -> str:
    """One line for a person: the source, how its crawl ended, what it brought in, its health and last error."""
    line = (f"{report.source}: {STATUS_TEXT.get(report.status, report.status)} — 抓取 {report.scraped} 条，"
            f"入库 {report.stored} 条")
    if report.spooled:
        line += f"，暂存 spool {report.spooled} 条（存储不可用）"
    if report.dropped:
        line += "，丢弃 " + ", ".join(f"{k} {v}" for k, v in report.dropped.items())
    if report.health:
        line += f"；状态 health {report.health}"
    if report.error:
        line += f"；最近错误 {report.error}"
    if report.backlog:
        line += f"；{len(report.backlog)} 个列表达到页数上限，下次继续抓取更早的内容"
    if report.backoff_until:
        line += f"；退避至 {datetime.fromisoformat(report.backoff_until).astimezone(SHANGHAI):%m-%d %H:%M}"
    return line
