"""A cap on request bodies for the public forms, before anything reads them.

The CSRF check and the form parser read a whole multipart body (spooling files to disk), so a
body far larger than any allowed attachment is refused here with 413, from its
``Content-Length`` or, for a chunked body, as soon as it has grown past the cap. The cap is the
attachment limit plus 1 MB for the other fields; the attachment's own limit, with a clear
message on the form, is checked by :mod:`aarshjul.participation.attachments`.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIXES = ("/ideas", "/hearings/")


class UploadLimit:
    """ASGI middleware: 413 for a POST under ``PREFIXES`` whose body exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].startswith(PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Any) -> None:
    body = b"Forsendelsen er for stor / The upload is too large."
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
