"""订阅: keyword alerts — a reviewer's words and places, and the channels that tell them about new posts."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from web.deps import BadRequest, CsrfUser, OfficeUser, console, render
from web.routes.review import field
from web.subscriptions import parse_words, run_keyword_alerts

router = APIRouter()


def _channels(con) -> list[str]:
    return [ch.name for ch in con.config.alerts.channels]


@router.get("/subscriptions")
def subscriptions(request: Request, user: OfficeUser):
    """The user's subscriptions and the form to add one."""
    con = console(request)
    return render(request, "subscriptions.html", nav="subscriptions", subs=con.subscriptions.all(user.username),
                  channels=_channels(con), done=request.query_params.get("done", "")[:40])


@router.post("/subscriptions")
async def add(request: Request, user: CsrfUser):
    """Subscribe to words and/or places on some channels."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能订阅关键词", 403)
    con = console(request)
    form = await request.form()
    words = parse_words(field(form, "words", 400))
    places = tuple(dict.fromkeys(v for v in form.getlist("place") if isinstance(v, str) and v))[:20]
    unknown = [p for p in places if p not in con.place_names]
    if unknown:
        raise BadRequest("未知的点位：请从点位列表中选择")
    channels = tuple(v for v in form.getlist("channel") if isinstance(v, str))
    if not words and not places:
        raise BadRequest("请填写关键词或选择点位")
    if not channels or any(c not in _channels(con) for c in channels):
        raise BadRequest("请选择已配置的推送渠道（alerts.channels）")
    sub = con.subscriptions.add(user.username, words, places, channels, con.now())
    con.audit.record(user.username, "subscribe", f"subscription:{sub.id}", words=list(words), places=list(places),
                     channels=list(channels))
    return RedirectResponse("/subscriptions?done=added", status_code=303)


@router.post("/subscriptions/{sub_id}/delete")
def remove(request: Request, sub_id: str, user: CsrfUser):
    """Remove one of the user's subscriptions."""
    con = console(request)
    if not con.subscriptions.remove(sub_id, user.username):
        raise BadRequest("订阅不存在", 404)
    con.audit.record(user.username, "unsubscribe", f"subscription:{sub_id}")
    return RedirectResponse("/subscriptions?done=removed", status_code=303)


@router.post("/subscriptions/check")
def check_now(request: Request, user: CsrfUser):
    """Match the last 24 hours' posts now (the daemon does this on its schedule); already-sent ones are skipped."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能订阅关键词", 403)
    con = console(request)
    now = con.now()
    n = run_keyword_alerts(con.store, con.subscriptions, now - timedelta(hours=24), now, now, con.place_names)
    con.audit.record(user.username, "subscriptions_check", "subscriptions", queued=n)
    return RedirectResponse(f"/subscriptions?done=checked-{n}", status_code=303)
