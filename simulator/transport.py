"""HTTP transport as the real sites send it: content coding per ``Accept-Encoding`` (gzip, deflate, br),
chunked bodies for compressed responses (nginx's way), the cookies each platform sets, ``Vary``; and the
hostile transport a crawler meets sooner or later: a decompression bomb, a body that never ends, truncated
gzip, a wrong charset label.

:func:`prepare` turns a :class:`~simulator.http.Response` into a :class:`Wire` (status, header lines, body
chunks, chunked or not); the server only writes it.
"""

from __future__ import annotations

import gzip
import itertools
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache

import brotli

from simulator.http import Response

#: Content codings each family prefers, in order; one the client accepts is used (else identity).
PREFERRED = {"weibo": ["gzip"], "wechat": ["br", "gzip"], "forum": ["gzip"], "board": ["deflate", "gzip"],
             "portal": ["br", "gzip"]}
MIN_COMPRESS = 256  # smaller bodies go out as they are (nginx's gzip_min_length)
CHUNK = 8192
#: Faults of the transport rather than of a page (any family).
HOSTILE = ("bomb", "endless", "truncated", "charset")
BOMB_MIB = 1024  # the bomb inflates to this many MiB (a few KB on the wire)


@dataclass
class Wire:
    """What goes on the wire: the status line's code, header lines (repeatable), the body in chunks."""

    status: int
    headers: list[tuple[str, str]]
    body: Iterable[bytes]
    chunked: bool = False
    length: int | None = None


def accepted(header: str) -> dict[str, float]:
    """``Accept-Encoding`` as {coding: q} (``q=0`` refuses a coding)."""
    out: dict[str, float] = {}
    for part in header.split(","):
        name, *params = [p.strip() for p in part.split(";")]
        if not name:
            continue
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        out[name.lower()] = q
    return out


def negotiate(accept_encoding: str, preferred: list[str]) -> str | None:
    """The first preferred coding the client accepts (``*`` counts), or None for identity."""
    acc = accepted(accept_encoding)
    for coding in preferred:
        if acc.get(coding, acc.get("*", 0.0)) > 0:
            return coding
    return None


def encode(body: bytes, coding: str) -> bytes:
    """``body`` in a content coding (deflate is zlib-wrapped, as RFC 9110 says)."""
    if coding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    if coding == "deflate":
        return zlib.compress(body, 6)
    if coding == "br":
        return brotli.compress(body, quality=5)
    raise ValueError(f"unknown coding {coding!r}")


@cache
def bomb(mib: int = BOMB_MIB) -> bytes:
    """A decompression bomb: raw deflate of ``mib`` MiB of zeros (each MiB one identical flushed block),
    gzipped again — a few KB sent as ``Content-Encoding: deflate, gzip``."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    inner = block * mib + b"\x03\x00"  # an empty final block ends the raw stream
    return gzip.compress(inner, compresslevel=9, mtime=0)


def endless(content: bytes = b"<p>" + "大场镇 ".encode() * 500 + b"</p>\n") -> Iterator[bytes]:
    """An HTML body that never ends (the server stops when the client hangs up, or after 64 GiB)."""
    yield b"<html><body>"
    yield from itertools.repeat(content, (64 << 30) // len(content))


def relabel(content_type: str) -> str:
    """The content type with a wrong charset: UTF-8 bodies labelled GBK and the other way round."""
    base, _, params = content_type.partition(";")
    wrong = "utf-8" if "gbk" in params.lower() or "gb2312" in params.lower() else "gbk"
    return f"{base.strip()}; charset={wrong}"


def cookies(family: str, now: datetime, seq: int) -> list[str]:
    """The ``Set-Cookie`` lines a platform sends on every answer (values vary, shapes do not)."""
    def exp(seconds: int) -> str:
        at = (now + timedelta(seconds=seconds)).astimezone(UTC)
        return f"expires={format_datetime(at, usegmt=True)}; Max-Age={seconds}"

    token = f"{zlib.crc32(f'{family}:{seq}'.encode()):08x}"
    if family == "weibo":
        return [f"XSRF-TOKEN={token[:6]}; {exp(1200)}; path=/",
                f"WEIBOCN_FROM=1110006030; {exp(600)}; path=/; HttpOnly",
                f"MLOGIN=0; {exp(3600)}; path=/",
                f"M_WEIBOCN_PARAMS=oid%3D{seq}%26luicode%3D20000061; {exp(600)}; path=/; HttpOnly"]
    if family == "wechat":
        return ["rewardsn=; Path=/; Secure; HttpOnly", "wxtokenkey=777; Path=/; Secure; HttpOnly"]
    if family == "forum":
        return [f"dc_2132_saltkey={token}; {exp(2592000)}; path=/; httponly",
                f"dc_2132_lastvisit={int(now.timestamp()) - 3600}; {exp(2592000)}; path=/",
                f"dc_2132_sid={token[:6]}; {exp(86400)}; path=/; httponly",
                f"dc_2132_lastact={int(now.timestamp())}%09forum.php%09; {exp(86400)}; path=/"]
    if family == "board":
        return [f"JSESSIONID={token.upper()}{token.upper()}; Path=/; HttpOnly"]
    return []


def _chunks(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), CHUNK):
        yield data[i:i + CHUNK]


def prepare(resp: Response, family: str | None, accept_encoding: str, *, mode: str | None = None,
            set_cookies: list[str] | None = None, head: bool = False) -> Wire:
    """The wire form of a response: compressed per ``Accept-Encoding`` and sent chunked when compressed;
    ``mode``: a hostile transport fault (:data:`HOSTILE`)."""
    headers: list[tuple[str, str]] = []
    content_type = relabel(resp.content_type) if mode == "charset" else resp.content_type
    headers.append(("Content-Type", content_type))
    headers += [(k, v) for k, v in resp.headers.items()]
    headers += [("Set-Cookie", c) for c in set_cookies or []]
    if mode == "bomb":
        body = bomb()
        headers += [("Content-Encoding", "deflate, gzip"), ("Content-Length", str(len(body)))]
        return Wire(resp.status, headers, [] if head else [body], length=len(body))
    if mode == "endless":
        headers.append(("Transfer-Encoding", "chunked"))
        return Wire(resp.status, headers, [] if head else endless(), chunked=True)
    body = resp.body
    coding = negotiate(accept_encoding, PREFERRED.get(family or "", ["gzip"])) if family else None
    if mode == "truncated":
        coding = "gzip"
    if coding and (len(body) >= MIN_COMPRESS or mode == "truncated") and "Content-Encoding" not in resp.headers:
        body = encode(body, coding)
        headers += [("Vary", "Accept-Encoding"), ("Content-Encoding", coding)]
        if mode == "truncated":  # the stream stops half-way; the length matches what is sent
            body = body[:max(10, len(body) // 2)]
            headers.append(("Content-Length", str(len(body))))
            return Wire(resp.status, headers, [] if head else [body], length=len(body))
        headers.append(("Transfer-Encoding", "chunked"))
        return Wire(resp.status, headers, [] if head else _chunks(body), chunked=True)
    headers.append(("Content-Length", str(len(body))))
    return Wire(resp.status, headers, [] if head else [body], length=len(body))
