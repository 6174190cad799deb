"""The learned place tagger: its features and spans, its veto, how its names join the rules' places, and the
bundled model on letters of the shapes it was built for (synthetic letters written for these tests)."""

from __future__ import annotations

import pytest

from core import Config
from core.model import PlaceLevel, PlaceRef
from nlp.enrich import Enricher
from nlp.gazetteer import load_gazetteer
from nlp.place_tagger import (
    MAX_SPAN,
    MIN_PROB,
    bio_tags,
    char_features,
    default_tagger,
    plausible,
    spans_of,
)
from nlp.places import MAX_LEARNED, SUBJECT_MIN_PROB, PlaceExtractor


def test_bio_tags_mark_every_occurrence_longest_first_and_spans_read_them_back():
    text = "双溪煤矿的货车经过双溪村，双溪煤矿扬尘"
    tags = bio_tags(text, ["双溪煤矿", "双溪村", "双溪", " "])
    assert [text[s:e] for s, e in spans_of(tags)] == ["双溪煤矿", "双溪村", "双溪煤矿"]
    assert list(spans_of(["B", "B", "I", "O", "I"])) == [(0, 1), (1, 3)]  # a stray I opens nothing


def test_char_features_one_list_per_character_with_word_place_and_tag():
    text = "金鸡岭积水"
    feats = char_features(text, {0, 3, 5})
    assert len(feats) == len(text)
    assert "wp=B" in feats[0] and "wp=M" in feats[1] and "wp=E" in feats[2]
    assert "c-1=\x02" in feats[0] and "c+1=\x03" in feats[-1]
    assert any(f.startswith("t=") for f in feats[3])


@pytest.mark.parametrize("name", ["走投无路", "天天向上", "湖南省", "K3县", "A市B区", "岳麓区", "小区", "严重", "12",
                                  "a", "河里", "小区里", "人行道", "河边"])
def test_the_veto_drops_sayings_areas_and_everyday_words(name):
    assert not plausible(name)


@pytest.mark.parametrize("name", ["力家园）", "丶木工组丶钢筋组", "东风路，西风路", "我们小区", "该小区", "隔壁村",
                                  "靠和美酒店", "天宏源该零食站点公司"])
def test_the_veto_drops_punctuation_pointers_and_particles(name):
    assert not plausible(name)


@pytest.mark.parametrize("name", ["投诉中医院", "举报中建三局", "反映幸福小区", "关于老火车站"])
def test_the_veto_drops_a_span_opened_by_a_complaint_verb(name):
    assert not plausible(name)


@pytest.mark.parametrize("name", ["北山省C市", "北山省K3县", "南川市江北区", "C3县教育局", "M市人民政府", "K市纪委",
                                  "青山镇政府", "北山省人社厅", "县委", "城市管理委员会", "安居工程领导小组",
                                  "东城街道办"])
def test_the_veto_drops_chains_of_areas_and_authorities(name):
    """Areas alone, however many, and the authorities letters write to: the rules keep the bodies complained of."""
    assert not plausible(name)


@pytest.mark.parametrize(("name", "words"), [
    ("茶叶之乡", ["茶叶", "之", "乡"]), ("百姓之事", ["百姓", "之", "事"]), ("王某某等", ["王某某", "等"]),
    ("北山省十大", ["北山省", "十大"]), ("A市民房产", ["A", "市民", "房产"]), ("顺顺利利", ["顺顺利利"]),
    ("金光灿灿", ["金光", "灿灿"]), ("林昌惠", ["林", "昌", "惠"]), ("田云桂", ["田", "云", "桂"]),
    ("金ヅ小区", ["金", "ヅ", "小区"]), ("县公安分局", ["县", "公安分局"]), ("明星Jolin", ["明星", "Jolin"]),
])
def test_the_veto_drops_titles_lists_area_fragments_doubled_phrases_and_full_names(name, words):
    assert not plausible(name, words)


