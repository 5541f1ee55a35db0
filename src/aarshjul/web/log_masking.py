"""Secret tokens in paths never reach a log: the server's access log masks them.

Sign-in links (``/login/<token>``), a digest's action links (``/a/<token>``) and calendar feeds
(``/calendar/<token>.ics``) carry a bearer secret in the path, and uvicorn's access log (at
``--log-level info``) writes every path. :func:`install` adds a filter to uvicorn's loggers that
replaces such a path segment (16 characters or more; ``/login/oidc`` and
``/calendar/organisation.ics`` stay readable) with ``[masked]``. A reverse proxy in front keeps
its own log: see docs/operations.md.

>>> mask('127.0.0.1:5 - "GET /calendar/abcdefghijklmnopqrstuvwxyz.ics HTTP/1.1" 200')
'127.0.0.1:5 - "GET /calendar/[masked].ics HTTP/1.1" 200'
"""

from __future__ import annotations

import logging
import re

LOGGERS = ("uvicorn.access", "uvicorn.error")
_SECRET = re.compile(
    r"(/(?:calendar|login|a)/)(?!organisation\.ics)([^/?#\s\"]{16,}?)(\.ics)?(?=[/?#\s\"]|$)"
)


def mask(text: str) -> str:
    """``text`` with every token in a sign-in, action or feed path replaced by ``[masked]``."""
    return _SECRET.sub(lambda m: f"{m.group(1)}[masked]{m.group(3) or ''}", text)


class SecretPathFilter(logging.Filter):
    """Masks tokens in a record's message and its arguments (uvicorn passes the path as one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Add the filter to uvicorn's loggers, once (building several apps adds nothing more)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretPathFilter) for f in logger.filters):
            logger.addFilter(SecretPathFilter())
