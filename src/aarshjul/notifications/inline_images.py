"""Pictures sent inside messages (*billeder i mailen*): stored once, loaded once per batch.

A picture (the board report's wheel) is stored once per organisation under the SHA-256 of its
bytes (:class:`~aarshjul.models.outbox.OutboxImage`); every message that shows it refers to it by
that hash (``outbox_message.image_sha256``), so the report to five board members stores one copy.
The message's HTML shows it as ``<img src="cid:…@aarshjul">`` (:func:`content_id`); the
e-mail channel sends it as the ``image/png`` part of a ``multipart/related`` mail with that
Content-ID (:mod:`aarshjul.notifications.smtp_channel`). Delivery, a separate process that may
retry days later, loads the pictures of a whole claimed batch with one query
(:func:`load_images`).

An image no message refers to any more is deleted by :func:`delete_unused_images`: the board
report runs it for its organisation after queuing (so a picture no new message took is not
kept), and anything that purges outbox messages must run it after them. Deleting an organisation
deletes its images with it.

>>> sha = store_image(session, organisation_id=1, data=png, filename="aarshjul-2027.png")  # doctest: +SKIP
>>> content_id(sha)                                                          # doctest: +SKIP
'3f1c…@aarshjul'
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from aarshjul.clock import utcnow
from aarshjul.models.outbox import OutboxImage, OutboxMessage

PNG = "image/png"
_DOMAIN = "aarshjul"


@dataclass(frozen=True)
class InlineImage:
    """A picture to send inside one message.

    ``content_id`` is the Content-ID without angle brackets (the HTML says ``cid:`` + it);
    ``data`` the file's bytes, ``content_type`` its MIME type, ``filename`` the name a mail
    program shows when the picture is saved.
    """

    content_id: str
    data: bytes
    content_type: str = PNG
    filename: str = "image.png"


def compact_png(png: bytes, *, colours: int = 256) -> bytes:
    """``png`` with a palette of ``colours`` (at most 256), or ``png`` itself if that is not
    smaller.

    The wheel is a drawing of a few flat colours with antialiased edges: with 256 colours
    (Pillow's median cut) its PNG is about a third of the size (607 kB to 221 kB for the sample
    municipality) and looks the same: 0.2 % of the pixels move by more than 8 of 255 levels.
    Pillow's fast octree is three times faster and a third smaller again, but it shifts 4 % of
    the pixels that much and bleaches the rings' pale tints; zlib's ``optimize`` pass saves 4 %
    for three times the time.
    """
    from PIL import Image  # here: importing aarshjul does not load Pillow

    with Image.open(io.BytesIO(png)) as opened:
        quantized = opened.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    quantized.save(out, "PNG")
    smaller = out.getvalue()
    return smaller if len(smaller) < len(png) else png


def image_key(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lower-case hex digits: the picture's key.

    >>> image_key(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def content_id(sha256: str) -> str:
    """The Content-ID (without brackets) of the picture with key ``sha256``: its first 32 hex
    digits (128 bits), short enough that the header stays on one line.

    >>> content_id("ab" * 32)
    'abababababababababababababababab@aarshjul'
    """
    return f"{sha256[:32]}@{_DOMAIN}"


def store_image(
    session: Session,
    *,
    organisation_id: int,
    data: bytes,
    filename: str,
    content_type: str = PNG,
) -> str:
    """Store ``data`` for the organisation unless it is there already; return its key (SHA-256).

    The caller points messages at it and commits (and, if none took it, runs
    :func:`delete_unused_images`).
    """
    sha = image_key(data)
    row = {
        "organisation_id": organisation_id, "sha256": sha, "content_type": content_type,
        "filename": filename[:100], "data": data, "created_at": utcnow(),
    }  # fmt: skip
    table = OutboxImage.__table__  # type: ignore[attr-defined]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(table).values(row).on_conflict_do_nothing())
    return sha


def load_images(
    conn: sa.Connection | Session, keys: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], InlineImage]:
    """The pictures of (organisation id, SHA-256) ``keys``, in one query; missing keys are left
    out. No query at all when ``keys`` is empty."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    i = OutboxImage
    query = sa.select(
        col(i.organisation_id), col(i.sha256), col(i.content_type), col(i.filename), col(i.data)
    ).where(sa.tuple_(col(i.organisation_id), col(i.sha256)).in_(wanted))
    return {
        (org, sha): InlineImage(content_id(sha), bytes(data), kind, name)
        for org, sha, kind, name, data in conn.execute(query)
    }


def delete_unused_images(conn: sa.Connection | Session, *, organisation_id: int | None) -> int:
    """Delete the images no outbox message refers to (of one organisation, or all with
    ``None``); returns how many. One statement; the caller commits."""
    i, m = OutboxImage, OutboxMessage
    used = sa.exists().where(
        col(m.organisation_id) == col(i.organisation_id), col(m.image_sha256) == col(i.sha256)
    )
    stmt = sa.delete(i).where(~used)
    if organisation_id is not None:
        stmt = stmt.where(col(i.organisation_id) == organisation_id)
    result: sa.CursorResult[tuple[()]] = conn.execute(stmt)  # type: ignore[assignment]
    return int(result.rowcount)
