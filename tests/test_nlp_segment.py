"""Golden segmentation: place names, aliases and complaint terms stay whole."""

from __future__ import annotations

import jieba
import pytest

from nlp.segment import Segmenter, default_segmenter, domain_words, han_chars


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("大场镇大华二村嘉华苑门口垃圾堆了好几天没人管", ["大场镇", "大华二村嘉华苑", "没人管"]),
        ("沪太路与场中路路口乱停车", ["沪太路", "场中路", "路口", "乱停车"]),
        ("护场河黑臭水体又回来了", ["护场河", "黑臭水体"]),
        ("乾溪新村有人飞线充电，消防通道被占", ["乾溪新村", "飞线充电", "消防通道"]),
        ("打了12345也没用，城管中队不作为", ["12345", "城管中队", "不作为"]),
        ("丰翔智秀公园旁边毁绿种菜", ["丰翔智秀公园", "毁绿种菜"]),
        ("店招店牌松动存在安全隐患", ["店招店牌", "安全隐患"]),
        ("祁连三村违章搭建", ["祁连三村", "违章搭建"]),
    ],
)
def test_golden_words(text: str, words: list[str]) -> None:
    tokens = default_segmenter().cut(text)
    for w in words:
        assert w in tokens, (w, tokens)


def test_short_alias_does_not_swallow_words() -> None:
    assert default_segmenter().cut("马上大扫除")[:1] == ["马上"]


def test_punctuation_dropped_and_offsets_exact() -> None:
    seg = default_segmenter()
    assert "，" not in seg.cut("垃圾，没人管！")
    text = "沪太路，场中路"
    pieces = seg.tokenize(text)
    assert "".join(w for w, _, _ in pieces) == text
    assert all(text[s:e] == w for w, s, e in pieces)


def test_private_tokenizer_leaves_jieba_globals_alone() -> None:
    default_segmenter().cut("大华二村嘉华苑")
    assert "大华二村嘉华苑" not in jieba.dt.FREQ or not jieba.dt.FREQ.get("大华二村嘉华苑")


def test_custom_words_and_index_mode() -> None:
    seg = Segmenter(words=["虚构路口"])
    assert "虚构路口" in seg.cut("虚构路口很堵")
    assert "路口" in seg.cut_for_index("虚构路口很堵")


def test_domain_words_cover_places_topics_and_cues() -> None:
    words = set(domain_words())
    assert {"大华二村嘉华苑", "嘉华苑", "沪太路", "违章搭建", "没人管"} <= words
    assert all(len(w) > 1 for w in words)


def test_han_chars() -> None:
    assert han_chars("沪太路 ABC 12") == ["沪", "太", "路", "abc", "12"]


def _jieba_and_fast() -> tuple[jieba.Tokenizer, jieba.Tokenizer]:
    """jieba's own tokenizer and the fast one, both with the domain words."""
    from nlp.segment import _Tokenizer

    ref, fast = jieba.Tokenizer(), _Tokenizer()
    for tok in (ref, fast):
        tok.initialize()
        for w in domain_words():
            tok.add_word(w)
    return ref, fast


def test_fast_tokenizer_cuts_exactly_like_jieba() -> None:
    from nlp.evaluate import load_sample

    ref, fast = _jieba_and_fast()
    for row in load_sample():
        for hmm in (True, False):
            assert fast.lcut(row["text"], HMM=hmm) == ref.lcut(row["text"], HMM=hmm)
        assert fast.lcut_for_search(row["text"]) == ref.lcut_for_search(row["text"])


def test_one_pass_pieces_equal_jieba_tokenize() -> None:
    from nlp.evaluate import SAMPLE, load_sample

    ref, fast = _jieba_and_fast()
    odd = ["", " ", "\r\n", "a", "abc 12 3\r\n\r\nx—y ＡＢＣ  a1b2 ok!!", "😀[二哈]沪太路88弄12345吧", "C++和.net_%-"]
    texts = odd + [r["text"] for name in ("labelled_sample.jsonl", "labelled_test.jsonl")
                   for r in load_sample(SAMPLE.with_name(name))]
    for text in texts:
        assert fast.pieces_no_hmm(text) == list(ref.tokenize(text, HMM=False)), text


def test_word_freq_reads_the_dictionary() -> None:
    from nlp.segment import default_segmenter

    seg = default_segmenter()
    assert seg.word_freq("基层") > seg.word_freq("广济") > 0  # a common word counts more than a rare name
    assert seg.word_freq("xq不是词zz") == 0
