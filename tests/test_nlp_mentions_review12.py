"""Review R12 of the session-8 place rules: everyday sentences that the new rules read as places (each fails at
ffb58cb), the places those rules are for (kept), and positives that only the new paths find."""

from __future__ import annotations

import pytest

from tests.mention_support import names


# item 1: a road named by a common noun needs a noun jieba's dictionary seldom sees (广济, not 梦想 or 创业)
@pytest.mark.parametrize("text", ["大家在理想路上互相扶持，一起加油", "老张在事业路上一帆风顺",
                                  "毕业后站在职业路口，不知道该考研还是工作", "他们在创业路口犹豫了很久"])
def test_no_road_from_a_common_noun_before_a_road_word(text: str) -> None:
    got = names(text)
    assert not [n for n in got if n.endswith("路")], got


def test_a_road_by_a_rare_noun_stays() -> None:
    assert "广济路" in names("昨天晚上在城市中心的广济路上被车撞了")


# item 2: a village before its cadres needs a name, not a common noun (个别, 基层)
@pytest.mark.parametrize("text", ["听说C镇个别村干部吃拿卡要", "D镇基层村干部对群众态度恶劣"])
def test_no_village_from_a_common_noun_before_its_cadres(text: str) -> None:
    got = names(text)
    assert not [n for n in got if n.endswith("村")], got
