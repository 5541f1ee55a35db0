"""The document model rendered to DOCX (read back with python-docx), HTML and PDF (read back with
pdftotext): the same content, escaped text, a Word table of contents field, pictures embedded,
nothing fetched from outside."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from aarshjul.documents import (
    DocumentBuilder,
    Image,
    Span,
    clean_text,
    render,
    render_docx,
    render_fragment,
    render_html,
    render_pdf,
    text_blocks,
)
from aarshjul.documents.model import BulletList, Paragraph

HOSTILE = '<script>alert("x")</script> & <b>fed</b> {{ 7*7 }}'


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = True) -> str:
    """The text of a PDF, as pdftotext reads it (poppler-utils): laid out as printed, or in
    reading order (``layout=False``: a table cell's lines one after the other)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    mode = ["-layout"] if layout else []
    out = subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _png() -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([1, 2, 3], [1, 3, 2])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    return buffer.getvalue()


def _sample() -> DocumentBuilder:
    doc = DocumentBuilder(
        "Hvidbog 2027", subtitle="Testkommune", author="Testkommune", footer="Hvidbog · udkast"
    )
    doc.contents("Indhold")
    doc.heading("Høringssvar")
    doc.paragraph(
        "Svar fra ", Span("Grundejerforeningen", bold=True), " og ", Span("KL", italic=True)
    )
    doc.table(
        ["Fra", "Svar"], [["Borger", HOSTILE], ["Forening", "Linje 1\nLinje 2"]], widths=[1, 3]
    )
    doc.heading("Bemærkninger", 2)
    doc.text(f"Første afsnit.\n\n- punkt ét\n- punkt to\n\nSidste\x00 afsnit {HOSTILE}")
    doc.image(Image(alt="Et diagram", png=_png(), caption="Figur 1"))
    doc.heading("Bilag")
    doc.note("Dannet af aarshjul.")
    return doc


def test_text_blocks_make_paragraphs_and_bullets_and_drop_control_characters() -> None:
    blocks = text_blocks("Et\r\nto\n\n- a\n* b\n\n\n\nTre\x0b")
    assert [type(b) for b in blocks] == [Paragraph, BulletList, Paragraph]
    assert blocks[0].spans[0].text == "Et\nto"  # type: ignore[union-attr]
    assert [i[0].text for i in blocks[1].items] == ["a", "b"]  # type: ignore[union-attr]
    assert clean_text("a\x00b\x1fc\ud800d\te\n") == "abcd\te\n"


def test_builder_refuses_a_row_of_the_wrong_width_and_a_fourth_level() -> None:
    doc = DocumentBuilder("X")
    with pytest.raises(ValueError, match="2 cells"):
        doc.table(["a", "b"], [["only one"]])
    with pytest.raises(ValueError, match="use 1, 2 or 3"):
        doc.heading("deep", 4)


def test_docx_has_real_headings_a_toc_field_tables_and_the_picture() -> None:
    content = render_docx(_sample().build())
    word = docx.Document(io.BytesIO(content))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Title", "Hvidbog 2027") in styles
    assert ("Heading 1", "Høringssvar") in styles and ("Heading 2", "Bemærkninger") in styles
    assert ("List Bullet", "punkt ét") in styles
    body = word.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert body.count('w:fldCharType="begin"') == 1 and body.count('w:fldCharType="end"') == 1
    # the field's result is pre-filled with the headings in Word's TOC styles
    assert [p.text for p in word.paragraphs if p.style.name.startswith("toc")] == [
        "Høringssvar", "Bemærkninger", "Bilag",
    ]  # fmt: skip
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Fra", "Svar"]
    assert table.rows[1].cells[1].text == HOSTILE  # the text itself, never markup
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats
    assert len(word.inline_shapes) == 1
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "Et diagram"
    assert "Sidste afsnit" in "\n".join(p.text for p in word.paragraphs)  # NUL dropped
    assert word.core_properties.language == "da-DK" and word.core_properties.title == "Hvidbog 2027"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        settings = package.read("word/settings.xml").decode()
        styles_xml = package.read("word/styles.xml").decode()
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in package.namelist())
        footer = (
            package.read("word/footer1.xml").decode()
            if "word/footer1.xml" in package.namelist()
            else ""
        )
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:updateFields") < settings.index("<w:compat")  # schema order
    assert 'w:lang w:val="da-DK"' in styles_xml
    assert "PAGE" in footer and "Hvidbog · udkast" in footer


def test_html_escapes_every_text_and_has_no_inline_style_in_a_fragment() -> None:
    document = _sample().build()
    html = render_html(document)
    fragment = str(render_fragment(document))
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;fed&lt;/b&gt;" in html and "{{ 7*7 }}" in html  # shown, not evaluated
    assert 'style="' not in fragment and "<style>" not in fragment
    assert '<h2 id="høringssvar">Høringssvar</h2>' in fragment
    assert '<a href="#høringssvar">Høringssvar</a>' in fragment  # the contents link to it
    assert '<img src="data:image/png;base64,' in fragment and 'alt="Et diagram"' in fragment
    assert "Linje 1<br>\nLinje 2" in fragment
    assert '<th scope="col">Fra</th>' in fragment and '<col class="w25">' in fragment


def test_pdf_says_what_the_docx_says(tmp_path: Path) -> None:
    document = _sample().build()
    text = pdf_text(render_pdf(document), tmp_path)
    word = docx.Document(io.BytesIO(render_docx(document)))
    for paragraph in word.paragraphs:
        if paragraph.text.strip() and not paragraph.style.name.startswith("toc"):
            assert " ".join(paragraph.text.split()) in " ".join(text.split()), paragraph.text
    assert HOSTILE in text  # the characters, printed as text
    assert "Hvidbog · udkast" in text and re.search(r"\b1\s*/\s*1\b", text)  # footer, page 1 of 1


def test_pdf_fetches_nothing_from_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"  # if it were read, its text would be in the PDF
    secret.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        '<text x="5" y="20">TOP SECRET</text></svg>', encoding="utf-8",
    )  # fmt: skip
    doc = DocumentBuilder("Fetch")
    doc.image(Image(alt="local file", src=secret.as_uri()))
    doc.image(Image(alt="server", src="http://127.0.0.1:9/x.png"))
    doc.paragraph("Efter billederne")
    text = pdf_text(render_pdf(doc.build()), tmp_path)
    assert "TOP SECRET" not in text and "Efter billederne" in text


def test_render_by_format_name_and_an_image_word_cannot_take() -> None:
    document = _sample().build()
    assert render(document, "docx")[:2] == b"PK"
    assert render(document, "pdf")[:5] == b"%PDF-"
    assert render(document, "html").startswith(b"<!DOCTYPE html>")
    with pytest.raises(ValueError):
        render(document, "odt")
    svg_only = DocumentBuilder("X")
    svg_only.image(Image(alt="svg", svg="<svg xmlns='http://www.w3.org/2000/svg'/>"))
    with pytest.raises(ValueError, match="needs one"):
        render_docx(svg_only.build())


def test_the_api_example_in_the_docs_runs() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "reports.md").read_text(encoding="utf-8")
    [example] = re.findall(r"^```python\n(.*?)^```", docs, re.MULTILINE | re.DOTALL)
    scope: dict[str, object] = {}
    exec(compile(example, "docs/reports.md", "exec"), scope)
    word = docx.Document(io.BytesIO(scope["docx_bytes"]))  # type: ignore[arg-type]
    assert word.tables[0].rows[1].cells[2].text == "Taget til efterretning"
