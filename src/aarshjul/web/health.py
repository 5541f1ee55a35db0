"""``GET /healthz``: 200 when the database answers, 503 when it does not (for the proxy)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy.exc import SQLAlchemyError

from aarshjul.web.context import config

router = APIRouter()


@router.get("/healthz", response_class=PlainTextResponse)
def healthz(request: Request) -> PlainTextResponse:
    """``ok`` with 200, or ``database unavailable`` with 503 (no details: this page is public)."""
    try:
        with config(request).runtime.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        return PlainTextResponse("database unavailable\n", status_code=503)
    return PlainTextResponse("ok\n")
