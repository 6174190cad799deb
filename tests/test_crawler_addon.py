"""Golden test: the effective pipeline and downloader-middleware order (order is what breaks quietly)."""

from __future__ import annotations

from scrapy.utils.conf import build_component_list
from scrapy.utils.test import get_crawler

from core.config import Config, SourceConfig
from crawler.settings import build_settings
from crawler.spiders import SPIDERS


def effective(family: str, key: str) -> list[str]:
    src = SourceConfig(name="x", family=family, base_url="http://127.0.0.1:1")
    crawler = get_crawler(SPIDERS[family], build_settings(Config(), src))
    return build_component_list(crawler.settings.getwithbase(key))


def test_pipeline_order_is_pinned() -> None:
    for family in ("weibo", "wechat", "portal", "forum", "board"):
        assert effective(family, "ITEM_PIPELINES") == [
            "crawler.pipelines.NormalizePipeline",
            "crawler.pipelines.DedupePipeline",
            "crawler.pipelines.EnrichPipeline",
            "crawler.pipelines.ValidatePipeline",
            "crawler.pipelines.StorePipeline",
        ]


def test_downloader_middleware_order_is_pinned() -> None:
    assert effective("weibo", "DOWNLOADER_MIDDLEWARES") == [
        "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
        "crawler.middlewares.GateMiddleware",
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware",
        "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
        "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware",
        "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
        "crawler.middlewares.AccountMiddleware",
        "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware",
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
        "crawler.middlewares.ClassifyMiddleware",  # sees responses after redirects and decompression
        "crawler.middlewares.DecodeMiddleware",  # Scrapy's decompression, strict
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
        "scrapy.downloadermiddlewares.stats.DownloaderStats",
        "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
    ]


def test_politeness_defaults() -> None:
    forum = SourceConfig(name="f", family="forum", base_url="http://x")
    weibo = SourceConfig(name="w", family="weibo", base_url="http://x", concurrency=2, user_agent="UA/1")
    fs, ws = build_settings(Config(), forum), build_settings(Config(), weibo)
    assert fs["ROBOTSTXT_OBEY"] is True and ws["ROBOTSTXT_OBEY"] is False
    assert fs["AUTOTHROTTLE_ENABLED"] and fs["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1 and fs["DOWNLOAD_DELAY"] == 2.0
    assert ws["DOWNLOAD_DELAY"] == 3.0 and ws["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2 and ws["USER_AGENT"] == "UA/1"
    crawler = get_crawler(SPIDERS["forum"], fs)
    assert crawler.settings.getbool("COOKIES_ENABLED") is False  # cookies come from the accounts, per request
