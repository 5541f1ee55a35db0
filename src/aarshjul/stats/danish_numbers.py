"""Numbers as a Danish reader writes them (``38.512``, ``4,3``) or an English one (``38,512``, ``4.3``).

>>> format_number(38512.0)
'38.512'
>>> format_number(4.25, 1)
'4,3'
>>> format_number(38512.0, lang="en")
'38,512'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"  # the typographic minus sign, as in print


def format_number(value: float, decimals: int = 0, lang: str = "da") -> str:
    """``value`` rounded half up to ``decimals``, with Danish or English separators."""
    rounded = Decimal(repr(float(value))).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    text = f"{rounded:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_change(new: float, old: float, *, points: bool, decimals: int, lang: str = "da") -> str:
    """The change from ``old`` to ``new``: in per cent, or in percentage points when ``points``.

    >>> format_change(38600, 38500, points=False, decimals=0)
    '+0,3 %'
    >>> format_change(2.8, 2.6, points=True, decimals=1, lang="en")
    '+0.2 percentage points'
    """
    if points:
        delta = new - old
        unit = "procentpoint" if lang == "da" else "percentage points"
        return f"{_signed(delta, decimals, lang)} {unit}"
    if old == 0:
        return ""
    percent = (new - old) / abs(old) * 100
    return f"{_signed(percent, 1, lang)} %" if lang == "da" else f"{_signed(percent, 1, lang)}%"


def _signed(value: float, decimals: int, lang: str) -> str:
    text = format_number(abs(value), decimals, lang)
    if text.strip("0,.") == "":
        return "±" + text
    return ("+" if value > 0 else MINUS) + text
