"""Rendering messages from Jinja2 templates, in Danish (default) or English.

Templates live in ``notifications/templates/<locale>/<kind>.{subject,txt,html}.j2``. A folder
in ``AARSHJUL_TEMPLATE_DIR`` with the same layout is searched first, so an organisation can
override any single file. HTML is autoescaped; subject and text are not.

A digest's task lines come from ``<locale>/digest_item.{txt,html}.j2``, rendered once per task
and reused in every digest that lists it (see :class:`TemplateSet`).
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


class TemplateSet:
    """The templates of one ``kind`` for one locale, looked up once and rendered many times.

    ``names`` are the parts, e.g. ``("subject", "txt", "html")`` for ``<locale>/<kind>.<part>.j2``.
    """

    def __init__(
        self, kind: str, locale: str, names: tuple[str, ...], template_dir: Path | None = None
    ) -> None:
        self.kind, self.locale = kind, locale_of(locale)
        env = environment(template_dir)
        try:
            self._templates = {
                name: env.get_template(f"{self.locale}/{kind}.{name}.j2") for name in names
            }
        except jinja2.TemplateError as exc:
            raise _template_error(exc, kind) from exc
        # What Template.render merges into every context (a ChainMap, slow to copy), copied once.
        self._globals = {name: dict(t.globals) for name, t in self._templates.items()}

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render part ``name`` with ``context`` (``locale`` is added); as ``Template.render``."""
        template = self._templates[name]
        variables = {**self._globals[name], "locale": self.locale, **context}
        try:
            try:
                # Template.render without its per-call copies: the globals are merged above, and
                # the context is made directly (new_context copies the globals' ChainMap again).
                env = template.environment
                context_ = env.context_class(env, variables, template.name, template.blocks)
                return "".join(template.root_render_func(context_))
            except Exception:
                template.environment.handle_exception()  # template line numbers, re-raised
        except jinja2.TemplateError as exc:
            raise _template_error(exc, self.kind) from exc


def _template_error(exc: jinja2.TemplateError, kind: str) -> TemplateError:
    where = getattr(exc, "filename", None) or getattr(exc, "name", None) or kind
    return TemplateError(f"message template {where}: {exc}")


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
        raise _template_error(exc, kind) from exc
    return Rendered(subject=" ".join(subject.split()), text=text, html=html)
