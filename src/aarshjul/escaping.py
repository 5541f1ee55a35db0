"""Escaping data for each output format (*escaping af data*): the terminal, CSV and spreadsheets,
Markdown. Names and titles come from files, forms and command lines, so every format escapes them
for itself; what a person typed is shown as written, never obeyed (issue 13, kind 7).

* **Terminal**: control characters are removed — an escape sequence (``ESC[2J``, a window title,
  a hyperlink) is never written raw — and so are the Unicode direction overrides that make text
  read differently than it is stored. Rich markup in data is shown as text by the callers
  (:func:`rich.markup.escape`, or cells as :class:`rich.text.Text`).
* **CSV**: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
  prefixed with ``'`` so a spreadsheet shows it as text instead of running it as a formula
  (OWASP, *CSV Injection*). XLSX cells are written as text cells, which Excel never evaluates.
* **Markdown** (Prefect artifacts, the board report's text): punctuation that would make a link,
  an image, HTML or emphasis is backslash-escaped.

>>> terminal_text("Anne\\x1b[2J Kjær")
'Anne[2J Kjær'
>>> csv_text("=HYPERLINK(\\"http://evil.example\\")")
'\\'=HYPERLINK("http://evil.example")'
>>> markdown_text("[klik](http://evil.example)")
'\\\\[klik\\\\](http://evil.example)'
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What makes a link, an image, HTML, code, emphasis or a table cell mid-line; ``#``, ``+`` and
# ``-`` only matter at the start of a line, where data never stands.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>!|~])")


def strip_controls(text: str) -> str:
    """``text`` without control characters and direction overrides (tab and newline kept)."""
    return _CONTROL.sub("", text)


def terminal_text(value: object, *, one_line: bool = False) -> str:
    """``value`` as text that is safe to write to a terminal; ``one_line`` joins lines."""
    text = strip_controls(str(value))
    return _LINE_BREAKS.sub(" ", text) if one_line else text


def escape_controls(text: str) -> str:
    r"""Control characters and direction overrides as ``\uXXXX`` (for JSON already dumped:
    the value is unchanged, the bytes on the terminal are harmless)."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def csv_text(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (OWASP)."""
    cleaned = _CONTROL.sub("", text)
    formula = text.startswith(FORMULA_START) or cleaned.startswith(FORMULA_START)
    return "'" + cleaned if formula else cleaned


def markdown_text(value: object) -> str:
    """``value`` as literal Markdown text on one line: no link, image, HTML or emphasis."""
    return _MARKDOWN.sub(r"\\\1", terminal_text(value, one_line=True))


def markdown_code(text: str) -> str:
    """``text`` as a fenced code block that no backtick run inside it can close."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}\n{strip_controls(text)}\n{fence}"
