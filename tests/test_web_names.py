"""Posters' full names: only an admin may reveal one post's poster or export full names, and each is audited."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.web_support import login, make_client, sample_posts

P1 = sample_posts()[0].id  # poster 张小明1


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path, department_search="all")  # departments may open any post: names still masked


def audit_actions(client) -> list[str]:
    return [e["action"] for e in client.app.state.console.audit.tail()]


@pytest.mark.parametrize("username", ["office", "cg"])
def test_reviewers_and_departments_can_never_unmask(client, username):
    token = login(client, username)
    page = client.get(f"/posts/{P1}")
    assert page.status_code == 200 and "张小明" not in page.text and "显示姓名" not in page.text
    r = client.post(f"/posts/{P1}/reveal", data={"csrf": token})
    assert r.status_code == 403 and "仅管理员可以查看完整姓名" in r.text and "张小明1" not in r.text
    r = client.post("/search/export.csv", data={"csrf": token, "names": "full"})
    assert r.status_code == 403 and "张小明" not in r.text
    assert "reveal_name" not in audit_actions(client) and "export_full_names" not in audit_actions(client)


def test_admin_reveals_one_post_and_it_is_audited(client):
    token = login(client, "admin")
    page = client.get(f"/posts/{P1}").text
    assert "张小明" not in page and "张***" in page and "显示姓名" in page
    assert client.post(f"/posts/{P1}/reveal", data={"csrf": "forged"}).status_code == 403
    assert client.post(f"/posts/{P1}/reveal").status_code == 403
    assert "reveal_name" not in audit_actions(client)
    r = client.post(f"/posts/{P1}/reveal", data={"csrf": token})
    assert r.status_code == 200 and "张小明1" in r.text and "已记入审计" in r.text
    assert set(re.findall(r"张小明\d", r.text)) == {"张小明1"}  # only this post's poster
    entry = client.app.state.console.audit.tail()[0]
    assert (entry["actor"], entry["action"], entry["target"]) == ("admin", "reveal_name", f"post:{P1}")
    assert entry["at"] and "张小明" not in client.app.state.console.audit.path.read_text()  # no name in the log
    assert "张小明" not in client.get(f"/posts/{P1}").text  # masked again on the next view
    assert client.post("/posts/nope/reveal", data={"csrf": token}).status_code == 404


@pytest.mark.parametrize("mask_names", [True, False])
def test_exports_are_masked_for_everyone_by_default(tmp_path, mask_names):
    c = make_client(tmp_path, mask_names=mask_names)
    login(c, "admin")
    r = c.get("/search/export.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 6 and all(row[3].endswith("*") for row in rows[1:])
    assert "张小明" not in r.content.decode("utf-8-sig")


def test_admin_exports_full_names_only_when_explicitly_chosen(client):
    token = login(client, "admin")
    html = client.get("/search", params={"q": "垃圾"}).text
    assert "导出含完整姓名" in html and 'name="names" value="full"' in html
    r = client.post("/search/export.csv", data={"csrf": token, "q": "垃圾"})  # not ticked
    assert r.status_code == 400 and "导出完整姓名" in r.text
    assert client.post("/search/export.xlsx", data={"q": "垃圾", "names": "full"}).status_code == 403  # no CSRF
    r = client.post("/search/export.xlsx", data={"csrf": token, "q": "垃圾", "names": "full"})
    assert r.status_code == 200
    values = list(load_workbook(io.BytesIO(r.content)).active.values)
    names = {row[3] for row in values[1:]}
    assert names and all(n.startswith("张小明") for n in names) and "张小明4" not in names  # filters kept
    entry = client.app.state.console.audit.tail()[0]
    assert (entry["actor"], entry["action"], entry["target"]) == ("admin", "export_full_names", "search:xlsx")
    assert "q=" in entry["filters"]
