"""/healthz: is the console up and does the store answer (no login; no data beyond counts)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from core import YuqingError
from web.deps import console

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """200 with the store's health, or 503 naming what is down in one line."""
    con = console(request)
    try:
        store = con.store.health()
    except YuqingError as exc:
        return JSONResponse({"status": "unavailable", "error": str(exc)}, status_code=503)
    except Exception as exc:  # any failure to answer is "unavailable", in one line
        return JSONResponse({"status": "unavailable", "error": f"{type(exc).__name__}: {exc}"}, status_code=503)
    store.pop("path", None)  # no file system layout to anonymous callers
    return JSONResponse({"status": "ok", "store": store})
