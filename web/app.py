"""The console's app factory: ``create_app(config, store)`` → a FastAPI app serving server-rendered pages."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from core import Config, utcnow
from storage import Store
from web import present
from web.audit import AuditLog
from web.auth import Authenticator, LoginLimiter
from web.deps import BadRequest, Console, Forbidden, LoginRequired, login_redirect_target, render
from web.sessions import SessionEpochs, UserDirectory

log = logging.getLogger("yuqing.web")
HERE = Path(__file__).parent

#: Sent with every response. Scripts and styles come only from this site; no inline script runs.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _labels(config: Config) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Place and topic names and the departments, from the gazetteer and taxonomy when they load."""
    places: dict[str, str] = {}
    topics = dict(present.TOPIC_NAMES)
    departments: set[str] = set()
    try:
        from nlp.gazetteer import load_gazetteer

        gazetteer = load_gazetteer(config.nlp.gazetteer).places
        places = {p.id: p.name for p in gazetteer}
        departments.update(p.department for p in gazetteer if p.department and p.level.value != "community")
    except Exception as exc:  # a missing or broken gazetteer only costs the names
        log.warning("console: place names unavailable (%s); showing ids", type(exc).__name__)
    try:
        from nlp.taxonomy import load_taxonomy

        taxonomy = load_taxonomy(config.nlp.taxonomy).topics
        topics.update({t.code: t.name for t in taxonomy})
        departments.update(t.department for t in taxonomy if t.department)
    except Exception as exc:
        log.warning("console: taxonomy unavailable (%s); using built-in topic names", type(exc).__name__)
    departments.update(u.department for u in config.web.users if u.department)
    return places, topics, sorted(departments)


def _case_service(config: Config, store: Store) -> Any:
    try:
        from alerts.cases import CaseService
    except ImportError as exc:
        log.warning("console: case service unavailable (%s); case actions are off", exc)
        return None
    return CaseService(store, config)


def _reports_dir(config: Config) -> Path:
    try:
        from alerts.report import reports_dir
    except ImportError:
        return Path(config.data_dir) / "reports"
    return Path(reports_dir(config))


def create_app(config: Config, store: Store, *, cases: Any = None, clock=utcnow,
               config_path: str | Path | None = None) -> FastAPI:
    """The console for this config and store. ``cases`` defaults to ``alerts.cases.CaseService``.

    With ``config_path`` (the YAML the config came from) the console re-reads its users when that file
    changes, so a changed password, role or department, or a removed user, ends that user's sessions here
    too without a restart.
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
        CASE_STATUS=present.CASE_STATUS_NAMES, REVIEW_STATUS=present.REVIEW_STATUS_NAMES,
        SENTIMENT=present.SENTIMENT_NAMES, SEVERITY=present.SEVERITY_NAMES, HEALTH=present.HEALTH_NAMES,
        ROLES=present.ROLE_NAMES, EVENTS=present.EVENT_NAMES, countdown=present.countdown,
        shown_author=present.shown_author,
    )
    place_names, topic_names, departments = _labels(config)
    data_dir = Path(config.data_dir)
    con = Console(
        config=config,
        store=store,
        auth=Authenticator(UserDirectory(list(web.users), config_path), secret, web.session_hours * 3600,
                           SessionEpochs(data_dir / "web" / "session-epochs.json")),
        limiter=LoginLimiter(web.login_attempts, web.login_window, data_dir / "web" / "login-failures.db", "user"),
        address_limiter=LoginLimiter(web.login_attempts * 4, web.login_window, data_dir / "web" / "login-failures.db",
                                     "address"),
        audit=AuditLog(data_dir / "audit" / "console.jsonl"),
        templates=templates,
        uploads=data_dir / "uploads",
        reports=_reports_dir(config),
        cases=cases if cases is not None else _case_service(config, store),
        place_names=place_names,
        topic_names=topic_names,
        departments=departments,
        clock=clock,
    )
    app = FastAPI(title="yuqing 舆情 console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = con
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if request.method != "GET":
            return render(request, "error.html", 401, message="登录已失效，请重新登录")
        return RedirectResponse(login_redirect_target(request), status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return render(request, "error.html", 403, message=exc.message)

    @app.exception_handler(BadRequest)
    async def _bad(request: Request, exc: BadRequest):
        return render(request, "error.html", exc.status, message=exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = {404: "页面或记录不存在", 405: "不支持的请求方式"}.get(exc.status_code, str(exc.detail))
        return render(request, "error.html", exc.status_code, message=message)

    from web.routes import auth, health, misc, names, reports, review, search
    from web.routes import cases as case_routes

    for module in (auth, review, case_routes, search, names, reports, misc, health):
        app.include_router(module.router)
    return app
