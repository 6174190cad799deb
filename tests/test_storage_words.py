"""Segment once: the stores index the enricher's tokens and cut a post themselves only when it has none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.config import ElasticsearchConfig
from nlp import Segmenter, default_segmenter
from storage import PostQuery
from storage.docs import merge_post
from storage.sqlite import SQLiteStore
from storage.words import IndexWords
from tests.storage_contract import SAMPLE, make_post, store_clock

_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_TOKEN = re.compile(r"[^\W_]")


class CountingSegmenter(Segmenter):
    """The bundled dictionaries, counting every segmentation of a text."""

    def __init__(self) -> None:
        base = default_segmenter()
        super().__init__(words=base._words)
        self.calls = 0

    def tokenize(self, text: str, hmm: bool = True):
        self.calls += 1
        return super().tokenize(text, hmm)

    def cut_for_index(self, text: str) -> list[str]:
        self.calls += 1
        return super().cut_for_index(text)


def enriched(post, seg: Segmenter):
    """What the enricher stores in ``tokens``: precise mode without HMM, letters/digits/Han only."""
    text = f"{post.title}\n{post.text}" if post.title else post.text
    return post.model_copy(update={"tokens": [w for w, _, _ in seg.tokenize(text, hmm=False) if _TOKEN.search(w)]})


@pytest.mark.parametrize("text", [p.text for p in SAMPLE] + [
    "中华人民共和国国务院办公厅发布通知，Hello World 3.5元一斤的青菜涨到8元",
    "宝山区大场镇乾溪新村小区垃圾分类投放点满溢，夜间施工噪音扰民！！",
])
def test_expanding_tokens_is_jieba_search_mode(text: str) -> None:
    seg = default_segmenter()
    tokens = [w for w, _, _ in seg.tokenize(text, hmm=False) if _TOKEN.search(w)]
    want = [w for w in seg._tokenizer().cut_for_search(text, HMM=False) if _WORD.search(w)]
    assert IndexWords(seg).expand(tokens) == want


def _check_segments_once(store, seg: CountingSegmenter) -> None:
    posts = [enriched(p, seg) for p in SAMPLE]
    seg.calls = 0
    store.upsert_posts(posts, refresh=True)
    assert seg.calls == 0, "enriched posts are not segmented again"
    bare = make_post(80, "走马塘河道漂浮垃圾无人打捞")
    store.upsert_posts([bare], refresh=True)
    assert seg.calls == 1, "a post without tokens is cut once"
    assert store.search(PostQuery(text="垃圾")).total == 3
    assert store.search(PostQuery(text="打捞")).total == 1
    assert store.search(PostQuery(text="臭气")).total == 1  # a sub-word of 臭气熏天, from the dictionary


def test_sqlite_indexes_the_enricher_tokens(tmp_path: Path) -> None:
    seg = CountingSegmenter()
    store = SQLiteStore(tmp_path / "y.db", segmenter=seg, clock=store_clock)
    _check_segments_once(store, seg)
    store.close()


@pytest.mark.elasticsearch
def test_elasticsearch_indexes_the_enricher_tokens(es_url: str, es_prefix: str) -> None:
    from storage.elastic import ElasticStore

    seg = CountingSegmenter()
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix), segmenter=seg, clock=store_clock)
    store.init()
    _check_segments_once(store, seg)
    store.close()


def test_tokens_of_an_old_text_are_not_kept_for_a_new_one() -> None:
    seg = default_segmenter()
    old = enriched(SAMPLE[0], seg)
    same = merge_post(old, SAMPLE[0].model_copy(update={"tokens": []}))
    assert same.tokens == old.tokens, "a re-crawl without enrichment keeps the tokens of the same text"
    edited = merge_post(old, SAMPLE[0].model_copy(update={"text": "菜场门口的垃圾已经清走了", "tokens": []}))
    assert edited.tokens == [] and IndexWords(seg).tokens(edited)[-1] == "了"


@pytest.mark.parametrize("text", [p.text for p in SAMPLE] + ["ABC def 3.5元 ＡＢＣ İstanbul ﬁ 𠀀字", ""])
def test_character_column_is_nlp_han_chars(text: str) -> None:
    from nlp import han_chars
    from storage.words import han_char_text

    assert han_char_text(text) == " ".join(han_chars(text))
