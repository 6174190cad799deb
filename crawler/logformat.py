"""Scrapy log lines without item bodies: a dropped item is logged by id and reason, at INFO.

Scrapy's default formatter logs every dropped item at WARNING with its full repr — noisy, and it would
copy posters' names and texts into the logs. The drop is still counted in the stats (``yuqing/dropped/*``).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietDropFormatter(LogFormatter):
    """Drops at INFO, naming the post id and the reason only."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        """One short line per dropped item."""
        return {
            "level": logging.INFO,
            "msg": "Dropped %(id)s: %(exception)s",
            "args": {"id": getattr(item, "id", None) or "(no id)", "exception": exception},
        }
