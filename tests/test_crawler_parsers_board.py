"""The message-board parser (JSON list and detail, the HTML variant, the legacy list API) and the portal
export read through a mapping, with a frozen clock."""

from __future__ import annotations

import json
from datetime import datetime

from core import SHANGHAI
from crawler.parsers import PARSERS
from tests.parser_pages import NOW, NOW_2021, saved


def test_board_json_list_cursor_detail_reply_and_html_variant() -> None:
    lst = saved("board/list.json")
    assert lst.cursor == {"lastItem": lst.items[-1].native_id, "count": 10}
    assert all(p.extra["status"] in ("待回复", "办理中", "已办理") for p in lst.items)
    detail_json, detail_html = saved("board/content.json").items[0], saved("board/content.html").items[0]
    assert detail_json.id == detail_html.id and detail_json.text == detail_html.text
    assert detail_json.extra["status"] == detail_html.extra["status"]
    links = saved("board/list.html").links
    assert len(links) == 10 and all(link["tid"] for link in links)


def test_board_legacy_list_api_and_string_codes() -> None:
    from crawler.classify import Outcome, classify

    rec = {"tid": 9001, "subject": "路灯不亮", "content": "乾溪路的路灯坏了…", "nickName": "王***",
           "dateline": 1762300000, "stateInfo": "办理中", "typeName": "投诉", "domainName": "城建"}
    legacy = json.dumps({"result": "success", "success": True, "responseData": [rec]}, ensure_ascii=False).encode()
    (p,) = PARSERS["board"](legacy, url="http://liuyan.example/threads/queryThreadsList", now=NOW).items
    assert p.native_id == "9001" and p.extra["status"] == "办理中" and p.extra["truncated"]
    assert classify("board", 200, legacy)[0] is Outcome.OK
    modern = json.dumps({"resultCode": "200", "resultData": {"data": [rec]}}, ensure_ascii=False).encode()
    assert PARSERS["board"](modern, now=NOW).items and classify("board", 200, modern)[0] is Outcome.OK


def test_portal_export_through_a_mapping() -> None:
    row = {"pid": 7, "subject": "楼道堆物", "body": "<p>3号楼楼道堆满杂物</p>", "user": "李**",
           "time": "2026-11-03 08:00", "jw": "乾溪一居委"}
    body = json.dumps({"status": "success", "result": {"rows": [row]}}, ensure_ascii=False)
    mapping = {"ok_field": "status", "ok_value": "success", "items": "result.rows", "id": "pid", "title": "subject",
               "text": "body", "author": "user", "published_at": "time", "committee": "jw"}
    (p,) = PARSERS["portal"](body, url="http://x/api", now=NOW_2021, mapping=mapping).items
    assert (p.native_id, p.text, p.region) == ("7", "3号楼楼道堆满杂物", "乾溪一居委")
    assert p.published_at == datetime(2026, 11, 3, 8, 0, tzinfo=SHANGHAI)
