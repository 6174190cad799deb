"""待审核: the review queue — confirm, dismiss, correct labels, open a case or attach to one; bulk too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from core import CaseStatus, NotFound, Post, Review, ReviewStatus, SentimentLabel
from storage import CaseQuery, PostQuery
from web.auth import User
from web.deps import (
    OWN_ONLY,
    BadRequest,
    CsrfUser,
    CurrentUser,
    Forbidden,
    OfficeUser,
    console,
    may_see_post,
    render,
    safe_next,
)
from web.filters import Filters

router = APIRouter()
ACTIONS = ("confirm", "dismiss", "correct", "open_case", "attach")


@router.get("/review")
def queue(request: Request, user: OfficeUser):
    """Flagged posts, urgent first: complaints by default, pending by default."""
    con = console(request)
    f = Filters.from_params(request.query_params, kind="complaint", status="pending", sort="severity")
    size = con.config.web.page_size
    result = con.store.search(f.query(size))
    open_cases = con.store.list_cases(CaseQuery(open_only=True, limit=100)).items
    return render(
        request, "review.html", nav="review", f=f, result=result, open_cases=open_cases,
        pages=(result.total + size - 1) // size, here=request.url.path + "?" + request.url.query,
    )


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: str, user: CurrentUser):
    """One post with its labels, review and similar posts."""
    con = console(request)
    post = con.store.get_post(post_id)
    if post is None:
        raise BadRequest("帖子不存在", 404)
    if not may_see_post(con, user, post):
        raise Forbidden(OWN_ONLY)
    similar = similar_posts(con, post) if may_search(con, user) else []
    return render(request, "post.html", nav="review", post=post, similar=similar)


@router.get("/posts/{post_id}/similar")
def similar_fragment(request: Request, post_id: str, user: CurrentUser):
    """Similar posts as an HTML fragment (loaded when a queue card's 相似 section is opened)."""
    con = console(request)
    post = con.store.get_post(post_id)
    if post is None:
        raise BadRequest("帖子不存在", 404)
    if not may_search(con, user):
        raise Forbidden(OWN_ONLY)
    return render(request, "_similar.html", similar=similar_posts(con, post))


def may_search(con, user: User) -> bool:
    """Whether the user may see posts beyond their own cases (``web.department_search``)."""
    return user.role != "department" or con.config.web.department_search == "all"


def similar_posts(con, post: Post, n: int = 5) -> list[Post]:
    """Posts sharing the strongest keywords (or the same place and topic), newest first, without this one."""
    words = [w for w in post.keywords[:3] if w.strip()]
    if words:
        q = PostQuery(text=" ".join(words[:2]), limit=n + 1, highlight=False, sort="newest")
    elif post.effective_place_ids:
        q = PostQuery(place_ids=tuple(post.effective_place_ids[:1]),
                      topics=(post.effective_topic,) if post.effective_topic else (), limit=n + 1, highlight=False)
    else:
        return []
    return [h.post for h in con.store.search(q).hits if h.post.id != post.id][:n]


def field(form, key: str, limit: int = 2000) -> str:
    """A text field of a submitted form: "" when absent or when a file was sent in its place."""
    value = form.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _review_for(post: Post, action: str, user: User, form, now, topic_names: dict[str, str],
                place_names: dict[str, str]) -> Review:
    old = post.review
    fields = {
        "reviewer": user.username, "reviewed_at": now, "note": (field(form, "note") or old.note or None),
        "topic": old.topic, "place_ids": old.place_ids, "sentiment_label": old.sentiment_label,
        "is_complaint": old.is_complaint,
    }
    if action == "dismiss":
        return Review(status=ReviewStatus.DISMISSED, **fields)
    if action == "correct":
        topic, place, sentiment = (field(form, k, 200) for k in ("topic", "place", "sentiment"))
        if topic:
            if topic not in topic_names:
                raise BadRequest(f"未知的主题：{topic}")
            fields["topic"] = topic
        if place:
            if place_names and place not in place_names:
                raise BadRequest(f"未知的点位：{place}")
            fields["place_ids"] = [place]
        if sentiment:
            try:
                fields["sentiment_label"] = SentimentLabel(sentiment)
            except ValueError:
                raise BadRequest(f"未知的情感标签：{sentiment}") from None
        if field(form, "complaint") in ("yes", "no"):
            fields["is_complaint"] = field(form, "complaint") == "yes"
        return Review(status=ReviewStatus.CORRECTED, **fields)
    return Review(status=ReviewStatus.CONFIRMED, **fields)


def _apply(request: Request, user: User, post_ids: list[str], form) -> str:
    """Carry out one action on some posts; return the audit summary."""
    con = console(request)
    action = field(form, "action", 40)
    if action not in ACTIONS:
        raise BadRequest("未知的操作")
    if not post_ids:
        raise BadRequest("请先选择帖子")
    posts = con.store.get_posts(post_ids)
    if len(posts) != len(set(post_ids)):
        raise BadRequest("部分帖子不存在", 404)
    if action in ("open_case", "attach"):
        try:
            if action == "open_case":
                place, topic = field(form, "place", 200), field(form, "topic", 200)
                if place and place not in con.place_names:
                    raise BadRequest("未知的点位：请从点位列表中选择")
                if topic and topic not in con.topic_names:
                    raise BadRequest("未知的主题：请从主题列表中选择")
                case = con.cases.flag(
                    [p.id for p in posts], user.username, place_id=place or None,
                    topic=topic or None, note=field(form, "note") or None,
                )
            else:
                case_id = field(form, "case_id", 200)
                existing = con.store.get_case(case_id)
                if existing is None or existing.status is CaseStatus.CLOSED:
                    raise BadRequest("请选择一个未办结的案件", 404)
                case = con.cases.attach_posts(case_id, [p.id for p in posts], user.username)
        except (ValueError, NotFound) as exc:
            raise BadRequest(f"无法建立案件：{exc}") from None
        con.audit.record(user.username, action, f"case:{case.id}", posts=[p.id for p in posts])
        return f"/cases/{case.id}"
    now = con.now()
    for post in posts:
        review = _review_for(post, action, user, form, now, con.topic_names, con.place_names)
        con.store.review_post(post.id, review)
        con.audit.record(
            user.username, f"review_{action}", f"post:{post.id}",
            topic=review.topic, place_ids=review.place_ids,
            sentiment=review.sentiment_label.value if review.sentiment_label else None,
        )
    con.store.refresh()
    return ""


@router.post("/review/{post_id}")
async def act(request: Request, post_id: str, user: CsrfUser):
    """Confirm, dismiss, correct, open a case for, or attach one post."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能审核帖子", 403)
    form = await request.form()
    target = _apply(request, user, [post_id], form)
    return RedirectResponse(target or safe_next(field(form, "next"), "/review"), status_code=303)


@router.post("/review")
async def bulk(request: Request, user: CsrfUser):
    """The same actions on every selected post."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能审核帖子", 403)
    form = await request.form()
    ids = [str(v) for v in form.getlist("post_id")][:500]
    target = _apply(request, user, ids, form)
    return RedirectResponse(target or safe_next(field(form, "next"), "/review"), status_code=303)
