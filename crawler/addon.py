"""The add-on that installs our components at fixed priorities (a golden test pins the effective order).

Pipelines: normalize (100) → dedupe (200) → enrich (300) → validate (400) → store (500).
Downloader middlewares: gate (50, first on the way out) → accounts/proxies (400) → Scrapy's own. On the way
back, classify (585) sees each response after the redirect (600) and decompression (590) middlewares, so it
reads the decoded body a parser will read (gzip, deflate, br, zstd: ``DecodeMiddleware``, Scrapy's own
made strict), and before meta-refresh (580) follows a
login page's ``<meta http-equiv=refresh>``.
"""

from __future__ import annotations

from typing import Any

PIPELINES = {
    "crawler.pipelines.NormalizePipeline": 100,
    "crawler.pipelines.DedupePipeline": 200,
    "crawler.pipelines.EnrichPipeline": 300,
    "crawler.pipelines.ValidatePipeline": 400,
    "crawler.pipelines.StorePipeline": 500,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.GateMiddleware": 50,
    "crawler.middlewares.AccountMiddleware": 400,
    "crawler.middlewares.ClassifyMiddleware": 585,
    "crawler.middlewares.DecodeMiddleware": 590,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,  # replaced by DecodeMiddleware
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,  # retries are ours (classification first)
}


class YuqingAddon:
    """Scrapy add-on: our pipelines and middlewares, and settings every deployment keeps."""

    def update_settings(self, settings: Any) -> None:
        """Install components at their fixed priorities."""
        settings.update({"ITEM_PIPELINES": PIPELINES}, priority="addon")
        mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        mws.update(DOWNLOADER_MIDDLEWARES)
        settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="addon")
        settings.set("COOKIES_ENABLED", False, priority="addon")  # the Cookie header comes from the accounts
        settings.set("HTTPERROR_ALLOW_ALL", True, priority="addon")  # classification sees every status
