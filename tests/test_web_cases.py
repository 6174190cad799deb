"""Cases in the console: opening from the queue, the board, transitions by role and department, photos."""

from __future__ import annotations

import re

import pytest

from core import SHANGHAI, CaseStatus
from tests.web_support import DEPARTMENT, login, make_client, post, tiny_png

pytest.importorskip("alerts.cases")

CZ = "dc-rd-changzhong"


def posts():
    return [
        post(1, "场中路垃圾堆了三天没人管", place=CZ),
        post(2, "场中路垃圾还是没人清理", place=CZ, hours=3),
        post(3, "祁连山路店招松动", place="dc-rd-qilianshan", topic="shop_signs"),
    ]


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path, posts=posts())


def store_of(client):
    return client.app.state.console.store


def open_case(client, token) -> str:
    p1 = posts()[0].id
    r = client.post(f"/review/{p1}", data={"csrf": token, "action": "open_case", "note": "请尽快处理"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    m = re.fullmatch(r"/cases/([\w-]+)", r.headers["location"])
    assert m
    return m.group(1)


def move(client, token, case_id, to, files=None, **data):
    return client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": to, **data}, files=files,
                       follow_redirects=False)


def switch(client, username) -> str:
    client.cookies.clear()
    return login(client, username)


def test_open_a_case_from_the_queue_and_attach_a_post(client):
    token = login(client, "office")
    case_id = open_case(client, token)
    store = store_of(client)
    case = store.get_case(case_id)
    assert case.status is CaseStatus.NEW and case.department == DEPARTMENT
    assert store.get_post(posts()[0].id).case_id == case_id
    page = client.get(f"/cases/{case_id}").text
    assert case.title in page and "请尽快处理" in page and 'value="assigned"' in page
    assert "svg" in page  # the spike chart
    # the queue now offers the open case; attach post 2
    html = client.get("/review").text
    assert f'<option value="{case_id}">' in html
    p2 = posts()[1].id
    r = client.post(f"/review/{p2}", data={"csrf": token, "action": "attach", "case_id": case_id},
                    follow_redirects=False)
    assert r.headers["location"] == f"/cases/{case_id}"
    assert p2 in store.get_case(case_id).evidence
    assert client.post(f"/review/{p2}", data={"csrf": token, "action": "attach", "case_id": "nope"}).status_code == 404
    actions = [e["action"] for e in client.app.state.console.audit.tail()]
    assert actions[:2] == ["attach", "open_case"]


def test_bulk_open_case(client):
    token = login(client, "office")
    ids = [p.id for p in posts()[:2]]
    r = client.post("/review", data={"csrf": token, "action": "open_case", "post_id": ids}, follow_redirects=False)
    case_id = r.headers["location"].rsplit("/", 1)[1]
    assert set(ids) <= set(store_of(client).get_case(case_id).evidence)


def test_full_lifecycle_with_roles_departments_and_photos(client):
    token = login(client, "office")
    case_id = open_case(client, token)
    assert move(client, token, case_id, "assigned", department=DEPARTMENT).status_code == 303
    assert move(client, token, case_id, "assigned", department="不存在的部门").status_code == 400

    # another department neither sees nor moves it
    token = switch(client, "sc")
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert case_id not in client.get("/cases").text
    assert move(client, token, case_id, "in_progress").status_code == 403
    assert client.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "x"}).status_code == 403

    # its own department does
    token = switch(client, "cg")
    board = client.get("/cases").text
    assert f'data-case="{case_id}"' in board and "部门 <select" not in board
    page = client.get(f"/cases/{case_id}").text
    assert 'value="in_progress"' in page and 'value="verified"' not in page
    assert move(client, token, case_id, "verified").status_code == 403  # not its move
    assert move(client, token, case_id, "in_progress", note="已到现场").status_code == 303
    # rectified needs a photo and a note
    r = move(client, token, case_id, "rectified", note="已清理")
    assert r.status_code == 409 and "照片" in r.text
    fake = {"photos": ("photo.png", b"<html><script>alert(1)</script></html>", "image/png")}
    r = move(client, token, case_id, "rectified", files=fake, note="已清理")
    assert r.status_code == 400 and "只接受" in r.text
    png = tiny_png()
    r = move(client, token, case_id, "rectified", files={"photos": ("现场.png", png, "image/png")}, note="已清理")
    assert r.status_code == 303
    case = store_of(client).get_case(case_id)
    assert case.status is CaseStatus.RECTIFIED
    photo = case.history[-1].photos[0]
    assert re.fullmatch(r"[0-9a-f]{32}\.png", photo)
    served = client.get(f"/photos/{photo}")
    assert served.status_code == 200 and served.content == png
    assert served.headers["content-type"] == "image/png" and served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline")
    assert "sandbox" in served.headers["content-security-policy"]
    assert f'src="/photos/{photo}"' in client.get(f"/cases/{case_id}").text
    switch(client, "sc")  # another department: not its case, so not its photo either
    assert client.get(f"/photos/{photo}").status_code == 403
    switch(client, "cg")

    # the office verifies and closes; the before/after view uses the closing date
    token = switch(client, "office")
    assert move(client, token, case_id, "verified").status_code == 303
    assert move(client, token, case_id, "closed").status_code == 303
    case = store_of(client).get_case(case_id)
    assert case.status is CaseStatus.CLOSED and case.closed_at
    ba = client.get("/search/place", params={"case": case_id})
    assert ba.status_code == 200 and case.closed_at.astimezone(SHANGHAI).strftime("%Y-") in ba.text
    transitions = [e for e in client.app.state.console.audit.tail() if e["action"] == "case_transition"]
    assert [(e["actor"], e["to_status"]) for e in reversed(transitions)] == [
        ("office", "assigned"), ("cg", "in_progress"), ("cg", "rectified"), ("office", "verified"),
        ("office", "closed")]


