"""Generated documents (*dokumenter*): one document model, rendered to Word, HTML and PDF.

Build a :class:`~aarshjul.documents.model.Document` from the data with a
:class:`~aarshjul.documents.model.DocumentBuilder` (plain functions, no database in here), then
render it:

=============================  ==========================================================
:func:`render_docx`            ``bytes`` of a ``.docx`` (python-docx): real heading styles,
                               a table of contents field, tables, pictures
:func:`render_html`            ``str``: a standalone HTML file with its stylesheet
:func:`render_fragment`        ``Markup``: the same as one ``<article>`` for a web page
:func:`render_pdf`             ``bytes`` of a PDF: the HTML printed by WeasyPrint
:func:`render`                 one of them by format name (``docx``, ``html``, ``pdf``)
=============================  ==========================================================

>>> from aarshjul.documents import DocumentBuilder, render
>>> doc = DocumentBuilder("Hvidbog", author="Jammerbugt Kommune")
>>> doc.heading("Høringssvar")
>>> doc.table(["Fra", "Svar"], [["Grundejerforening", "Taget til efterretning"]])
>>> pdf = render(doc.build(), "pdf")

The API and its promises are described in ``docs/reports.md`` (section *The documents package*).
Importing the package is cheap: python-docx and WeasyPrint are imported when a renderer runs.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from aarshjul.documents.docx_render import render_docx
from aarshjul.documents.html_render import render_fragment, render_html
from aarshjul.documents.model import (
    Block,
    BulletList,
    Document,
    DocumentBuilder,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Span,
    Table,
    TableOfContents,
    clean_text,
    text_blocks,
)
from aarshjul.documents.pdf_render import html_to_pdf, render_pdf
from aarshjul.errors import InputError


class DocumentFormat(StrEnum):
    """The formats a document is rendered to; the value is the file suffix."""

    docx = "docx"
    pdf = "pdf"
    html = "html"


MEDIA_TYPES = {
    DocumentFormat.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.pdf: "application/pdf",
    DocumentFormat.html: "text/html; charset=utf-8",
}


def document_format(output: Path | None) -> DocumentFormat:
    """The format to write ``output`` in, from its suffix (``html`` without a file); an
    unknown suffix or a missing folder is an :class:`~aarshjul.errors.InputError`, before
    seconds of rendering rather than after."""
    if output is None:
        return DocumentFormat.html
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in DocumentFormat.__members__:
        raise InputError(
            f"{output}: unknown document format {output.suffix!r}: use .docx, .pdf or .html"
        )
    if not output.parent.is_dir():
        raise InputError(f"{output}: cannot write here (no folder {output.parent})")
    return DocumentFormat(suffix)


def render(document: Document, fmt: DocumentFormat | str) -> bytes:
    """``document`` as the bytes of a ``docx``, ``pdf`` or ``html`` (UTF-8) file."""
    kind = DocumentFormat(fmt)
    if kind is DocumentFormat.docx:
        return render_docx(document)
    if kind is DocumentFormat.pdf:
        return render_pdf(document)
    return render_html(document).encode("utf-8")


__all__ = [
    "MEDIA_TYPES",
    "Block",
    "BulletList",
    "Document",
    "DocumentBuilder",
    "DocumentFormat",
    "Heading",
    "Image",
    "PageBreak",
    "Paragraph",
    "ParagraphStyle",
    "Span",
    "Table",
    "TableOfContents",
    "clean_text",
    "document_format",
    "html_to_pdf",
    "render",
    "render_docx",
    "render_fragment",
    "render_html",
    "render_pdf",
    "text_blocks",
]