@pytest.mark.parametrize(("name", "words"), [
    ("人民路188号", ["人民路", "188", "号"]), ("省道S311", ["省道", "S311"]), ("阳光100", ["阳光", "100"]),
    ("步步高", ["步步高"]), ("佳佳乐", ["佳", "佳", "乐"]), ("钱家浜", ["钱", "家", "浜"]),
    ("何家墩", ["何", "家", "墩"]), ("马栏坳", ["马", "栏", "坳"]), ("A市实验初中", ["A", "市", "实验", "初中"]),
    ("A市农商银行", ["A", "市", "农商", "银行"]), ("村民委员会", ["村民委员会"]),
])
def test_the_veto_keeps_numbered_roads_brands_hamlets_and_institutions_after_an_area(name, words):
    """Doubled digits, AAB brands, hamlets' endings and institutions opened by an area are names, not phrases."""
    assert plausible(name, words)


def test_the_veto_keeps_names_of_those_shapes_that_end_in_a_kind():
    assert plausible("林昌村", ["林", "昌", "村"]) and plausible("横塘塘", ["横", "塘", "塘"])
    assert plausible("北山省人民医院", ["北山省", "人民医院"])


def test_the_veto_drops_a_person_doing_something_but_not_a_name_ending_in_a_kind():
    assert not plausible("王惠紫恃权", ["王", "惠", "紫", "恃", "权"])  # a surname opens it: a person
    assert not plausible("社区王强占", ["社区", "王", "强占"])  # a person, then what they did
    assert plausible("王家湾", ["王家湾"]) and plausible("金福家园（西园）", ["金福", "家园", "（", "西园", "）"])


@pytest.mark.parametrize("name", ["双溪煤矿", "曹家巷", "五里牌棚户区", "金鸡岭", "东二环", "永辉超市", "南门口夜市",
                                  "读书时间网吧", "中铁二局", "城关派出所", "县人民医院"])
def test_the_veto_keeps_names(name):
    assert plausible(name)


def test_the_veto_bounds_the_length():
    assert not plausible("很" * (MAX_SPAN + 1))


class _Spans:
    """A tagger that returns fixed spans: to pin down how :meth:`PlaceExtractor.with_learned` merges them. A name
    given as (name, p) is tagged with least marginal p, others with 1."""

    min_prob = MIN_PROB

    def __init__(self, *names) -> None:
        self.names = [n if isinstance(n, tuple) else (n, 1.0) for n in names]

    def spans(self, text, boundaries, min_prob=0.0):
        return [(s, e) for s, e, _ in self.scored_spans(text, boundaries, min_prob)]

    def scored_spans(self, text, boundaries, min_prob=0.0):
        return sorted((i, i + len(n), p) for n, p in self.names if (i := text.find(n)) >= 0 and p >= min_prob)


@pytest.fixture(scope="module")
def extractor():
    return PlaceExtractor(load_gazetteer())


def test_learned_names_come_after_the_rules_places_keyed_as_unlisted(extractor):
    text = "幸福小区门口的金鸡岭烧烤摊油烟扰民"
    refs = extractor.extract(text)
    assert [r.name for r in refs] == ["幸福小区"]
    merged = extractor.with_learned(text, refs, set(), _Spans("金鸡岭", "幸福小区"))
    assert [r.name for r in merged] == ["幸福小区", "金鸡岭"]  # a name a rule place holds is not added twice
    assert merged[1].key == "raw:金鸡岭" and merged[1].id is None


@pytest.mark.parametrize(("rule", "level", "order"), [
    ("K3县", PlaceLevel.DISTRICT, ["金鸡岭", "K3县"]),  # the rules found only an area: the learned name first
    ("F市港务局", PlaceLevel.OTHER, ["F市港务局", "金鸡岭"]),  # a keyless body the rules found stays first
])
def test_learned_names_go_first_only_before_areas_and_towns(extractor, rule, level, order):
    merged = extractor.with_learned(f"{rule}和金鸡岭", [PlaceRef(name=rule, level=level)], set(), _Spans("金鸡岭"))
    assert [r.name for r in merged] == order


def test_learned_names_never_key_a_bare_word_nor_a_body_named_by_its_area(extractor, monkeypatch):
    monkeypatch.setattr("nlp.places.MAX_LEARNED", 3)
    text = "E市市民反映B2区政府门口的D10县教育局和金鸡岭"
    merged = extractor.with_learned(text, [], set(), _Spans("E市市", "B2区政府", "D10县教育局", "金鸡岭"))
    assert [(r.name, r.key) for r in merged] == [("B2区政府", None), ("D10县教育局", None), ("金鸡岭", "raw:金鸡岭")]


