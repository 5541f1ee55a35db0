"""A :class:`~aarshjul.documents.model.Document` as PDF: its HTML printed by WeasyPrint.

The PDF is the standalone HTML of :func:`~aarshjul.documents.html_render.render_html` laid out
for print (A4, the running footer, page numbers, page numbers in the table of contents,
bookmarks from the headings), so a DOCX and a PDF of one document say the same. The PDF is
tagged (``pdf_tags``) for screen readers.

WeasyPrint fetches nothing: its URL fetcher accepts ``data:`` URLs only (the inlined pictures),
so no text in a document can make the renderer read a local file or call a server.
"""

from __future__ import annotations

from aarshjul.documents.html_render import render_html
from aarshjul.documents.model import Document


def render_pdf(document: Document) -> bytes:
    """The bytes of a PDF file showing ``document`` (WeasyPrint on pango, A4)."""
    return html_to_pdf(render_html(document))


def html_to_pdf(html: str) -> bytes:
    """A standalone HTML document printed as a tagged PDF, fetching nothing but ``data:`` URLs
    (also the hvidbog's own HTML)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
        pdf_tags=True
    )
    return pdf
