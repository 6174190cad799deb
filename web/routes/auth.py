"""Login, logout and the landing redirect."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from web.auth import User, is_nonce, new_nonce
from web.deps import SESSION_COOKIE, CsrfUser, CurrentUser, console, render, safe_next

router = APIRouter()
LOGIN_COOKIE = "yq_login"
LOGIN_CSRF_ERROR = "登录表单已过期或来源不明（CSRF 校验失败），请在本页重新输入用户名和密码"


def _home(user: User) -> str:
    return "/cases" if user.role == "department" else "/review"


@router.get("/")
def home(user: CurrentUser):
    """Reviewers land on the review queue, departments on their cases."""
    return RedirectResponse(_home(user), status_code=303)


def login_form(request: Request, status: int = 200, *, next: str = "/", error: str | None = None):
    """The login page, with a CSRF token bound to the browser's login cookie (set here if missing)."""
    con = console(request)
    nonce = request.cookies.get(LOGIN_COOKIE)
    fresh = not is_nonce(nonce)
    if fresh:
        nonce = new_nonce()
    resp = render(request, "login.html", status, next=safe_next(next), error=error,
                  login_csrf=con.auth.login_token(nonce))
    if fresh:
        resp.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=con.config.web.secure_cookies,
                        path="/login")
    return resp


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    """The login form."""
    return login_form(request, next=next)


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
          csrf: str = Form("")):
    """Check the login CSRF token, then the password; rate-limited per (address, user) and per address."""
    con = console(request)
    address = request.client.host if request.client else "?"
    if not con.auth.check_login(request.cookies.get(LOGIN_COOKIE), csrf):
        con.audit.record(username or "?", "login_csrf_failed", "session", address=address)
        return login_form(request, 403, next=next, error=LOGIN_CSRF_ERROR)
    keys = [f"{address}|{username}"]
    wait = max(con.limiter.retry_after(keys), con.address_limiter.retry_after([address]))
    if wait > 0:
        con.audit.record(username or "?", "login_throttled", "session", address=address)
        resp = login_form(request, 429, next=next, error=f"登录失败次数过多，请 {int(wait) + 1} 秒后再试")
        resp.headers["Retry-After"] = str(int(wait) + 1)
        return resp
    user = con.auth.authenticate(username, password)
    if user is None:
        con.limiter.failed(keys)
        con.address_limiter.failed([address])
        con.audit.record(username or "?", "login_failed", "session", address=address)
        return login_form(request, 401, next=next, error="用户名或密码错误")
    con.limiter.succeeded(keys)
    con.audit.record(user.username, "login", "session", address=address)
    target = safe_next(next, _home(user))
    resp = RedirectResponse(_home(user) if target == "/" else target, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE, con.auth.issue(user), max_age=int(con.config.web.session_hours * 3600), httponly=True,
        samesite="strict", secure=con.config.web.secure_cookies, path="/",
    )
    resp.delete_cookie(LOGIN_COOKIE, path="/login")  # the next login gets a fresh nonce
    return resp


@router.post("/logout")
def logout(request: Request, user: CsrfUser):
    """End the session."""
    con = console(request)
    con.auth.revoke(request.state.session)
    con.audit.record(user.username, "logout", "session")
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp
