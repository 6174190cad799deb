"""Seventeenth session: shapes of place extraction a user check found (a helper's own posts run through `yuqing nlp
enrich`), each with variants of other names."""

from __future__ import annotations

from nlp.enrich import enricher_for


def _places(texts: list[str]) -> list[list[str]]:
    return [[p["name"] for p in f["places"]] for f in enricher_for().analyze(texts)]


def _keys(texts: list[str]) -> list[list[str | None]]:
    return [[p.get("key") or p.get("id") for p in f["places"]] for f in enricher_for().analyze(texts)]


def test_a_time_word_before_a_kind_word_names_no_place() -> None:
    """周六社区 (user check): a day, week or month said relative to now says when, not which place."""
    assert _places(["周六社区有免费体检，60岁以上老人带身份证去社区卫生服务站就行",
                    "上周小区门口又有人摆摊", "星期三小区停水", "周末社区组织义诊",
                    "下个月社区要搞消防演练"]) == [[]] * 5
    # a name after the time word is still read, and a family's 周 still names its village
    assert _keys(["周六阳光小区停水", "周家村的路坏了"]) == [["raw:阳光"], ["raw:周家村"]]


def test_a_pointer_or_count_before_a_kind_word_names_no_place() -> None:
    """同一个村 (user check): 同一个, 另一个, 同一座 say which one, they name none."""
    assert _places(["拆迁补偿为什么同一个村标准不一样？", "为什么同一个小区物业费不一样",
                    "另一个村补偿标准更高"]) == [[]] * 3


def test_a_common_word_jieba_files_as_a_name_before_公司_names_no_firm() -> None:
    """关联公司 (user check): jieba tags 关联 a place name, 安保 and 苗木 person names; they say the firm's kind, as
    物业 does. A firm with a name of its own before the kind is still read."""
    assert _places(["物业是开发商的关联公司", "小区请的安保公司保安天天睡觉",
                    "绿化是承包给苗木公司做的，树死了一大片"]) == [[]] * 3
    assert _keys(["长沙安保公司拖欠保安工资"]) == [["raw:长沙安保公司"]]


def test_a_road_jieba_knows_by_name_before_its_corner_or_side_is_read() -> None:
    """建设路口 (user check): 建设 alone is a verb and a stop word, but jieba's dictionary knows 建设路 as a name; its
    corner is read as 胜利路口 and 红旗路口 are (a single road's corner keeps its name), its side as the road."""
    assert _keys(["今天在建设路口看到一个大哥骑着电瓶车直接闯红灯", "建设路口的红绿灯坏了三天了",
                  "在建设路边有人摆摊卖水果"]) == [["raw:建设路口"], ["raw:建设路口"], ["raw:建设路"]]
    # not where 建设 is the verb of a clause
    assert _places(["要加强城市建设路口拥堵问题", "要加强建设路网"]) == [[], []]


def test_a_bridge_before_a_locative_jieba_joins_to_it_is_read() -> None:
    """南门桥下, 解放桥下 (user check): jieba writes 桥下, 桥头, 桥边 as one word; the bridge is named before it (a
    place name, or a verb whose road jieba knows by name: 解放路). 只见桥下 and 打扫桥下 name none."""
    assert _keys(["南门桥下那面墙又长满牛皮癣了", "市民来电反映：解放桥下护城河水面漂浮大量塑料瓶",
                  "东门桥头有人占道卖菜"])[:3] == [["raw:南门桥"], ["raw:解放桥"], ["raw:东门桥"]]
    assert _places(["只见桥下全是垃圾", "打扫桥下卫生"]) == [[], []]
