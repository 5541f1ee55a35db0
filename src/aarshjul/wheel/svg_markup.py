"""Writing SVG elements as text: every attribute value and text is escaped, attributes keep order.

>>> el("text", {"x": 1, "class": "a&b"}, "Tom & Jerry")
'<text x="1" class="a&amp;b">Tom &amp; Jerry</text>'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from aarshjul.wheel.arc_geometry import num

AttrValue = str | int | float | None


def attrs(values: Mapping[str, AttrValue]) -> str:
    """`` name="value"`` pairs in the given order; ``None`` leaves an attribute out."""
    out = []
    for name, value in values.items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float) else str(value)
        out.append(f' {name}="{escape(text, quote=True)}"')
    return "".join(out)


def el(tag: str, values: Mapping[str, AttrValue] | None = None, text: str | None = None) -> str:
    """One element with escaped text content, or self-closing without content."""
    opening = f"<{tag}{attrs(values or {})}"
    if text is None:
        return f"{opening}/>"
    return f"{opening}>{escape(text, quote=False)}</{tag}>"


def group(tag: str, values: Mapping[str, AttrValue] | None, children: Iterable[str]) -> str:
    """An element around already written children (which are not escaped again)."""
    return f"<{tag}{attrs(values or {})}>{''.join(children)}</{tag}>"
