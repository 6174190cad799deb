"""Resumable page cursors for lists that a crawl left at their page cap (the backlog).

A list (a forum board, a WeChat account's history, one Weibo search slice) is read newest first. When a
crawl stops at its ``max_pages`` / ``max_offset`` cap while the list still holds posts inside the crawl
window, the unread part is remembered as an :class:`Entry`: the page (or offset) to resume from and the
date ranges ("gaps", ``[lo, hi]``, inclusive) not yet read. The next crawl reads the fresh head as usual
and *also* walks the backlog from its cursor, within its own page budget, fetching only what falls in a
gap; each page read trims the gaps down to the oldest date it reached. A gap closes once the walk passes
its lower bound (the window's start) or the list ends. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Gap = tuple[datetime, datetime]


def merge_gaps(gaps: list[Gap]) -> list[Gap]:
    """Overlapping or touching ranges joined, newest first."""
    out: list[Gap] = []
    for lo, hi in sorted(gaps, key=lambda g: g[1], reverse=True):
        if out and hi >= out[-1][0]:
            out[-1] = (min(lo, out[-1][0]), out[-1][1])
        else:
            out.append((lo, hi))
    return out


def trim_gaps(gaps: list[Gap], reached: datetime) -> list[Gap]:
    """The gaps left after reading a list down to ``reached`` (posts dated exactly ``reached`` may continue on
    the next page, so it stays inside)."""
    return [(lo, min(hi, reached)) for lo, hi in gaps if lo <= reached]


def in_gaps(gaps: list[Gap], when: datetime | None) -> bool:
    """Whether a post (or thread) dated ``when`` is still unread; an undated one always is."""
    return when is None or any(lo <= when <= hi for lo, hi in gaps)


@dataclass
class Entry:
    """One list's backlog: where to resume and what is still unread."""

    next: int
    gaps: list[Gap] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The form kept in the source state's cursor."""
        return {"next": self.next, "gaps": [[lo.isoformat(), hi.isoformat()] for lo, hi in self.gaps]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Entry:
        """Read a stored entry."""
        gaps = [(datetime.fromisoformat(lo), datetime.fromisoformat(hi)) for lo, hi in raw.get("gaps", [])]
        return cls(int(raw["next"]), merge_gaps(gaps))

    def summary(self) -> dict[str, Any]:
        """For the crawl report: the resume point, the newest unread date and the window's start."""
        return {"next": self.next, "until": self.gaps[0][1].isoformat() if self.gaps else None,
                "floor": min(lo for lo, _ in self.gaps).isoformat() if self.gaps else None}


class Backlog:
    """The backlog of every list of one source during one crawl.

    ``resume()`` hands out the stored entries to continue; ``advance()`` records each backlog page read;
    ``cap()`` records a head walk stopped by its cap; ``result()`` is what the state keeps afterwards.
    """

    def __init__(self, stored: dict[str, Any] | None = None) -> None:
        self.stored = {k: Entry.from_json(v) for k, v in (stored or {}).items()}
        self.walking: dict[str, Entry] = {}  # entries resumed in this crawl (removed when done)
        self.done: set[str] = set()
        self.capped: dict[str, Entry] = {}  # head walks stopped by their cap in this crawl

    def resume(self, prefix: str = "", keep: Callable[[str], bool] = lambda key: True) -> list[tuple[str, Entry]]:
        """The stored entries (whose key starts with ``prefix``) to walk in this crawl; an entry ``keep`` refuses
        (its list left the options) stays in ``stored``, which :meth:`result` drops."""
        out = []
        for key in [k for k in self.stored if k.startswith(prefix) and keep(k)]:
            entry = self.stored.pop(key)
            self.walking[key] = Entry(entry.next, list(entry.gaps))
            out.append((key, self.walking[key]))
        return out

    def gaps(self, key: str) -> list[Gap]:
        """The unread ranges of a list being walked."""
        entry = self.walking.get(key)
        return entry.gaps if entry else []

    def advance(self, key: str, next_pos: int, reached: datetime | None, more: bool, last: bool) -> bool:
        """A backlog page was read down to ``reached`` (its oldest date; None: no dated rows); the list goes
        on at ``next_pos`` if ``more``; ``last``: the walk's budget ends here. True: read the next page."""
        entry = self.walking.get(key)
        if entry is None:
            return False
        if reached is not None:
            entry.gaps = trim_gaps(entry.gaps, reached)
        if not more or not entry.gaps:
            self.walking.pop(key)
            self.done.add(key)
            return False
        entry.next = next_pos
        return not last

    def cap(self, key: str, next_page: int, lo: datetime, hi: datetime | None) -> None:
        """A head walk stopped at its cap: posts from ``lo`` (the window's start) to ``hi`` (the oldest date
        it reached) are unread from ``next_page`` on."""
        if hi is None or hi < lo:
            return
        old = self.capped.get(key)
        gaps = merge_gaps([(lo, hi), *(old.gaps if old else [])])
        self.capped[key] = Entry(min(next_page, old.next) if old else next_page, gaps)

    def result(self) -> dict[str, Any]:
        """The entries to keep: what the walks left, joined with what capped heads left (an entry of a list
        no longer walked, e.g. removed from the options, is dropped)."""
        out: dict[str, Any] = {}
        for key in set(self.walking) | set(self.capped):
            a, b = self.walking.get(key), self.capped.get(key)
            entry = Entry(min(a.next, b.next), merge_gaps(a.gaps + b.gaps)) if a and b else a or b
            if entry is not None and entry.gaps:
                out[key] = entry.to_json()
        return out


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    """Per list, a stored backlog as the crawl report shows it (resume point, newest unread date, floor)."""
    return {k: Entry.from_json(v).summary() for k, v in sorted(raw.items())}