def test_a_learned_name_the_rules_hold_under_an_area_or_keyed_alike_is_not_added(extractor):
    text = "D12市家馨花园小区的居民反映家馨花园小区门口积水"
    refs = [PlaceRef(name="家馨花园小区", level=PlaceLevel.COMPOUND, key="raw:家馨花园")]
    assert extractor.with_learned(text, refs, set(), _Spans("D12市家馨花园")) == refs
    assert extractor.with_learned("家馨花园门口积水", refs, set(), _Spans("家馨花园")) == refs  # held by it


def test_gazetteer_names_offices_and_bare_groups_are_left_to_the_rules(extractor):
    text = "大场镇的K1区法院和三组还有金鸡岭"
    names = [r.name for r in extractor.with_learned(text, [], set(), _Spans("大场镇", "K1区法院", "三组", "金鸡岭"))]
    assert names == ["金鸡岭"]


def test_a_subject_line_that_names_no_place_takes_a_learned_name_at_a_lower_cut_off(extractor):
    text = "金鸡岭的问题\n我家门口的银鸡岭天天有人倒垃圾"
    unsure = ("金鸡岭", (SUBJECT_MIN_PROB + MIN_PROB) / 2)  # below the cut-off, above the subject line's
    names = [r.name for r in extractor.with_learned(text, [], set(), _Spans(unsure, "银鸡岭"))]
    assert names == ["银鸡岭", "金鸡岭"]  # the body's sure name, then the subject line's
    too_unsure = ("金鸡岭", SUBJECT_MIN_PROB / 2)
    assert [r.name for r in extractor.with_learned(text, [], set(), _Spans(too_unsure, "银鸡岭"))] == ["银鸡岭"]
    in_body = ("银鸡岭", (SUBJECT_MIN_PROB + MIN_PROB) / 2)  # below the cut-off outside the subject line: no name
    assert extractor.with_learned(text, [], set(), _Spans(in_body)) == []
    rules = [PlaceRef(name="金鸡岭", level=PlaceLevel.OTHER, key="raw:金鸡岭")]  # the subject line has a place
    held = extractor.with_learned("金鸡岭的问题\n铜鸡岭", rules, set(), _Spans(("铜鸡岭", unsure[1])))
    assert [r.name for r in held] == ["金鸡岭"]


def test_at_most_a_few_learned_names_per_text(extractor):
    names = ["金鸡岭", "银鸡岭", "铜鸡岭", "铁鸡岭", "锡鸡岭"]
    merged = extractor.with_learned("、".join(names), [], set(), _Spans(*names))
    assert [r.name for r in merged] == names[:MAX_LEARNED]


# --- the bundled model --------------------------------------------------------------------------------------------

LETTERS = [
    "关于双溪煤矿运煤车扬尘的投诉\n我们住在双溪煤矿旁边，每天运煤的货车来回跑，扬尘特别大，窗户都不敢开，请相关部门管一管。",
    # a bare hill's name (金鸡岭棚户区 until the nineteenth session: the rules now read 棚户区 as an estate's kind)
    "请求解决金鸡岭排水问题\n金鸡岭每逢下雨就积水，居民出行困难，请求政府帮助解决。",
]


@pytest.fixture(scope="module")
def with_tagger():
    return Enricher()


@pytest.fixture(scope="module")
def rules_only():
    return Enricher(place_tagger=False)


def test_the_bundled_tagger_finds_places_with_no_kind_word_the_rules_know(with_tagger, rules_only):
    learned = [[p["name"] for p in f["places"]] for f in with_tagger.analyze(LETTERS)]
    rules = [[p["name"] for p in f["places"]] for f in rules_only.analyze(LETTERS)]
    assert rules == [[], []]
    assert learned[0] == ["双溪煤矿"] and all(len(names) <= MAX_LEARNED for names in learned)
    assert all(n.startswith("金鸡岭") for n in learned[1])  # where the model is sure enough


