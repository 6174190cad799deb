"""Characters as residents type them (`nlp.charmaps`): traditional characters, full-width digits, spaces inside a
name, digits for a name's numeral, and a listed name typed by its sound, all read as the listed place."""

from __future__ import annotations

import importlib.util
import json

import pytest

from nlp.charmaps import TABLES, build, homophones, simplified
from nlp.enrich import Enricher
from nlp.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher(place_tagger=False)


def _ids(enricher: Enricher, text: str) -> list[str | None]:
    return [p.get("id") or p.get("key") for p in enricher.analyze([text])[0]["places"]]


def test_simplified_keeps_what_simplified_text_uses() -> None:
    assert simplified("大華三村垃圾分類點太髒了，沒人管！") == "大华三村垃圾分类点太脏了，没人管！"
    assert simplified("乾溪新村的皇后") == "乾溪新村的皇后"  # 乾 and 后 are simplified characters too
    assert simplified("祁连３村　ＫＴＶ") == "祁连3村　KTV"  # full-width punctuation and spaces stay
    assert simplified("祁连 三村 小区，太脏了 大华三村") == "祁连三村 小区，太脏了 大华三村"  # only before a number


@pytest.mark.parametrize(("text", "place"), [
    ("大華三村垃圾分類點太髒了，沒人管", "dc-xq-dahua3"),
    ("滬太路上亂停車", "dc-rd-hutai"),
    ("祁连 三村 小区门口的路灯坏了", "dc-xq-qilian3"),
    ("祁连３村南门口绿化带被人毁了", "dc-xq-qilian3"),
    ("大华3村门口垃圾堆成山", "dc-xq-dahua3"),
])
def test_a_listed_place_however_typed(enricher: Enricher, text: str, place: str) -> None:
    assert _ids(enricher, text) == [place]


@pytest.mark.parametrize(("text", "place"), [
    ("大化三村门口的小广告贴得到处都是", "dc-xq-dahua3"),
    ("乾西新村里面有人在绿化带里养鸡", "dc-xq-qianxi"),
    ("祈连二村的楼道堆满纸板箱", "dc-xq-qilian2"),
])
def test_a_listed_name_typed_by_its_sound_is_the_listed_place(enricher: Enricher, text: str, place: str) -> None:
    assert _ids(enricher, text) == [place]


def test_names_that_only_sound_alike_by_a_rare_reading_or_differ_more_are_not_merged() -> None:
    assert homophones("大化三村", "大华三村")
    assert not homophones("南塔公园", "南大公园")  # 塔 and 大 share only rare readings
    assert not homophones("大华二村", "大华三村")  # 二 and 三: another estate
    assert not homophones("大花山村", "大华三村")  # two characters differ
    gaz = load_gazetteer()
    assert gaz.lookup("大华3村") == gaz.lookup("大华三村") and gaz.lookup("大华三村")


def test_the_shipped_tables_are_what_the_build_writes(tmp_path) -> None:
    if not (importlib.util.find_spec("opencc") and importlib.util.find_spec("pypinyin")):
        pytest.skip("OpenCC and pypinyin build the tables: pip install -e '.[dev]'")
    out = build(tmp_path / "charmaps.json")
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(TABLES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", ["振华路上有个坑", "金秋路堵车严重", "宏光村的路坏了", "在南京六合的大厂镇"])
def test_roads_villages_and_towns_that_sound_like_listed_ones_stay_their_own(enricher: Enricher, text: str) -> None:
    assert all(i.startswith("raw:") for i in _ids(enricher, text))  # 金秋路 is a road of its own, not 锦秋路


def test_simplified_keeps_to_the_characters_the_rules_read_as_han() -> None:
    assert all(0x4E00 <= ord(c) < 0xA000 for c in json.loads(TABLES.read_text(encoding="utf-8"))["t2s"].values())


def test_a_place_filter_takes_traditional_names_and_suggests_the_estate_a_typo_sounds_like() -> None:
    from nlp.resolve import UnknownName, close_places, resolve_place

    gaz = load_gazetteer()
    assert resolve_place(gaz, "大華三村", descendants=False) == ["dc-xq-dahua3"]
    with pytest.raises(UnknownName, match="大华三村"):  # the analyst typed another name: asked, not guessed
        resolve_place(gaz, "大化三村")
    assert close_places(gaz, "大化三村")[0] == "大华三村"


def test_an_unlisted_place_filter_written_in_traditional_characters_finds_the_simplified_key() -> None:
    from nlp.resolve import unlisted_keys

    assert {"raw:錦繡華庭", "raw:锦绣华庭"} <= set(unlisted_keys("raw:錦繡華庭"))
