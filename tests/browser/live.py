"""A console served by uvicorn in a background thread on an ephemeral port, over a seeded SQLite store.

Used by the browser tests and by ``python -m tests.browser.screenshots`` (the docs' screenshots).
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import uvicorn

from core import Author, Metrics, PlaceRef, Post, SentimentLabel, Severity
from tests.web_support import NOW, XSS, make_config
from web.app import create_app, server_options

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync"]

PLACES = [
    ("dc-rd-changzhong", "场中路"), ("dc-rd-qilianshan", "祁连山路"), ("dc-xq-dahua1", "大华一村"),
    ("dc-rv-zoumatang", "走马塘"), ("dc-rd-hutai", "沪太路"), ("dc-xq-qilian2", "祁连二村"),
]
TEMPLATES = [
    ("sanitation", "{p}菜场门口垃圾堆了好几天没人清理，臭气熏天，苍蝇乱飞", Severity.NORMAL),
    ("shop_signs", "{p}有家店的店招店牌松动了，风一吹晃得厉害，怕砸到人", Severity.URGENT),
    ("parking", "{p}人行道上乱停车严重，电瓶车汽车堵得人只能走到马路上", Severity.HIGH),
    ("river", "{p}河面漂着垃圾，水发黑发臭，夏天更严重", Severity.NORMAL),
    ("noise", "{p}夜里施工噪声扰民，凌晨两点还在敲", Severity.NORMAL),
    ("illegal_construction", "{p}一楼住户私自搭建阳光房，占用公共绿地", Severity.HIGH),
]
SOURCES = ["weibo", "wechat:dachang-fabu", "portal:shequtong", "forum:baoshan-bbs", "board:baoshan-12345"]
XSS_TEXT = f"场中路居民反映：{XSS} 垃圾清运不及时"


def seed_posts(n: int = 80, seed: int = 7) -> list[Post]:
    """Realistic complaints spread over the last three weeks, one carrying script/HTML payloads."""
    rnd = random.Random(seed)
    posts = []
    for i in range(n):
        topic, text, sev = TEMPLATES[i % len(TEMPLATES)]
        pid, pname = PLACES[(i * 7 + i // 6) % len(PLACES)]
        negative = rnd.random() < 0.8
        posts.append(Post.new(
            SOURCES[i % len(SOURCES)], f"s{i}", text=text.format(p=pname), url=f"https://example.org/post/{i}",
            published_at=NOW - timedelta(hours=rnd.uniform(1, 24 * 21)),
            author=Author(id=f"u{i}", name=rnd.choice(["张建国", "李秀英", "王伟", "陈静", "刘洋"])),
            metrics=Metrics(likes=rnd.randint(0, 50), comments=rnd.randint(0, 20)),
            topic=topic, is_complaint=negative, sentiment=0.15 if negative else 0.7,
            sentiment_label=SentimentLabel.NEGATIVE if negative else rnd.choice(list(SentimentLabel)),
            places=[PlaceRef(id=pid, name=pname, department="大场镇城管中队")], severity=sev,
            keywords=[text.format(p="")[:2]],
        ))
    posts.append(Post.new(
        "portal:shequtong", "xss", title="<b>标题</b><script>alert('t')</script>", text=XSS_TEXT,
        url="javascript:alert('url')", published_at=NOW - timedelta(minutes=30),
        author=Author(id="x", name="<img src=x onerror=alert(9)>"), topic="sanitation", is_complaint=True,
        sentiment=0.05, sentiment_label=SentimentLabel.NEGATIVE, severity=Severity.URGENT,
        places=[PlaceRef(id="dc-rd-changzhong", name="场中路")], keywords=["垃圾"],
    ))
    return posts


@contextmanager
def live_console(tmp: Path, posts: list[Post] | None = None, **web) -> Iterator[tuple[str, object]]:
    """Serve a seeded console (``web`` overrides ``web.*`` settings) as the shell does; yield (base URL, app)."""
    from storage.sqlite import SQLiteStore

    config = make_config(tmp, **web)
    store = SQLiteStore(tmp / "y.db")
    store.upsert_posts(seed_posts() if posts is None else posts, refresh=True)
    app = create_app(config, store, clock=lambda: NOW)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **server_options(config)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()
