"""Save a fixed set of simulator pages (every family, success and failure shapes) for parser tests and for
trying ``yuqing parse``. Run: ``python -m simulator.save tests/fixtures/pages``."""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import datetime
from pathlib import Path

from core import SHANGHAI
from simulator import board, discuz, wechat, weibo
from simulator.scenario import Scenario
from simulator.server import Simulator

HOST = "sim.local"
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=SHANGHAI)
#: The scenario the saved pages come from (built-in places, so the pages do not move with the gazetteer).
FIXTURE_SCENARIO = Scenario(seed=7, now=NOW, speed=0, gazetteer="builtin")


def _board_body(path: str, param: dict) -> bytes:
    raw = json.dumps(param, separators=(",", ":"))
    return json.dumps({"appCode": board.APP_CODE, "token": "", "param": raw,
                       "signature": board.signature(path, raw)}).encode()


def pages(sim: Simulator) -> list[tuple[str, str, str, str, bytes]]:
    """(file name, family, method, target, body) of every saved page."""
    w, now = sim.world, sim.clock.now()
    wb = [p for p in w.visible("weibo", now)]
    long_post = next(p for p in reversed(wb) if p.long)
    commented = next(p for p in reversed(wb) if p.comments >= 3 and p.at < now.replace(hour=6))
    uid = wb[-1].channel
    arts = w.visible("wechat", now)
    old = next(p for p in reversed(arts) if p.status == "ok" and int(p.native) % 2 == 0)
    new = next(p for p in reversed(arts) if p.status == "ok" and int(p.native) % 2 == 1)
    threads = [t for t, _ in w.threads("2", now)]
    plain = next(t for t in threads if discuz.page_charset(t.native) == ("gbk", "gbk") and w.threads("2", now))
    busy = max(w.threads("2", now), key=lambda r: len(r[1]))[0]
    utf8 = next(t for t in threads if discuz.page_charset(t.native) == ("utf-8", "gbk"))
    gbk = next(t for t in threads if discuz.page_charset(t.native) == ("gbk", "utf-8"))
    msg = w.visible("board", now)[0]
    q = "containerid=100103type%3D1%26q%3D%E5%9E%83%E5%9C%BE&page_type=searchall&page=1"
    return [
        ("weibo/search.json", "weibo", "GET", f"/weibo/api/container/getIndex?{q}", b""),
        ("weibo/timeline.json", "weibo", "GET", f"/weibo/api/container/getIndex?containerid=107603{uid}", b""),
        ("weibo/extend.json", "weibo", "GET", f"/weibo/statuses/extend?id={long_post.native}", b""),
        ("weibo/hotflow.json", "weibo", "GET",
         f"/weibo/comments/hotflow?id={commented.native}&mid={commented.native}&max_id_type=0", b""),
        ("wechat/article-2018.html", "wechat", "GET", f"/wechat/s?__biz={wechat.biz(sim, old.channel)}"
         f"&mid={old.native}&idx={old.idx}&sn={wechat.sn(old)}", b""),
        ("wechat/article-current.html", "wechat", "GET", f"/wechat/s/{wechat.token(new)}", b""),
        ("wechat/feed.atom", "wechat", "GET", "/wechat/feeds/MP_WXS_3209768755.atom", b""),
        ("wechat/feed.json", "wechat", "GET", "/wechat/feeds/MP_WXS_3209768755.json", b""),
        ("wechat/getmsg.json", "wechat", "GET", f"/wechat/mp/profile_ext?action=getmsg&__biz="
         f"{wechat.biz(sim, old.channel)}&f=json&offset=0&count=10&key=k", b""),
        ("forum/forumdisplay.html", "discuz", "GET", "/forum/forum.php?mod=forumdisplay&fid=2&page=1", b""),
        ("forum/viewthread.html", "discuz", "GET", f"/forum/thread-{busy.native}-1-1.html", b""),
        ("forum/viewthread-gbk.html", "discuz", "GET", f"/forum/forum.php?mod=viewthread&tid={plain.native}", b""),
        ("forum/viewthread-utf8-labelled-gbk.html", "discuz", "GET", f"/forum/thread-{utf8.native}-1-1.html", b""),
        ("forum/viewthread-gbk-labelled-utf8.html", "discuz", "GET", f"/forum/thread-{gbk.native}-1-1.html", b""),
        ("board/list.json", "board", "POST", "/board/v1/threads/list/df", _board_body(
            "/v1/threads/list/df", {"fid": 539, "showUnAnswer": 1, "typeId": 5, "lastItem": "", "position": "0",
                                    "rows": 10, "orderType": 2})),
        ("board/content.json", "board", "POST", "/board/v1/threads/content",
         _board_body("/v1/threads/content", {"tid": msg.native, "fromTrash": 0})),
        ("board/list.html", "board", "GET", "/board/threads/list?fid=539", b""),
        ("board/content.html", "board", "GET", f"/board/threads/content?tid={msg.native}", b""),
        ("portal/export.json", "portal", "GET", "/portal/api/v1/export/posts?page_size=20", b""),
    ]


FAILURES = [  # (file, family, fault mode)
    ("weibo/empty.json", "weibo", "empty"), ("weibo/login.json", "weibo", "login"),
    ("weibo/captcha.json", "weibo", "captcha"), ("weibo/login.html", "weibo", "login_html"),
    ("wechat/verify.html", "wechat", "verify"), ("wechat/deleted.html", "wechat", "deleted"),
    ("wechat/violation.html", "wechat", "violation"), ("forum/nologin.html", "forum", "nologin"),
]


def save_pages(out: Path, scenario: Scenario = FIXTURE_SCENARIO) -> dict[str, dict]:
    """Write the pages and ``manifest.json`` (file → family, url, content type, now, sha1)."""
    sim = Simulator(scenario)
    manifest: dict[str, dict] = {}
    for name, family, method, target, body in pages(sim):
        resp = sim.dispatch(method, target, body, {"Cookie": "SUB=ok"}, HOST)
        _write(out, manifest, name, family, f"http://{HOST}{target}", resp)
    for name, family, mode in FAILURES:
        module = {"weibo": weibo, "wechat": wechat, "forum": discuz}[family]
        resp = module.failure(mode)
        _write(out, manifest, name, "discuz" if family == "forum" else family, None, resp)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")
    return manifest


def _write(out: Path, manifest: dict, name: str, family: str, url: str | None, resp) -> None:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(resp.body)
    manifest[name] = {"family": family, "url": url, "content_type": resp.content_type, "status": resp.status,
                      "now": NOW.isoformat(), "sha1": hashlib.sha1(resp.body).hexdigest()}


if __name__ == "__main__":
    save_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/pages"))
