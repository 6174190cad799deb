"""Console authentication: hashes, sessions, CSRF, rate limits, roles, and the routes that enforce them."""

from __future__ import annotations

import pytest

from tests.web_support import GET_ROUTES, PASSWORD, POST_ROUTES, csrf_of, login, login_form, make_client, make_config
from web.auth import Authenticator, LoginLimiter, User, hash_password, verify_password
from web.deps import SESSION_COOKIE


def test_hash_roundtrip_and_salting():
    h1, h2 = hash_password("秘密pw"), hash_password("秘密pw")
    assert h1 != h2 and h1.startswith("scrypt$")
    assert verify_password("秘密pw", h1) and verify_password("秘密pw", h2)
    assert not verify_password("秘密PW", h1)
    assert not verify_password("x", "not-a-hash") and not verify_password("x", "md5$1$2$3$4$5")
    with pytest.raises(ValueError):
        hash_password("")


def test_sessions_are_signed_expire_and_can_be_revoked(tmp_path):
    cfg = make_config(tmp_path)
    auth = Authenticator(list(cfg.web.users), b"k" * 32, 3600)
    user = auth.authenticate("office", PASSWORD)
    assert user == User("office", "reviewer", None, "王审核")
    assert auth.authenticate("office", "wrong") is None and auth.authenticate("nobody", PASSWORD) is None
    cookie = auth.issue(user, now=1000.0)
    session = auth.verify(cookie, now=1001.0)
    assert session and session.user.username == "office"
    assert auth.verify(cookie, now=1000.0 + 3601) is None  # expired
    data, sig = cookie.rsplit(".", 1)
    assert auth.verify(data + "." + "0" * len(sig), now=1001.0) is None  # forged
    other = Authenticator(list(cfg.web.users), b"x" * 32, 3600)
    assert other.verify(cookie, now=1001.0) is None  # another key
    assert auth.check_csrf(session, auth.csrf_token(session)) and not auth.check_csrf(session, "nope")
    assert not auth.check_csrf(session, None)
    fresh = auth.issue(user)
    live = auth.verify(fresh)
    auth.revoke(live)
    assert auth.verify(fresh) is None


def test_limiter_window():
    lim = LoginLimiter(attempts=2, window=60)
    keys = ["1.2.3.4|office"]
    assert lim.retry_after(keys, now=0) == 0
    lim.failed(keys, now=0)
    lim.failed(keys, now=10)
    assert lim.retry_after(keys, now=11) == pytest.approx(49)
    assert lim.retry_after(keys, now=61) == 0
    lim.failed(keys, now=61)
    lim.succeeded(keys)
    assert lim.retry_after(keys, now=62) == 0


def test_department_user_needs_a_department(tmp_path):
    from core import ConfigError
    from core.config import load_config

    with pytest.raises(ConfigError, match="department"):
        load_config(None, environ={}, overrides={"web.users": [{"username": "d", "password_hash": "x",
                                                                 "role": "department"}]})
    with pytest.raises(ConfigError, match="duplicate username"):
        load_config(None, environ={}, overrides={"web.users": [{"username": "d", "password_hash": "x"}] * 2})


@pytest.fixture
def client(tmp_path):
    return make_client(tmp_path, login_attempts=3)


