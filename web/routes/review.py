"""待审核: the review queue — confirm, dismiss, correct labels, open a case or attach to one; bulk too."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dc_field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse

from core import CaseStatus, Conflict, NotFound, Post, Review, ReviewStatus, SentimentLabel
from storage import CaseQuery, PostQuery
from web import present
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
from web.filters import Filters, UnknownPlace, listed_place

router = APIRouter()
ACTIONS = ("confirm", "dismiss", "correct", "open_case", "attach")


@router.get("/review")
def queue(request: Request, user: OfficeUser):
    """Flagged posts, urgent first: complaints by default, pending by default; one card per near-duplicate
    cluster on the page (its count, sources, first and last seen; its members listed on the card)."""
    con = console(request)
    params, kind_auto = queue_params(request.query_params)
    f = Filters.from_params(params, gazetteer=con.gazetteer, topics=con.topic_names,
                            kind="" if params.get("type") else "complaint", status="pending", sort="severity")
    size = con.config.web.page_size
    f, result = f.search(con.store, size)  # past the end: the last page, said so
    open_cases = con.store.list_cases(CaseQuery(open_only=True, limit=100)).items
    params = request.query_params
    flash = None
    if params.get("done") in DONE:
        flash = {"message": done_message(params["done"], _count(params.get("n")), _count(params.get("skipped"))),
                 "undo": params.get("undo", "")[:64]}
    here = request.url.path + "?" + urlencode([(k, v) for k, v in params.multi_items() if k not in FLASH_KEYS])
    return render(
        request, "review.html", nav="review", f=f, result=result, open_cases=open_cases, cards=clusters(result.hits),
        pages=(result.total + size - 1) // size, here=here, flash=flash, kind_auto=kind_auto,
    )


def queue_params(params) -> tuple[dict[str, str], bool]:
    """The queue's query parameters, and whether 类别 is left to its default (absent, or ``auto`` from the form):
    complaints when no 留言类型 is chosen, every post of the chosen type when one is (a 咨询 or 表扬 is seldom a
    complaint, so the complaint default would hide them all)."""
    values = {k: v for k, v in params.items()}
    auto = values.get("kind", "auto") == "auto"
    if auto:
        values.pop("kind", None)
    return values, auto


#: Flash messages after an action (no-JS pages get them through the redirect's query string).
DONE = {"confirm": "已确认 {n} 条", "dismiss": "已排除 {n} 条", "correct": "已更正 {n} 条",
        "undo": "已撤销，{n} 条恢复原状"}
#: Said when posts were left alone because someone reviewed them in the meantime.
SKIPPED = {"undo": "{k} 条此后已被他人审核，保留其结果", "": "{k} 条刚被他人审核，未覆盖，请刷新查看"}
FLASH_KEYS = ("done", "n", "skipped", "undo")


def done_message(action: str, n: int, skipped: int = 0) -> str:
    """What an action did, in one line (the same for the script and for the redirect of a plain form)."""
    message = DONE[action].format(n=n)
    if skipped:
        message += "；" + SKIPPED.get(action, SKIPPED[""]).format(k=skipped)
    return message


def _count(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), 10000))
    except ValueError:
        return 0


def clusters(hits: list) -> list[dict]:
    """The page's hits as cards: one per near-duplicate cluster, in the order of its first hit."""
    cards: dict[str, dict] = {}
    for hit in hits:
        card = cards.setdefault(hit.post.dedupe_key, {"hit": hit, "members": []})
        card["members"].append(hit.post)
    for card in cards.values():
        members = card["members"]
        card["ids"] = ",".join(p.id for p in members)
        card["sources"] = sorted({p.source for p in members})
        card["first"] = min(p.published_at for p in members)
        card["last"] = max(p.published_at for p in members)
    return list(cards.values())


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


def place_of(con, form, own: Counter[str] | None = None) -> str:
    """The form's place box as a listed place's id ("" when blank): an id, a name or an alias
    (:func:`web.filters.listed_place`), or one of ``own`` (the posts' own place keys, unlisted ones too); a name that
    is unknown or ambiguous is refused with its likely meanings."""
    value = field(form, "place", 200)
    if own and value in own:
        return value
    try:
        return listed_place(con.gazetteer, con.place_names, value)
    except UnknownPlace as exc:
        raise BadRequest(str(exc)) from None


