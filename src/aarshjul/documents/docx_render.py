"""A :class:`~aarshjul.documents.model.Document` as a Word file (DOCX), with python-docx.

What Word gets, so the file works in a municipality's case and agenda systems:

* A4 pages; the document's language (``da-DK``) as the default proofing language and in the
  file's properties, with title, author and creation day;
* headings in Word's own styles *Overskrift 1-3* (``Heading 1-3``), so the navigation pane and
  the table of contents see them;
* a real table of contents: a ``TOC \\o "1-N" \\h \\z \\u`` field, pre-filled with the headings
  (without page numbers) and marked to be updated when the file is opened (Word asks; F9
  updates it by hand);
* tables in *Tabelgitter* with a shaded header row that repeats on every page;
* pictures as inline PNG with their alternative text (``descr``) and a caption;
* a footer with the document's footer text and the page number (a ``PAGE`` field).

Texts are written as text runs, never parsed: ``<b>`` in a comment stays four characters.
Characters XML cannot hold are dropped (:func:`~aarshjul.documents.model.clean_text`).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from aarshjul.documents.model import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Span,
    Table,
    TableOfContents,
    clean_text,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph

#: The printed width of the text column (A4 with 2.2 cm margins), in centimetres.
TEXT_WIDTH_CM = 16.6
HEADER_FILL = "DCE6F0"
LANGUAGES = {"da": "da-DK", "en": "en-GB"}


def render_docx(document: Document) -> bytes:
    """The bytes of a ``.docx`` file showing ``document``.

    Raises :class:`ValueError` for an :class:`~aarshjul.documents.model.Image` without PNG bytes
    (Word cannot take SVG from python-docx).
    """
    import docx

    doc = docx.Document()
    document = document.anchored()
    _page_setup(doc, document)
    _styles(doc, document.lang)
    _properties(doc, document)
    doc.add_paragraph(clean_text(document.title), style="Title")
    if document.subtitle:
        doc.add_paragraph(clean_text(document.subtitle), style="Subtitle")
    for block in document.blocks:
        _block(doc, block, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _block(doc: WordDocument, block: object, document: Document) -> None:
    if isinstance(block, Heading):
        doc.add_heading(clean_text(block.text), level=block.level)
    elif isinstance(block, Paragraph):
        _runs(doc.add_paragraph(style=_STYLE[block.style]), block.spans)
    elif isinstance(block, BulletList):
        for item in block.items:
            _runs(doc.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Image):
        _image(doc, block)
    elif isinstance(block, TableOfContents):
        _contents(doc, block, document)
    elif isinstance(block, PageBreak):
        from docx.enum.text import WD_BREAK

        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:  # pragma: no cover - the model has no other blocks
        raise TypeError(f"cannot render {type(block).__name__} as DOCX")


_STYLE = {ParagraphStyle.body: "Normal", ParagraphStyle.lead: "Lead", ParagraphStyle.note: "Note"}


def _runs(paragraph: WordParagraph, runs: tuple[Span, ...]) -> None:
    for span in runs:
        # Run.text turns "\n" into a line break (<w:br/>) and "\t" into a tab.
        run = paragraph.add_run(clean_text(span.text))
        run.bold = span.bold or None
        run.italic = span.italic or None


def _page_setup(doc: WordDocument, document: Document) -> None:
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    if document.footer:
        footer.add_run(clean_text(document.footer) + "  ·  ")
    footer.add_run("Side " if document.lang == "da" else "Page ")
    _simple_field(footer, "PAGE", "1")


def _styles(doc: WordDocument, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    styles = doc.styles
    styles["Normal"].font.size = Pt(10.5)
    lead = styles.add_style("Lead", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = styles["Normal"]
    lead.font.size = Pt(12)
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    note.font.size, note.font.italic = Pt(9), True
    note.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    for level in (1, 2, 3):  # Word's built-in TOC styles (id TOC1…): an update keeps them
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.style_id = f"TOC{level}"
        toc.element.attrib.pop(qn("w:customStyle"), None)
        toc.base_style = styles["Normal"]
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.space_after = Pt(2)
    _default_language(doc, LANGUAGES.get(lang, lang))


def _default_language(doc: WordDocument, tag: str) -> None:
    """The proofing language of every run that does not say otherwise (``w:docDefaults``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults: Any = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def _properties(doc: WordDocument, document: Document) -> None:
    props = doc.core_properties
    props.title = clean_text(document.title)[:255]
    props.author = props.last_modified_by = clean_text(document.author)[:255]
    props.language = LANGUAGES.get(document.lang, document.lang)
    props.subject = clean_text(document.subtitle)[:255]
    props.comments = ""
    props.revision = 1
    if document.issued is not None:
        made = datetime.combine(document.issued, time(0, 0), tzinfo=UTC)
        props.created = props.modified = made
        props.last_printed = made


def _table(doc: WordDocument, block: Table) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = _widths(block)
    header = table.rows[0]
    _repeat_header(header)
    for cell, text, width in zip(header.cells, block.header, widths, strict=True):
        cell.width = Cm(width)
        _shade(cell)
        _runs(cell.paragraphs[0], (Span(text, bold=True),))
    for row in block.rows:
        cells = table.add_row().cells
        for word_cell, content, width in zip(cells, row, widths, strict=True):
            word_cell.width = Cm(width)
            _runs(word_cell.paragraphs[0], content)
    if block.caption:
        doc.add_paragraph(clean_text(block.caption), style="Caption")
    else:
        doc.add_paragraph()  # Word glues two adjacent tables into one


def _widths(block: Table) -> list[float]:
    weights = list(block.widths or [1.0] * len(block.header))
    total = sum(weights) or 1.0
    return [TEXT_WIDTH_CM * w / total for w in weights]


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _shade(cell: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def _image(doc: WordDocument, block: Image) -> None:
    from docx.shared import Cm

    if block.png is None:
        raise ValueError(f"picture {block.alt!r} has no PNG: a Word document needs one")
    shape = doc.add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, TEXT_WIDTH_CM)))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", clean_text(block.alt))
    doc_pr.set("title", clean_text(block.caption or block.alt)[:255])
    if block.caption:
        doc.add_paragraph(clean_text(block.caption), style="Caption")