@pytest.mark.parametrize("path", GET_ROUTES)
def test_every_page_needs_a_login(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", POST_ROUTES)
def test_every_change_needs_a_login(client, path):
    assert client.post(path, data={"csrf": "x"}, follow_redirects=False).status_code == 401


@pytest.mark.parametrize("path", POST_ROUTES)
def test_every_change_needs_the_csrf_token(client, path):
    login(client, "admin")
    r = client.post(path, data={"action": "confirm", "to": "assigned"}, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post(path, data={"csrf": "forged", "action": "confirm"}, follow_redirects=False)
    assert r.status_code == 403 and "CSRF" in r.text


def test_login_sets_a_safe_cookie_and_logout_ends_it(client):
    r = client.post("/login", data=login_form(client, "office", next="/search?q=x"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/search?q=x"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    old = client.cookies.get(SESSION_COOKIE)
    page = client.get("/review")
    assert page.status_code == 200 and "王审核" in page.text
    r = client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    client.cookies.set(SESSION_COOKIE, old)  # replaying the old cookie does not work
    assert client.get("/review", follow_redirects=False).status_code == 303
    audit = client.app.state.console.audit.tail()
    assert [e["action"] for e in audit[:2]] == ["logout", "login"] and audit[0]["actor"] == "office"


def test_login_never_redirects_off_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil"):
        r = client.post("/login", data=login_form(client, "office", next=target), follow_redirects=False)
        assert r.headers["location"] == "/review"


def test_wrong_password_and_rate_limit(client):
    for _ in range(3):
        r = client.post("/login", data=login_form(client, "office", "bad"))
        assert r.status_code == 401 and "用户名或密码错误" in r.text
    r = client.post("/login", data=login_form(client, "office"))
    assert r.status_code == 429 and "过多" in r.text and int(r.headers["retry-after"]) > 0
    assert SESSION_COOKIE not in client.cookies
    # another user from the same address is not locked out by office's failures
    assert client.post("/login", data=login_form(client, "admin")).status_code == 200
    actions = [e["action"] for e in client.app.state.console.audit.tail()]
    assert actions.count("login_failed") == 3 and "login_throttled" in actions
    assert PASSWORD not in client.app.state.console.audit.path.read_text()


def test_landing_page_by_role(client):
    login(client, "cg")
    assert client.get("/", follow_redirects=False).headers["location"] == "/cases"
    client.cookies.clear()
    login(client, "office")
    assert client.get("/", follow_redirects=False).headers["location"] == "/review"


@pytest.mark.parametrize("setting", ["own", "all"])
@pytest.mark.parametrize(("user", "path", "allowed"), [
    ("cg", "/review", False), ("cg", "/sources", False), ("cg", "/audit", False), ("cg", "/cases", True),
    ("cg", "/search", "all"), ("cg", "/hotspots", "all"), ("cg", "/search/export.csv", "all"),
    ("cg", "/search/place?place=changzhonglu", "all"), ("cg", "/events", "all"), ("cg", "/reports", True),
    ("cg", "/reports/brief.docx", False), ("office", "/events", True), ("office", "/reports/brief.docx", True),
    ("office", "/review", True), ("office", "/sources", True), ("office", "/audit", False),
    ("office", "/search", True), ("office", "/hotspots", True), ("office", "/search/export.csv", True),
    ("admin", "/audit", True), ("admin", "/review", True), ("admin", "/sources", True), ("admin", "/search", True),
    ("cg", "/outbox", False), ("office", "/outbox", False), ("admin", "/outbox", True),
])
def test_pages_by_role(tmp_path, setting, user, path, allowed):
    """The role matrix, under both ``web.department_search`` settings (``all``: the whole town; ``own``: only
    the department's own cases and their evidence)."""
    client = make_client(tmp_path, department_search=setting)
    login(client, user)
    r = client.get(path)
    ok = allowed is True or allowed == setting
    assert r.status_code == (200 if ok else 403), r.text[:200]
    nav = client.get("/cases").text
    assert ('href="/search"' in nav) == (user != "cg" or setting == "all")


@pytest.mark.parametrize("setting", ["own", "all"])
def test_department_sees_posts_by_setting(tmp_path, setting):
    """With ``own`` a department user opens only its own cases' evidence; with ``all``, any post."""
    from tests.web_support import sample_posts

    posts = sample_posts()
    client = make_client(tmp_path, posts=posts, department_search=setting)
    con = client.app.state.console
    case = con.cases.flag([posts[0].id], "office")  # 场中路 × sanitation: routed to 城管
    con.cases.transition(case.id, "assigned", "office", "reviewer", department="大场镇城管中队")
    login(client, "cg")
    assert client.get(f"/posts/{posts[0].id}").status_code == 200  # its own case's evidence
    assert client.get(f"/posts/{posts[1].id}").status_code == (403 if setting == "own" else 200)
    assert client.get(f"/posts/{posts[1].id}/similar").status_code == (403 if setting == "own" else 200)
    assert client.get(f"/search/place?case={case.id}").status_code == 200
    client.cookies.clear()
    login(client, "sc")  # another department: not its case
    assert client.get(f"/posts/{posts[0].id}").status_code == (403 if setting == "own" else 200)
    # with all, another department's case is not shown (no place named): a 400, not its data
    assert client.get(f"/search/place?case={case.id}").status_code == (403 if setting == "own" else 400)


def test_security_headers(client):
    r = client.get("/login")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


@pytest.fixture
def live(tmp_path):
    """The console served by uvicorn on an ephemeral port (real HTTP, real cookies)."""
    from tests.browser.live import live_console

    with live_console(tmp_path, posts=[]) as (base, app):
        yield base, app


def test_login_form_carries_a_csrf_token_bound_to_a_login_cookie(live):
    import httpx

    base, _ = live
    with httpx.Client(base_url=base) as c:
        r = c.get("/login")
        cookie = r.headers["set-cookie"].lower()
        assert cookie.startswith("yq_login=") and "httponly" in cookie and "samesite=strict" in cookie
        assert "path=/login" in cookie
        token = csrf_of(r.text)
        assert csrf_of(c.get("/login?next=/search").text) == token  # a second tab keeps the same token
        r = c.post("/login", data={"username": "office", "password": PASSWORD, "csrf": token})
        assert r.status_code == 303 and SESSION_COOKIE in c.cookies
        assert 'yq_login=""' in r.headers.get_list("set-cookie")[-1]  # spent: the next login gets a new nonce


def test_login_without_a_valid_csrf_token_is_refused(live):
    """Login CSRF: a post from another site (no cookie, or the attacker's own token) logs nobody in."""
    import httpx

    base, app = live
    with (httpx.Client(base_url=base) as attacker, httpx.Client(base_url=base) as victim,
          httpx.Client(base_url=base) as bare):
        attacker_token = csrf_of(attacker.get("/login").text)
        victim.get("/login")
        cases = [
            (victim, {}),  # no token at all
            (victim, {"csrf": attacker_token}),  # the attacker's valid token, the victim's cookie
            (victim, {"csrf": "0" * 64}),  # forged token
            (bare, {"csrf": attacker_token}),  # token without its cookie
        ]
        for client, extra in cases:
            r = client.post("/login", data={"username": "admin", "password": PASSWORD, **extra},
                            follow_redirects=False)
            assert r.status_code == 403 and "CSRF" in r.text and "重新输入" in r.text
            assert SESSION_COOKIE not in client.cookies
        # the refusal page sets a login cookie and carries its token: a real user just tries again
        assert victim.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": csrf_of(r.text)},
                           follow_redirects=False).status_code == 403  # that token belongs to the other browser
        r = bare.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": csrf_of(r.text)},
                      follow_redirects=False)
        assert r.status_code == 303 and SESSION_COOKIE in bare.cookies
    actions = [e["action"] for e in app.state.console.audit.tail()]
    assert actions.count("login_csrf_failed") == 5 and actions[0] == "login"
    # refused posts do not count against the victim's login rate limit
    assert "login_failed" not in actions


def test_limiter_counts_failures_across_processes_sharing_a_file(tmp_path):
    path = tmp_path / "web" / "login-failures.db"
    a, b = LoginLimiter(2, 60, path, "user"), LoginLimiter(2, 60, path, "user")  # as two console processes
    other_scope = LoginLimiter(2, 60, path, "address")
    keys = ["1.2.3.4|office"]
    a.failed(keys, now=100)
    assert b.retry_after(keys, now=101) == 0
    b.failed(keys, now=101)
    assert a.retry_after(keys, now=102) == pytest.approx(58)  # the first failure expires at 160
    assert other_scope.retry_after(keys, now=102) == 0
    a.failed(keys, now=165)  # the failures at 100 and 101 have expired: one failure within the window
    assert b.retry_after(keys, now=166) == 0
    b.failed(keys, now=170)
    assert a.retry_after(keys, now=171) == pytest.approx(54)  # 165 + 60 - 171
    b.succeeded(keys)  # a login in one process clears the failures for all
    assert a.retry_after(keys, now=172) == 0


def test_consoles_sharing_a_data_directory_throttle_together(tmp_path):
    a, b = make_client(tmp_path, login_attempts=3), make_client(tmp_path, login_attempts=3)
    for c in (a, b, a):
        assert c.post("/login", data=login_form(c, "office", "bad")).status_code == 401
    assert b.post("/login", data=login_form(b, "office")).status_code == 429
