"""Shared by the console's tests: a config with users of every role, a seeded SQLite store, logins."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

with warnings.catch_warnings():  # Starlette 1.x nudges towards httpx2; httpx is what the project declares
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from core import Author, PlaceRef, Post, SentimentLabel, Severity, load_config
from storage.sqlite import SQLiteStore
from web.auth import hash_password

PASSWORD = "正确的密码-Correct1"
DEPARTMENT = "大场镇城管中队"
USERS = [
    {"username": "office", "role": "reviewer", "display_name": "王审核"},
    {"username": "cg", "role": "department", "department": DEPARTMENT, "display_name": "城管李"},
    {"username": "sc", "role": "department", "department": "大场镇市场监管所", "display_name": "市监赵"},
    {"username": "admin", "role": "admin", "display_name": "管理员"},
]
_HASH = hash_password(PASSWORD)
XSS = '<script>window.__xss=1;alert("xss")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">点我</a>'
#: The console's clock in these tests (injected into create_app): fixed, so no result depends on the day they run.
NOW = datetime(2026, 11, 6, 2, 30, tzinfo=UTC)


def make_config(tmp_path: Path, **web):
    """A config whose data dir is under tmp_path, with one user of each role (all with PASSWORD)."""
    users = [{**u, "password_hash": _HASH} for u in USERS]
    return load_config(None, environ={}, overrides={
        "data_dir": str(tmp_path / "data"), "storage.sqlite.path": str(tmp_path / "y.db"),
        "web.users": users, "web.secret_key": "test-secret-key", **{f"web.{k}": v for k, v in web.items()},
    })


def post(n: int, text: str, *, hours: float = 1, topic: str = "sanitation", place: str = "changzhonglu",
         place_name: str = "场中路", complaint: bool = True, sentiment: str = "negative",
         severity: Severity = Severity.NORMAL, source: str = "weibo", **fields) -> Post:
    """A post published ``hours`` ago."""
    return Post.new(
        source, f"w{n}", text=text, published_at=NOW - timedelta(hours=hours),
        author=Author(id=f"u{n}", name=f"张小明{n}"), topic=topic, is_complaint=complaint,
        sentiment=0.1 if sentiment == "negative" else 0.8, sentiment_label=SentimentLabel(sentiment),
        places=[PlaceRef(id=place, name=place_name)], severity=severity,
        url=fields.pop("url", f"https://weibo.example/{n}"), keywords=fields.pop("keywords", ["垃圾"]), **fields,
    )


def sample_posts() -> list[Post]:
    return [
        post(1, "场中路菜场门口垃圾堆了三天没人管，臭气熏天", hours=2),
        post(2, "祁连山路店招店牌松动，随时可能砸到行人", topic="shop_signs", place="qilianshanlu",
             place_name="祁连山路", severity=Severity.URGENT, source="forum:baoshan", keywords=["店招"]),
        post(3, f"评论区有人贴了奇怪的代码 {XSS} 垃圾", hours=3, url="javascript:alert(3)"),
        post(4, "今天大场公园的绿化很漂亮，点赞", topic="greenery", complaint=False, sentiment="positive",
             hours=30, keywords=["绿化"]),
        post(5, "场中路垃圾又堆起来了，环卫去哪了", hours=50, source="wechat:dachang"),
    ]


def make_store(tmp_path: Path, posts: list[Post] | None = None) -> SQLiteStore:
    store = SQLiteStore(tmp_path / "y.db")
    store.upsert_posts(sample_posts() if posts is None else posts, refresh=True)
    return store


def csrf_of(html: str) -> str:
    """The CSRF token embedded in a page's forms."""
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def login_form(client, username: str, password: str = PASSWORD, **fields) -> dict[str, str]:
    """The login form as a browser submits it: the login page's CSRF token (its cookie kept by ``client``)."""
    page = client.get("/login")
    assert page.status_code == 200, page.text[:300]
    return {"username": username, "password": password, "csrf": csrf_of(page.text), **fields}


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in and return the CSRF token of the session."""
    r = client.post("/login", data=login_form(client, username, password), follow_redirects=True)
    assert r.status_code == 200, r.text[:300]
    return csrf_of(r.text)


def make_client(tmp_path: Path, posts: list[Post] | None = None, cases=None, **web) -> TestClient:
    """A TestClient over a console on a real SQLite store seeded with ``posts`` (default: the samples)."""
    from web.app import create_app

    store = make_store(tmp_path, posts)
    return TestClient(create_app(make_config(tmp_path, **web), store, cases=cases, clock=lambda: NOW))


#: Every page, for the rule that anonymous visitors are sent to the login page.
GET_ROUTES = [
    "/", "/review", "/posts/x", "/posts/x/similar", "/cases", "/cases/x", "/search", "/search/export.csv",
    "/search/export.xlsx", "/search/place?place=p", "/hotspots", "/events", "/sources", "/reports", "/reports/a.xlsx",
    "/reports/department/daily.xlsx", "/reports/department/weekly.xlsx", "/reports/brief.docx", "/audit",
    "/photos/x.png", "/subscriptions", "/outbox",
]
POST_ROUTES = ["/logout", "/review", "/review/undo", "/review/x", "/cases/x/transition", "/cases/x/note",
               "/posts/x/reveal", "/search/export.csv", "/reports/generate", "/audit/sessions", "/subscriptions",
               "/subscriptions/check", "/subscriptions/x/delete", "/cases/x/supervise", "/outbox/redrive",
               "/reports/brief/send"]


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid little RGB PNG (stdlib only)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x30\x90\x50" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
