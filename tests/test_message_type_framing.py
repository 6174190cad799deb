"""The message-type model reads where a letter puts its ask: the subject line (or first sentence) and the
closing sentences are features of their own, so that an inquiry or a proposal that starts from a problem is
told from a complaint that ends with a demand."""

from __future__ import annotations

import pytest

from nlp.datasets import data_dir
from nlp.enrich import Enricher
from nlp.letters import compose_letters
from nlp.letters_messages import compose_messages
from nlp.message_type import HEAD_PLANE, TAIL_PLANE, MessageTypeClassifier, ask_parts, frame, is_framed


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher()


def test_ask_parts_are_the_subject_line_or_first_sentence_and_the_closing_sentences() -> None:
    assert ask_parts("标题一行\n第一句。第二句！第三句？谢谢。") == ("标题一行", "第三句？谢谢。")
    assert ask_parts("第一句。第二句。第三句") == ("第一句。", "第二句。第三句")
    assert ask_parts("只有一句话") == ("只有一句话", "")


def test_frame_copies_head_and_tail_into_their_own_planes() -> None:
    text = "请问社保怎么转移？\n我换了工作。请问怎么办？"
    out = frame(text)
    assert out.startswith(text)
    extra = out[len(text):].replace(" ", "")
    assert extra and all(ord(c) >= HEAD_PLANE for c in extra)
    heads = [c for c in extra if HEAD_PLANE <= ord(c) < TAIL_PLANE]
    tails = [c for c in extra if ord(c) >= TAIL_PLANE]
    assert "".join(chr(ord(c) - HEAD_PLANE) for c in heads) == "请问社保怎么转移？"
    assert "".join(chr(ord(c) - TAIL_PLANE) for c in tails) == "我换了工作。请问怎么办？"


def test_the_shipped_model_reads_the_frame() -> None:
    clf = MessageTypeClassifier.load()
    assert clf.model is not None and is_framed(clf.model) and clf.framed


def test_composed_messages_have_subject_lines() -> None:
    msgs = compose_messages(40)
    assert set(msgs) == {"complaint", "request", "inquiry", "suggestion"}
    assert all(len(v) == 40 for v in msgs.values())
    assert sum("\n" in t for v in msgs.values() for t in v) > 80  # most have a subject line
    titled = [t for v in msgs.values() for t in v if "\n" in t]
    assert all(0 < len(t.partition("\n")[0]) <= 60 for t in titled)  # short enough to be read as subject lines
    assert not any("\n" in t for v in compose_letters(40).values() for t in v)  # the older letters have none


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # an inquiry that starts from a difficulty of the writer's own
        ("农村独生子女家庭的养老补助怎么领取？\n我今年六十二岁，女儿在外地工作，前几天去乡政府问，办事员让我去县里问，"
         "县里又让我回乡里。请问这个补助到底由哪个部门负责发放？", "inquiry"),
        ("我是一名乡村教师，工作满三十年了，听说可以评定高级职称，但是学校说名额有限。"
         "请问工作满三十年的乡村教师评职称有没有倾斜政策？盼复。", "inquiry"),
        # a proposal that starts from a shortage
        ("关于在城南新区增设一所公办幼儿园的建议\n城南新区入住的家庭越来越多，附近只有两家民办幼儿园，收费高，名额少。"
         "能否在新区规划建设一所公办幼儿园，解决孩子入园难的问题？", "suggestion"),
        # a complaint that ends with a demand, a plea for help
        ("某某路的下水道堵了半个月，一下雨污水就漫到路面上，臭气熏天，多次打电话反映也没人来修，希望有关部门尽快处理！",
         "complaint"),
        ("我父亲在工地摔伤瘫痪在床，包工头跑了，家里没有任何收入，孩子还在上学，恳请领导帮帮我们一家。", "request"),
    ],
)
def test_where_the_ask_is_decides(enricher: Enricher, text: str, kind: str) -> None:
    [f] = enricher.analyze([text])
    assert f["message_type"] == kind
    assert f["is_complaint"] is (kind in ("complaint", "request"))


def test_the_complaint_bias_moves_only_the_ranking_of_civic_kinds() -> None:
    clf = MessageTypeClassifier.load()
    story = "我是一名乡村教师，工作满三十年了，听说可以评定高级职称，但是学校说名额有限。"
    texts = [story + "想了解工作满三十年的乡村教师评职称的倾斜政策，盼复。",
             story + "请问工作满三十年的乡村教师评职称有没有倾斜政策？盼复。", "今天天气真好，和朋友去吃火锅，开心"]
    plain = [r.message_type.value for r in MessageTypeClassifier(clf.model, 0.0).classify(texts)]
    tilted = [r.message_type.value for r in MessageTypeClassifier(clf.model, 8.0).classify(texts)]
    assert plain == ["inquiry", "inquiry", "other"]
    # a question asking for a fact keeps the model's inquiry; everyday talk stays everyday talk
    assert tilted == ["complaint", "inquiry", "other"]


@pytest.mark.skipif(not (data_dir() / "complaints").is_dir(), reason="shared data not on this machine")
def test_the_bias_is_chosen_on_rows_outside_every_blind_sample() -> None:
    from nlp.blind import message_key
    from nlp.blind2 import held_keys
    from nlp.message_type_train import calibration_rows

    rows = calibration_rows()
    keys = {message_key(r["留言主题"], r["留言详情"]) for r in rows}
    held = held_keys()
    assert len(held) >= 700 and not keys & held
    assert 90 < len(rows) < 3389  # 1,110 with blind8 held back, 807 with blind9, 504 with blind10, 301 with blind11,
    # 97 with blind12


@pytest.mark.skipif(not (data_dir() / "complaints").is_dir(), reason="shared data not on this machine")
def test_no_key_drawn_for_a_blind_sample_reaches_calibration() -> None:
    # every blind*_keys.txt (blind3, blind4, blind5 … drawn later) is held back, with its near-duplicate groups
    from pathlib import Path

    from nlp.blind import dev_rows, message_key
    from nlp.blind2 import held_keys
    from nlp.message_type_train import calibration_rows

    files = sorted((Path(__file__).resolve().parents[1] / "nlp" / "corpus").glob("blind*_keys.txt"))
    drawn = {x.strip() for f in files for x in f.read_text(encoding="utf-8").splitlines()
             if x.strip() and not x.startswith("#")}
    assert len(files) >= 3 and len(drawn) >= 900 and drawn <= held_keys()
    rows = calibration_rows()
    keys = {message_key(r["留言主题"], r["留言详情"]) for r in rows}
    groups = {r["near_dup_group"] for r in dev_rows() if r["near_dup_group"]
              and message_key(r["留言主题"], r["留言详情"]) in drawn}
    assert not keys & drawn and not {r["near_dup_group"] for r in rows} & groups
