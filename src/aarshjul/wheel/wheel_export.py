"""The wheel as a file: SVG as drawn, PNG and PDF through CairoSVG.

CairoSVG (and the cairo library under it) is imported only when a PNG or PDF is asked for, so
drawing SVG, and ``aarshjul --help``, never load it. A PNG is rendered at twice the picture's
size by default (3200 pixels wide): sharp on a large screen, and cairo's whole-pixel glyph
advances then stray less from the font's own widths the labels were laid out with. A PDF is one
A4 landscape page with a margin, the picture centred on it, vector throughout.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from aarshjul.errors import ConfigError, InputError
from aarshjul.wheel.picture import WheelOptions, draw_wheel
from aarshjul.wheel.wheel_data import WheelData

FORMATS = ("svg", "png", "pdf")
PNG_SCALE = 2.0
A4_LANDSCAPE = WheelOptions(width="297mm", height="210mm", margin=40.0)


def output_format(path: Path) -> str:
    """``svg``, ``png`` or ``pdf`` from the file's suffix; :class:`InputError` otherwise."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"{path}: unknown picture format {path.suffix!r}: use .svg, .png or .pdf")
    return fmt


def render(data: WheelData, fmt: str, *, scale: float = PNG_SCALE) -> bytes:
    """The picture of ``data`` as the bytes of an SVG, PNG or PDF file."""
    if fmt == "svg":
        return draw_wheel(data).encode("utf-8")
    if fmt == "png":
        png: bytes = _cairosvg().svg2png(bytestring=draw_wheel(data).encode("utf-8"), scale=scale)
        return png
    if fmt == "pdf":
        pdf: bytes = _cairosvg().svg2pdf(bytestring=draw_wheel(data, A4_LANDSCAPE).encode("utf-8"))
        return pdf
    raise InputError(f"unknown picture format {fmt!r}: use svg, png or pdf")


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (a temporary file renamed into place)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"{path}: cannot write here ({exc.strerror})") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file; mkstemp made it 0600
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write ({exc.strerror})") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cairosvg() -> Any:
    try:
        import cairosvg
    except OSError as exc:  # cairocffi found no libcairo
        raise ConfigError(
            "PNG and PDF need the cairo library (Debian/Ubuntu: apt install libcairo2); "
            f"SVG works without it ({exc})"
        ) from exc
    return cairosvg
