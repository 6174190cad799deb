"""Events: near-duplicates and posts about one place and topic, split by quiet gaps; the 事件 page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from tests.web_support import NOW, login, make_client, post
from web.events import group_events


def posts():
    return [
        post(1, "场中路垃圾没人管", hours=2, cluster_id="a"),
        post(2, "场中路垃圾没人管！", hours=3, cluster_id="a", source="wechat:dachang"),
        post(3, "场中路垃圾又堆了", hours=10),
        post(4, "场中路垃圾三天前", hours=24 * 4),  # 3+ days of quiet before the others: another event
        post(5, "祁连山路店招松动", hours=5, topic="shop_signs", place="qilianshanlu", place_name="祁连山路"),
    ]


def test_group_events_counts_clusters_once_and_splits_on_quiet_gaps():
    events = group_events(posts(), {"changzhonglu": "场中路"}, {"sanitation": "市容环境"})
    top = events[0]
    assert (top.place, top.topic, top.distinct, len(top.posts)) == ("场中路", "市容环境", 2, 3)
    assert top.sources == {"weibo", "wechat"}
    assert top.first == NOW - timedelta(hours=10) and top.last == NOW - timedelta(hours=2)
    assert sum(top.timeline()) == 2
    assert sorted((e.place, e.distinct) for e in events) == [("场中路", 1), ("场中路", 2), ("祁连山路", 1)]
    assert len(group_events(posts(), {}, {}, gap=timedelta(days=7))) == 2  # a longer gap joins them


def test_events_page_lists_events_with_timelines_and_opens_their_posts(tmp_path):
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    page = client.get("/events", params={"days": 7}).text
    rows = page.split('<tr class="event">')[1:]
    assert len(rows) == 3 and "svg" in rows[0]
    first = rows[0]
    assert re.search(r"<td>2</td><td>3</td><td>2</td>", first)  # 2 complaints, 3 posts, 2 sources
    link = html.unescape(re.search(r'<a href="([^"]+)">', first).group(1))
    found = client.get(link).text
    assert "共 3 条" in found and "三天前" not in found


def test_a_capped_events_page_keeps_the_newest_complaints(tmp_path, monkeypatch):
    """Past its cap the page reads the newest complaints of the window (it says 仅统计最近 N 条), not the oldest."""
    import web.routes.search as search_routes

    monkeypatch.setattr(search_routes, "MAX_EVENT_POSTS", 3)
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    page = client.get("/events", params={"days": 7}).text
    assert "仅统计最近 3 条" in page
    rows = page.split('<tr class="event">')[1:]
    assert len(rows) == 2 and "祁连山路" in page  # posts 1, 2 (2 h, 3 h) and 5 (5 h); not 3 (10 h) nor 4 (4 days)


def test_two_spellings_of_one_unlisted_place_make_one_event():
    from core.model import PlaceLevel, PlaceRef

    def unlisted(n: int, name: str) -> object:
        p = post(n, f"{name}拖欠工资", hours=n, topic="labor")
        return p.model_copy(update={"places": [PlaceRef(name=name, level=PlaceLevel.LANDMARK,
                                                        key="raw:锐达机电设备公司")]})

    events = group_events([unlisted(1, "锐达机电设备有限公司"), unlisted(2, "锐达机电设备公司")], {}, {})
    assert [(e.place, len(e.posts)) for e in events] == [("锐达机电设备公司", 2)]  # the first spelling seen names it


def test_a_keyless_body_groups_no_event_of_its_own_and_a_keyed_firm_beside_it_does():
    """A body named by its area (A市人社局: level other, no id, no key) is the place shown but no alert place: its
    posts join the 未识别地点 event of their topic; a keyed firm named beside a body opens the firm's event."""
    from core.model import PlaceLevel, PlaceRef

    def placed(n: int, *refs: PlaceRef) -> object:
        return post(n, "拖欠工资没人管", hours=n, topic="labor").model_copy(update={"places": list(refs)})

    body = PlaceRef(name="A市人社局", level=PlaceLevel.OTHER)
    other = PlaceRef(name="B市住建局", level=PlaceLevel.OTHER)
    firm = PlaceRef(name="锐达机电", level=PlaceLevel.LANDMARK, key="raw:锐达机电")
    events = group_events([placed(1, body), placed(2, other), placed(3, body, firm)], {}, {})
    assert sorted((e.place_id, e.place, len(e.posts)) for e in events) == [
        ("", "未识别地点", 2), ("raw:锐达机电", "锐达机电", 1)]
