"""Events: complaints grouped into events — near-duplicate clusters and posts about the same place and topic,
split where the place goes quiet for longer than a gap — the unit of the brief and of the 事件 page.

Pure functions over posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core import PlaceLevel, Post

#: A place and topic that stays quiet this long starts a new event when complaints return.
GAP = timedelta(hours=48)


@dataclass
class Event:
    """Complaints about one place and topic with no quiet gap longer than :data:`GAP`."""

    place_id: str
    place: str
    topic_code: str
    topic: str
    posts: list[Post] = field(default_factory=list)

    @property
    def clusters(self) -> set[str]:
        return {p.dedupe_key for p in self.posts}

    @property
    def distinct(self) -> int:
        """Complaints counted once per near-duplicate cluster."""
        return len(self.clusters)

    @property
    def sources(self) -> set[str]:
        return {p.source.partition(":")[0] for p in self.posts}

    @property
    def first(self) -> datetime:
        return self.posts[0].published_at

    @property
    def last(self) -> datetime:
        return self.posts[-1].published_at

    @property
    def sample(self) -> str:
        return self.posts[-1].text[:80]

    def timeline(self, buckets: int = 24) -> list[int]:
        """Distinct complaints per equal slice of the event's span (for a small timeline)."""
        span = (self.last - self.first) or timedelta(hours=1)
        counts = [0] * buckets
        seen: set[str] = set()
        for p in self.posts:
            if p.dedupe_key in seen:
                continue
            seen.add(p.dedupe_key)
            counts[min(buckets - 1, int((p.published_at - self.first) / span * buckets))] += 1
        return counts


def group_events(posts: list[Post], place_names: dict[str, str], topic_names: dict[str, str],
                 gap: timedelta = GAP) -> list[Event]:
    """Events among these posts, biggest first (distinct complaints, then posts, then the latest)."""
    by_key: dict[tuple[str, str], list[Post]] = {}
    names: dict[str, str] = {}
    for p in sorted(posts, key=lambda p: p.published_at):
        pid = (p.effective_place_ids or [""])[0]
        if pid:
            names.setdefault(pid, next((r.name for r in p.places if r.id == pid and r.name), pid))
        else:
            # a keyless area or body (A市, 宁乡县, A市人社局: no finer place named) groups no event of its own
            # spellings of one unlisted place (锐达机电设备有限公司 / 锐达机电设备公司) share its key: one event
            ref = next((r for r in p.places if r.name and (r.key or (r.id and r.level is not PlaceLevel.DISTRICT))),
                       None)
            pid = (ref.key or f"raw:{ref.name}") if ref is not None else ""
            names.setdefault(pid, ref.name if ref is not None else "未识别地点")
        by_key.setdefault((pid, p.effective_topic or "other"), []).append(p)
    out: list[Event] = []
    for (pid, topic), group in by_key.items():
        current: Event | None = None
        for p in group:
            if current is None or p.published_at - current.last > gap:
                current = Event(pid, place_names.get(pid) or names.get(pid) or pid, topic,
                                topic_names.get(topic, topic))
                out.append(current)
            current.posts.append(p)
    return sorted(out, key=lambda e: (-e.distinct, -len(e.posts), -e.last.timestamp()))
