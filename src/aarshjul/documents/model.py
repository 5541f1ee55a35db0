"""The document model (*dokumentmodel*): what a generated document says, not how it looks.

A :class:`Document` is a title and a flat sequence of blocks — :class:`Heading` (levels 1-3),
:class:`Paragraph`, :class:`BulletList`, :class:`Table`, :class:`Image`,
:class:`TableOfContents` and :class:`PageBreak` — built from the data by plain functions and
rendered by :mod:`~aarshjul.documents.docx_render` (Word) and
:mod:`~aarshjul.documents.html_render` (HTML, and PDF through
:mod:`~aarshjul.documents.pdf_render`). Every renderer shows every block, so a DOCX and a PDF of
one document say the same.

Texts are plain text: never markup. A renderer escapes them (HTML) or writes them as text runs
(DOCX), so ``<script>`` in a comment is shown as the eight characters it is. A newline inside a
text is a line break; :func:`text_blocks` turns a longer text someone typed (blank lines between
paragraphs, ``- `` for bullets) into blocks.

>>> doc = DocumentBuilder("Planredegørelse 2027", lang="da")
>>> doc.heading("Skole")
>>> doc.paragraph("Udvalg: ", Span("Børne- og Skoleudvalget", bold=True))
>>> doc.table(["Mål", "Status"], [["Flere elever trives", "på sporet"]])
>>> [type(b).__name__ for b in doc.build().blocks]
['Heading', 'Paragraph', 'Table']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class Span:
    """A run of text with emphasis; ``\\n`` inside it is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = str | Span
#: A table cell: its runs (a plain string becomes one run).
Cell = tuple[Span, ...]


class ParagraphStyle(StrEnum):
    """``body`` text, a ``lead`` (the introduction under a title), a small ``note``."""

    body = "body"
    lead = "lead"
    note = "note"


@dataclass(frozen=True)
class Heading:
    """A heading of level 1-3: Word's *Overskrift 1-3* (in the table of contents), HTML h2-h4.

    ``anchor`` is the HTML id (made from the text when empty, unique within the document).
    """

    text: str
    level: int = 1
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs."""

    spans: tuple[Span, ...]
    style: ParagraphStyle = ParagraphStyle.body


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is a tuple of runs."""

    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; ``widths`` are relative column widths (any unit).

    Rows may be long: Word and the PDF repeat the header row on every page.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None
    caption: str = ""


@dataclass(frozen=True)
class Image:
    """A picture: ``png`` bytes (what Word gets), ``svg`` text (HTML and PDF get the vector
    drawing when there is one) or a ``src`` URL (a web page that loads the picture itself).

    ``alt`` is the text a screen reader reads (Word's *alternativ tekst*); ``width_cm`` the
    printed width.
    """

    alt: str
    png: bytes | None = None
    svg: str | None = None
    src: str | None = None
    width_cm: float = 16.0
    caption: str = ""


@dataclass(frozen=True)
class TableOfContents:
    """Word: a TOC field (``TOC \\o "1-N"``) that Word updates (F9); HTML/PDF: a linked list of
    the headings up to ``levels``, with page numbers in the PDF."""

    title: str
    levels: int = 2


@dataclass(frozen=True)
class PageBreak:
    """Start a new page (print only; a web page ignores it)."""


