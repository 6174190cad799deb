"""Near-duplicate fingerprints: 64-bit SimHash over character bigrams, and an in-memory index.

Reposts and copies across sources differ by a prefix, a link or a few words; their fingerprints differ by a
few bits. :class:`NearDuplicateIndex` finds a stored fingerprint within ``max_distance`` (3) bits through
four 16-bit bands (by the pigeonhole principle two fingerprints within 3 bits share at least one band).
Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np

from nlp.textfeat import normalize

_KEEP = re.compile(r"[\w\u4e00-\u9fff]+")
_BOILERPLATE = re.compile(r"转发微博|轉發微博|repost|分享图片|网页链接|展开全文|全文")


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_PAIR = np.uint64(0x100000001B3)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (uint64 arithmetic wraps)."""
    z = z + _GOLD
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def _clean(text: str) -> str:
    return "".join(_KEEP.findall(_BOILERPLATE.sub(" ", normalize(text))))


def simhash(text: str) -> int:
    """The 64-bit SimHash of a text's character bigrams (0 for a text without words); stable everywhere."""
    t = _clean(text)
    if not t:
        return 0
    cps = np.frombuffer(t.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    pairs = cps[:-1] * _PAIR + cps[1:] if len(cps) > 1 else cps * _PAIR
    hashes = _mix(pairs)
    bits = np.unpackbits(hashes.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    on = bits.sum(axis=0, dtype=np.int64) * 2 > len(hashes)
    return int(np.packbits(on, bitorder="little").view("<u8")[0])


def simhash_hex(text: str) -> str:
    """The SimHash as 16 hex digits."""
    return f"{simhash(text):016x}"


def hamming(a: int | str, b: int | str) -> int:
    """Bits that differ between two fingerprints (ints or hex strings)."""
    a = int(a, 16) if isinstance(a, str) else a
    b = int(b, 16) if isinstance(b, str) else b
    return (a ^ b).bit_count()


class NearDuplicateIndex:
    """Clusters of near-duplicate posts: ``add(post_id, simhash) -> cluster_id``.

    A post joins the cluster of the nearest stored fingerprint within ``max_distance`` bits, else starts
    its own cluster (cluster id = its post id). ``capacity`` bounds memory (oldest entries are forgotten).
    """

    BANDS = 4
    BAND_BITS = 16

    def __init__(self, max_distance: int = 3, capacity: int | None = 1_000_000) -> None:
        if not 0 <= max_distance < self.BANDS:
            raise ValueError(f"max_distance must be in 0..{self.BANDS - 1} with {self.BANDS} bands")
        self.max_distance = max_distance
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[int, str]] = OrderedDict()  # post id -> (hash, cluster id)
        self._bands: list[dict[int, list[str]]] = [{} for _ in range(self.BANDS)]

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._entries

    def _keys(self, h: int) -> Iterable[tuple[int, int]]:
        mask = (1 << self.BAND_BITS) - 1
        return ((i, (h >> (i * self.BAND_BITS)) & mask) for i in range(self.BANDS))

    def nearest(self, fingerprint: int | str) -> tuple[str, int] | None:
        """The (post id, distance) of the nearest stored fingerprint within ``max_distance``, if any."""
        h = int(fingerprint, 16) if isinstance(fingerprint, str) else fingerprint
        best: tuple[str, int] | None = None
        for i, key in self._keys(h):
            for pid in self._bands[i].get(key, ()):
                d = (self._entries[pid][0] ^ h).bit_count()
                if d <= self.max_distance and (best is None or d < best[1]):
                    best = (pid, d)
        return best

    def cluster_of(self, post_id: str) -> str | None:
        """The cluster a stored post belongs to."""
        entry = self._entries.get(post_id)
        return entry[1] if entry else None

    def add(self, post_id: str, fingerprint: int | str, cluster: str | None = None) -> str:
        """Store a post's fingerprint and return its cluster id (idempotent for a post id). ``cluster`` seeds
        the index with a post already stored under that cluster (e.g. from earlier crawls)."""
        known = self._entries.get(post_id)
        if known is not None:
            return known[1]
        h = int(fingerprint, 16) if isinstance(fingerprint, str) else fingerprint
        if cluster is None:
            near = self.nearest(h)
            cluster = self._entries[near[0]][1] if near else post_id
        self._entries[post_id] = (h, cluster)
        for i, key in self._keys(h):
            self._bands[i].setdefault(key, []).append(post_id)
        if self.capacity is not None and len(self._entries) > self.capacity:
            self._evict()
        return cluster

    def _evict(self) -> None:
        pid, (h, _) = self._entries.popitem(last=False)
        for i, key in self._keys(h):
            bucket = self._bands[i].get(key)
            if bucket:
                bucket.remove(pid)
                if not bucket:
                    del self._bands[i][key]
