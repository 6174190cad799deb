"""Search, charts, exports, the before/after view and hot spots."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from core import SHANGHAI
from core.model import PlaceRef
from tests.web_support import NOW, login, make_client, post, sample_posts
from web import charts
from web.present import highlight_html, mask_name, safe_url


@pytest.fixture
def client(tmp_path):
    c = make_client(tmp_path)
    login(c, "office")
    return c


def test_search_highlights_matches_and_keeps_payloads_inert(client):
    html = client.get("/search", params={"q": "垃圾"}).text
    assert "共 3 条" in html
    assert "<em>垃圾</em>" in html
    html = client.get("/search", params={"q": "script"}).text
    assert "&lt;<em>script</em>&gt;window.__xss=1;" in html
    assert "<script>window.__xss" not in html and "<img src=x" not in html and "<em>script</em>>" not in html


def test_search_draws_charts(client):
    html = client.get("/search").text
    assert html.count('<svg class="chart') == 3
    stacked = re.search(r'<svg class="chart chart-stacked".*?</svg>', html, re.S).group(0)
    assert 'class="bar bar-negative"' in stacked and 'class="bar bar-positive"' in stacked
    places = re.findall(r'<svg class="chart chart-hbars".*?</svg>', html, re.S)[0]
    assert "changzhonglu" in places or "场中路" in places
    assert '<title>场中路: 3</title>' in places or '<title>changzhonglu: 3</title>' in places


def test_empty_search(client):
    html = client.get("/search", params={"q": "不存在的词语组合"}).text
    assert "没有找到匹配的帖子" in html and "暂无数据" in html


def test_pagination(tmp_path):
    c = make_client(tmp_path, posts=[post(i, f"垃圾问题第{i}条") for i in range(45)], page_size=20)
    login(c, "office")
    first = c.get("/search", params={"q": "垃圾"}).text
    assert "第 1 / 3 页" in first and "page=2" in first
    last = c.get("/search", params={"q": "垃圾", "page": 3}).text
    assert len(re.findall(r'<article class="post', last)) == 5


def test_csv_export(client):
    r = client.get("/search/export.csv", params={"q": "垃圾"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'attachment; filename="yuqing-export-' in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "发布时间", "来源"] and len(rows) == 4
    assert all(not row[3].startswith("张小明") for row in rows[1:])  # masked
    texts = [row[5] for row in rows[1:]]
    assert any("<script>" in t for t in texts)  # exported as the text it is


def test_xlsx_export_neutralises_formulas(tmp_path):
    c = make_client(tmp_path, posts=[post(1, "=HYPERLINK(\"http://x\",\"点\") 垃圾", keywords=[])])
    login(c, "office")
    r = c.get("/search/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    values = list(ws.values)
    assert values[0][0] == "编号" and len(values) == 2
    assert values[1][5].startswith("'=HYPERLINK")
    assert c.get("/search/export.pdf").status_code == 404
    assert c.app.state.console.audit.tail()[0]["action"] == "export"


def test_before_after(tmp_path):
    pivot = (NOW - timedelta(days=10)).astimezone(SHANGHAI).date()
    posts = [post(i, "场中路垃圾", hours=24 * (10 + d)) for i, d in enumerate((1, 2, 3, 4, 5, 6))]
    posts.append(post(99, "场中路垃圾又来了", hours=24 * 5))
    c = make_client(tmp_path, posts=posts)
    login(c, "office")
    html = c.get("/search/place", params={"place": "changzhonglu", "around": pivot.isoformat(), "days": 30}).text
    assert 'class="before">6<' in html and 'class="after">1<' in html and "-83%" in html
    assert c.get("/search/place").status_code == 400
    assert c.get("/search/place", params={"place": "x", "around": "not-a-date"}).status_code == 400


def test_hotspots_order_places(client):
    html = client.get("/hotspots?days=7").text
    rows = re.findall(r'<tr><td>(\d+)</td><td><a href="/search/place\?place=([\w-]+)"', html)
    assert rows[0][1] == "changzhonglu" and rows[1][1] == "qilianshanlu"


def test_presentation_helpers():
    assert mask_name("张") == "张**" and mask_name("欧阳小明") == "欧***" and mask_name(None) == "匿名"
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url("https://a.example/x") == "https://a.example/x" and safe_url("//a") is None
    frag = highlight_html('a &lt;b&gt; <em>垃圾</em> <script>x</script> <img src=x>')
    assert "<em>垃圾</em>" in frag and "<script>" not in frag and "<img" not in frag
    assert "&lt;script&gt;" in frag


def test_chart_labels_are_escaped():
    svg = charts.hbars([("<b>x</b>", 3)], "t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    svg = charts.stacked_bars([("<i>", {"negative": 2})], ["negative"], {"negative": "负面"}, "t")
    assert "<i>" not in svg and 'height="' in svg


def test_sample_count_matches():
    assert len(sample_posts()) == 5


def test_fill_gaps_makes_days_dense():
    from storage import HistogramBucket

    d0 = NOW.replace(hour=0, minute=0, second=0)
    day = timedelta(days=1)
    dense = charts.fill_gaps([HistogramBucket(d0, 2, {"negative": 2}), HistogramBucket(d0 + 3 * day, 1)], day,
                             start=d0 - 2 * day, end=d0 + 5 * day)
    assert [t for t, _ in dense] == [d0 + i * day for i in range(-2, 5)]
    assert dense[2][1] == {"negative": 2} and dense[5][1] == {"total": 1} and dense[0][1] == {}
    assert charts.fill_gaps([], day) == []


def test_csv_export_names_message_type_and_unlisted_places(tmp_path):
    listed = PlaceRef(id="dc-rd-changzhong", name="场中路")
    unlisted = PlaceRef(name="锦绣家园", key="raw:锦绣家园")
    p = post(1, "锦绣家园门口垃圾没人管，请相关部门处理", message_type="request")
    p = p.model_copy(update={"places": [listed, unlisted]})
    c = make_client(tmp_path, posts=[p])
    login(c, "office")
    rows = list(csv.reader(io.StringIO(c.get("/search/export.csv").content.decode("utf-8-sig"))))
    head, row = rows[0], rows[1]
    assert row[head.index("点位")] == "场中路、锦绣家园"
    assert row[head.index("留言类型")] == "求助" and row[head.index("投诉")] == "是"
