"""Rendering messages from Jinja2 templates, in Danish (default) or English.

Templates live in ``notifications/templates/<locale>/<kind>.{subject,txt,html}.j2``. A folder
in ``AARSHJUL_TEMPLATE_DIR`` with the same layout is searched first, so an organisation can
override any single file. HTML is autoescaped; subject and text are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from aarshjul.errors import TemplateError
from aarshjul.notifications.formatting import locale_of, long_date, workdays_text

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    """A message ready for the outbox."""

    subject: str
    text: str
    html: str


@lru_cache(maxsize=8)
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment: the organisation's folder first, then the built-in templates."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(BUILTIN_TEMPLATES)]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["long_date"] = long_date
    env.filters["workdays"] = workdays_text
    return env


def render(
    kind: str, locale: str, context: dict[str, Any], template_dir: Path | None = None
) -> Rendered:
    """Render ``kind`` (``digest``, ``dead_letter_report``) for a reader in ``locale``.

    >>> r = render("digest", "da", {"person": {"name": "Anne"}, "today": date(2027, 10, 15),
    ...     "sections": {}, "count": 0, "base_url": None})  # doctest: +SKIP
    """
    env = environment(template_dir)
    loc = locale_of(locale)
    ctx = {"locale": loc, **context}
    try:
        subject = env.get_template(f"{loc}/{kind}.subject.j2").render(ctx)
        text = env.get_template(f"{loc}/{kind}.txt.j2").render(ctx)
        html = env.get_template(f"{loc}/{kind}.html.j2").render(ctx)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or getattr(exc, "name", None) or kind
        raise TemplateError(f"message template {where}: {exc}") from exc
    return Rendered(subject=" ".join(subject.split()), text=text, html=html)
