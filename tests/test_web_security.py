"""The console's security findings of issue 16 (F1–F13), one test each, against the real app and store."""

from __future__ import annotations

import io
import threading

import pytest

from tests.web_support import PASSWORD, TestClient, csrf_of, login, login_form, make_client, sample_posts, tiny_png
from web.auth import LoginLimiter
from web.deps import SESSION_COOKIE
from web.guard import SECURITY_HEADERS, TrustedProxies

P1, P2 = sample_posts()[0].id, sample_posts()[1].id


def has_security_headers(r) -> bool:
    return all(r.headers.get(k) == v for k, v in SECURITY_HEADERS.items())


# ---- F1: rejected logins cannot flood the audit log --------------------------------------------------------
def test_f1_rejected_logins_with_huge_usernames_are_capped_and_throttled(tmp_path):
    client = make_client(tmp_path)  # 5 attempts per user, 20 per address
    huge = "x" * 200_000  # 200 KB, under the form limit: the cap, not the size limit, must hold it
    codes = [client.post("/login", data={"username": huge, "password": "x", "csrf": "bogus"}).status_code
             for _ in range(40)]
    audit = client.app.state.console.audit
    assert audit.path.stat().st_size < 40 * 400  # before: ~8 MB (each refusal kept the whole username)
    assert codes[:20] == [403] * 20 and set(codes[20:]) == {429}  # bogus CSRF counts against the address
    assert all(len(e["actor"]) <= 65 for e in audit.tail())
    # a real user from another address is not affected
    other = TestClient(client.app, client=("10.0.0.9", 4000))
    assert login(other, "office")


