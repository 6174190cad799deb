"""A government message board (领导留言板 / 12345 style): a signed JSON list API with a ``lastItem`` cursor,
a JSON detail with the handling organisation's reply, and an HTML list/detail variant."""

from __future__ import annotations

import hashlib
import html
import json
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from simulator.http import NOT_FOUND, Request, Response, html_response, json_response
from simulator.world import SimPost

if TYPE_CHECKING:
    from simulator.server import Simulator

ROWS = 10
APP_CODE = "PC42ce3bfa4980a9"
DOMAINS = {"sanitation": "城建", "shop_signs": "城建", "illegal_construction": "城建", "parking": "交通",
           "traffic": "交通", "food_hygiene": "卫生", "river": "环保", "greenery": "环保", "noise": "环保",
           "facilities": "城建", "property": "住房"}
ORGS = {"城建": "大场镇城管中队", "交通": "宝山公安分局大场派出所", "卫生": "大场镇市场监管所",
        "环保": "大场镇生态环境办", "住房": "大场镇房管办", "其他": "大场镇城运中心"}


def signature(path: str, param: str, app_code: str = APP_CODE) -> str:
    """The list/detail signature: md5(path + compact param JSON + md5(appCode)[:16])."""
    return hashlib.md5((path + param + hashlib.md5(app_code.encode()).hexdigest()[:16]).encode()).hexdigest()


def state(p: SimPost, now: datetime) -> tuple[str, datetime | None]:
    """(status, reply time): 待回复 for a day, 办理中 until day three, then 已办理 with a reply."""
    age = now - p.at
    if age < timedelta(days=1):
        return "待回复", None
    if age < timedelta(days=3):
        return "办理中", None
    return "已办理", p.at + timedelta(days=3)


def mask(name: str) -> str:
    """Masked poster name, e.g. 陈***."""
    return name[:1] + "***"


def record(p: SimPost, now: datetime, full: bool = False) -> dict[str, Any]:
    """A list/detail record with the fields the real API carries."""
    rng = random.Random(p.seq)
    domain = DOMAINS.get(p.topic or "", "其他")
    st, replied = state(p, now)
    content = p.text if full or len(p.text) <= 60 else p.text[:60] + "…"
    rec = {
        "tid": int(p.native), "fid": int(p.channel), "typeId": 1, "domainId": 3, "topicId": 0,
        "subject": p.title, "content": content, "nickName": mask(p.author_name),
        "dateline": int(p.at.timestamp()), "createDateline": int(p.at.timestamp()),
        "ip": f"124.227.{rng.randrange(255)}.*", "from": " 上海市 宝山区",
        "sourceName": rng.choice(["PC浏览器", "手机网页"]),
        "stateInfo": st, "traceInfo": st, "processInfo": "已交办" if st != "待回复" else "未交办", "threadState": 1,
        "forumName": "宝山区大场镇党委书记",
        "typeName": "投诉" if p.kind == "complaint" else rng.choice(["咨询", "建言"]),
        "domainName": domain, "favNum": rng.randrange(20), "hasReported": 0, "userType": 1,
        "answerId": None, "answerContent": None, "answerDateline": None, "answerOrganization": None,
        "grade": None, "lastAnswerTime": None,
    }
    if replied is not None:
        rec.update(answerId=int(p.native) + 1, answerDateline=int(replied.timestamp()), answerOrganization=ORGS[domain],
                   answerContent=f"网友您好！您反映的问题已收悉。经{ORGS[domain]}现场核查，已责成相关责任方整改，"
                                 "后续将加强巡查。感谢您的监督！", lastAnswerTime=int(replied.timestamp()))
    return rec


def _visible(sim: Simulator, fid: str, now: datetime) -> list[SimPost]:
    return [p for p in reversed(sim.world.visible("board", now)) if p.channel == fid]


def list_api(sim: Simulator, req: Request, now: datetime) -> Response:
    """``POST /v1/threads/list/df``: newest first, ``lastItem`` = last tid seen, ``rows`` per call."""
    body = req.json() or {}
    param_raw = body.get("param") or "{}"
    if body.get("signature") != signature("/v1/threads/list/df", param_raw, body.get("appCode", "")):
        return json_response({"resultCode": 403, "resultMsg": "签名校验失败", "resultData": None})
    param = json.loads(param_raw)
    items = _visible(sim, str(param.get("fid", "")), now)
    last = str(param.get("lastItem") or "")
    if last:
        items = [p for p in items if int(p.native) < int(last)]
    rows = int(param.get("rows") or ROWS)
    return json_response({"resultCode": 200, "resultMsg": "success",
                          "resultData": {"data": [record(p, now) for p in items[:rows]]}})


