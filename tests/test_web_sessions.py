"""Durable session revocation: two console instances sharing one data directory and config file.

Each instance has its own Authenticator (nothing shared in memory), like the daemon's in-process console
and a `yuqing web` beside it; what one ends, the other refuses.
"""

from __future__ import annotations

import json

import pytest
import yaml

from core import load_config
from storage.sqlite import SQLiteStore
from tests.web_support import _HASH, PASSWORD, USERS, TestClient, login, login_form, sample_posts
from web.app import create_app
from web.auth import hash_password
from web.deps import SESSION_COOKIE
from web.sessions import SessionEpochs, UserDirectory

NEW_PASSWORD = "换过的密码-Changed2"


def write_config(path, users=None) -> None:
    users = users if users is not None else [{**u, "password_hash": _HASH} for u in USERS]
    path.write_text(yaml.safe_dump({
        "data_dir": "data", "storage": {"sqlite": {"path": "y.db"}},
        "web": {"secret_key": "shared-secret", "users": users},
    }, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def pair(tmp_path):
    """Two console instances (apps) over the same config file, data directory and store."""
    cfg_path = tmp_path / "yuqing.yaml"
    write_config(cfg_path)
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(sample_posts(), refresh=True)
    apps = [create_app(load_config(cfg_path, environ={}), store, config_path=cfg_path) for _ in range(2)]
    yield cfg_path, apps[0], apps[1]
    store.close()


def browser(app, username: str, password: str = PASSWORD) -> tuple[TestClient, str, str]:
    """A client logged in to ``app``: (client, its session cookie, its CSRF token)."""
    client = TestClient(app)
    token = login(client, username, password)
    return client, client.cookies.get(SESSION_COOKIE), token


def signed_in(app, cookie: str) -> bool:
    """Whether ``app`` accepts this session cookie (sent by a fresh client)."""
    client = TestClient(app, cookies={SESSION_COOKIE: cookie})
    return client.get("/cases", follow_redirects=False).status_code == 200


def test_logout_in_one_instance_ends_the_session_in_the_other(pair):
    _, a, b = pair
    office_a, office, token = browser(a, "office")
    _, admin, _ = browser(b, "admin")
    assert signed_in(b, office) and signed_in(a, admin)
    assert office_a.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert not signed_in(b, office) and not signed_in(a, office)
    assert signed_in(b, admin)  # other users keep their sessions
    _, again, _ = browser(b, "office")  # logging in again works at once
    assert signed_in(a, again)


def test_changed_password_role_or_removal_in_the_config_ends_sessions_everywhere(pair):
    cfg_path, a, b = pair
    office, cg, sc = (browser(a, name)[1] for name in ("office", "cg", "sc"))
    assert signed_in(b, office) and signed_in(b, cg) and signed_in(b, sc)
    users = [{**u, "password_hash": _HASH} for u in USERS]
    users[0]["password_hash"] = hash_password(NEW_PASSWORD)  # office: new password
    users[1]["department"] = "大场镇市场监管所"  # cg: moved to another department
    write_config(cfg_path, users)
    for app in (a, b):
        assert not signed_in(app, office) and not signed_in(app, cg) and signed_in(app, sc)
    old = TestClient(b)
    assert old.post("/login", data=login_form(old, "office", PASSWORD)).status_code == 401
    assert signed_in(a, browser(b, "office", NEW_PASSWORD)[1])
    write_config(cfg_path, [u for u in users if u["username"] != "sc"])  # sc removed (disabled)
    assert not signed_in(a, sc) and not signed_in(b, sc)


def test_admin_ends_a_users_sessions_for_every_instance(pair):
    _, a, b = pair
    _, cg, _ = browser(a, "cg")
    admin_b, admin, token = browser(b, "admin")
    html = admin_b.get("/audit").text
    assert "结束全部会话" in html and 'value="cg"' in html
    r = admin_b.post("/audit/sessions", data={"csrf": token, "username": "cg"}, follow_redirects=False)
    assert r.status_code == 303
    assert not signed_in(a, cg) and signed_in(a, admin)
    entry = b.state.console.audit.tail()[0]
    assert (entry["actor"], entry["action"], entry["target"]) == ("admin", "sessions_ended", "user:cg")
    assert admin_b.post("/audit/sessions", data={"csrf": token, "username": "nobody"}).status_code == 404
    office_a, _, token = browser(a, "office")
    assert office_a.post("/audit/sessions", data={"csrf": token, "username": "cg"}).status_code == 403


def test_a_broken_config_edit_keeps_the_previous_users(pair):
    cfg_path, a, b = pair
    _, office, _ = browser(a, "office")
    cfg_path.write_text("web: [unclosed", encoding="utf-8")
    assert signed_in(b, office)
    browser(b, "admin")


def test_epochs_file_is_shared_and_an_unreadable_one_fails_closed(tmp_path):
    path = tmp_path / "web" / "session-epochs.json"
    one, two = SessionEpochs(path), SessionEpochs(path)
    assert one.not_before("office") == 0
    two.end_all("office", now=100.0)
    two.end_all("office", now=50.0)  # never moves back
    assert one.not_before("office") == 100.0 and one.not_before("cg") == 0
    assert json.loads(path.read_text()) == {"office": 100.0}
    path.write_text("{not json", encoding="utf-8")
    assert one.not_before("cg") > 1_000_000_000  # sessions issued before the file changed are refused
    one.end_all("cg", now=200.0)  # and writing repairs it
    assert json.loads(path.read_text())["cg"] == 200.0


def test_user_directory_reloads_only_on_change(tmp_path):
    cfg_path = tmp_path / "y.yaml"
    write_config(cfg_path)
    loads = []

    def load(p):
        loads.append(p)
        return list(load_config(p, environ={}).web.users)

    users = UserDirectory(list(load_config(cfg_path, environ={}).web.users), cfg_path, load)
    assert users.get("office") and users.get("office") and loads == []
    write_config(cfg_path, [{**USERS[3], "password_hash": _HASH}])
    assert users.get("office") is None and users.get("admin") and len(loads) == 1
    assert [u.username for u in users.all()] == ["admin"] and len(loads) == 1