def _review_for(post: Post, action: str, user: User, form, now, topic_names: dict[str, str], place: str) -> Review:
    """The review an action writes; ``place`` is the place box already read as an id (:func:`place_of`)."""
    old = post.review
    fields = {
        "reviewer": user.username, "reviewed_at": now, "note": (field(form, "note") or old.note or None),
        "topic": old.topic, "place_ids": old.place_ids, "sentiment_label": old.sentiment_label,
        "is_complaint": old.is_complaint,
    }
    if action == "dismiss":
        return Review(status=ReviewStatus.DISMISSED, **fields)
    if action == "correct":
        topic, sentiment = (field(form, k, 200) for k in ("topic", "sentiment"))
        if topic:
            if topic not in topic_names:
                raise BadRequest(f"未知的主题：{topic}")
            fields["topic"] = topic
        if place:
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


class ChoosePlace(Exception):
    """Posts ticked for one case name different places: the reviewer picks the case's place first."""

    def __init__(self, con, post_ids: list[str], places: Counter[str]) -> None:
        self.post_ids, self.places = post_ids, [(k, con.place_name(k), n) for k, n in places.items()]
        listed = "、".join(f"{name} {n} 条" for _, name, n in self.places)
        tied = len(self.places) > 1 and self.places[0][2] == self.places[1][2]
        super().__init__(f"所选 {len(post_ids)} 条帖子涉及不同点位：{listed}。请选择案件的点位后再建案"
                         f"（默认为{'' if tied else '提及最多的'}「{self.places[0][1]}」）")


@dataclass
class Outcome:
    """What an action did: a message, the posts it took off the queue, an undo token, a case to go to."""

    action: str
    message: str
    post_ids: list[str] = dc_field(default_factory=list)
    undo: str | None = None
    skipped: int = 0
    location: str | None = None


def _apply(request: Request, user: User, post_ids: list[str], form) -> Outcome:
    """Carry out one action on some posts."""
    con = console(request)
    action = field(form, "action", 40)
    if action not in ACTIONS:
        raise BadRequest("未知的操作")
    if not post_ids:
        raise BadRequest("请先选择帖子")
    posts = con.store.get_posts(post_ids)
    if len(posts) != len(set(post_ids)):
        raise BadRequest("部分帖子不存在", 404)
    ids = [p.id for p in posts]
    if action in ("open_case", "attach"):
        try:
            if action == "open_case":
                own = con.cases.candidate_places(posts)  # most named first: flag's default is the first
                place, topic = place_of(con, form, own), field(form, "topic", 200)
                # posts whose first places differ: never pick one unseen (one post naming an estate and its road,
                # or posts that share their first place, take it as before)
                firsts = {next((k for k in p.effective_place_keys if k in own), None) for p in posts} - {None}
                if not place and len(firsts) > 1:
                    raise ChoosePlace(con, ids, own)
                if topic and topic not in con.topic_names:
                    raise BadRequest("未知的主题：请从主题列表中选择")
                case = con.cases.flag(ids, user.username, place_id=place or None, topic=topic or None,
                                      note=field(form, "note") or None)
            else:
                case_id = field(form, "case_id", 200)
                if not case_id:
                    raise BadRequest("请选择要并入的案件")
                existing = con.store.get_case(case_id)
                if existing is None or existing.status is CaseStatus.CLOSED:
                    raise BadRequest("请选择一个未办结的案件", 404)
                case = con.cases.attach_posts(case_id, ids, user.username)
        except (ValueError, NotFound) as exc:
            raise BadRequest(f"无法建立案件：{present.zh_message(str(exc))}") from None
        con.audit.record(user.username, action, f"case:{case.id}", posts=ids)
        verb = "已建立案件" if action == "open_case" else "已并入案件"
        return Outcome(action, f"{verb}「{case.title}」（{len(ids)} 条）", ids, location=f"/cases/{case.id}")
    now = con.now()
    place = place_of(con, form) if action == "correct" else ""
    replaced, written = {}, {}
    for post in posts:
        review = _review_for(post, action, user, form, now, con.topic_names, place)
        try:  # over the review this action read: a verdict written since is not overwritten unseen
            con.store.review_post(post.id, review, expect=post.review)
        except Conflict:
            continue
        replaced[post.id], written[post.id] = post.review, review
        con.audit.record(
            user.username, f"review_{action}", f"post:{post.id}",
            topic=review.topic, place_ids=review.place_ids,
            sentiment=review.sentiment_label.value if review.sentiment_label else None,
        )
    con.store.refresh()
    token = con.undo.save(user.username, replaced, written) if written else None
    skipped = len(ids) - len(written)
    return Outcome(action, done_message(action, len(written), skipped), list(written), undo=token, skipped=skipped)


