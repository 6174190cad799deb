"""Login, logout and the landing redirect."""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from web.auth import User, is_nonce, new_nonce
from web.deps import (
    SESSION_COOKIE,
    CsrfUser,
    CurrentUser,
    client_address,
    console,
    render,
    safe_next,
    set_session_cookie,
)

log = logging.getLogger("yuqing.web")
router = APIRouter()
LOGIN_COOKIE = "yq_login"
MAX_USERNAME = 64
MAX_PASSWORD = 1024
LOGIN_CSRF_ERROR = "登录表单已过期或来源不明（CSRF 校验失败），请在本页重新输入用户名和密码"


def _home(user: User) -> str:
    return "/cases" if user.role == "department" else "/review"


@router.get("/")
def home(user: CurrentUser):
    """Reviewers land on the review queue, departments on their cases."""
    return RedirectResponse(_home(user), status_code=303)


def login_form(request: Request, status: int = 200, *, next: str = "/", error: str | None = None,
               renew: bool = False, username: str = ""):
    """The login page, with a CSRF token bound to the browser's login cookie (set here if missing, and always
    after an attempt: a login form is good for one attempt); after a failed attempt the username typed is kept
    (never the password)."""
    con = console(request)
    nonce = request.cookies.get(LOGIN_COOKIE)
    fresh = renew or not is_nonce(nonce)
    if fresh:
        nonce = new_nonce()
    resp = render(request, "login.html", status, next=safe_next(next), error=error,
                  login_csrf=con.auth.login_token(nonce), username=username[:MAX_USERNAME])
    if fresh:
        resp.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=con.config.web.secure_cookies,
                        path="/login")
    return resp


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    """The login form."""
    return login_form(request, next=next)


def shown_username(username: str) -> str:
    """The submitted username as the audit log keeps it: at most :data:`MAX_USERNAME` characters."""
    name = username or "?"
    return name if len(name) <= MAX_USERNAME else name[:MAX_USERNAME] + "…"


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/"),
          csrf: str = Form("")):
    """Throttle first (per address, then per address and user), then the login CSRF token, then the password.

    Each attempt is counted before anything else is checked (atomically, so parallel guesses cannot all pass),
    and given back only when the login succeeds; the audit log keeps a capped username.
    """
    con = console(request)
    address = client_address(request)
    next = next[:2000]
    shown = shown_username(username)

    def throttled(wait: float):
        now = time.monotonic()
        if now - con.throttle_audited.get(address, -1e9) >= 60:  # one audit line per address a minute, not per request
            if len(con.throttle_audited) > 10000:
                con.throttle_audited.clear()
            con.throttle_audited[address] = now
            con.audit.record(shown, "login_throttled", "session", address=address)
        log.info("console: login throttled for %s", address)
        resp = login_form(request, 429, next=next, error=f"登录失败次数过多，请 {int(wait) + 1} 秒后再试", renew=True,
                          username=username)
        resp.headers["Retry-After"] = str(int(wait) + 1)
        return resp

    wait, by_address = con.address_limiter.reserve([address])
    if wait > 0:
        return throttled(wait)
    if not con.auth.check_login(request.cookies.get(LOGIN_COOKIE), csrf):
        con.audit.record(shown, "login_csrf_failed", "session", address=address)
        return login_form(request, 403, next=next, error=LOGIN_CSRF_ERROR, renew=True, username=username)
    if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
        con.audit.record(shown, "login_failed", "session", address=address)
        return login_form(request, 401, next=next, error="用户名或密码错误", renew=True)
    keys = [f"{address}|{username}"]
    wait, _ = con.limiter.reserve(keys)
    if wait > 0:
        return throttled(wait)
    user = con.auth.authenticate(username, password)
    if user is None:
        con.audit.record(shown, "login_failed", "session", address=address)
        return login_form(request, 401, next=next, error="用户名或密码错误", renew=True, username=username)
    con.limiter.succeeded(keys)
    con.address_limiter.release(by_address)
    con.audit.record(user.username, "login", "session", address=address)
    target = safe_next(next, _home(user))
    resp = RedirectResponse(_home(user) if target == "/" else target, status_code=303)
    set_session_cookie(resp, con, con.auth.issue(user))
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
