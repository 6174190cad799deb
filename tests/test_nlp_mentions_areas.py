"""Where a letter names no finer place, the province, city, county or district it names is its place: level
*district*, no id and no alert key (an area that wide opens no case in a town's office, but the office sees where
the letter is from). Sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core import PlaceLevel, PlaceRef, Post
from core.config import ElasticsearchConfig
from storage.base import PostQuery
from storage.elastic import ElasticStore
from storage.sqlite import SQLiteStore
from tests.mention_support import places
from web.events import group_events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我是Q市的一名退休教师，养老金三年没涨了", "Q市"),
        ("N4县的低保审核太慢，请领导关注", "N4县"),
        ("我们W2区今年的中考政策为什么突然改了", "W2区"),
        ("家在东川省，孩子在外地读书，异地高考怎么办", "东川省"),
        ("宁乡县的乡村公交什么时候通", "宁乡县"),
        ("广东省的社保能不能转回来", "广东省"),
        ("我是R市P3县人，在外打工十年，医保怎么续", "P3县"),  # the finer of the two
        ("户口在长沙市开福区，想问落户的材料", "开福区"),
        ("我住在W2区，路灯坏了三天", "W2区"),
        ("湘西自治州的公路太烂了", "湘西自治州"),
        ("三门县的海鲜面很好吃，就是太贵", "三门县"),  # a numeral in a name: only before 省 it counts
    ],
)
def test_an_area_is_the_place_when_nothing_finer_is_named(text: str, expected: str) -> None:
    found = places(text)
    assert [p.name for p in found] == [expected]
    (area,) = found
    assert area.level is PlaceLevel.DISTRICT and area.key is None and area.id is None


@pytest.mark.parametrize(
    "text",
    [
        "尊敬的Q市长：我想反映养老金的问题",  # the mayor, not the city
        "能省就省吧，全省都这样",  # 省 the verb, 全省 a word
        "市区和县城的房价都涨了",
        "本市全县各社区都要上报",
        "这个小区的物业太差了",
        "今天天气不错，出去走走",
        "大城市的房价太高，还是回老家好",  # kinds of area, not one
        "老城区的停车位太少",
        "偏远地区的孩子上学难",
        "各县区都要按时上报数据",
        "B区3栋楼道堆满杂物，没人清理",  # a lettered zone of an estate, a stadium, a ward: no district
        "我们在D区看台，什么都看不见",
        "住院部E区的厕所太脏",
        "东北三省的冬天太冷",  # counted areas, a region, a kind of area: none
        "武汉通九省，交通方便",
        "他是华东区经理",
        "这是无人区，没有信号",
        "自治州的风景很美",
    ],
)
def test_no_area_from_words(text: str) -> None:
    assert [p for p in places(text) if p.level is PlaceLevel.DISTRICT] == []


@pytest.mark.parametrize(
    ("text", "finer", "area"),
    [
        ("Q市P3县青溪镇的垃圾站臭气熏天", "青溪镇", "P3县"),
        ("N4县幸福路的路灯坏了半年", "幸福路", "N4县"),
        ("宁乡县锦绣家园小区停水三天", "锦绣家园小区", "宁乡县"),
    ],
)
def test_a_finer_place_comes_before_the_area(text: str, finer: str, area: str) -> None:
    """Beside finer places the most specific area the text names comes last, without a key (eighteenth session:
    readers often call it what a letter is about); the wider areas (Q市) stay out."""
    found = places(text)
    assert found[0].name == finer and found[-1].name == area
    assert found[-1].level is PlaceLevel.DISTRICT and found[-1].key is None
    assert sum(p.level is PlaceLevel.DISTRICT for p in found) == 1


def test_an_area_a_place_holds_is_not_returned_again() -> None:
    names = [p.name for p in places("K8县计生办的工作人员态度恶劣，K8县某某公司拖欠工资")]
    assert "K8县" not in names


def test_a_gazetteer_place_wins_over_the_area() -> None:
    found = places("上海市宝山区场中路的垃圾没人清运")
    assert "场中路" in [p.name for p in found] and all(p.id for p in found)


def _post(n: int, place: PlaceRef) -> Post:
    return Post.new("weibo", f"a{n}", text="Q市的养老金三年没涨了", published_at=datetime(2026, 3, 1, tzinfo=UTC)
                    + timedelta(hours=n), topic="other", is_complaint=True, places=[place])


def test_a_keyless_area_has_no_alert_key_and_groups_no_event() -> None:
    area = PlaceRef(name="Q市", level=PlaceLevel.DISTRICT)
    post = _post(1, area)
    assert post.effective_place_keys == [] and post.effective_place_ids == []
    (event,) = group_events([post, _post(2, area)], {}, {})
    assert event.place == "未识别地点"  # not an event "Q市" of its own


def test_a_keyless_area_is_stored_and_found_by_text(sqlite_path: Path) -> None:
    store = SQLiteStore(sqlite_path)
    post = _post(1, PlaceRef(name="Q市", level=PlaceLevel.DISTRICT))
    store.upsert_posts([post])
    (hit,) = store.search(PostQuery(text="Q市", limit=10)).hits
    assert hit.post.places == [PlaceRef(name="Q市", level=PlaceLevel.DISTRICT)]
    store.close()


@pytest.mark.elasticsearch
def test_a_keyless_area_is_stored_and_found_by_text_on_elasticsearch(es_url: str, es_prefix: str) -> None:
    store = ElasticStore(ElasticsearchConfig(url=es_url, index_prefix=es_prefix))
    store.init()
    estate = PlaceRef(name="Q市锦绣家园", level=PlaceLevel.COMPOUND, key="raw:锦绣家园")
    store.upsert_posts([_post(1, PlaceRef(name="Q市", level=PlaceLevel.DISTRICT)), _post(2, estate)], refresh=True)
    hits = store.search(PostQuery(text="养老金", limit=10)).hits
    assert sorted((h.post.places[0].name, h.post.places[0].key) for h in hits) == [("Q市", None),
                                                                                   ("Q市锦绣家园", "raw:锦绣家园")]
    # keys are raw:<name>: the area has none, so no place filter finds it, while a keyed place is found by its key
    assert store.search(PostQuery(place_ids=("raw:Q市",), limit=10)).total == 0
    (keyed,) = store.search(PostQuery(place_ids=("raw:锦绣家园",), limit=10)).hits
    assert keyed.post.places == [estate]


def test_a_labelled_bare_area_matches_only_that_area() -> None:
    from nlp.blind import place_match

    assert place_match("Q市", ["Q市"]) and place_match("N4县", ["N4县青溪镇卫生院"])
    assert not place_match("Q市", ["锦绣家园"]) and not place_match("N4县", [])  # was matched by any name


def test_a_high_tech_zone_by_its_name() -> None:
    # jieba reads 高新区 as one word: the name it could not join before it names the zone
    from tests.mention_support import names as _names

    assert "麓林高新区" in _names("请严打麓林高新区的传销活动")
    assert not [n for n in _names("我们高新区的企业都搬走了") if n.endswith("高新区")]
