"""Scrapy settings derived from the typed config: politeness defaults a real deployment keeps
(AutoThrottle on, 1–2 requests per domain, per-source delays, robots.txt for forums and boards)."""

from __future__ import annotations

from typing import Any

from core.config import Config, SourceConfig

BOT_NAME = "yuqing"
# Scrapy's own tools (scrapy list / crawl SOURCE / shell URL) see one spider per configured source
# ($YUQING_CONFIG or ./yuqing.yaml): crawler.spiderloader
SPIDER_LOADER_CLASS = "crawler.spiderloader.SourceSpiderLoader"
NEWSPIDER_MODULE = "crawler.spiders"
DEFAULT_USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/124.0 Safari/537.36")
ADDONS = {"crawler.addon.YuqingAddon": 0}
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
#: A response's limits, on the wire and once decompressed (``DecodeMiddleware``): a page or an API answer of
#: a real source is well under 8 MiB; a decompression bomb or an endless body is refused at 32 MiB.
DOWNLOAD_MAXSIZE = 32 << 20
DOWNLOAD_WARNSIZE = 8 << 20


def build_settings(config: Config, source: SourceConfig) -> dict[str, Any]:
    """The Scrapy settings for one source's crawl."""
    delay = source.request_delay
    return {
        "BOT_NAME": BOT_NAME,
        "ADDONS": ADDONS,
        "USER_AGENT": source.user_agent or DEFAULT_USER_AGENT,
        "ROBOTSTXT_OBEY": source.robots,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if delay > 0 else 0.0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, delay * 4),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.concurrency),
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency,
        "DOWNLOAD_TIMEOUT": float(source.options.get("timeout", 30)),
        "REDIRECT_MAX_TIMES": 5,
        "DOWNLOAD_MAXSIZE": DOWNLOAD_MAXSIZE,
        "DOWNLOAD_WARNSIZE": DOWNLOAD_WARNSIZE,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # Scrapy ≥ 2.19 opens a code-running HTTP control port per crawl
        "LOG_LEVEL": config.logging.level,
        "LOG_FORMATTER": "crawler.logformat.QuietDropFormatter",
        "YUQING_STORE_BATCH": int(source.options.get("store_batch", 50)),
    }