def wants_json(request: Request) -> bool:
    """Whether the request came from the console's script (which updates the page itself)."""
    return request.headers.get("x-requested-with") == "fetch"


def _respond(request: Request, outcome: Outcome, form):
    if wants_json(request):
        return JSONResponse({"ok": True, "message": outcome.message, "posts": outcome.post_ids,
                             "undo": outcome.undo, "location": outcome.location})
    if outcome.location:
        return RedirectResponse(outcome.location, status_code=303)
    target = safe_next(field(form, "next"), "/review")
    flash = {"done": outcome.action, "n": len(outcome.post_ids), "skipped": outcome.skipped, "undo": outcome.undo}
    flash = {k: v for k, v in flash.items() if v or k == "n"}
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}{urlencode(flash)}", status_code=303)


def _selected(form) -> list[str]:
    """Selected post ids: a card's checkbox carries its whole cluster (comma-separated)."""
    ids = []
    for value in form.getlist("post_id"):
        if isinstance(value, str):
            ids.extend(v.strip() for v in value.split(",") if v.strip())
    return list(dict.fromkeys(ids))[:500]


@router.post("/review/undo")
async def undo(request: Request, user: CsrfUser):
    """Put back the reviews an action of this user replaced (unless someone reviewed those posts since)."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能审核帖子", 403)
    con = console(request)
    form = await request.form()
    taken = con.undo.take(field(form, "token", 64), user.username)
    if taken is None:
        raise BadRequest("无法撤销：操作已过期或已撤销", 409)
    restored = []
    for pid, (old, new) in taken.items():
        try:  # put back only over this action's own review: one written since wins
            con.store.review_post(pid, old, expect=new)
        except (Conflict, NotFound):
            continue
        restored.append(pid)
        con.audit.record(user.username, "review_undo", f"post:{pid}", status=old.status.value)
    con.store.refresh()
    skipped = len(taken) - len(restored)
    outcome = Outcome("undo", done_message("undo", len(restored), skipped), restored, skipped=skipped)
    return _respond(request, outcome, form)


@router.post("/review/{post_id}")
async def act(request: Request, post_id: str, user: CsrfUser):
    """Confirm, dismiss, correct, open a case for, or attach one post."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能审核帖子", 403)
    form = await request.form()
    return _act(request, user, [post_id], form)


@router.post("/review")
async def bulk(request: Request, user: CsrfUser):
    """The same actions on every selected post."""
    if user.role == "department":
        raise BadRequest("职能部门用户不能审核帖子", 403)
    form = await request.form()
    return _act(request, user, _selected(form), form)


def _act(request: Request, user: User, post_ids: list[str], form):
    """Apply an action and answer it; posts for one case that name different places get the place asked for."""
    try:
        return _respond(request, _apply(request, user, post_ids, form), form)
    except ChoosePlace as choice:
        if wants_json(request):
            return JSONResponse({"ok": False, "message": str(choice), "choose_place": True}, status_code=409)
        posts = console(request).store.get_posts(choice.post_ids)
        return render(request, "choose_place.html", nav="review", message=str(choice), places=choice.places,
                      posts=posts, post_ids=",".join(choice.post_ids), next=safe_next(field(form, "next"), "/review"),
                      topic=field(form, "topic", 200), note=field(form, "note"))