def test_photo_limits(tmp_path):
    c = make_client(tmp_path, posts=posts(), max_upload_mb=0.001)
    token = login(c, "office")
    case_id = open_case(c, token)
    big = tiny_png() + b"\0" * 2000
    r = c.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "现场照片"},
               files={"photos": ("a.png", big, "image/png")})
    assert r.status_code == 400 and "过大" in r.text
    r = c.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "现场照片"},
               files={"photos": ("a.png", tiny_png(), "image/png")}, follow_redirects=False)
    assert r.status_code == 303
    assert c.post(f"/cases/{case_id}/note", data={"csrf": token}).status_code == 400  # nothing to add
    assert c.get("/photos/..%2Fy.db").status_code == 404
    assert c.get("/photos/abc.png").status_code == 404
    assert store_of(c).get_case(case_id).history[-1].note == "现场照片"


def test_board_list_and_filters(client):
    token = login(client, "office")
    case_id = open_case(client, token)
    board = client.get("/cases").text
    col = re.search(r'<div class="col col-new">.*?</div>\s*</div>|<div class="col col-new">.*?(?=<div class="col)',
                    board, re.S).group(0)
    assert f'data-case="{case_id}"' in col
    listing = client.get("/cases?view=list&status=new").text
    assert f'href="/cases/{case_id}"' in listing
    assert case_id not in client.get("/cases?view=list&status=closed").text
    assert case_id not in client.get("/cases?department=大场镇市场监管所").text
    assert client.get("/cases?status=bogus").status_code == 400
    assert client.get("/cases/missing").status_code == 404
    hot = client.get("/hotspots").text
    assert f'href="/cases/{case_id}"' in hot


def test_department_views_of_posts_and_before_after(client):
    token = login(client, "office")
    case_id = open_case(client, token)
    switch(client, "sc")  # web.department_search: own (the default): not its case, not its evidence
    assert client.get(f"/posts/{posts()[0].id}").status_code == 403
    assert client.get("/search/place", params={"case": case_id, "place": CZ}).status_code == 403
    switch(client, "cg")
    page = client.get(f"/posts/{posts()[0].id}").text
    assert "全文" in page and 'value="confirm"' not in page  # its own evidence, read-only for departments
    assert f"/cases/{case_id}" in client.get("/search/place", params={"case": case_id}).text


def test_notes_are_text_and_header_csrf_works(client):
    token = login(client, "office")
    case_id = open_case(client, token)
    r = client.post(f"/cases/{case_id}/note", data={"note": "<script>alert(1)</script>已电话联系"},
                    headers={"X-CSRF-Token": token}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;已电话联系" in page and "<script>alert(1)" not in page
    assert client.post(f"/cases/{case_id}/note", data={"note": "x"}, headers={"X-CSRF-Token": "bad"}).status_code == 403
