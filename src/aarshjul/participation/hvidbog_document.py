"""The hvidbog as a document: HTML, Word (DOCX, python-docx) and PDF (WeasyPrint, from the
same HTML).

Municipal case systems (ESDH) take Word, so the DOCX is built with real headings, a table and
paragraphs a case officer can edit; the PDF is the HTML printed on A4 by WeasyPrint, with no
access to the network or the file system (the fetcher takes ``data:`` URLs only), so nothing
in a submission can make the renderer fetch anything. Every text is escaped in HTML
(Jinja's autoescape) and written as plain text runs in DOCX.

The PDF and the choice of format by file suffix are the documents package's
(:func:`~aarshjul.documents.html_to_pdf`, :func:`~aarshjul.documents.document_format`), as
for the planning report and the budget remarks.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from aarshjul.documents.pdf_render import html_to_pdf
from aarshjul.participation.hvidbog import Hvidbog

Format = Literal["html", "docx", "pdf"]
TEMPLATES = Path(__file__).parent / "templates"

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "period": "Periode", "made": "Udarbejdet", "summary": "Oversigt", "number": "Nr.",
        "reference": "Reference", "concerns": "Vedrører", "recommendation": "Indstilling",
        "counts": "Indstillinger i alt", "count": "Antal", "total": "I alt",
        "none": "Ingen indsendelser.", "no": "Nr.", "sender": "Indsendt af",
        "received": "Modtaget", "attachment": "med bilag (PDF)", "submission": "Indsendelse",
        "reply": "Forvaltningens svar", "no_reply": "Svar mangler.",
        "intro": "Hvidbogen gengiver alle indsendelser i perioden med forvaltningens svar og "
                 "indstilling, ordnet efter politikområde. Indsenderens navn står kun, hvor "
                 "vedkommende har givet samtykke; e-mailadresser offentliggøres aldrig.",
    },
    "en": {
        "period": "Period", "made": "Prepared", "summary": "Overview", "number": "No.",
        "reference": "Reference", "concerns": "Concerns", "recommendation": "Recommendation",
        "counts": "Recommendations in total", "count": "Count", "total": "Total",
        "none": "No submissions.", "no": "No.", "sender": "Submitted by",
        "received": "Received", "attachment": "with attachment (PDF)",
        "submission": "Submission", "reply": "The administration's reply",
        "no_reply": "Reply missing.",
        "intro": "This white paper gives every submission of the period with the "
                 "administration's reply and recommendation, by policy area. A submitter is "
                 "named only with their consent; e-mail addresses are never published.",
    },
}  # fmt: skip


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def hvidbog_html(book: Hvidbog) -> str:
    """The whole HTML document (A4 print styles included)."""
    return _environment().get_template("hvidbog.html.j2").render(h=book, L=LABELS[book.locale])


def hvidbog_fragment(book: Hvidbog) -> Markup:
    """The document's body only, to show inside a web page (already escaped)."""
    html = (
        _environment().get_template("_hvidbog_body.html.j2").render(h=book, L=LABELS[book.locale])
    )
    return Markup(html)  # rendered by an autoescaping environment: already escaped


def render_hvidbog(book: Hvidbog, fmt: Format | str) -> bytes:
    """The hvidbog as ``fmt`` (``html``, ``docx`` or ``pdf``) bytes."""
    if fmt == "docx":
        return hvidbog_docx(book)
    html = hvidbog_html(book)
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def hvidbog_docx(book: Hvidbog) -> bytes:
    """A Word document with the same content: headings, the summary table, the entries."""
    from docx import Document
    from docx.shared import Pt

    labels = LABELS[book.locale]
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = book.title
    doc.core_properties.author = book.organisation
    doc.add_heading(book.title, level=0)
    doc.add_paragraph(
        f"{book.organisation} · {labels['period']} {book.period} · {labels['made']} {book.made_on}"
    )
    doc.add_paragraph(labels["intro"])
    doc.add_heading(labels["summary"], level=1)
    _summary_table(doc, book, labels)
    for group in book.groups:
        doc.add_heading(group.title, level=1)
        for e in group.entries:
            doc.add_heading(f"{labels['no']} {e.number} · {e.reference}", level=2)
            received = e.received + (f" · {labels['attachment']}" if e.attachment else "")
            for label, value in (("sender", e.submitter), ("concerns", e.concerns),
                                 ("received", received)):  # fmt: skip
                para = doc.add_paragraph()
                para.add_run(f"{labels[label]}: ").bold = True
                para.add_run(value)
            _block(doc, labels["submission"], e.body)
            _block(doc, labels["reply"], e.reply or labels["no_reply"])
            para = doc.add_paragraph()
            para.add_run(f"{labels['recommendation']}: ").bold = True
            para.add_run(e.recommendation)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _summary_table(doc: Any, book: Hvidbog, labels: dict[str, str]) -> None:
    heads = ("number", "reference", "concerns", "recommendation")
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, heads, strict=True):
        cell.text = labels[key]
        cell.paragraphs[0].runs[0].bold = True
    for e in book.entries:
        cells = table.add_row().cells
        for cell, value in zip(cells, (str(e.number), e.reference, e.concerns, e.recommendation),
                               strict=True):  # fmt: skip
            cell.text = value
    if book.summary:
        doc.add_paragraph()
        counts = doc.add_table(rows=1, cols=2)
        counts.style = "Table Grid"
        counts.rows[0].cells[0].text = labels["recommendation"]
        counts.rows[0].cells[1].text = labels["count"]
        for label, n in [*book.summary, (labels["total"], len(book.entries))]:
            cells = counts.add_row().cells
            cells[0].text, cells[1].text = label, str(n)


def _block(doc: Any, label: str, text: str) -> None:
    para = doc.add_paragraph()
    para.add_run(label).bold = True
    for line in text.splitlines() or [""]:
        doc.add_paragraph(line)
