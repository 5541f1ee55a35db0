"""A submission's attachment: a PDF, checked by its content (never by its name or the type the
browser claims), and no larger than ``AARSHJUL_ATTACHMENT_MAX_MB``.

A PDF starts with ``%PDF-1.`` or ``%PDF-2.`` within its first 1,024 bytes and ends with
``%%EOF`` within its last 1,024 (ISO 32000-1 § 7.5.2 and § 7.5.5; readers accept that much
slack). Anything else — a renamed Word file, an HTML page, an executable — is refused with the
reason. The file's name is kept only as a label, stripped of any folder and odd characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from aarshjul.errors import InputError

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_SLACK = 1024


@dataclass(frozen=True)
class Attachment:
    """A checked PDF: its label, size in bytes, SHA-256 and content."""

    filename: str
    size: int
    sha256: str
    content: bytes


def check_pdf(filename: str, content: bytes, *, max_bytes: int) -> Attachment:
    """The checked attachment, or :class:`InputError` naming the field and the reason.

    >>> check_pdf("a.pdf", b"%PDF-1.7\\n...\\n%%EOF\\n", max_bytes=100).size
    19
    """
    if len(content) > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise InputError(
            f"attachment: the file is larger than {mb} MB (bilag: filen er større end {mb} MB)"
        )
    if not content or not _HEADER.search(content[:_SLACK]) or b"%%EOF" not in content[-_SLACK:]:
        raise InputError("attachment: the file is not a PDF (bilag: filen er ikke en PDF-fil)")
    return Attachment(
        filename=safe_filename(filename), size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content=content,
    )  # fmt: skip


def safe_filename(name: str) -> str:
    """The file's own name without folders or characters a header or a shell would misread.

    >>> safe_filename("C:\\\\Users\\\\x\\\\Høringssvar <1>.pdf")
    'Høringssvar 1.pdf'
    """
    base = re.split(r"[\\\\/]", name)[-1]
    cleaned = re.sub(r"[^\w .()-]", "", base).strip(" .")
    return (cleaned or "bilag.pdf")[:200]
