"""SimHash fingerprints and the near-duplicate index."""

from __future__ import annotations

import random

import pytest

from nlp.dedupe import NearDuplicateIndex, hamming, simhash, simhash_hex

BASE = "沪太路场中路路口的店招松动了，随时会掉下来，希望城管尽快处理！已经反映过好几次了。"


def test_fingerprint_is_stable_16_hex() -> None:
    h = simhash_hex(BASE)
    assert len(h) == 16 and int(h, 16) == simhash(BASE)
    assert h == "77d3a300cb74dc01"  # stable across processes and machines (no Python hash())
    assert simhash("") == 0 and simhash_hex("！！") == "0" * 16


def test_reposts_and_copies_are_near() -> None:
    repost = f"转发微博 //@某网友: {BASE} http://t.cn/abc"
    copy = BASE.replace("，", ",").replace("！", "!") + "  "
    assert hamming(simhash_hex(BASE), simhash_hex(repost)) <= 3
    assert hamming(simhash_hex(BASE), simhash_hex(copy)) <= 3
    assert hamming(simhash_hex(BASE), simhash_hex("大华行知公园的月季开了，周末去拍照")) > 10


def test_index_clusters_near_duplicates() -> None:
    idx = NearDuplicateIndex()
    a = idx.add("a", simhash_hex(BASE))
    b = idx.add("b", simhash_hex("转发微博 " + BASE))
    c = idx.add("c", simhash_hex("大华行知公园的月季开了，周末去拍照"))
    assert (a, b, c) == ("a", "a", "c")
    assert idx.add("b", simhash_hex(BASE)) == "a"  # idempotent
    assert len(idx) == 3 and "b" in idx and idx.cluster_of("b") == "a"


def test_index_finds_every_fingerprint_within_three_bits() -> None:
    rng = random.Random(1)
    idx = NearDuplicateIndex()
    base = rng.getrandbits(64)
    idx.add("base", base)
    for i in range(200):
        bits = rng.sample(range(64), rng.randint(0, 3))
        h = base
        for b in bits:
            h ^= 1 << b
        assert idx.nearest(h) == ("base", len(bits)), i
    far = base ^ 0b1111  # 4 bits in one band
    assert idx.nearest(far) is None


def test_capacity_evicts_oldest() -> None:
    idx = NearDuplicateIndex(capacity=2)
    idx.add("a", 1 << 63)
    idx.add("b", 0xFFFF)
    idx.add("c", 0xFFFF_0000_0000)
    assert "a" not in idx and len(idx) == 2
    assert idx.add("d", 1 << 63) == "d"  # a was forgotten


def test_bad_distance() -> None:
    with pytest.raises(ValueError):
        NearDuplicateIndex(max_distance=4)
