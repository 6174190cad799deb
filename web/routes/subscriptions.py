"""订阅: keyword alerts — a reviewer's words and places, and the channels that tell them about new posts."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from web.deps import BadRequest, CsrfUser, OfficeUser, console, render
from web.filters import UnknownPlace, listed_place
from web.routes.review import field
from web.subscriptions import parse_places, parse_words, run_keyword_alerts

router = APIRouter()


def _channels(con) -> list[str]:
    return [ch.name for ch in con.config.alerts.channels]


@router.get("/subscriptions")
def subscriptions(request: Request, user: OfficeUser):
    """The user's subscriptions and the form to add one."""
    return _page(request, user, done=request.query_params.get("done", "")[:40])


def _page(request: Request, user, *, done: str = "", error: str = "", typed: dict | None = None, status: int = 200):
    """The subscriptions page; ``error`` is shown above the form, which keeps what was ``typed``."""
    con = console(request)
    return render(request, "subscriptions.html", status, nav="subscriptions", subs=con.subscriptions.all(user.username),
                  channels=_channels(con), done=done, error=error, typed=typed or {})


@router.post("/subscriptions")
async def add(request: Request, user: CsrfUser):
    """Subscribe to words and/or places (ids, names or aliases) on some channels; a refused form comes back with
    what was typed and a message."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能订阅关键词", 403)
    con = console(request)
    form = await request.form()
    typed_places = [p for v in form.getlist("place") if isinstance(v, str) for p in parse_places(v)]
    channels = tuple(v for v in form.getlist("channel") if isinstance(v, str))
    typed = {"words": field(form, "words", 400), "place": "、".join(typed_places)[:200], "channels": channels}
    words = parse_words(typed["words"])
    try:
        places = tuple(dict.fromkeys(listed_place(con.gazetteer, con.place_names, p) for p in typed_places))[:20]
    except UnknownPlace as exc:
        return _page(request, user, error=str(exc), typed=typed, status=400)
    error = ""
    if not words and not places:
        error = "请填写关键词或选择点位"
    elif not channels or any(c not in _channels(con) for c in channels):
        error = "请选择已配置的推送渠道（alerts.channels）"
    if error:
        return _page(request, user, error=error, typed=typed, status=400)
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
