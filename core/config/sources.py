"""The crawled sources: one section per site, with its family, pacing and logins, and each family's options
(one schema per family: unknown keys are refused with the nearest valid name)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from core.config.section import _Section


# ---- per-family source options ------------------------------------------------------------------------------
class _Options(_Section):
    """Options every family accepts (under ``options:``); unknown keys are refused, with the nearest valid name."""

    timeout: float = Field(30.0, gt=0, description="seconds before a request is abandoned")
    store_batch: int = Field(50, ge=1, description="posts written to the store per batch")
    source: str | None = Field(None, description="label shown for this source in the console (default: the family)")


class WeiboOptions(_Options):
    """family ``weibo``: m.weibo.cn (``api: mobile``) or weibo.com (``api: desktop``)."""

    api: Literal["mobile", "desktop"] = Field(
        "mobile", description="mobile: m.weibo.cn container API; desktop: weibo.com ajax (mymblog, longtext, show)")
    keywords: list[str] = Field(default_factory=list, description="searches (mobile), time-sliced, re-filtered for "
                                "every word; words separated by spaces must all occur")
    users: list[int | str] = Field(default_factory=list, description="user ids whose timelines are read "
                                   "(mobile: container 107603<uid>; desktop: ajax/statuses/mymblog)")
    containers: list[str] = Field(default_factory=list, description="m.weibo.cn container ids read as timelines "
                                  "(mobile only), as the site names them, e.g. 1076031234567890 or "
                                  "2304131234567890_-_WEIBO_SECOND_PROFILE_WEIBO")
    statuses: list[str] = Field(default_factory=list, description="single statuses to watch (mid, bid or status "
                                "URL): re-read each crawl for text and counts (statuses/show)")
    slice_hours: float = Field(6.0, gt=0, description="hours per search slice (a slice at the page cap is split)")
    max_pages: int = Field(50, ge=1, description="pages per search slice or timeline walk (the site caps ~50)")
    comments: bool = Field(False, description="fetch hot comments of posts that mention a watched word")
    watch: list[str] = Field(default_factory=list, description="words whose posts get their comments fetched "
                             "(default: the keywords' words)")
    comment_pages: int = Field(3, ge=1, description="comment pages per post")
    probe: bool = Field(True, description="ask /api/config whether the cookie is logged in first (a hint only: "
                        "the crawl goes on when it fails)")

    @model_validator(mode="after")
    def _mobile_only(self) -> WeiboOptions:
        if self.api == "desktop" and (self.keywords or self.containers):
            raise ValueError("keywords and containers need api: mobile (m.weibo.cn); weibo.com reads users and "
                             "statuses")
        return self


class GetmsgOptions(_Section):
    """One account read through ``profile_ext?action=getmsg`` with a captured key."""

    biz: str = Field(description="the account's __biz")
    key_env: str | None = Field(None, description="environment variable holding the captured key")


class WechatOptions(_Options):
    """family ``wechat``: article lists from feeds, getmsg or URL lists; then the article pages."""

    feeds: list[str] = Field(default_factory=list, description="RSS/Atom/JSON feeds listing articles (a WeRead "
                             "bridge), absolute or under base_url")
    getmsg: list[GetmsgOptions] = Field(default_factory=list, description="accounts read via profile_ext getmsg: "
                                        "[{biz, key_env}]")
    urls: list[str] = Field(default_factory=list, description="article URLs to fetch (mp.weixin.qq.com/s/… or "
                            "/s?__biz=…)")
    account: str | None = Field(None, description="fixes the post source to wechat:<account> (default: the page's "
                                "account name)")
    max_offset: int = Field(50, ge=1, description="getmsg depth per crawl (the rest is resumed next crawl)")


class ForumOptions(_Options):
    """family ``forum``: a Discuz! (X or 7.x) board."""

    preset: Literal["discuz"] = Field("discuz", description="page shapes: discuz (X3.x and 7.x templates)")
    fids: list[int | str] = Field(default_factory=list, description="board ids whose thread lists are read")
    threads: list[int | str] = Field(default_factory=list, description="single threads to watch (tid or thread "
                                     "URL), re-read each crawl")
    site: str | None = Field(None, description="post source suffix: forum:<site> (default: the source name)")
    max_pages: int = Field(10, ge=1, description="list pages per crawl (the rest is resumed next crawl)")
    thread_pages: int = Field(5, ge=1, description="pages read per thread")
    list_url: str = Field("forum.php?mod=forumdisplay&fid={fid}&page={page}",
                          description="thread list URL under base_url ({fid}, {page}); Discuz 7: "
                          "forumdisplay.php?fid={fid}&page={page}; rewritten: forum-{fid}-{page}.html")
    thread_url: str = Field("forum.php?mod=viewthread&tid={tid}", description="thread URL for watched threads "
                            "({tid}); Discuz 7: viewthread.php?tid={tid}; rewritten: thread-{tid}-1-1.html")


class BoardOptions(_Options):
    """family ``board``: a government message board (领导留言板 JSON API, or HTML list and detail pages)."""

    preset: Literal["board", "board_html"] = Field("board", description="board: the signed JSON API; "
                                                   "board_html: HTML list and detail pages")
    fid: int | str | None = Field(None, description="the board (forum) id")
    rows: int = Field(10, ge=1, description="records per list call (board)")
    app_code: str = Field("PC42ce3bfa4980a9", description="appCode the calls are signed with (board)")
    detail: bool = Field(True, description="fetch the full text of truncated messages (board)")
    list_path: str = Field("/v1/threads/list/df", description="list API path (board)")
    detail_path: str = Field("/v1/threads/content", description="detail API path (board)")
    list_url: str = Field("threads/list?fid={fid}&page={page}", description="list page URL (board_html)")
    site: str | None = Field(None, description="post source suffix: board:<site> (default: the source name)")


class PortalOptions(_Options):
    """family ``portal``: a 社区通-style JSON export, read through a field mapping."""

    preset: Literal["export"] = Field("export", description="export: a paged JSON export")
    path: str = Field("/api/v1/export/posts", description="export path under base_url")
    page_size: int = Field(100, ge=1, description="records per page")
    token_env: str | None = Field(None, description="environment variable holding the export token")
    mapping: dict[str, str] = Field(default_factory=dict, description="field → dotted path into the export's "
                                    "JSON (see crawler/parsers/portal.py DEFAULT_MAPPING)")
    site: str | None = Field(None, description="post source suffix: portal:<site> (default: the source name)")


#: The option schema of each family.
OPTIONS: dict[str, type[_Options]] = {"weibo": WeiboOptions, "wechat": WechatOptions, "forum": ForumOptions,
                                       "board": BoardOptions, "portal": PortalOptions}


def _with_suggestions(exc: ValidationError, schema: type[BaseModel]) -> ValidationError:
    """The same errors, an unknown key's message naming the nearest valid key (difflib)."""
    errors: list[Any] = []
    for err in exc.errors():
        if err["type"] == "extra_forbidden":
            loc = err["loc"]
            parent: Any = schema
            for part in loc[:-1]:  # walk into nested option models (getmsg entries)
                field = parent.model_fields.get(str(part)) if isinstance(part, str) else None
                if field is not None:
                    inner = getattr(field.annotation, "__args__", (field.annotation,))[0]
                    parent = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else parent
            names = list(parent.model_fields)
            near = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.5)
            hint = f"; did you mean {near[0]!r}?" if near else f"; valid: {', '.join(names)}"
            errors.append({"type": PydanticCustomError("unknown_option", "unknown key {key}{hint}",
                                                       {"key": repr(str(loc[-1])), "hint": hint}),
                           "loc": loc, "input": err["input"]})
        else:
            errors.append({"type": PydanticCustomError(err["type"], err["msg"]), "loc": err["loc"],
                           "input": err["input"]})
    return ValidationError.from_exception_data(exc.title, errors)


