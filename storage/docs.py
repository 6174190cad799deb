"""What both backends derive from a post before storing it: merged fields, search text, filter values.

Pure functions, shared so the two backends index, filter and highlight alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from core import SHANGHAI, Post
from storage.base import SEVERITY_RANK

_ENRICHMENT = ("tokens", "keywords", "topic", "topic_scores", "sentiment", "sentiment_label",
               "message_type", "places", "severity", "simhash", "cluster_id")


def merge_post(existing: Post | None, incoming: Post) -> Post:
    """The post to store when ``incoming`` is crawled again: new text, metrics and enrichment;
    the reviewer's verdict, the case link and the first publication and crawl times are kept."""
    if existing is None:
        return incoming
    update: dict[str, object] = {
        "review": existing.review,
        "case_id": existing.case_id or incoming.case_id,
        "published_at": existing.published_at,
        "crawled_at": existing.crawled_at,
        "extra": {**existing.extra, **incoming.extra, "last_crawled_at": incoming.crawled_at.isoformat()},
    }
    # A re-crawl that was not enriched (NLP failed or skipped) keeps the earlier enrichment, but not the
    # tokens of a text that changed (the store cuts the new text itself rather than index stale words).
    same_text = (incoming.title, incoming.text) == (existing.title, existing.text)
    for name in _ENRICHMENT:
        if name == "tokens" and not same_text:
            continue
        if getattr(incoming, name) in (None, [], {}) and getattr(existing, name) not in (None, [], {}):
            update[name] = getattr(existing, name)
    return incoming.model_copy(update=update)


def filter_fields(post: Post) -> dict[str, object]:
    """Denormalised, effective values both backends filter, sort and aggregate on.

    ``place_ids`` holds the alert keys of the places: gazetteer ids and the ``raw:<name>`` keys of
    unlisted places, so a place filter, a place facet and the complaint counts see both.
    """
    label = post.effective_sentiment_label
    return {
        "source": post.source,
        "published_ts": post.published_at.timestamp(),
        "topic": post.effective_topic,
        "place_ids": post.effective_place_keys,
        "sentiment_label": label.value if label else None,
        "is_complaint": post.effective_is_complaint,
        "message_type": post.message_type.value if post.message_type else None,
        "review_status": post.review.status.value,
        "severity": post.severity.value if post.severity else None,
        "severity_rank": SEVERITY_RANK.get(post.severity.value, 0) if post.severity else 0,
        "engagement": post.metrics.reposts + post.metrics.comments + post.metrics.likes,
        "dedupe_key": post.dedupe_key,
        "case_id": post.case_id,
    }


def searchable_text(post: Post) -> str:
    """Title and text, as searched."""
    return f"{post.title}\n{post.text}" if post.title else post.text


def bucket_start(ts: datetime, interval: timedelta) -> datetime:
    """The start of the Asia/Shanghai-aligned bucket that contains ``ts`` (returned in UTC)."""
    step = int(interval.total_seconds())
    if step <= 0:
        raise ValueError("interval must be positive")
    local = int(ts.timestamp()) + 8 * 3600
    return datetime.fromtimestamp(local - local % step - 8 * 3600, UTC)


def highlight(text: str, terms: Sequence[str], *, fragments: int = 3, width: int = 60) -> tuple[str, ...]:
    """Up to ``fragments`` HTML-escaped snippets of ``text`` with each term occurrence in ``<em>``."""
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not terms or not text:
        return ()
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    matches = list(pattern.finditer(text))
    if not matches:
        return ()
    out: list[str] = []
    last_end = -1
    for m in matches:
        if len(out) >= fragments:
            break
        if m.start() < last_end:
            continue
        start = max(0, m.start() - width // 2)
        end = min(len(text), m.end() + width // 2)
        piece = text[start:end]
        marked = pattern.sub(lambda x: "\x00" + x.group(0) + "\x01", piece)
        escaped = html.escape(marked, quote=False).replace("\x00", "<em>").replace("\x01", "</em>")
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        out.append((prefix + escaped + suffix).replace("\n", " "))
        last_end = end
    return tuple(out)


def query_terms(text: str | None, cut: Callable[[str], list[str]]) -> list[str]:
    """The words of a search query, as the segmenter cuts them (duplicates dropped, order kept)."""
    if not text or not text.strip():
        return []
    seen: dict[str, None] = {}
    for part in text.split():
        for word in cut(part):
            seen.setdefault(word.lower(), None)
    return list(seen)


def month_suffix(ts: datetime) -> str:
    """The Asia/Shanghai calendar month ``YYYY.MM`` of a time (for monthly indices)."""
    return ts.astimezone(SHANGHAI).strftime("%Y.%m")
