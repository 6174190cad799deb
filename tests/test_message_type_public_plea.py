"""A plea to the public (a missing person, a lost child or pet) is a request, and its thanks in advance no praise
(review R17: 我父亲…走失了…请大家帮忙留意，万分感谢 was typed praise)."""

from __future__ import annotations

import pytest

from nlp.enrich import Enricher


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(place_tagger=False)


@pytest.mark.parametrize("text", [
    "我母亲昨天下午在菜场附近走失了，七十多岁，穿灰色棉袄，请大家帮忙留意，万分感谢",
    "女儿放学后一直没回家，求大家帮忙转发，谢谢大家",
    "家里的小狗走丢了，白色的，求扩散！",
    "麻烦各位街坊邻居帮忙寻找一位老人，有线索请联系，感谢",
])
def test_a_plea_to_the_public_is_a_request(enricher: Enricher, text: str) -> None:
    fields = enricher.analyze([text])[0]
    assert (fields["message_type"], fields["is_complaint"]) == ("request", True), text


@pytest.mark.parametrize(("text", "kind"), [
    ("感谢社区志愿者帮忙把楼道打扫干净了，点赞", "praise"),  # thanks for help given: praise
    ("周末和朋友们去公园放风筝，大家都很开心", "other"),
    # review R18: thanks for a search that ended, and everyday 求转发, are no pleas
    ("谢谢好心人帮忙寻找，我外婆已经到家了", "praise"),
    ("感谢大家帮忙转发，我家的猫找到了！", "praise"),
    ("感谢保安师傅帮忙寻找丢失的钥匙，点赞！", "praise"),
    ("新专辑今晚上线啦，求扩散！", "other"),
    ("我家狗狗太可爱了求转发", "other"),
    ("小店明天开业，麻烦朋友们帮忙转发一下", "other"),
])
def test_thanks_and_everyday_talk_are_no_pleas(enricher: Enricher, text: str, kind: str) -> None:
    fields = enricher.analyze([text])[0]
    assert (fields["message_type"], fields["is_complaint"]) == (kind, False), text
