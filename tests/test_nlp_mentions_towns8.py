"""Towns jieba joins onto the next word (青石|镇政府, 青石|镇党委), towns named by a surname's 家 (吴家镇), a
village before its health reform (村|医改), and common words glued to a town's front (责令|安江镇). Sentences
written for these tests."""

from __future__ import annotations

import pytest

from tests.mention_support import names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("恳请青石镇政府尽快修好这段路", "青石镇"),
        ("恳请青石镇党委领导予以考虑", "青石镇"),
        ("毕业时到岭云镇政府报到，却说没有岗位", "岭云镇"),
        ("我是Q3县吴家镇的村民，低保被取消了", "吴家镇"),
        ("R5市红星乡长河村医改以来一直没有卫生室", "长河村"),
        ("请领导督促责令安平镇马上解决", "安平镇"),
        ("大平圩镇的集市太乱了", "大平圩镇"),  # jieba's 圩镇 is no town's whole name
        ("蛇形山镇日兴砖厂污染严重", "蛇形山镇"),
    ],
)
def test_a_town_or_village_jieba_joins_or_glues(text: str, expected: str) -> None:
    assert any(n.startswith(expected) or n.endswith(expected) for n in names(text)), names(text)


@pytest.mark.parametrize(
    ("text", "junk"),
    [
        ("他一直电话乡政府的主任，没人理", "电话乡"),  # the verb 电话, no town
        ("我老家镇上没有医院", "老家镇"),
        ("回到老家乡政府也不管", "老家乡"),
        ("我们村医生太少，看病难", "村"),  # 村医: the village's doctors
        ("请领导督促责令安平镇马上解决", "责令"),
    ],
)
def test_no_town_from_words_around_it(text: str, junk: str) -> None:
    assert not [n for n in names(text) if junk in n], names(text)


def test_a_village_before_its_cadres_after_a_town() -> None:
    # jieba joins 村干部 (the village's cadres): right after a town the name before it is the village's
    assert any(n.endswith("大木村") for n in names("青溪乡大木村干部天天打牌不办事"))
    assert not [n for n in names("我们村干部天天打牌") if n.endswith("村")]
