"""What every route shares: the console state, the logged-in user, role checks, CSRF checks, rendering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from core import Config, utcnow
from storage import PostQuery, Store
from web.audit import AuditLog
from web.auth import Authenticator, LoginLimiter, User

SESSION_COOKIE = "yq_session"


class LoginRequired(Exception):
    """No valid session: redirect to the login page."""


class Forbidden(Exception):
    """The user's role or department does not allow this."""

    def __init__(self, message: str = "无权访问此页面") -> None:
        super().__init__(message)
        self.message = message


class BadRequest(Exception):
    """A form the console cannot act on; shown as a one-line message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Console:
    """Everything the routes need, built once by :func:`web.app.create_app`."""

    config: Config
    store: Store
    auth: Authenticator
    limiter: LoginLimiter
    address_limiter: LoginLimiter
    audit: AuditLog
    templates: Jinja2Templates
    uploads: Path
    reports: Path
    cases: Any = None  # alerts.cases.CaseService
    place_names: dict[str, str] = field(default_factory=dict)
    place_options: list = field(default_factory=list)  # web.places.PlaceOption: the place boxes' suggestions
    topic_names: dict[str, str] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    clock: Any = utcnow
    enricher: Any = None
    metrics: Any = None
    undo: Any = None  # web.undo.UndoLog
    subscriptions: Any = None  # web.subscriptions.SubscriptionStore
    gazetteer: Any = None  # nlp.gazetteer.Gazetteer: a place filter takes the place and the places under it
    throttle_audited: dict[str, float] = field(default_factory=dict)  # address → when a throttled login was audited

    def now(self) -> datetime:
        return self.clock()

    def place_name(self, place_id: str | None) -> str:
        if place_id and place_id.startswith("raw:") and place_id not in self.place_names:
            return place_id[4:] or place_id  # an unlisted place's alert key: its name
        return self.place_names.get(place_id or "", place_id or "—")

    def topic_name(self, code: str | None) -> str:
        return self.topic_names.get(code or "", code or "—")

    def unlisted_places(self, limit: int = 200) -> list[tuple[str, str]]:
        """The unlisted places (``raw:`` keys) the store's complaints name, most complained-about first, with
        their names: the place filter's 未登记点位."""
        q = PostQuery(is_complaint=True, limit=0, highlight=False)
        keys = [k for k, _ in self.store.terms(q, "place", len(self.place_names) + limit) if k.startswith("raw:")]
        return [(k, self.place_name(k)) for k in keys[:limit]]


def console(request: Request) -> Console:
    """The console state of the app serving this request."""
    return request.app.state.console


def client_address(request: Request) -> str:
    """The client's address: the peer, or what a configured trusted proxy forwarded (``web.guard``)."""
    address = getattr(request.state, "client_address", None)
    if address:
        return address
    return request.client.host if request.client else "?"


def set_session_cookie(response, con: Console, cookie: str) -> None:
    """Set the session cookie (HttpOnly, SameSite=Strict, Secure with ``web.secure_cookies``)."""
    response.set_cookie(SESSION_COOKIE, cookie, max_age=int(con.config.web.session_hours * 3600), httponly=True,
                        samesite="strict", secure=con.config.web.secure_cookies, path="/")


def current_user(request: Request) -> User:
    """The logged-in user; raises :class:`LoginRequired` when there is no valid session (or it sat idle)."""
    con = console(request)
    session = con.auth.verify(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise LoginRequired()
    refreshed = con.auth.touch(session)
    if refreshed is not None:
        request.state.session_refresh = refreshed  # the response carries the session's new "last seen"
    request.state.session = session
    request.state.user = session.user
    request.state.csrf = con.auth.csrf_token(session)
    return session.user


def require(*roles: str):
    """A dependency that admits only these roles (admin is always admitted)."""

    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role != "admin" and user.role not in roles:
            raise Forbidden()
        return user

    return check


async def csrf_user(request: Request, user: Annotated[User, Depends(current_user)]) -> AsyncIterator[User]:
    """The logged-in user of a state-changing request whose CSRF token is valid (form field or header).

    Also closes the parsed form afterwards, so uploaded files' temporary files are released.
    """
    con = console(request)
    try:
        token = request.headers.get("x-csrf-token")
        if token is None:
            form = await request.form()
            value = form.get("csrf")
            token = value if isinstance(value, str) else None
        if not con.auth.check_csrf(request.state.session, token):
            raise BadRequest("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试", 403)
        yield user
    finally:
        form = getattr(request, "_form", None)
        if form is not None:
            await form.close()


OWN_ONLY = "本部门账号只能查看本部门案件及其证据（如需检索全镇帖子，请联系管理员开通）"


def town_wide(user: Annotated[User, Depends(current_user)], request: Request) -> User:
    """A user who may search the whole town: office users, and department users when
    ``web.department_search`` is ``all`` (with ``own``, the default, they see their own cases only)."""
    if user.role == "department" and console(request).config.web.department_search != "all":
        raise Forbidden(OWN_ONLY)
    return user


def may_see_post(con: Console, user: User, post) -> bool:
    """Whether this user may open a post: office users always; department users with ``department_search: all``,
    or when the post is evidence of one of their department's cases."""
    if user.role != "department" or con.config.web.department_search == "all":
        return True
    if not post.case_id:
        return False
    case = con.store.get_case(post.case_id)
    return case is not None and case.department is not None and case.department == user.department


CurrentUser = Annotated[User, Depends(current_user)]
SearchUser = Annotated[User, Depends(town_wide)]
OfficeUser = Annotated[User, Depends(require("reviewer"))]
AdminUser = Annotated[User, Depends(require())]
CsrfUser = Annotated[User, Depends(csrf_user)]


def login_redirect_target(request: Request) -> str:
    """The login URL that returns here afterwards."""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/login?next={quote(path, safe='')}"


def safe_next(target: str | None, default: str = "/") -> str:
    """A local redirect target (a path on this site), else ``default``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def render(request: Request, name: str, status_code: int = 200, **ctx: Any):
    """Render a template with the user, the CSRF token and the shared helpers in its context."""
    con = console(request)
    base = {
        "user": getattr(request.state, "user", None),
        "csrf": getattr(request.state, "csrf", ""),
        "con": con,
        "now": con.now(),
        "mask": con.config.web.mask_names,
    }
    base.update(ctx)
    return con.templates.TemplateResponse(request, name, base, status_code=status_code)
