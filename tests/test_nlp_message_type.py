"""Message type beside the complaint flag: complaints of every kind, requests, inquiries, suggestions, praise."""

from __future__ import annotations

import pytest

from core.model import MessageType
from nlp.enrich import Enricher
from nlp.message_type import MessageTypeClassifier

E = Enricher()


@pytest.mark.parametrize(
    ("text", "kind", "topic"),
    [
        # complaints outside 创全 work count, with topic other; wages owed to the writer, with a plea for help, are
        # a request (issue #14's 求助), flagged all the same
        ("我在某物业公司做保安三年，公司拖欠工资半年不发，找老板也不理，希望劳动部门帮我们讨回工资",
         "request", "other"),
        ("孩子学校每周六强制补课还要收补课费，教育局管不管？", "complaint", "other"),
        ("医院挂号排队三个小时，医生看病三分钟，太不合理了", "complaint", "other"),
        ("求助！我父亲住院急需手术费，单位拖着不给报销，请领导帮帮我们", "request", "other"),
        ("请问第一胎没有准生证，孩子上户口需要办理什么手续？", "inquiry", "other"),
        ("建议在大场镇增设一条到地铁7号线的公交线路，方便居民出行", "suggestion", None),
        ("场中路的垃圾终于清理干净了，为城管点赞！", "praise", None),
        ("今天天气真好，和朋友去吃火锅，开心", "other", "other"),
        ("沪太路的路灯坏了", "complaint", "facilities"),
        # civic tips and official reports are not residents' complaints
        ("【文明小贴士】垃圾分类从我做起，请大家把垃圾投放到指定的垃圾桶，共同维护整洁的环境", "other", None),
        ("近日，大场镇城管中队对沪太路沿线开展专项整治，共拆除违章搭建5处，清理乱堆物10余处", "other", None),
    ],
)
def test_message_type(text: str, kind: str, topic: str | None) -> None:
    [f] = E.analyze([text])
    assert f["message_type"] == kind
    assert f["is_complaint"] is (kind in ("complaint", "request"))
    if topic is not None:
        assert f["topic"] == topic


def test_enriched_post_carries_the_type() -> None:
    from datetime import datetime

    from core import SHANGHAI, Post

    post = Post.new("weibo", "1", text="投诉：小区物业拖欠保洁工资，楼道垃圾没人扫",
                    published_at=datetime(2026, 11, 20, 8, tzinfo=SHANGHAI))
    [out] = E.enrich([post])
    assert out.message_type is MessageType.COMPLAINT and out.is_complaint
    assert out.severity is not None and out.severity.value != "low"


def test_without_a_model_the_writers_cues_still_decide() -> None:
    bare = MessageTypeClassifier(None)
    kinds = [r.message_type for r in bare.classify(["我要投诉楼下饭店油烟", "请问社保怎么转移", "今天真开心"])]
    assert kinds == [MessageType.COMPLAINT, MessageType.OTHER, MessageType.OTHER]


def test_every_type_has_a_chinese_label() -> None:
    from core import labels

    assert {labels.MESSAGE_TYPE[t] for t in MessageType} == {"投诉", "求助", "咨询", "建议", "表扬", "其他"}


def test_a_reply_that_agrees_echoes_the_thread() -> None:
    echo, own = E.analyze(["楼主说得对，大华二村早该管管了", "楼主说得对，大华二村门口垃圾堆了三天没人管"])
    assert echo["message_type"] == "other" and not echo["is_complaint"]
    assert own["message_type"] == "complaint" and own["topic"] == "sanitation"


# --- the shipped model trains on no evaluation-only data (TipDM 网络问政, ../shared/data/README.md) ---

def test_training_refuses_evaluation_only_data() -> None:
    from nlp.datasets import data_dir
    from nlp.message_type_train import _guard

    with pytest.raises(ValueError, match="evaluation-only"):
        _guard(data_dir() / "complaints" / "teddy2020_messages_dev.csv")
    assert _guard(data_dir() / "sentiment" / "waimai_10k.csv").name == "waimai_10k.csv"


def _has_data(sub: str) -> bool:
    from nlp.datasets import data_dir

    return (data_dir() / sub).is_dir()


@pytest.mark.skipif(not _has_data("sentiment"), reason="shared data not on this machine")
def test_training_data_never_reads_tipdm(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import io
    import pathlib

    import nlp.blind
    import nlp.message_type_train as mtt

    opened: list[str] = []
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def spy_open(file, *a, **k):
        opened.append(str(file))
        return real_open(file, *a, **k)

    def spy_path_open(self, *a, **k):
        opened.append(str(self))
        return real_path_open(self, *a, **k)

    def no_rows():
        raise AssertionError("training read the TipDM messages")

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(pathlib.Path, "open", spy_path_open)
    monkeypatch.setattr(nlp.blind, "dev_rows", no_rows)
    monkeypatch.setattr(mtt, "dev_rows", no_rows)
    texts, labels, weights = mtt.training_data()
    assert len(texts) == len(labels) == len(weights) > 1000
    assert set(labels) == {"complaint", "request", "inquiry", "suggestion", "praise", "other"}
    assert opened and not [p for p in opened if "complaints" in pathlib.Path(p).parts]


@pytest.mark.skipif(not (_has_data("sentiment") and _has_data("complaints")), reason="shared data not on this machine")
def test_no_tipdm_text_reaches_the_training_data() -> None:
    from nlp.blind import dev_rows
    from nlp.message_type_train import training_data

    joined = "\n".join(training_data()[0])
    snippets = {d[10:30] for r in dev_rows() if len(d := r["留言详情"].strip()) >= 40}
    assert len(snippets) > 1000
    leaked = [s for s in snippets if s in joined]
    assert not leaked, leaked[:5]


def test_a_slogans_me_is_nobodys_own_voice() -> None:
    from nlp.message_type import FIRST_PERSON

    assert not any(FIRST_PERSON.search(t) for t in ("垃圾分类从我做起", "文明城区从我开始", "我为人人"))
    assert all(FIRST_PERSON.search(t) for t in ("从我家门口经过", "我家楼下", "本人反映", "咱小区"))