def _contents(doc: WordDocument, block: TableOfContents, document: Document) -> None:
    """A TOC field whose result is pre-filled with the headings (Word replaces it on update)."""
    from docx.oxml.ns import qn

    doc.add_paragraph(clean_text(block.title), style="TOC Heading")
    entries = list(document.headings(block.levels))
    if not entries:
        hint = "Opdatér feltet (F9)" if document.lang == "da" else "Update the field (F9)"
        entries = [Heading(hint, 1)]
    paragraphs = [doc.add_paragraph(style=f"toc {h.level}") for h in entries]
    first, last = paragraphs[0], paragraphs[-1]
    _field_char(first, "begin")
    instruction = first.add_run()._r
    text = instruction.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
    text.text = f' TOC \\o "1-{block.levels}" \\h \\z \\u '
    instruction.append(text)
    _field_char(first, "separate")
    for paragraph, heading in zip(paragraphs, entries, strict=True):
        paragraph.add_run(clean_text(heading.text))
    _field_char(last, "end")
    _update_fields_on_open(doc)


def _field_char(paragraph: WordParagraph, kind: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _simple_field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _update_fields_on_open(doc: WordDocument) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    # CT_Settings is a sequence: updateFields comes right before these (Word checks the order).
    after = [qn(f"w:{n}") for n in _AFTER_UPDATE_FIELDS]
    following = next((child for child in settings if child.tag in after), None)
    if following is None:
        settings.append(flag)
    else:
        following.addprevious(flag)


_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip
