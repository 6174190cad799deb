"""Posters' full names, for admins only and always audited: reveal one post's poster, export with full names.

Names are masked everywhere else (pages by ``web.mask_names``, exports always). Reviewers and department
users can never unmask: these routes refuse them with 403 before anything is read.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from web.auth import User
from web.deps import BadRequest, CsrfUser, Forbidden, console, render
from web.exports import EXPORT_TYPES, export_response
from web.filters import Filters

router = APIRouter()
ADMIN_ONLY = "仅管理员可以查看完整姓名"


def _admin(user: User) -> None:
    if not user.is_admin:
        raise Forbidden(ADMIN_ONLY)


@router.post("/posts/{post_id}/reveal")
def reveal(request: Request, post_id: str, user: CsrfUser):
    """Show one post's page with the poster's full name; the reveal is audited (who, which post, when)."""
    _admin(user)
    con = console(request)
    post = con.store.get_post(post_id)
    if post is None:
        raise BadRequest("帖子不存在", 404)
    con.audit.record(user.username, "reveal_name", f"post:{post.id}", source=post.source)
    from web.routes.review import similar_posts

    return render(request, "post.html", nav="review", post=post, similar=similar_posts(con, post), revealed=True)


@router.post("/search/export.{kind}")
async def export_full_names(request: Request, kind: str, user: CsrfUser):
    """The search result with posters' full names, when an admin explicitly asks for it (audited)."""
    _admin(user)
    con = console(request)
    if kind not in EXPORT_TYPES:
        raise BadRequest("不支持的导出格式", 404)
    form = await request.form()
    if form.get("names") != "full":
        raise BadRequest("请勾选“导出完整姓名”以确认", 400)
    f = Filters.from_params(form, gazetteer=con.gazetteer, topics=con.topic_names)
    if f.dropped:
        raise BadRequest("；".join(f.notices))
    posts = con.store.iter_posts(f.query(1, paged=False))
    con.audit.record(user.username, "export_full_names", f"search:{kind}", filters=f.urlencode())
    return export_response(kind, posts, con, limit=con.config.web.export_limit, full_names=True)
