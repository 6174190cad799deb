"""督办 from the case page: shown to the office and admins on a case a department works on, refused to a
department, CSRF-protected, audited, recorded in the history without touching status or deadline."""

from __future__ import annotations

from core import CaseStatus
from tests.test_web_cases import move, open_case, posts, store_of, switch
from tests.web_support import DEPARTMENT, login, make_client


def test_office_supervises_a_case_in_progress(tmp_path) -> None:
    client = make_client(tmp_path, posts=posts())
    token = login(client, "office")
    case_id = open_case(client, token)
    assert 'action="/cases/' + case_id + '/supervise"' not in client.get(f"/cases/{case_id}").text  # new: no one yet
    r = client.post(f"/cases/{case_id}/supervise", data={"csrf": token, "note": "太早了"}, follow_redirects=False)
    assert r.status_code == 403
    assert move(client, token, case_id, "assigned").status_code == 303
    page = client.get(f"/cases/{case_id}").text
    assert f'action="/cases/{case_id}/supervise"' in page and "督办意见" in page
    assert client.post(f"/cases/{case_id}/supervise", data={"note": "无令牌"}).status_code == 403  # CSRF
    r = client.post(f"/cases/{case_id}/supervise", data={"csrf": token, "note": ""}, follow_redirects=False)
    assert r.status_code == 400 and "请填写督办意见" in r.text  # on the form, not an error page
    before = store_of(client).get_case(case_id)
    r = client.post(f"/cases/{case_id}/supervise", data={"csrf": token, "note": "居民反映强烈，请今日内处理"},
                    follow_redirects=False)
    assert r.status_code == 303
    after = store_of(client).get_case(case_id)
    assert after.history[-1].action == "supervised" and after.history[-1].actor == "office"
    assert (after.status, after.due_at) == (before.status, before.due_at) == (CaseStatus.ASSIGNED, before.due_at)
    page = client.get(f"/cases/{case_id}").text
    history = page.split("办理记录", 1)[1]
    assert "督办" in history and "居民反映强烈，请今日内处理" in history
    audit = [e for e in client.app.state.console.audit.tail() if e["action"] == "case_supervised"]
    assert len(audit) == 1 and audit[0]["target"] == f"case:{case_id}"

    dept = switch(client, "cg")  # the department itself sees the 督办 but may not issue one
    page = client.get(f"/cases/{case_id}").text
    assert "居民反映强烈" in page and f'action="/cases/{case_id}/supervise"' not in page
    r = client.post(f"/cases/{case_id}/supervise", data={"csrf": dept, "note": "自己督办"}, follow_redirects=False)
    assert r.status_code == 403
    assert move(client, dept, case_id, "in_progress").status_code == 303
    assert store_of(client).get_case(case_id).department == DEPARTMENT

    admin = switch(client, "admin")
    r = client.post(f"/cases/{case_id}/supervise", data={"csrf": admin, "note": "管理员督办"}, follow_redirects=False)
    assert r.status_code == 303
    assert [e.action for e in store_of(client).get_case(case_id).history].count("supervised") == 2
