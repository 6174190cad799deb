"""The console's app factory: ``create_app(config, store)`` → a FastAPI app serving server-rendered pages."""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from alerts.cases import CaseService
from alerts.report import reports_dir
from alerts.routing import topic_departments_apply
from core import Config, labels, utcnow
from storage import Store
from web import places, present
from web.audit import AuditLog
from web.auth import Authenticator, LoginLimiter, UsedNonces
from web.deps import (
    SESSION_COOKIE,
    BadRequest,
    Console,
    Forbidden,
    LoginRequired,
    login_redirect_target,
    render,
    set_session_cookie,
)
from web.filters import DateOutOfRange
from web.guard import SECURITY_HEADERS, TOO_LARGE, GuardMiddleware, TrustedProxies, _error_page
from web.photos import MAX_PHOTOS
from web.sessions import SessionEpochs, UserDirectory
from web.subscriptions import SubscriptionStore
from web.undo import UndoLog

log = logging.getLogger("yuqing.web")
HERE = Path(__file__).parent

def _labels(config: Config, gazetteer: Any, taxonomy: Any) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Place and topic names and the departments, from the reference data the shell loaded."""
    topics = dict(labels.TOPIC_KINDS)
    departments: set[str] = set()
    places: dict[str, str] = {}
    if gazetteer is not None:
        places = {p.id: p.name for p in gazetteer.places}
        departments.update(p.department for p in gazetteer.places
                           if p.department and getattr(p.level, "value", p.level) != "community")
    if taxonomy is not None:
        topics.update({t.code: t.name for t in taxonomy.topics})
        if topic_departments_apply(gazetteer, taxonomy):
            departments.update(t.department for t in taxonomy.topics if t.department)
    departments.update(u.department for u in config.web.users if u.department)
    return places, topics, sorted(departments)


def _load_reference(config: Config) -> tuple[Any, Any]:
    """The gazetteer and taxonomy, for callers that do not hand them in (older shells, tests)."""
    from nlp.gazetteer import load_gazetteer
    from nlp.taxonomy import load_taxonomy

    return load_gazetteer(config.nlp.gazetteer), load_taxonomy(config.nlp.taxonomy)


def server_options(config: Config) -> dict[str, Any]:
    """uvicorn settings every way of serving the console must use (``yuqing web``, ``yuqing run``, the demo):
    uvicorn's own proxy-header handling off — the console itself believes ``X-Forwarded-For``/``-Proto`` only
    from ``web.trusted_proxies`` — and no ``Server`` header."""
    return {"proxy_headers": False, "server_header": False}


def create_app(config: Config, store: Store, *, cases: Any = None, gazetteer: Any = None, taxonomy: Any = None,
               enricher: Any = None, metrics: Any = None, clock: Callable[[], datetime] = utcnow,
               config_path: str | Path | None = None) -> FastAPI:
    """The console for this config and store, on the long-lived services the shell built.

    The shell hands in ``cases`` (``alerts.cases.CaseService``), the reference data (``gazetteer``, ``taxonomy``),
    the ``enricher`` and ``metrics`` (an object with ``render() -> bytes``, served at ``/metrics`` behind a login or
    ``web.metrics_token``); what it leaves out is built here from the config, as older shells expect. ``clock``
    (an aware "now") is used wherever the console reads the time: deadlines, hot-spot windows, "today".
    With ``config_path`` (the YAML the config came from) the console re-reads its users when that file changes.
    """
    web = config.web
    secret = web.secret_key.get_secret_value().encode() if web.secret_key else secrets.token_bytes(32)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters.update(
        local_time=present.local_time, mask_name=present.mask_name, safe_url=present.safe_url,
        highlight=present.highlight_html, excerpt=present.text_excerpt, source_name=present.source_name,
        parse_qsl=parse_qsl,
    )
    env.globals.update(
        CASE_STATUS=labels.CASE_STATUS, REVIEW_STATUS=labels.REVIEW_STATUS, SENTIMENT=labels.SENTIMENT,
        SEVERITY=labels.SEVERITY, HEALTH=labels.SOURCE_HEALTH, ROLES=labels.ROLE, EVENTS=labels.CASE_EVENT,
        OFFICIAL=labels.OFFICIAL, MESSAGE_TYPE=labels.MESSAGE_TYPE,
        countdown=present.countdown, shown_author=present.shown_author, case_clock=present.case_clock,
        matching_case=present.matching_case, PLACE_OTHER_AREAS=places.OTHER_AREAS,
    )
    channel_types = {ch.name: ch.type for ch in config.alerts.channels}
    env.globals["actor_name"] = lambda actor: present.actor_name(actor, channel_types)
    env.globals["channel_name"] = env.filters["channel_name"] = lambda name: present.channel_name(
        name, channel_types.get(name))
    if gazetteer is None or taxonomy is None:
        loaded = _load_reference(config)
        gazetteer = gazetteer if gazetteer is not None else loaded[0]
        taxonomy = taxonomy if taxonomy is not None else loaded[1]
    if cases is None:
        cases = CaseService(store, config, gazetteer=gazetteer, taxonomy=taxonomy, clock=clock)
    place_names, topic_names, departments = _labels(config, gazetteer, taxonomy)
    data_dir = Path(config.data_dir)
    failures = data_dir / "web" / "login-failures.db"
    con = Console(
        config=config,
        store=store,
        auth=Authenticator(UserDirectory(list(web.users), config_path), secret, web.session_hours * 3600,
                           SessionEpochs(data_dir / "web" / "session-epochs.json"), idle_seconds=web.idle_minutes * 60,
                           nonces=UsedNonces(failures)),
        limiter=LoginLimiter(web.login_attempts, web.login_window, failures, "user"),
        address_limiter=LoginLimiter(web.login_attempts * 4, web.login_window, failures, "address"),
        audit=AuditLog(data_dir / "audit" / "console.jsonl"),
        templates=templates,
        uploads=data_dir / "uploads",
        reports=Path(reports_dir(config)),
        cases=cases,
        place_names=place_names,
        place_options=places.place_options(gazetteer, place_names),
        topic_names=topic_names,
        departments=departments,
        clock=clock,
        enricher=enricher,
        metrics=metrics,
        undo=UndoLog(data_dir / "web" / "undo.db"),
        subscriptions=SubscriptionStore(data_dir / "web" / "subscriptions.db"),
        gazetteer=gazetteer,
    )
    app = FastAPI(title="yuqing 舆情 console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = con
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    def metrics_gate(scope) -> bool:
        """``/metrics`` only with ``web.metrics_token`` as a bearer token, or a console login."""
        if scope.get("path") != "/metrics":
            return True
        request = Request(scope)
        token = web.metrics_token.get_secret_value() if web.metrics_token else None
        given = request.headers.get("authorization", "")
        if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
            return True
        return con.auth.verify(request.cookies.get(SESSION_COOKIE)) is not None

    def session_header(cookie: str) -> tuple[bytes, bytes]:
        carrier = Response()
        set_session_cookie(carrier, con, cookie)
        return next((k, v) for k, v in carrier.raw_headers if k == b"set-cookie")

    app.add_middleware(  # outermost of ours: it sees every response, errors included
        GuardMiddleware, proxies=TrustedProxies(web.trusted_proxies), form_bytes=web.max_form_kb * 1024,
        upload_bytes=int(web.max_upload_mb * 1024 * 1024) * MAX_PHOTOS + 1024 * 1024,
        hsts_seconds=web.hsts_seconds, gate=metrics_gate, session_header=session_header,
    )

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if (answer := _fetch_error(request, 401, "登录已失效，请重新登录")) is not None:
            return answer
        if request.method != "GET":
            return render(request, "error.html", 401, message="登录已失效，请重新登录")
        return RedirectResponse(login_redirect_target(request), status_code=303)

    def _fetch_error(request: Request, status: int, message: str) -> Response | None:
        """The console's script gets errors as JSON (it shows them in its toast)."""
        if request.headers.get("x-requested-with") != "fetch":
            return None
        return JSONResponse({"ok": False, "message": message}, status_code=status)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return _fetch_error(request, 403, exc.message) or render(request, "error.html", 403, message=exc.message)

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, exc: BadRequest):
        from web.routes.cases import FormError, render_case

        if (answer := _fetch_error(request, exc.status, exc.message)) is not None:
            return answer

        user = getattr(request.state, "user", None)
        case = con.store.get_case(exc.case_id) if isinstance(exc, FormError) and user is not None else None
        if case is not None:  # the error is shown on the case page's form, with what was typed
            form = getattr(request, "_form", None)
            typed = {k: v for k, v in (form.multi_items() if form is not None else ()) if isinstance(v, str)}
            return render_case(request, user, case, error=exc.message, status=exc.status, form=typed)
        return render(request, "error.html", exc.status, message=exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if getattr(request.state, "body_too_large", False):
            return render(request, "error.html", 413, message=TOO_LARGE)
        message = {404: "页面或记录不存在", 405: "不支持的请求方式"}.get(exc.status_code)
        if message is None:
            message = "请求无法处理" if exc.status_code < 500 else "服务器内部错误"
        return render(request, "error.html", exc.status_code, message=message)

    @app.exception_handler(DateOutOfRange)
    async def _date(request: Request, exc: DateOutOfRange):
        return render(request, "error.html", 400, message=exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        if getattr(request.state, "body_too_large", False):
            return render(request, "error.html", 413, message=TOO_LARGE)
        fields = sorted({str(e.get("loc", ("", ""))[-1]) for e in exc.errors()})
        return render(request, "error.html", 400, message=f"参数格式不正确：{'、'.join(fields)}")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.error("console: %s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        try:
            resp = render(request, "error.html", 500, message="服务器内部错误，已记录；请稍后重试")
        except Exception:
            resp = HTMLResponse(_error_page(500, "服务器内部错误"), status_code=500)
        for k, v in SECURITY_HEADERS.items():  # this handler runs outside the header middleware
            resp.headers.setdefault(k, v)
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    from web.routes import auth, health, misc, names, reports, review, search, subscriptions
    from web.routes import cases as case_routes

    for module in (auth, review, case_routes, search, names, reports, misc, health, subscriptions):
        app.include_router(module.router)
    if metrics is not None:
        def prometheus() -> Response:
            return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

        app.add_api_route("/metrics", prometheus, methods=["GET"], include_in_schema=False)
    return app