def content_api(sim: Simulator, req: Request, now: datetime) -> Response:
    """``POST /v1/threads/content``: the message and its reply."""
    body = req.json() or {}
    param_raw = body.get("param") or "{}"
    if body.get("signature") != signature("/v1/threads/content", param_raw, body.get("appCode", "")):
        return json_response({"resultCode": 403, "resultMsg": "签名校验失败", "resultData": None})
    p = sim.world.get("board", str(json.loads(param_raw).get("tid", "")))
    if p is None or p.at > now:
        return json_response({"resultCode": 404, "resultMsg": "该留言不存在或已被删除", "resultData": None})
    rec = record(p, now, full=True)
    items = [{"content": rec["content"], "dateline": rec["dateline"], "organization": None,
              "nickName": rec["nickName"], "stateInfo": rec["stateInfo"], "tags": [rec["typeName"], rec["domainName"]]}]
    if rec["answerContent"]:
        items.append({"content": rec["answerContent"], "dateline": rec["answerDateline"],
                      "organization": rec["answerOrganization"], "nickName": None, "stateInfo": rec["stateInfo"],
                      "tags": []})
    data = {"thread": rec, "contentList": items}
    return json_response({"resultCode": 200, "resultMsg": "success", "resultData": data})


def list_html(sim: Simulator, fid: str, page: int, now: datetime) -> Response:
    """The HTML list (``ul.replyList > li``)."""
    items = _visible(sim, fid, now)
    chunk = items[(page - 1) * ROWS: page * ROWS]
    lis = "".join(
        f'<li><div class="tabList"><h1><a href="content?tid={p.native}">{html.escape(p.title)}</a></h1>'
        f'<span class="state">{state(p, now)[0]}</span></div><div class="headMainS"><p>{p.at:%Y-%m-%d %H:%M}</p></div>'
        f'<p class="replyContent">{html.escape(record(p, now)["content"])}</p></li>' for p in chunk)
    nxt = f'<a class="next" href="list?fid={fid}&amp;page={page + 1}">下一页</a>' if len(items) > page * ROWS else ""
    return html_response(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>领导留言板</title></head><body>'
                         f'<div id="currentForum">宝山区大场镇党委书记</div><ul class="replyList">{lis}</ul>{nxt}'
                         f'</body></html>')


def detail_html(sim: Simulator, tid: str, now: datetime) -> Response:
    """The HTML detail: title, area, status, poster and time, message and reply."""
    p = sim.world.get("board", tid)
    if p is None or p.at > now:
        return html_response('<html><head><meta charset="utf-8"><title>领导留言板</title></head><body>'
                             '<div class="errorPage">该留言不存在或已被删除</div></body></html>')
    rec = record(p, now, full=True)
    reply = ""
    if rec["answerContent"]:
        at = datetime.fromtimestamp(rec["answerDateline"], p.at.tzinfo)
        reply = (f'<div class="replyInfoItem"><div class="replyHandleMain"><h4 class="orgName">'
                 f'{rec["answerOrganization"]}</h4><p class="handleTime">{at:%Y-%m-%d %H:%M}</p></div>'
                 f'<p id="replyContentMain" class="handleContent">{html.escape(rec["answerContent"])}</p></div>')
    return html_response(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(p.title)}_领导留言板</title></head>'
        f'<body><div class="path_2j">上海市 &gt; 宝山区 &gt; 大场镇</div><div class="context-title-text">'
        f'{html.escape(p.title)}</div><h2><b>留言状态：<em>{rec["stateInfo"]}</em></b><span class="type">'
        f'{rec["typeName"]}</span> <span class="domain">{rec["domainName"]}</span></h2><h3 class="grey2">'
        f'<span>{rec["nickName"]}</span> <span>{p.at:%Y-%m-%d %H:%M:%S}</span></h3><div class="content" '
        f'data-tid="{p.native}">{html.escape(p.text)}</div>{reply}</body></html>')


def failure(mode: str) -> Response | None:
    """Injected failures."""
    if mode in ("500", "502", "503"):
        return Response(int(mode), b"<html><body>Bad Gateway</body></html>", "text/html")
    if mode == "throttled":
        return json_response({"resultCode": 429, "resultMsg": "访问过于频繁，请稍后再试", "resultData": None})
    if mode == "broken":
        return Response(200, b'{"resultCode":200,"resultData":{"data":[{"tid":', "application/json")
    return None


def handle(sim: Simulator, req: Request) -> Response:
    """Route a board request."""
    now = sim.clock.now()
    if req.path == "/v1/threads/list/df" and req.method == "POST":
        return list_api(sim, req, now)
    if req.path == "/v1/threads/content" and req.method == "POST":
        return content_api(sim, req, now)
    if req.path == "/threads/list":
        return list_html(sim, req.query.get("fid", ""), max(1, int(req.query.get("page") or 1)), now)
    if req.path == "/threads/content":
        return detail_html(sim, req.query.get("tid", ""), now)
    return NOT_FOUND