def test_the_bundled_tagger_adds_no_saying(with_tagger):
    text = "曹家巷拆迁安置问题\n曹家巷棚改已经三年了，至今没有安置，我们已经走投无路，希望领导过问一下。"
    fields = with_tagger.analyze([text])
    assert [p["name"] for p in fields[0]["places"]] == ["曹家巷"]


def test_the_tagger_skips_messages_of_type_other(rules_only):
    enricher = Enricher(place_tagger=_Spans("金鸡岭"))
    texts = ["金鸡岭今天天气不错，和朋友去吃饭，开心！", LETTERS[1]]
    fields = enricher.analyze(texts)
    assert [f["message_type"] for f in fields] == ["other", "request"]
    assert [p["name"] for p in fields[0]["places"]] == [p["name"] for p in rules_only.analyze(texts[:1])[0]["places"]]
    assert [p["name"] for p in fields[1]["places"]] == ["金鸡岭"]


def test_the_enricher_and_the_configuration_agree_on_the_default():
    import inspect

    from core.config.nlp import NlpConfig

    assert inspect.signature(Enricher).parameters["place_tagger"].default is NlpConfig().place_tagger


def test_the_tagger_is_on_by_default_at_its_cut_off_and_off_by_configuration():
    on = Enricher.from_config(Config())
    assert on.place_tagger is default_tagger() and on.place_tagger.min_prob == MIN_PROB
    assert Enricher.from_config(Config.model_validate({"nlp": {"place_tagger": False}})).place_tagger is None


def test_the_cut_off_keeps_only_confident_spans():
    text = LETTERS[0]
    bounds = Enricher(place_tagger=False).segmenter.boundaries(text)
    tagger = default_tagger()
    assert tagger.spans(text, bounds, 0.0) and not tagger.spans(text, bounds, 1.01)
    assert set(tagger.spans(text, bounds, 0.9)) <= set(tagger.spans(text, bounds, 0.0))


def test_the_training_letters_are_labelled_as_written():
    """Every labelled name occurs in its letter as written, and the main place is among the places."""
    from nlp.place_tagger_train import corpus_rows

    rows = corpus_rows()
    assert len(rows) >= 500
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert all(p and p in r["text"] for p in r["places"]), r["id"]
        assert r["main_place"] is None or r["main_place"] in r["places"], r["id"]


_TIPDM = ("teddy2020_messages_dev.csv", "teddy2020_fj4_messages_with_replies.csv")


def _tipdm_texts() -> list[str]:
    import csv

    from nlp.datasets import data_dir

    out: list[str] = []
    for name in _TIPDM:
        with (data_dir() / "complaints" / name).open(encoding="utf-8", newline="") as fh:
            out += [f"{r['留言主题'] or ''}\n{r['留言详情'] or ''}" for r in csv.DictReader(fh)]
    return out


def _has_tipdm() -> bool:
    from nlp.datasets import data_dir

    return all((data_dir() / "complaints" / name).is_file() for name in _TIPDM)


@pytest.mark.skipif(not _has_tipdm(), reason="shared data not on this machine")
def test_no_tipdm_text_reaches_the_tagger_training_letters():
    """TipDM's messages are for development and evaluation only (../shared/data/README.md): no 20 characters in a
    row of any of them (subject or detail, every window) are in the letters the bundled tagger is trained on."""
    from nlp.place_tagger_train import corpus_rows

    k = 20
    windows = {t[i:i + k] for r in corpus_rows() for t in [r["text"]] for i in range(len(t) - k + 1)}
    texts = _tipdm_texts()
    assert len(texts) > 6000
    leaked = [w for t in texts for i in range(len(t) - k + 1) if (w := t[i:i + k]) in windows]
    assert not leaked, leaked[:5]


def test_the_bundled_model_was_trained_on_the_bundled_letters_with_the_bundled_parameters():
    """The model's record (written by ``python -m nlp.place_tagger_train``) names today's corpus and parameters: a
    corpus or parameter change without retraining fails here."""
    import json

    from nlp.place_tagger import MODEL
    from nlp.place_tagger_train import PARAMS, provenance

    record = json.loads(MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    assert record == provenance() and record["params"] == PARAMS and record["lines"] >= 3000
