"""Charts people use: hourly buckets, bars that filter, distinct before/after colours, a place × topic heat table."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from core import SHANGHAI
from tests.web_support import NOW, login, make_client, post


def posts():
    return [
        post(1, "场中路垃圾没人管", hours=2), post(2, "场中路垃圾又堆了", hours=3),
        post(3, "场中路乱停车", hours=4, topic="parking"),
        post(4, "祁连山路店招松动", hours=5, topic="shop_signs", place="qilianshanlu", place_name="祁连山路"),
        post(5, "场中路垃圾上周也有", hours=24 * 5),
    ]


def test_a_days_bar_opens_the_search_for_that_day(tmp_path):
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    page = client.get("/search", params={"q": "垃圾"}).text
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="bar-link">', page)]
    day = (NOW - timedelta(hours=24 * 5)).astimezone(SHANGHAI).date().isoformat()
    target = next(h for h in links if f"since={day}" in h)
    assert f"until={day}" in target and "q=" in target
    narrowed = client.get(target).text
    assert "上周也有" in narrowed and "又堆了" not in narrowed


def test_a_short_range_is_drawn_per_hour(tmp_path):
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    today = NOW.astimezone(SHANGHAI).date()
    page = client.get("/search", params={"since": (today - timedelta(days=1)).isoformat(),
                                         "until": today.isoformat()}).text
    chart = page.split('class="chart chart-stacked"', 1)[1].split("</svg>", 1)[0]
    assert chart.count("时</text>") >= 3 and chart.count('class="bar bar-') >= 3  # hourly labels and bars


def test_before_and_after_have_their_own_colours(tmp_path):
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    pivot = (NOW - timedelta(days=2)).astimezone(SHANGHAI).date().isoformat()
    page = client.get("/search/place", params={"place": "changzhonglu", "around": pivot}).text
    before = set(re.findall(r'class="bar bar-before"[^>]*fill="([^"]+)"', page))
    after = set(re.findall(r'class="bar bar-after"[^>]*fill="([^"]+)"', page))
    assert before and after and before.isdisjoint(after)


def test_heat_table_counts_place_by_topic_and_opens_the_posts(tmp_path):
    client = make_client(tmp_path, posts=posts())
    login(client, "office")
    page = client.get("/hotspots", params={"days": 7}).text
    table = page.split('class="heat"', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r"<th>([^<]+)</th>", table.split("</thead>", 1)[0])
    assert heads[0] == "点位" and {"市容环境", "乱停车", "店招店牌"} <= set(heads)
    row = next(r for r in table.split("<tr>") if "place=changzhonglu\"" in r)
    cells = re.findall(r'<td class="heat-(\d)">(?:<a href="([^"]+)">(\d+)</a>|<span class="muted">0</span>)</td>', row)
    counts = {heads[i + 1]: int(c[2] or 0) for i, c in enumerate(cells)}
    assert counts["市容环境"] == 3 and counts["乱停车"] == 1 and counts["店招店牌"] == 0  # 7 days: post 5 too
    link = html.unescape(next(c[1] for i, c in enumerate(cells) if heads[i + 1] == "市容环境"))
    found = client.get(link).text
    assert "共 3 条" in found
    assert "没人管" in found and "上周也有" in found and "场中路乱停车" not in found
