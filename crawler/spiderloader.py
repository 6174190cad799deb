"""Scrapy's own tools on the configured sources: ``scrapy list`` lists them, ``scrapy crawl SOURCE`` crawls one
like ``yuqing crawl SOURCE`` does (store, source state, lease, report), ``scrapy shell URL`` opens a URL with
the project's settings and middlewares (the source whose ``base_url`` the URL starts with gives its cookies,
classifier and parser family; no store is opened and no state is touched).

The configuration is ``$YUQING_CONFIG``, else ``yuqing.yaml`` in the current folder.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from scrapy import signals

from core import Config, load_config

log = logging.getLogger(__name__)
DEFAULT_CONFIG = "yuqing.yaml"


def config_path(settings: Any = None) -> Path | None:
    """Where the configuration is: the ``YUQING_CONFIG`` setting or variable, else ./yuqing.yaml if present."""
    value = (settings.get("YUQING_CONFIG") if settings is not None else None) or os.environ.get("YUQING_CONFIG")
    if value:
        return Path(value)
    return Path(DEFAULT_CONFIG) if Path(DEFAULT_CONFIG).is_file() else None


def interactive() -> bool:
    """Whether this process is ``scrapy shell`` (which never starts a crawl: no store, no lease)."""
    return len(sys.argv) > 1 and sys.argv[1] == "shell"


def bound_spider(config: Config, name: str, *, light: bool = False) -> type:
    """The spider class of one configured source: its family's spider with the source's settings, building its
    own crawl context (``light``: without store or state, for the shell)."""
    from crawler.run import CrawlReport, attach, close_crawl, open_crawl, report_line
    from crawler.settings import build_settings
    from crawler.spiders import SPIDERS

    source = config.source(name)
    base = SPIDERS[source.family]

    class Bound(base):  # type: ignore[valid-type, misc]
        custom_settings = build_settings(config, source)

        @classmethod
        def from_crawler(cls, crawler: Any, *args: Any, ctx: Any = None, **kwargs: Any) -> Any:
            opened = None
            if ctx is None and not light:
                force = str(kwargs.pop("force", "")).lower() in ("1", "true", "yes")  # scrapy crawl -a force=1
                opened = open_crawl(config, name, force=force)
                if isinstance(opened, CrawlReport):  # backing off or busy: say so, crawl nothing
                    log.warning("source %s not crawled: %s %s", name, opened.status, opened.error or "")
                    opened = None
                else:
                    ctx = opened.ctx
            if ctx is None:
                ctx = light_context(config, name)
                ctx.stopped = None if light else "not crawled"
            spider = super().from_crawler(crawler, *args, ctx=ctx, **kwargs)
            spider.opened = opened
            if opened is not None:
                attach(crawler, opened)

                def closed(spider: Any, reason: str) -> None:
                    report = close_crawl(opened, crawler.stats.get_stats(), reason)
                    log.warning("%s", report_line(report))

                spider._on_closed = closed  # signals hold receivers weakly
                crawler.signals.connect(closed, signal=signals.spider_closed)
            return spider

        async def start(self) -> Any:
            if self.ctx.stopped == "not crawled":
                return
            async for request in super().start():
                yield request

    Bound.__name__ = Bound.__qualname__ = f"{base.__name__}[{name}]"
    Bound.__module__ = __name__
    return Bound


def light_context(config: Config, name: str) -> Any:
    """A crawl context without store or stored state (the shell's): cookies from the environment, classifier
    and parser of the source's family."""
    from crawler.context import CrawlContext, load_accounts
    from crawler.run import family_of
    from crawler.spool import Spool
    from crawler.state import Tracker

    source = config.source(name)
    return CrawlContext(config=config, source=source, family=family_of(source), tracker=Tracker(name),
                        spool=Spool(config.data_dir, name), accounts=load_accounts(source, {}))


class SourceSpiderLoader:
    """``SPIDER_LOADER_CLASS``: one spider per configured source, named like the source."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self._config: Config | None = None
        self._path = config_path(settings)

    @classmethod
    def from_settings(cls, settings: Any) -> SourceSpiderLoader:
        """Scrapy's factory."""
        return cls(settings)

    @property
    def config(self) -> Config:
        """The configuration (loaded on first use; one clear error if it cannot be)."""
        if self._config is None:
            if self._path is None:
                raise KeyError(f"no configuration: set YUQING_CONFIG or run where {DEFAULT_CONFIG} is")
            self._config = load_config(self._path)
        return self._config

    def list(self) -> list[str]:
        """The configured sources' names (enabled or not)."""
        if self._path is None:
            log.warning("no configuration: set YUQING_CONFIG or run where %s is", DEFAULT_CONFIG)
            return []
        return [s.name for s in self.config.sources]

    def load(self, spider_name: str) -> type:
        """The spider of one source."""
        try:
            self.config.source(spider_name)
        except KeyError:
            names = ", ".join(s.name for s in self.config.sources) if self._path else ""
            raise KeyError(f"Spider not found: {spider_name} (configured sources: {names or 'none'})") from None
        return bound_spider(self.config, spider_name, light=interactive())

    def find_by_request(self, request: Any) -> list[str]:
        """The source whose ``base_url`` the URL starts with (the longest one), for ``scrapy shell URL``."""
        if self._path is None:
            return []
        matches = [s for s in self.config.sources if request.url.startswith(s.base_url.rstrip("/"))]
        matches.sort(key=lambda s: len(s.base_url), reverse=True)
        return [matches[0].name] if matches else []
