"""社区通-style portal exports (JSON) → posts, through a configurable field mapping, so another platform's
export is a profile (a mapping in YAML), not code.

Canonical id: the portal's item id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core import Author, Post, utcnow
from crawler.parsers.common import ParseError, ParseResult, fragment_text, parse_cn_time, site_of

#: The default mapping (the simulator's shape). Values are dotted paths into the JSON.
DEFAULT_MAPPING: dict[str, str] = {
    "ok_field": "code", "ok_value": "0", "message": "msg", "items": "data.items", "next_cursor": "data.next_cursor",
    "id": "id", "title": "title", "text": "content", "author": "poster", "published_at": "created_at",
    "updated_at": "updated_at", "committee": "committee", "compound": "compound", "board": "board",
    "status": "status", "reply_text": "reply.content", "reply_by": "reply.by", "reply_at": "reply.replied_at",
    "likes": "likes",
}


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path (None if any step is missing)."""
    node = data
    for part in path.split(".") if path else []:
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def parse(body: bytes | str, url: str | None = None, now: datetime | None = None, source: str | None = None,
          mapping: Mapping[str, str] | None = None) -> ParseResult:
    """Parse one page of a portal export."""
    now = now or utcnow()
    m = {**DEFAULT_MAPPING, **(mapping or {})}
    source = source or f"portal:{site_of(url, 'portal')}"
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ParseError(f"JSON 不完整或无效 invalid JSON: {exc}") from None
    if m.get("ok_field") and str(dig(data, m["ok_field"])) != m.get("ok_value", "0"):
        raise ParseError(f"导出接口返回错误 export error {dig(data, m['ok_field'])}: {dig(data, m['message']) or ''}")
    items = dig(data, m["items"])
    if not isinstance(items, list):
        raise ParseError(f"找不到条目列表 no item list at {m['items']!r}")
    result = ParseResult()
    for it in items:
        native = dig(it, m["id"])
        text = fragment_text(str(dig(it, m["text"]) or ""))
        if native is None:
            result.skipped.append("item without id")
            continue
        reply_text = dig(it, m["reply_text"])
        committee = dig(it, m["committee"])
        result.items.append(Post.new(
            source, str(native), url=f"{url.split('?')[0]}#{native}" if url else None,
            title=dig(it, m["title"]), text=text, author=Author(name=dig(it, m["author"])),
            published_at=parse_cn_time(dig(it, m["published_at"]), now), region=committee,
            extra={"committee": committee, "compound": dig(it, m["compound"]), "board": dig(it, m["board"]),
                   "status": dig(it, m["status"]), "updated_at": dig(it, m["updated_at"]),
                   "reply": None if not reply_text else {"by": dig(it, m["reply_by"]), "text": reply_text,
                                                         "at": dig(it, m["reply_at"])}},
        ))
    nxt = dig(data, m["next_cursor"])
    if nxt:
        result.cursor["cursor"] = nxt
    return result