Block = Heading | Paragraph | BulletList | Table | Image | TableOfContents | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole document: its ``title`` (Word's *Titel*, the HTML ``<h1>``), an optional
    ``subtitle``, the ``blocks``, its language (``da`` or ``en``), ``author`` (the
    organisation, in the file's properties), ``footer`` (on every printed page) and ``issued``
    (the day it was made: the file's creation date; renderers never read the clock)."""

    title: str
    blocks: tuple[Block, ...]
    lang: str = "da"
    subtitle: str = ""
    author: str = ""
    footer: str = ""
    issued: date | None = None

    def headings(self, levels: int = 3) -> list[Heading]:
        """The headings up to ``levels``, with their anchors filled in."""
        return [b for b in self.anchored().blocks if isinstance(b, Heading) and b.level <= levels]

    def anchored(self) -> Document:
        """The same document with every heading's ``anchor`` set and unique."""
        seen: dict[str, int] = {}
        blocks: list[Block] = []
        for block in self.blocks:
            if isinstance(block, Heading):
                base = block.anchor or slug(block.text)
                seen[base] = seen.get(base, 0) + 1
                anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
                block = Heading(block.text, block.level, anchor)
            blocks.append(block)
        return replace(self, blocks=tuple(blocks))


def spans(parts: Iterable[Inline]) -> tuple[Span, ...]:
    """Runs from strings and spans (a string is an unemphasised run; empty strings are dropped)."""
    out = tuple(p if isinstance(p, Span) else Span(p) for p in parts)
    return tuple(s for s in out if s.text)


def cell(value: Inline | Sequence[Inline]) -> Cell:
    """A table cell from a string, a span or a sequence of them."""
    if isinstance(value, str | Span):
        return spans([value])
    return spans(value)


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLUG = re.compile(r"[^0-9a-zæøå]+")


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (NUL and other control characters,
    lone surrogates): python-docx refuses them and a browser shows them as garbage. Tabs,
    newlines and everything printable stay; ``\\r\\n`` becomes ``\\n``."""
    return _INVALID_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def slug(text: str) -> str:
    """An HTML id from a heading: ``"Ældre og sundhed"`` -> ``"ældre-og-sundhed"``."""
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "afsnit"


def text_blocks(text: str) -> list[Block]:
    """Blocks from a typed text: paragraphs between blank lines; a paragraph whose lines all
    start with ``- `` or ``* `` is a bulleted list; other newlines are line breaks.

    >>> [type(b).__name__ for b in text_blocks("Lov om X.\\n\\n- punkt 1\\n- punkt 2")]
    ['Paragraph', 'BulletList']
    """
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", clean_text(text).strip()):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
        if not any(lines):
            continue
        if all(line.lstrip().startswith(("- ", "* ")) for line in lines):
            items = tuple(spans([line.lstrip()[2:].strip()]) for line in lines)
            blocks.append(BulletList(tuple(i for i in items if i)))
        else:
            blocks.append(Paragraph(spans(["\n".join(lines)])))
    return blocks


@dataclass
class DocumentBuilder:
    """Collects blocks in order; :meth:`build` returns the :class:`Document`."""

    title: str
    lang: str = "da"
    subtitle: str = ""
    author: str = ""
    footer: str = ""
    issued: date | None = None
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1, *, anchor: str = "") -> None:
        """A heading; ``anchor`` fixes its HTML id (a link target that does not depend on the
        language), else it is made from the text."""
        if not 1 <= level <= 3:
            raise ValueError(f"heading level {level}: use 1, 2 or 3")
        self.blocks.append(Heading(text, level, anchor))

    def paragraph(self, *parts: Inline, style: ParagraphStyle = ParagraphStyle.body) -> None:
        runs = spans(parts)
        if runs:
            self.blocks.append(Paragraph(runs, style))

    def note(self, *parts: Inline) -> None:
        self.paragraph(*parts, style=ParagraphStyle.note)

    def bullets(self, items: Iterable[Inline | Sequence[Inline]]) -> None:
        rows = tuple(cell(i) for i in items)
        if rows:
            self.blocks.append(BulletList(rows))

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Inline | Sequence[Inline]]],
        *,
        widths: Sequence[float] | None = None,
        caption: str = "",
    ) -> None:
        body = tuple(tuple(cell(c) for c in row) for row in rows)
        if any(len(row) != len(header) for row in body):
            raise ValueError(f"table {header!r}: every row must have {len(header)} cells")
        self.blocks.append(Table(tuple(header), body, tuple(widths) if widths else None, caption))

    def image(self, image: Image) -> None:
        self.blocks.append(image)

    def text(self, text: str) -> None:
        """A typed text as paragraphs and lists (see :func:`text_blocks`)."""
        self.blocks.extend(text_blocks(text))

    def contents(self, title: str, levels: int = 2) -> None:
        self.blocks.append(TableOfContents(title, levels))

    def page_break(self) -> None:
        self.blocks.append(PageBreak())

    def build(self) -> Document:
        return Document(
            self.title, tuple(self.blocks), self.lang, self.subtitle, self.author, self.footer,
            self.issued,
        )  # fmt: skip
