"""The case board on the console's clock: sorted by deadline with severity, and a rectified case stops its clock."""

from __future__ import annotations

import re
from datetime import timedelta

from core import Severity
from storage.sqlite import SQLiteStore
from tests.web_support import DEPARTMENT, NOW, TestClient, login, make_config, post, tiny_png
from web.app import create_app

PLACES = [("dc-rd-changzhong", "场中路"), ("dc-rd-qilianshan", "祁连山路"), ("dc-xq-dahua1", "大华一村")]


def console(tmp_path):
    """A console whose clock the test moves; three posts about three places."""
    clock = {"now": NOW}
    posts = [post(i, f"{name}垃圾堆积没人管", place=pid, place_name=name, severity=sev)
             for i, ((pid, name), sev) in enumerate(zip(PLACES, [Severity.NORMAL, Severity.URGENT, Severity.HIGH],
                                                            strict=True))]
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(posts, refresh=True)
    app = create_app(make_config(tmp_path), store, clock=lambda: clock["now"])
    return app, clock, posts


def board_order(html: str, column: str) -> list[str]:
    col = html.split(f'class="col col-{column}"', 1)[1].split('class="col col-', 1)[0]
    return re.findall(r'data-case="([^"]+)"', col)


def test_board_sorts_by_deadline_shows_severity_and_rectified_cases_stop_their_clock(tmp_path):
    app, clock, posts = console(tmp_path)
    cases = app.state.console.cases
    opened = []
    for hours, p in zip([0, -30, 20], posts, strict=True):  # opened at different times: different deadlines
        clock["now"] = NOW + timedelta(hours=hours)
        case = cases.flag([p.id], "office")
        cases.transition(case.id, "assigned", "office", "reviewer", department=DEPARTMENT)
        opened.append(cases.store.get_case(case.id))
    client = TestClient(app)
    login(client, "office")
    clock["now"] = NOW + timedelta(days=30)  # every deadline has passed
    html = client.get("/cases").text
    by_due = [c.id for c in sorted(opened, key=lambda c: c.due_at)]
    assert board_order(html, "assigned") == by_due
    assert "3 件已超期" in html and "紧急" in html and "较急" in html
    # the department rectifies one (late): it leaves the overdue count and its clock stops
    client.cookies.clear()
    token = login(client, "cg")
    late = opened[0].id
    client.post(f"/cases/{late}/transition", data={"csrf": token, "to": "in_progress"})
    r = client.post(f"/cases/{late}/transition", data={"csrf": token, "to": "rectified", "note": "已清理"},
                    files={"photos": ("a.png", tiny_png(8, 6), "image/png")}, follow_redirects=False)
    assert r.status_code == 303
    clock["now"] = NOW + timedelta(days=60)
    html = client.get("/cases").text
    assert "2 件已超期" in html
    card = html.split(f'data-case="{late}"', 1)[1].split("</a>", 1)[0]
    assert "已整改（已超期" in card and "已超期 59" not in card  # the lateness when rectified, not growing
    page = client.get(f"/cases/{late}").text
    assert "已整改（已超期" in page and "data-due" not in page and "is-overdue" not in page


def test_case_page_is_a_task_with_one_form_and_before_after_photos(tmp_path):
    app, _, posts = console(tmp_path)
    cases = app.state.console.cases
    case = cases.flag([posts[0].id], "office")
    cases.transition(case.id, "assigned", "office", "reviewer", department=DEPARTMENT)
    client = TestClient(app)
    token = login(client, "cg")
    page = client.get(f"/cases/{case.id}").text
    task = page.split('class="taskbox', 1)[1].split("</section>", 1)[0]
    assert "场中路" in task and "期限" in task and "问题" in task
    assert page.count('<form method="post" action="/cases/') == 1  # one form: note, photo, the moves
    r = client.post(f"/cases/{case.id}/note", data={"csrf": token, "note": "到场前"},
                    files={"photos": ("before.png", tiny_png(10, 8), "image/png")}, follow_redirects=False)
    assert r.status_code == 303
    client.post(f"/cases/{case.id}/transition", data={"csrf": token, "to": "in_progress"})
    # rectifying without a photo: the error is on the case page's form, with the note kept
    r = client.post(f"/cases/{case.id}/transition", data={"csrf": token, "to": "rectified", "note": "已清运完毕"})
    assert r.status_code == 409 and 'class="form-error"' in r.text and "照片" in r.text
    assert "已清运完毕</textarea>" in r.text and 'class="taskbox' in r.text
    r = client.post(f"/cases/{case.id}/transition", data={"csrf": token, "to": "rectified", "note": "已清运完毕"},
                    files={"photos": ("after.png", tiny_png(12, 8), "image/png")}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(f"/cases/{case.id}").text
    sides = page.split('class="before-after"', 1)[1]
    before, after = sides.split('class="side after"', 1)
    assert before.count("<img") == 1 and after.split("</figure>", 1)[0].count("<img") == 1
