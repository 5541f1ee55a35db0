"""Rendering messages from Jinja2 templates, in Danish (default) or English.

Templates live in ``notifications/templates/<locale>/<kind>.{subject,txt,html}.j2``. A folder
in ``AARSHJUL_TEMPLATE_DIR`` with the same layout is searched first, so an organisation can
override any single file. HTML is autoescaped; subject and text are not.

A digest's task lines come from ``<locale>/digest_item.{txt,html}.j2``, rendered once per task
and reused in every digest that lists it (see :class:`TemplateSet`). Many messages of one part are
rendered in one Jinja call (:meth:`TemplateSet.render_each`) when the template is a built-in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from aarshjul.errors import TemplateError
from aarshjul.notifications.formatting import locale_of, long_date, workdays_text

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
# Ends each message in a batch render (see TemplateSet.render_each); a message that contains it
# makes the batch fall back to one render per message.
_END = "\x00"


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
    With ``plain`` every message is rendered with Jinja's own ``Template.render``, one call per
    message: the reference the fast path must match byte for byte (a test compares them).
    """

    def __init__(
        self,
        kind: str,
        locale: str,
        names: tuple[str, ...],
        template_dir: Path | None = None,
        *,
        plain: bool = False,
    ) -> None:
        self.kind, self.locale, self.plain = kind, locale_of(locale), plain
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
        if self.plain:
            try:
                return self._templates[name].render({**context, "locale": self.locale})
            except jinja2.TemplateError as exc:
                raise _template_error(exc, self.kind) from exc
        return self._render(self._templates[name], {**self._globals[name], **context})

    def render_each(
        self,
        name: str,
        fields: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        context: dict[str, Any],
    ) -> list[str]:
        """Render part ``name`` once per row: as ``render(name, {**context, **zip(fields, row)})``.

        A built-in template renders all rows in one Jinja call: its source inside
        ``{% for <fields> in rows %}…{% endfor %}``, with the same environment, name (so the same
        autoescaping) and whitespace rules, the messages separated by a character they do not
        contain. An organisation's own template is rendered once per row, as it may use
        ``extends``, blocks or macros, which a loop cannot hold.
        """
        fast = rows and not self.plain
        batch = _batch_template(self._templates[name], fields) if fast else None
        if batch is not None:
            loop_rows = [row[0] for row in rows] if len(fields) == 1 else rows
            variables = {**self._globals[name], **context, "_rows": loop_rows, "_end": _END}
            out = self._render(batch, variables).split(_END)
            if len(out) == len(rows) + 1 and not out[-1]:
                out.pop()
                return out
        return [
            self.render(name, {**context, **dict(zip(fields, row, strict=True))}) for row in rows
        ]

    def _render(self, template: jinja2.Template, variables: dict[str, Any]) -> str:
        variables["locale"] = self.locale
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


@lru_cache(maxsize=64)
def _batch_template(template: jinja2.Template, fields: tuple[str, ...]) -> jinja2.Template | None:
    """``template`` looped over ``_rows`` (see :meth:`TemplateSet.render_each`); built-ins only.

    Compiled once per template (the environment caches the template object it wraps).
    """
    env, name = template.environment, template.name
    if name is None or template.filename is None:
        return None
    if Path(template.filename).resolve().parent.parent != BUILTIN_TEMPLATES.resolve():
        return None  # an organisation's override
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    target = fields[0] if len(fields) == 1 else ", ".join(fields)
    # The newline after the for tag is dropped (trim_blocks), so the template's first line starts a
    # line as it does alone; its last newline is kept, as keep_trailing_newline keeps it alone.
    wrapped = f"{{% for {target} in _rows %}}\n{source}{{{{ _end }}}}{{% endfor %}}"
    code = env.compile(wrapped, name, filename)  # the name decides autoescaping, as alone
    return env.template_class.from_code(env, code, env.make_globals(None))


def _template_error(exc: jinja2.TemplateError, kind: str) -> TemplateError:
    where = getattr(exc, "filename", None) or getattr(exc, "name", None) or kind
    return TemplateError(f"message template {where}: {exc}")


def render(
    kind: str, locale: str, context: dict[str, Any], template_dir: Path | None = None
) -> Rendered:
    """Render ``kind`` (``digest``, ``board_report``…) for a reader in ``locale``.

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
