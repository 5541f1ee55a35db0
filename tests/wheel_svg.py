"""Reading the wheel's SVG back in tests: elements by class, angles of arcs, text boxes.

Text boxes are computed here from the font files themselves (fontTools), not from the package's
width table, so the overlap test does not trust the code it checks.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

SVG = "{http://www.w3.org/2000/svg}"
FONT_DIR = Path("/usr/share/fonts/truetype/liberation")


@dataclass(frozen=True)
class TextBox:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    in_item: bool

    def overlaps(self, other: TextBox) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(node: ET.Element) -> set[str]:
    return set(node.get("class", "").split())


def find_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in root.iter() if name in classes(node)]


def centre(root: ET.Element) -> tuple[float, float]:
    (group,) = find_class(root, "wheel-centre")
    circle = group.find(f"{SVG}circle")
    assert circle is not None
    return float(circle.get("cx", "0")), float(circle.get("cy", "0"))


def angle(point: tuple[float, float], middle: tuple[float, float]) -> float:
    """Degrees clockwise from 12 o'clock."""
    (x, y), (cx, cy) = point, middle
    return math.degrees(math.atan2(x - cx, cy - y)) % 360


def arc_angles(path: str, middle: tuple[float, float]) -> tuple[float, float]:
    """Start and end angle of an annular sector ``M p0 A … p1 L …``, as drawn."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    start = (numbers[0], numbers[1])
    end = (numbers[7], numbers[8])  # M x y A rx ry rot large sweep x y
    a0, a1 = angle(start, middle), angle(end, middle)
    return a0, a1 if a1 > a0 else a1 + 360


@cache
def _font(bold: bool) -> tuple[dict[int, str], object, int, float, float]:
    font = TTFont(FONT_DIR / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"))
    upm = font["head"].unitsPerEm
    return (
        font.getBestCmap(),
        font["hmtx"],
        upm,
        font["hhea"].ascent / upm,
        -font["hhea"].descent / upm,
    )


def width(text: str, size: float, bold: bool) -> float:
    cmap, metrics, upm, _, _ = _font(bold)
    return sum(metrics[cmap[ord(c)]][0] for c in text) * size / upm  # type: ignore[index]


def text_boxes(root: ET.Element) -> list[TextBox]:
    """Every horizontal text (no rotation, no text path) with its inherited size and weight."""
    parents = {child: parent for parent in root.iter() for child in parent}
    boxes = []
    for node in root.iter():
        if node.tag not in (f"{SVG}text", f"{SVG}tspan") or not (node.text or "").strip():
            continue
        chain = _ancestors(node, parents)
        if any(n.get("transform") for n in chain) or any(n.tag == f"{SVG}textPath" for n in chain):
            continue
        boxes.append(_box(node, chain))
    return boxes


def _ancestors(node: ET.Element, parents: dict[ET.Element, ET.Element]) -> list[ET.Element]:
    chain = [node]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    return chain


def _inherited(chain: list[ET.Element], name: str, default: str) -> str:
    return next((n.get(name) for n in chain if n.get(name) is not None), default) or default


def _box(node: ET.Element, chain: list[ET.Element]) -> TextBox:
    size = float(_inherited(chain, "font-size", "16"))
    bold = _inherited(chain, "font-weight", "normal") == "bold"
    anchor = _inherited(chain, "text-anchor", "start")
    text = node.text or ""
    w = width(text, size, bold)
    x, y = float(_inherited(chain, "x", "0")), float(_inherited(chain, "y", "0"))
    left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
    _, _, _, ascent, descent = _font(bold)
    in_item = any("wheel-item" in classes(n) for n in chain)
    return TextBox(text, left, y - ascent * size, left + w, y + descent * size, in_item)
