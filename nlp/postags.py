"""jieba's part-of-speech tags, packed for :mod:`nlp.mentions` (``nlp/dicts/postags.npz``)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

POS_FILE = Path(__file__).resolve().parent / "dicts" / "postags.npz"


#: Words jieba's table tags as nouns or place names that letters use as verbs or adverbs (充分考虑|小区,
#: 浅谈|卫生院, 某些方面|杜绝|卫生院院长, 老师能|晋升|中学高级教师): read so, they open no place's name. Sayings
#: tagged as places (信口开河, 三座大山) need no entry: the rivers' and hills' reader takes dictionary words of three
#: characters only.
CORRECTIONS = {
    "充分考虑": "v", "浅谈": "v", "区别对待": "v", "严重破坏": "v", "杜绝": "v", "晋升": "v", "抗议": "v",
    "现任": "v", "原本": "d", "过境": "v", "晋级": "v", "金字塔": "n", "地勘": "n", "高速": "n", "完小": "n",
}


class PosTable:
    """jieba's part-of-speech tags of its dictionary words, packed: sorted 64-bit word hashes and a tag index
    (3 MB instead of the 54 MB of ``jieba.posseg``'s dict). Built by :func:`build_pos_table`."""

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.keys = data["keys"]
        self.tags = data["tags"]
        self.names = [str(x) for x in data["names"]]

    @staticmethod
    def key(word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")

    def get(self, word: str, default: str | None = None) -> str | None:
        if word in CORRECTIONS:
            return CORRECTIONS[word]
        k = np.uint64(self.key(word))
        i = int(np.searchsorted(self.keys, k))
        if i < len(self.keys) and self.keys[i] == k:
            return self.names[self.tags[i]]
        return default


def build_pos_table(path: Path = POS_FILE) -> Path:
    """Pack jieba's tag table into ``path`` (run when jieba's dictionary changes)."""
    import jieba.posseg

    table = jieba.posseg.dt.word_tag_tab
    names = sorted(set(table.values()))
    index = {n: i for i, n in enumerate(names)}
    pairs = sorted((PosTable.key(w), index[t]) for w, t in table.items() if len(w) <= 6)
    keys = np.array([k for k, _ in pairs], dtype=np.uint64)
    tags = np.array([t for _, t in pairs], dtype=np.uint8)
    np.savez_compressed(path, keys=keys, tags=tags, names=np.array(names))
    return path


@lru_cache(maxsize=1)
def pos_table() -> PosTable:
    return PosTable(POS_FILE)