# ---- F2: request-size limit before any body is read ---------------------------------------------------------
def test_f2_large_bodies_are_refused_before_they_are_read(tmp_path):
    client = make_client(tmp_path, max_upload_mb=1)
    form = {"content-type": "application/x-www-form-urlencoded"}
    r = client.post("/login", content=b"username=" + b"a" * (2 * 1024 * 1024), headers=form)
    assert r.status_code == 413 and "过大" in r.text and has_security_headers(r)

    def chunks():  # no Content-Length: the streamed bytes are counted
        for _ in range(64):
            yield b"a" * 65536

    r = client.post("/audit/sessions", content=chunks(), headers=form)
    assert r.status_code == 413 and has_security_headers(r)
    files = {"photos": ("a.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (8 * 1024 * 1024)), "image/png")}
    r = client.post("/cases/x/note", files=files, data={"csrf": "x"})
    assert r.status_code == 413  # beyond photos × max_upload_mb, even on the upload routes
    assert client.post("/login", data=login_form(client, "office")).status_code == 200  # normal forms pass


# ---- F3: X-Forwarded-For only from configured proxies -----------------------------------------------------
def test_f3_trusted_proxies_parse_the_forwarded_chain():
    none = TrustedProxies([])
    assert none.client("127.0.0.1", "1.2.3.4") == "127.0.0.1"  # default: no proxy is trusted
    proxies = TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
    assert proxies.client("127.0.0.1", "1.2.3.4") == "1.2.3.4"
    assert proxies.client("127.0.0.1", "6.6.6.6, 1.2.3.4, 10.1.1.1") == "1.2.3.4"  # rightmost untrusted hop
    assert proxies.client("8.8.8.8", "1.2.3.4") == "8.8.8.8"  # not from a proxy: the header is the client's
    assert proxies.client("127.0.0.1", "garbage") == "127.0.0.1"


def test_f3_config_refuses_a_bad_proxy_entry(tmp_path):
    from core import ConfigError
    from tests.web_support import make_config

    with pytest.raises(ConfigError, match="trusted_proxies"):
        make_config(tmp_path, trusted_proxies=["not-an-ip"])


def _wrong_logins(base: str, n: int, username: str = "office", forwarded=lambda i: f"203.0.113.{i}") -> list[int]:
    import httpx

    codes = []
    with httpx.Client(base_url=base) as c:
        for i in range(n):
            token = csrf_of(c.get("/login").text)
            codes.append(c.post("/login", data={"username": username, "password": "bad", "csrf": token},
                                headers={"X-Forwarded-For": forwarded(i)}).status_code)
    return codes


def test_f3_served_as_the_shell_serves_it_rotating_forwarded_for_does_not_bypass_the_limit(tmp_path):
    """Over real HTTP from 127.0.0.1 with the shell's uvicorn settings (``web.app.server_options``)."""
    from tests.browser.live import live_console

    with live_console(tmp_path, posts=[]) as (base, _):
        codes = _wrong_logins(base, 8)
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}


def test_f3_behind_a_trusted_proxy_each_client_is_counted_apart(tmp_path):
    from tests.browser.live import live_console

    with live_console(tmp_path, posts=[], trusted_proxies=["127.0.0.1"]) as (base, app):
        attacker = _wrong_logins(base, 7, forwarded=lambda i: "198.51.100.7")
        assert attacker[-1] == 429
        # the real user, behind the same proxy, still logs in
        import httpx

        with httpx.Client(base_url=base) as c:
            token = csrf_of(c.get("/login").text)
            r = c.post("/login", data={"username": "office", "password": PASSWORD, "csrf": token},
                       headers={"X-Forwarded-For": "192.0.2.10"})
            assert r.status_code == 303
    addresses = {e.get("address") for e in app.state.console.audit.tail()}
    assert {"198.51.100.7", "192.0.2.10"} <= addresses


# ---- F5: parallel wrong logins ------------------------------------------------------------------------------
def test_f5_the_limit_is_checked_and_taken_atomically(tmp_path):
    path = tmp_path / "failures.db"
    limiters = [LoginLimiter(5, 300, path, "user") for _ in range(3)]  # as three console processes
    granted = []
    barrier = threading.Barrier(30)

    def attempt(i: int) -> None:
        barrier.wait()
        wait, reservation = limiters[i % 3].reserve(["1.2.3.4|office"])
        if wait == 0:
            granted.append(reservation)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 5
    limiters[0].release(granted[0])  # a success gives its attempt back
    assert limiters[1].reserve(["1.2.3.4|office"])[0] == 0


def test_f5_parallel_wrong_logins_check_at_most_the_limit_of_passwords(tmp_path):
    client = make_client(tmp_path)
    con = client.app.state.console
    checked = []
    real = con.auth.authenticate

    def counting(username, password):
        checked.append(username)
        return real(username, password)

    con.auth.authenticate = counting
    forms = []
    for i in range(30):  # each browser its own login form
        c = TestClient(client.app, client=("192.0.2.1", 1000 + i))
        forms.append((c, login_form(c, "office", "bad")))
    barrier = threading.Barrier(len(forms))
    codes = []

    def go(c, form):
        barrier.wait()
        codes.append(c.post("/login", data=form).status_code)

    threads = [threading.Thread(target=go, args=pair) for pair in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 5 and codes.count(401) == 5 and codes.count(429) == 25


# ---- F6: no unhandled 500s -----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [
    "/search?until=9999-12-31", "/search?since=0001-01-01", "/search/place?place=changzhonglu&around=0001-01-02",
    "/search/place?place=changzhonglu&around=9999-12-31", "/cases?view=list&page=1e20",
    "/cases?view=list&page=99999999999999999999999", "/search?page=1e400", "/hotspots?days=1e9",
    "/search/export.csv?until=9999-12-31",
])
def test_f6_odd_parameters_are_a_400_in_chinese_not_a_500(tmp_path, path):
    client = TestClient(make_client(tmp_path).app, raise_server_exceptions=False)
    login(client, "admin")
    r = client.get(path)
    assert r.status_code in (200, 400), (r.status_code, r.text[:300])
    assert has_security_headers(r)
    if r.status_code == 400:
        assert "超出范围" in r.text or "格式" in r.text