def source_options(family: str, options: Mapping[str, Any]) -> _Options:
    """The options of a source as its family's typed schema (raises ValidationError naming the key)."""
    schema = OPTIONS[family]
    try:
        return schema.model_validate(dict(options))
    except ValidationError as exc:
        raise _with_suggestions(exc, schema) from None


class SourceConfig(_Section):
    """One crawled source: a family (weibo, wechat, portal, forum, board) and where it lives."""

    name: str = Field(description="unique short name, e.g. weibo-search")
    family: Literal["weibo", "wechat", "portal", "forum", "board"] = Field(
        description="source family: weibo, wechat, portal, forum, board")
    base_url: str = Field(description="the site's root or API host (real site, simulator or replay)")
    enabled: bool = True
    official: bool = Field(False, description="官方账号 official account (e.g. the town's own 公众号, a police "
                           "Weibo): its posts are notices, not complaints, unless a reviewer says otherwise")
    interval: float = Field(900.0, gt=0, description="seconds between crawls")
    jitter: float = Field(0.1, ge=0, le=1, description="random fraction added to the interval")
    cookie_env: str | None = Field(None, description="name of the environment variable holding the cookie")
    accounts: list[dict[str, str]] = Field(
        default_factory=list, description="more logins, rotated: [{name, cookie_env}] (cookies from the environment)")
    proxies: list[str] = Field(default_factory=list, description="proxy URLs, rotated per request")
    delay: float | None = Field(None, ge=0, description="seconds between requests (default per family: "
                                "weibo 3, wechat 10, forum 2, board 2, portal 1)")
    concurrency: int = Field(1, ge=1, le=2, description="concurrent requests per domain (1–2)")
    obey_robots: bool | None = Field(None, description="obey robots.txt (default: yes for forums and boards)")
    user_agent: str | None = Field(None, description="User-Agent header (default: a desktop browser)")
    revisit_hours: float = Field(6.0, ge=0, description="re-fetch this much before the watermark (counts, status)")
    lookback_hours: float = Field(168.0, gt=0, description="how far back the first crawl goes")
    backoff_base: float = Field(900.0, gt=0, description="first backoff after a failure, seconds (doubles)")
    backoff_ceiling: float = Field(10800.0, gt=0, description="longest backoff, seconds")
    options: dict[str, Any] = Field(default_factory=dict, description="family-specific options (below, per family)")

    @field_validator("options")
    @classmethod
    def _check_options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        family = info.data.get("family")
        if family not in OPTIONS:
            return value
        return source_options(family, value).model_dump(exclude_unset=True)

    def typed_options(self) -> Any:
        """The options as the family's schema, defaults filled in."""
        return source_options(self.family, self.options)

    def cookie(self, environ: Mapping[str, str] | None = None) -> SecretStr | None:
        """The source's cookie, read from the environment variable named by ``cookie_env``."""
        if not self.cookie_env:
            return None
        value = (environ if environ is not None else os.environ).get(self.cookie_env)
        return SecretStr(value) if value else None

    def account_envs(self) -> list[tuple[str, str]]:
        """(account name, environment variable) of every configured login, ``cookie_env`` first."""
        out = [("default", self.cookie_env)] if self.cookie_env else []
        out += [(a.get("name") or a["cookie_env"], a["cookie_env"]) for a in self.accounts if a.get("cookie_env")]
        return out

    @property
    def request_delay(self) -> float:
        """Seconds between requests: the configured delay, else the family's polite default."""
        if self.delay is not None:
            return self.delay
        return {"weibo": 3.0, "wechat": 10.0, "forum": 2.0, "board": 2.0}.get(self.family, 1.0)

    @property
    def robots(self) -> bool:
        """Whether robots.txt is obeyed."""
        return self.obey_robots if self.obey_robots is not None else self.family in ("forum", "board")
