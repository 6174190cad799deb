"""The console's filters as the CLI reads them (#14): a place is itself and the places under it, names and Chinese
labels are accepted, an unlisted place's ``raw:`` key is kept (and keyed as the enricher keys it), anything
unknown is said on the page."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core.model import Place, PlaceLevel, PlaceRef
from nlp.gazetteer import Gazetteer, load_gazetteer
from nlp.resolve import resolve_places
from tests.web_support import login, make_client, post
from web.filters import Filters, resolve_place_filter

TOWN = load_gazetteer(None)  # the bundled 大场镇 gazetteer, the one the console loads in these tests


def filters(gazetteer=TOWN, **params: str) -> Filters:
    return Filters.from_params(params, gazetteer=gazetteer)


def test_a_place_is_itself_and_the_places_under_it_as_in_the_cli():
    q = filters(place="dachang").query(20)
    assert q.place_ids == tuple(resolve_places(TOWN, ["dachang"])) and len(q.place_ids) > 100
    assert "dachang" in q.place_ids and "dc-xq-qianxi" in q.place_ids and "dc-jw-016" in q.place_ids
    assert filters(place="dachang", exact="1").query(20).place_ids == ("dachang",)
    assert filters(place="dc-rd-qilianshan").query(20).place_ids == ("dc-rd-qilianshan",)  # a road: nothing under it
    assert filters(place="").query(20).place_ids == ()


def test_a_place_name_or_alias_is_read_as_its_id():
    f = filters(place="乾溪新村")
    assert f.place == "dc-xq-qianxi" and not f.notices
    assert f.query(20).place_ids == tuple(resolve_places(TOWN, ["乾溪新村"]))
    assert "place=dc-xq-qianxi" in f.urlencode()


def test_an_unlisted_place_key_is_kept_and_survives_the_links():
    f = filters(place="raw:锦绣家园", page="2")
    assert f.query(20).place_ids == ("raw:锦绣家园",) and not f.notices
    assert parse_qs(f.urlencode(page=3))["place"] == ["raw:锦绣家园"]
    # as a post spells it, the key as written and as the enricher keys it (yuqing search --place does the same)
    assert filters(place="raw:锦绣家园小区").query(20).place_ids == ("raw:锦绣家园小区", "raw:锦绣家园")
    assert filters(place="raw:锦绣家园小区", exact="1").query(20).place_ids == ("raw:锦绣家园小区",)  # as written
    empty = filters(place="raw: ")
    assert empty.query(20).place_ids == () and len(empty.notices) == 1 and "没有名称" in empty.notices[0]


def test_an_unknown_place_is_kept_with_a_notice():
    f = filters(place="乾溪心村")
    assert f.query(20).place_ids == ("乾溪心村",)
    assert len(f.notices) == 1 and "不在点位表中" in f.notices[0] and "乾溪新村" in f.notices[0]  # a suggestion
    assert "未登记点位" in f.notices[0] and "raw:" not in f.notices[0]  # where an unlisted place is, not its key
    assert filters(gazetteer=None, place="乾溪新村").query(20).place_ids == ("乾溪新村",)  # no reference data


def test_an_ambiguous_name_takes_every_place_it_may_denote():
    gaz = Gazetteer((
        Place(id="t", name="阳光镇", level=PlaceLevel.TOWN),
        Place(id="c", name="阳光社区", level=PlaceLevel.COMMUNITY, parent="t", aliases=["阳光"]),
        Place(id="e", name="阳光苑", level=PlaceLevel.COMPOUND, parent="c"),
        Place(id="r", name="阳光路", level=PlaceLevel.ROAD, parent="t", aliases=["阳光"]),
    ))
    f = filters(gazetteer=gaz, place="阳光")
    assert f.place == "阳光" and set(f.query(20).place_ids) == {"c", "e", "r"}
    assert "2 个点位" in f.notices[0]
    assert set(filters(gazetteer=gaz, place="阳光", exact="1").query(20).place_ids) == {"c", "r"}
    assert set(filters(gazetteer=gaz, place="阳光镇").query(20).place_ids) == {"t", "c", "e", "r"}
    # how many places under it the filter takes in (the before/after page's 含下属 N): 阳光苑 under 阳光社区 alone
    assert [resolve_place_filter(gaz, v).under for v in ("阳光", "阳光镇", "阳光路", "raw:阳光苑小区")] == [1, 3, 0, 0]


@pytest.mark.parametrize(("given", "code"), [("投诉", "complaint"), ("complaint", "complaint"), ("求助", "request"),
                                             ("Inquiry", "inquiry"), ("建议", "suggestion"), ("表扬", "praise"),
                                             ("其他", "other")])
def test_a_message_type_label_is_read_as_its_code(given, code):
    f = filters(type=given)
    assert f.type == code and f.query(20).message_types == (code,) and not f.notices


def test_unknown_coded_values_are_dropped_with_a_notice():
    f = filters(type="bogus", kind="投诉", sentiment="负面", status="whatever")
    assert f.type == "" and f.query(20).message_types == ()
    assert f.kind == "complaint" and f.query(20).is_complaint is True and f.sentiment == "negative"
    assert f.status == "" and f.dropped == ("type", "status")
    assert f.notices == ("无法识别的留言类型「bogus」，已忽略该条件", "无法识别的状态「whatever」，已忽略该条件")


def store_posts():
    def at(n: int, text: str, place: str, name: str, **fields):
        return post(n, text, place=place, place_name=name, **fields)

    def unlisted(n: int, name: str, **fields):
        p = post(n, f"{name}门口垃圾没人管", hours=n, **fields)
        return p.model_copy(update={"places": [PlaceRef(name=name, key=f"raw:{name}")]})

    return [
        at(1, "大场镇到处是垃圾", "dachang", "大场镇", hours=1, message_type="complaint"),
        at(2, "乾溪新村垃圾没人管", "dc-xq-qianxi", "乾溪新村", hours=2, message_type="complaint"),
        at(3, "乾溪三居委门口垃圾", "dc-jw-016", "乾溪三居委", hours=3, message_type="request"),
        at(4, "祁连山路垃圾", "dc-rd-qilianshan", "祁连山路", hours=4, message_type="inquiry"),
        at(5, "宝山区别处的垃圾", "baoshan", "宝山区", hours=5),
        unlisted(6, "锦绣家园"), unlisted(7, "锦绣家园"), unlisted(8, "幸福小区"),
    ]


@pytest.fixture
def client(tmp_path):
    c = make_client(tmp_path, posts=store_posts(), page_size=1)
    login(c, "office")
    return c


def total(page: str) -> int:
    return int(re.search(r"共 (\d+) 条", page).group(1))


def test_search_page_takes_a_town_with_everything_under_it(client):
    assert total(client.get("/search", params={"place": "dachang"}).text) == 4
    assert total(client.get("/search", params={"place": "dachang", "exact": "1"}).text) == 1
    page = client.get("/search", params={"place": "乾溪新村"}).text
    assert total(page) == 2 and '<option value="dc-xq-qianxi" selected>' in page and "filter-notice" not in page
    assert total(client.get("/review", params={"place": "dachang", "status": ""}).text) == 4
    rows = list(csv.reader(io.StringIO(client.get("/search/export.csv", params={"place": "dachang"}).text)))
    assert len(rows) == 5


def test_search_page_reads_a_chinese_type_and_says_what_it_cannot_read(client):
    page = client.get("/search", params={"type": "投诉"}).text
    assert total(page) == 2 and '<option value="complaint" selected>' in page
    page = client.get("/search", params={"type": "bogus"}).text
    assert total(page) == 8 and "无法识别的留言类型「bogus」，已忽略该条件" in page
    assert client.get("/search/export.csv", params={"type": "bogus"}).status_code == 400
    page = client.get("/search", params={"place": "不存在的地方"}).text
    assert total(page) == 0 and "点位「不存在的地方」不在点位表中" in page


def test_an_unlisted_place_is_offered_and_kept_through_paging_and_export(client):
    page = client.get("/search").text
    group = re.search(r'<optgroup label="未登记点位">(.*?)</optgroup>', page).group(1)
    assert re.findall(r'value="([^"]+)"', group) == ["raw:锦绣家园", "raw:幸福小区"]  # most complained-about first
    page = client.get("/search", params={"place": "raw:锦绣家园"}).text
    assert total(page) == 2 and '<option value="raw:锦绣家园" selected>' in page
    following = html.unescape(re.search(r'<a href="\?([^"]+)" class="next">', page).group(1))
    assert parse_qs(following)["place"] == ["raw:锦绣家园"]
    second = client.get("/search?" + following).text
    assert total(second) == 2 and "第 2 / 2 页" in second
    export = html.unescape(re.search(r'<a href="(/search/export\.csv\?[^"]+)"', page).group(1))
    rows = list(csv.reader(io.StringIO(client.get(export).content.decode("utf-8-sig"))))
    assert len(rows) == 3 and all("锦绣家园" in r[5] for r in rows[1:])


def test_an_event_about_an_unlisted_place_opens_that_place_only(client):
    page = client.get("/events", params={"days": 7}).text
    links = [html.unescape(u) for u in re.findall(r'<a href="(/search\?[^"]+)">', page)]
    jinxiu = next(u for u in links if parse_qs(urlsplit(u).query).get("place") == ["raw:锦绣家园"])
    found = client.get(jinxiu).text
    assert total(found) == 2 and "幸福小区" not in found.split('class="results"')[1]


def test_heat_table_links_open_the_posts_they_count(client):
    page = client.get("/hotspots", params={"days": 7}).text
    town = re.search(r'<tr><th><a href="/search/place\?place=dachang">.*?</tr>', page, re.S).group(0)
    n, link = next((int(n), html.unescape(u)) for u, n in re.findall(r'<a href="(/search\?[^"]+)">(\d+)</a>', town))
    assert n == 1 and parse_qs(urlsplit(link).query)["exact"] == ["1"]
    assert total(client.get(link).text) == n
    assert "/search/place?place=raw%3A%E9%94%A6" in page  # an unlisted place's key, URL-encoded


def test_before_after_of_a_town_counts_the_complaints_under_it(client):
    page = client.get("/search/place", params={"place": "大场镇", "around": "2026-11-01"}).text
    assert 'class="after">4<' in page and "含下属" in page and 'href="/search?place=dachang&' in page
    page = client.get("/search/place", params={"place": "raw:锦绣家园", "around": "2026-11-01"}).text
    assert 'class="after">2<' in page and "含下属" not in page
    # review R18: a spelling of an unlisted place has nothing under it; an empty one is refused, not every complaint
    spelled = client.get("/search/place", params={"place": "raw:锦绣家园小区", "around": "2026-11-01"}).text
    assert 'class="after">2<' in spelled and "含下属" not in spelled
    for empty in ("raw:", " "):
        assert client.get("/search/place", params={"place": empty}).status_code == 400


def test_the_kind_field_offers_non_complaints(tmp_path):
    c = make_client(tmp_path, posts=[*store_posts(), post(9, "今天公园很漂亮", complaint=False, sentiment="positive")])
    login(c, "office")
    page = c.get("/search", params={"kind": "非投诉"}).text
    assert total(page) == 1 and '<option value="noncomplaint" selected>' in page
    assert total(c.get("/search", params={"kind": "complaint"}).text) == 8


def test_a_topic_by_code_or_chinese_name():
    names = {"sanitation": "市容环境", "parking": "停车秩序", "other": "其他"}
    assert Filters.from_params({"topic": "市容环境"}, topics=names).query(20).topics == ("sanitation",)
    assert Filters.from_params({"topic": "Sanitation"}, topics=names).query(20).topics == ("sanitation",)
    unknown = Filters.from_params({"topic": "垃圾问题"}, topics=names)  # kept as typed (a retired code on old posts)
    assert unknown.query(20).topics == ("垃圾问题",) and not unknown.dropped
    assert "主题「垃圾问题」" in unknown.notices[0]
    assert Filters.from_params({"topic": "whatever"}).query(20).topics == ("whatever",)  # no names: as typed
