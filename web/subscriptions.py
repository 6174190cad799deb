"""Keyword alerts: a reviewer subscribes to words or places and gets a message on the chosen channels when a
matching post arrives — once per subscription and near-duplicate cluster (the outbox item's id says so).

Subscriptions live in ``<data_dir>/web/subscriptions.db`` (SQLite). :func:`run_keyword_alerts` matches posts
and queues deliveries in the store's durable outbox; the alerts deliverer sends them like case events.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import OutboxItem, Post
from storage import PostQuery
from web.auth import connect_sqlite

MAX_WORDS = 20
MAX_POSTS = 20000

log = logging.getLogger("yuqing.web")


@dataclass(frozen=True)
class Subscription:
    """Words and places one user watches, and the channels to tell."""

    id: str
    username: str
    words: tuple[str, ...]
    places: tuple[str, ...]
    channels: tuple[str, ...]
    created_at: str

    def matches(self, post: Post) -> list[str]:
        """The watched words and places this post mentions (empty: no match)."""
        text = f"{post.title or ''}\n{post.text}".casefold()
        hits = [w for w in self.words if w.casefold() in text]
        hits += [p for p in self.places if p in post.effective_place_ids]
        return hits


def _split(value: str) -> list[str]:
    for sep in ",，、;；\n\t":
        value = value.replace(sep, " ")
    return [w.strip() for w in value.split(" ") if w.strip()]


def parse_words(value: str) -> tuple[str, ...]:
    """Words separated by spaces, commas or 、 (each 1–20 characters, at most :data:`MAX_WORDS`)."""
    return tuple(dict.fromkeys(w[:20] for w in _split(value)))[:MAX_WORDS]


def parse_places(value: str) -> tuple[str, ...]:
    """Places typed as words are (separated by spaces, commas or 、), whole: a listed name may be longer than a
    keyword (at most :data:`MAX_WORDS`)."""
    return tuple(dict.fromkeys(_split(value)))[:MAX_WORDS]


class SubscriptionStore:
    """Subscriptions in SQLite (``path`` None: in memory)."""

    def __init__(self, path: Path | None) -> None:
        self._db = connect_sqlite(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS subscriptions (id TEXT PRIMARY KEY, username TEXT, words TEXT, "
                         "places TEXT, channels TEXT, created_at TEXT)")
        self._lock = threading.Lock()

    def add(self, username: str, words: Iterable[str], places: Iterable[str], channels: Iterable[str],
            now: datetime) -> Subscription:
        sub = Subscription(f"s{secrets.token_hex(6)}", username, tuple(words), tuple(places), tuple(channels),
                           now.isoformat())
        with self._lock:
            self._db.execute("INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?)",
                             (sub.id, username, json.dumps(sub.words, ensure_ascii=False), json.dumps(sub.places),
                              json.dumps(sub.channels, ensure_ascii=False), sub.created_at))
        return sub

    def all(self, username: str | None = None) -> list[Subscription]:
        sql, args = "SELECT * FROM subscriptions", ()
        if username is not None:
            sql, args = sql + " WHERE username = ?", (username,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY created_at", args).fetchall()
        return [Subscription(i, u, tuple(json.loads(w)), tuple(json.loads(p)), tuple(json.loads(c)), at)
                for i, u, w, p, c, at in rows]

    def remove(self, sub_id: str, username: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM subscriptions WHERE id = ? AND username = ?",
                                    (sub_id, username)).rowcount == 1


def keyword_items(posts: Iterable[Post], subs: list[Subscription], now: datetime,
                  place_names: dict[str, str]) -> list[OutboxItem]:
    """The deliveries matching posts call for: one per (subscription, near-duplicate cluster, channel)."""
    items = []
    for post in posts:
        for sub in subs:
            hits = sub.matches(post)
            if not hits:
                continue
            key = f"kw:{sub.id}:{post.dedupe_key}"
            payload = {
                "event": "keyword", "idempotency_key": key,
                "subscription": {"id": sub.id, "username": sub.username,
                                 "matched": [place_names.get(h, h) for h in hits]},
                "post": {"id": post.id, "title": post.title, "text": post.text[:300], "source": post.source,
                         "url": post.url, "published_at": post.published_at.isoformat(),
                         "places": [place_names.get(p, p) for p in post.effective_place_ids]
                         or [r.name for r in post.places if r.name]},
            }
            items += [OutboxItem(id=f"{key}:{ch}", channel=ch, payload=payload, created_at=now, next_try_at=now)
                      for ch in sub.channels]
    return items


def run_keyword_alerts(store, subscriptions: SubscriptionStore, since: datetime, until: datetime, now: datetime,
                       place_names: dict[str, str] | None = None) -> int:
    """Match the posts published in [since, until) against every subscription and queue the deliveries;
    returns how many were new (an item already queued for that subscription and cluster is not queued again,
    so running this over overlapping windows is safe)."""
    subs = subscriptions.all()
    if not subs:
        return 0
    q = PostQuery(since=since, until=until, limit=0, highlight=False)
    posts = []
    for n, post in enumerate(store.iter_posts(q)):
        if n >= MAX_POSTS:
            log.warning("keyword alerts: more than %d posts in [%s, %s); the newest were not matched this time",
                        MAX_POSTS, since.isoformat(), until.isoformat())
            break
        posts.append(post)
    return sum(bool(store.enqueue(item)) for item in keyword_items(posts, subs, now, place_names or {}))


def keyword_job(store, config, now: datetime, place_names: dict[str, str] | None = None,
                window_hours: float = 24) -> int:
    """The daemon's scheduled step (e.g. every 10 minutes): match the last ``window_hours`` of posts against
    every subscription in ``<data_dir>/web/subscriptions.db`` and queue what is new; returns how many."""
    from datetime import timedelta

    subs = SubscriptionStore(Path(config.data_dir) / "web" / "subscriptions.db")
    return run_keyword_alerts(store, subs, now - timedelta(hours=window_hours), now, now, place_names)
