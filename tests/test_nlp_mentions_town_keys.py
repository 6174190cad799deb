"""Review R14 item 4: a body named after a listed town keys the same whether the letter writes the town by its
gazetteer name, an alias or without its 镇 / 乡 (青石派出所, 青石镇派出所, 青石乡派出所: one body, one key)."""

from __future__ import annotations

from core.model import Place, PlaceLevel
from nlp.gazetteer import Gazetteer
from nlp.mentions import place_key, town_body_key
from nlp.places import PlaceExtractor
from nlp.segment import default_segmenter

_TOWN = Place(id="qingshi", name="青石镇", level=PlaceLevel.TOWN, aliases=["青石", "青石乡"])
_VILLAGE = Place(id="qs-xl", name="杏林村", level=PlaceLevel.COMMUNITY, aliases=["杏林"], parent="qingshi")


def test_a_body_after_a_town_alias_takes_the_towns_name():
    for written in ("青石派出所", "青石镇派出所", "青石乡派出所"):
        assert town_body_key(written, PlaceLevel.OTHER, [_TOWN]) == "raw:青石镇派出所"
    assert town_body_key("青石卫生院", PlaceLevel.LANDMARK, [_TOWN]) == "raw:青石镇卫生院"
    for written in ("青石农贸市场", "青石菜场", "青石镇菜市场"):  # and the words for a wet market are one
        assert town_body_key(written, PlaceLevel.MARKET, [_TOWN]) == "raw:青石镇菜市场"
    # the first town in the list that opens the name; a None (an unlisted town) is passed over
    assert town_body_key("青石派出所", PlaceLevel.OTHER, [None, _VILLAGE, _TOWN]) == "raw:青石镇派出所"


def test_what_is_no_town_body_is_keyed_as_written():
    # an estate or road named after the town is a place of its own
    assert town_body_key("青石花园", PlaceLevel.COMPOUND, [_TOWN]) == place_key("青石花园", PlaceLevel.COMPOUND)
    assert town_body_key("青石路", PlaceLevel.ROAD, [_TOWN]) == place_key("青石路", PlaceLevel.ROAD)
    # a town that does not open the name, a village, no town, the town's name alone
    assert town_body_key("白沙派出所", PlaceLevel.OTHER, [_TOWN]) == "raw:白沙派出所"
    assert town_body_key("杏林卫生室", PlaceLevel.LANDMARK, [_VILLAGE]) == place_key("杏林卫生室", PlaceLevel.LANDMARK)
    assert town_body_key("青石派出所", PlaceLevel.OTHER) == place_key("青石派出所", PlaceLevel.OTHER)
    assert town_body_key("青石", PlaceLevel.OTHER, [_TOWN]) == place_key("青石", PlaceLevel.OTHER)



def test_a_road_or_estate_named_after_the_town_keeps_its_own_name_in_a_body_key():
    # 青石路菜场 is a market on 青石路, not the town's market; a road alias is no town spelling either
    assert town_body_key("青石路菜场", PlaceLevel.MARKET, [_TOWN]) == place_key("青石路菜场", PlaceLevel.MARKET)
    assert town_body_key("青石花园小学", PlaceLevel.LANDMARK, [_TOWN]) == place_key("青石花园小学", PlaceLevel.LANDMARK)
    road_town = Place(id="youyi", name="友谊路街道", level=PlaceLevel.TOWN, aliases=["友谊路"])
    assert town_body_key("友谊路小学", PlaceLevel.LANDMARK, [road_town]) == place_key("友谊路小学", PlaceLevel.LANDMARK)
    # the town's own name is not doubled, and a 乡 after a bare alias is the town's unit, not part of the body
    assert town_body_key("青石镇", PlaceLevel.LANDMARK, [_TOWN]) == place_key("青石镇", PlaceLevel.LANDMARK)
    assert town_body_key("青石乡派出所", PlaceLevel.OTHER, [_TOWN]) == "raw:青石镇派出所"

def _keys(text: str) -> list[str | None]:
    px = PlaceExtractor(Gazetteer((_TOWN, _VILLAGE), {"name": "青石镇"}))
    pieces = default_segmenter().tokenize(text, hmm=False)
    refs = px.extract(text, boundaries={s for _, s, _ in pieces} | {len(text)})
    return [r.key for r in refs if r.id is None]


def test_one_town_body_one_key_in_letters():
    police = [_keys(f"{t}派出所的民警态度恶劣，报警后一直不出警。") for t in ("青石", "青石镇", "青石乡")]
    assert police == [["raw:青石镇派出所"]] * 3
    clinic = [_keys(f"{t}卫生院的医生态度很差，看病要排三个小时。") for t in ("青石", "青石镇")]
    assert clinic == [["raw:青石镇卫生院"]] * 2