def test_f6_a_file_where_text_is_expected_is_not_a_500(tmp_path):
    client = TestClient(make_client(tmp_path).app, raise_server_exceptions=False)
    token = login(client, "office")
    r = client.post(f"/review/{P1}", data={"csrf": token, "action": "confirm"},
                    files={"note": ("note.txt", b"a file", "text/plain")}, follow_redirects=False)
    assert r.status_code == 303 and has_security_headers(r)
    r = client.post(f"/review/{P1}", data={"csrf": token}, files={"action": ("a", b"confirm", "text/plain")})
    assert r.status_code == 400 and has_security_headers(r)


def test_f6_even_a_crash_answers_in_chinese_with_the_headers(tmp_path):
    app = make_client(tmp_path).app

    def boom(*a, **k):
        raise RuntimeError("store exploded")

    client = TestClient(app, raise_server_exceptions=False)
    login(client, "admin")
    app.state.console.store.list_cases = boom
    r = client.get("/cases")
    assert r.status_code == 500 and "服务器内部错误" in r.text and "exploded" not in r.text
    assert has_security_headers(r)


# ---- F9: 建立案件 validates place and topic ---------------------------------------------------------------
def test_f9_open_case_refuses_unknown_places_and_topics(tmp_path):
    client = make_client(tmp_path)
    token = login(client, "office")
    store = client.app.state.console.store
    for extra in ({"place": "<b>x</b>"}, {"topic": "not-a-topic"}, {"place": "nowhere", "topic": "sanitation"}):
        r = client.post(f"/review/{P1}", data={"csrf": token, "action": "open_case", **extra})
        assert r.status_code == 400 and "未知的" in r.text
    from storage import CaseQuery

    assert store.list_cases(CaseQuery(limit=10)).total == 0
    places = client.app.state.console.place_names
    r = client.post(f"/review/{P1}", data={"csrf": token, "action": "open_case", "place": next(iter(places)),
                                           "topic": "sanitation"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")


# ---- F10: photos decoded; a refused change keeps none; a quota per case -------------------------------------
@pytest.fixture
def case_client(tmp_path):
    client = make_client(tmp_path, photos_per_case=3)
    con = client.app.state.console
    case = con.cases.flag([P1], "office")
    con.cases.transition(case.id, "assigned", "office", "reviewer", department="大场镇城管中队")
    return client, case.id


def test_f10_photos_must_decode(case_client):
    client, case_id = case_client
    token = login(client, "cg")
    uploads = client.app.state.console.uploads
    truncated = tiny_png(40, 30)[:-30]  # right magic bytes, broken image
    r = client.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "现场"},
                    files={"photos": ("a.png", truncated, "image/png")})
    assert r.status_code == 400 and "损坏" in r.text and 'class="form-error"' in r.text
    polyglot = b"\x89PNG\r\n\x1a\n<script>alert(1)</script>"
    r = client.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "现场"},
                    files={"photos": ("b.png", polyglot, "image/png")})
    assert r.status_code == 400
    assert not uploads.exists() or not list(uploads.iterdir())


def test_f10_a_refused_transition_keeps_no_photo_and_the_quota_holds(case_client):
    client, case_id = case_client
    token = login(client, "cg")
    uploads = client.app.state.console.uploads
    # 已整改 straight from 已派单 is refused by the lifecycle: the photo must not stay behind
    r = client.post(f"/cases/{case_id}/transition", data={"csrf": token, "to": "rectified", "note": "已清理"},
                    files={"photos": ("a.png", tiny_png(5, 5), "image/png")})
    assert r.status_code in (403, 409)
    assert not uploads.exists() or not list(uploads.iterdir())
    for i in range(3):
        r = client.post(f"/cases/{case_id}/note", data={"csrf": token, "note": f"第{i}张"},
                        files={"photos": (f"{i}.png", tiny_png(6 + i, 5), "image/png")}, follow_redirects=False)
        assert r.status_code == 303
    r = client.post(f"/cases/{case_id}/note", data={"csrf": token, "note": "再一张"},
                    files={"photos": ("x.png", tiny_png(20, 5), "image/png")})
    assert r.status_code == 400 and "上限" in r.text
    assert len(list(uploads.iterdir())) == 3


