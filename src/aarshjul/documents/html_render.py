"""A :class:`~aarshjul.documents.model.Document` as HTML: a standalone file, or a fragment for a
page of the web app; the same HTML is what :mod:`~aarshjul.documents.pdf_render` prints.

Every text is escaped (``<script>`` in a comment arrives as ``&lt;script&gt;``); the only markup
is the renderer's own. Headings become ``h2``-``h4`` (the title is the ``h1``) with unique ids;
the table of contents links to them, and in print (the PDF) adds page numbers. Pictures are
``<img>`` elements: an SVG or PNG inlined as a ``data:`` URL (an SVG shown through ``<img>``
runs no script), or the block's ``src`` URL on a web page. The standalone file carries its
stylesheet (:func:`stylesheet`, also served to the web app) in a ``<style>`` element; a fragment
has no inline styles at all, so it fits a page whose Content-Security-Policy forbids them.
"""

from __future__ import annotations

import base64
from functools import cache
from importlib.resources import files

from markupsafe import Markup, escape

from aarshjul.documents.model import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Span,
    Table,
    TableOfContents,
    clean_text,
)


@cache
def stylesheet() -> str:
    """The documents' stylesheet: screen, and print (A4, page numbers, a running footer), with
    one rule per column width (``col.w1`` … ``col.w100``: no inline styles, so a page under a
    Content-Security-Policy can show a fragment). Read once, when first needed."""
    text = files("aarshjul.documents").joinpath("document.css").read_text(encoding="utf-8")
    return text + "".join(f".document col.w{n} {{ width: {n}%; }}\n" for n in range(1, 101))


CM_PX = 96 / 2.54


def render_html(document: Document) -> str:
    """A standalone HTML file (UTF-8, its own stylesheet, pictures inlined)."""
    doc = document.anchored()
    head = (
        f'<meta charset="utf-8">\n<title>{_text(doc.title)}</title>\n'
        f'<meta name="author" content="{_text(doc.author)}">\n'
        + (f'<meta name="dcterms.created" content="{doc.issued.isoformat()}">\n' if doc.issued else "")
        + f"<style>\n{stylesheet()}</style>\n"
    )  # fmt: skip
    return (
        f'<!DOCTYPE html>\n<html lang="{_text(doc.lang)}">\n<head>\n{head}</head>\n<body>\n'
        f"{render_fragment(doc)}</body>\n</html>\n"
    )


def render_fragment(document: Document) -> Markup:
    """The document as one ``<article class="document">`` element, for a page of the web app."""
    doc = document.anchored()
    parts = [f'<article class="document" lang="{_text(doc.lang)}">', "<header>"]
    parts.append(f"<h1>{_text(doc.title)}</h1>")
    if doc.subtitle:
        parts.append(f'<p class="subtitle">{_text(doc.subtitle)}</p>')
    parts.append("</header>")
    if doc.footer:
        parts.append(f'<p class="running-footer">{_text(doc.footer)}</p>')
    parts += [_block(block, doc) for block in doc.blocks]
    parts.append("</article>\n")
    return Markup("\n".join(parts))


def _block(block: object, doc: Document) -> str:
    if isinstance(block, Heading):
        tag = f"h{block.level + 1}"
        return f'<{tag} id="{_text(block.anchor)}">{_text(block.text)}</{tag}>'
    if isinstance(block, Paragraph):
        return f'<p class="{block.style.value}">{_runs(block.spans)}</p>'
    if isinstance(block, BulletList):
        items = "".join(f"<li>{_runs(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _image(block)
    if isinstance(block, TableOfContents):
        return _contents(block, doc)
    if isinstance(block, PageBreak):
        return '<div class="page-break"></div>'
    raise TypeError(f"cannot render {type(block).__name__} as HTML")  # pragma: no cover


def _text(value: str) -> str:
    return str(escape(clean_text(value)))


def _runs(runs: tuple[Span, ...]) -> str:
    out = []
    for span in runs:
        html = _text(span.text).replace("\n", "<br>\n")
        if span.italic:
            html = f"<em>{html}</em>"
        if span.bold:
            html = f"<strong>{html}</strong>"
        out.append(html)
    return "".join(out)


def _table(block: Table) -> str:
    cols = ""
    if block.widths:
        total = sum(block.widths) or 1.0
        cols = "<colgroup>" + "".join(
            f'<col class="w{_percent(w / total)}">' for w in block.widths
        ) + "</colgroup>"  # fmt: skip
    caption = f"<caption>{_text(block.caption)}</caption>" if block.caption else ""
    head = "".join(f'<th scope="col">{_text(h)}</th>' for h in block.header)
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{_runs(c)}</td>" for c in row) + "</tr>" for row in block.rows
    )
    return (
        f"<table>{caption}{cols}<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )


def _percent(share: float) -> int:
    """A column's width in whole per cent (the stylesheet's ``col.w1`` … ``col.w100``)."""
    return min(100, max(1, round(100 * share)))


def _image(block: Image) -> str:
    if block.src is not None:
        source = block.src
    elif block.svg is not None:
        source = "data:image/svg+xml;base64," + base64.b64encode(block.svg.encode()).decode()
    elif block.png is not None:
        source = "data:image/png;base64," + base64.b64encode(block.png).decode()
    else:
        raise ValueError(f"picture {block.alt!r} has neither SVG, PNG nor a source URL")
    width = round(block.width_cm * CM_PX)
    caption = f"<figcaption>{_text(block.caption)}</figcaption>" if block.caption else ""
    return (
        f'<figure><img src="{_text(source)}" alt="{_text(block.alt)}" width="{width}">'
        f"{caption}</figure>"
    )


def _contents(block: TableOfContents, doc: Document) -> str:
    items = "\n".join(
        f'<li class="toc{h.level}"><a href="#{_text(h.anchor)}">{_text(h.text)}</a></li>'
        for h in doc.headings(block.levels)
    )
    return f'<nav class="toc"><h2>{_text(block.title)}</h2>\n<ol>\n{items}\n</ol></nav>'