# ---- F11: the login form's token is single-use ----------------------------------------------------------------
def test_f11_a_login_form_is_good_for_one_attempt(tmp_path):
    client = make_client(tmp_path)
    form = login_form(client, "office", "bad")
    nonce = client.cookies.get("yq_login")
    assert client.post("/login", data=form).status_code == 401
    client.cookies.set("yq_login", nonce, path="/login")  # replay the same cookie and token
    r = client.post("/login", data={**form, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403 and SESSION_COOKIE not in client.cookies
    # a fresh form works
    assert client.post("/login", data=login_form(client, "office"), follow_redirects=False).status_code == 303


# ---- F13: Secure cookies, HSTS behind TLS, idle timeout, /metrics behind a login ---------------------------
def test_f13_secure_cookies_and_hsts_over_tls(tmp_path):
    client = make_client(tmp_path, secure_cookies=True, trusted_proxies=["10.0.0.1"])
    r = client.post("/login", data=login_form(client, "office"), follow_redirects=False)
    assert "secure" in r.headers["set-cookie"].lower()
    assert "strict-transport-security" not in client.get("/login").headers  # plain HTTP, no proxy
    behind = TestClient(client.app, client=("10.0.0.1", 443))
    r = behind.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert r.headers["strict-transport-security"].startswith("max-age=")
    spoofed = TestClient(client.app, client=("192.0.2.5", 1))  # not a proxy: its header is not believed
    assert "strict-transport-security" not in spoofed.get("/login", headers={"X-Forwarded-Proto": "https"}).headers
    tls = TestClient(client.app, base_url="https://console.example")
    assert "strict-transport-security" in tls.get("/login").headers


def test_f13_idle_sessions_end(tmp_path):
    client = make_client(tmp_path, idle_minutes=30)
    auth = client.app.state.console.auth
    login(client, "office")
    cookie = client.cookies.get(SESSION_COOKIE).strip('"')
    session = auth.verify(cookie)
    assert auth.verify(cookie, now=session.seen + 29 * 60) is not None
    assert auth.verify(cookie, now=session.seen + 31 * 60) is None  # idle: log in again
    touched = auth.touch(session, now=session.seen + 20 * 60)  # a request moves "last seen"
    assert auth.verify(touched, now=session.seen + 45 * 60) is not None
    assert auth.csrf_token(auth.verify(touched, now=session.seen + 45 * 60)) == auth.csrf_token(session)


def test_f13_a_request_refreshes_the_idle_clock(tmp_path):
    client = make_client(tmp_path)
    auth = client.app.state.console.auth
    login(client, "office")
    old = auth.verify(client.cookies.get(SESSION_COOKIE).strip('"'))
    stale = auth._cookie(auth.users.get("office"), old.expires, old.issued, old.sid, old.seen - 600)
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, stale)
    r = client.get("/review")
    assert r.status_code == 200 and SESSION_COOKIE in r.headers.get("set-cookie", "")
    fresh = r.cookies.get(SESSION_COOKIE).strip('"')  # quoted when its base64 ends in "="
    assert auth.verify(fresh).seen > old.seen - 600


class _Metrics:
    def render(self) -> bytes:
        return b"yuqing_up 1\n"


def test_f13_metrics_need_a_login_or_the_token(tmp_path):
    from core import load_config
    from storage.sqlite import SQLiteStore
    from tests.web_support import make_config
    from web.app import create_app

    config = make_config(tmp_path, metrics_token="scrape-secret")
    app = create_app(config, SQLiteStore(tmp_path / "y.db"), metrics=_Metrics())
    client = TestClient(app)
    r = client.get("/metrics")
    assert r.status_code == 401 and "yuqing_up" not in r.text and has_security_headers(r)
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).text == "yuqing_up 1\n"
    login(client, "office")
    assert client.get("/metrics").status_code == 200
    # a route the shell adds itself after create_app is guarded the same way
    bare = create_app(load_config(None, environ={}, overrides={"data_dir": str(tmp_path / "d2")}),
                      SQLiteStore(tmp_path / "z.db"))
    bare.add_api_route("/metrics", lambda: "secret figures", methods=["GET"])
    assert TestClient(bare).get("/metrics").status_code == 401
