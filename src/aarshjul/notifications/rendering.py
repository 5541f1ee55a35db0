"""Rendering messages from Jinja2 templates, in Danish (default) or English.

Templates live in ``notifications/templates/<locale>/<kind>.{subject,txt,html}.j2``. A folder
in ``AARSHJUL_TEMPLATE_DIR`` with the same layout is searched first, so an organisation can
override any single file. HTML is autoescaped; subject and text are not.

An organisation's own files run in Jinja's immutable sandbox (issue 13): they see the documented
variables and filters only — no attribute starting with ``_``, no Python internals, nothing that
changes a list or a dict, ``range`` up to 100,000 and no string or list multiplied past 100,000
items — and settings and secrets are never in any template's context. A file the sandbox stops
is a :class:`~aarshjul.errors.TemplateError` naming it. The built-in templates, which aarshjul
ships and tests, run in a plain environment with the batched fast path below.

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
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

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


_MAX_ITEMS = 100_000


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox for an organisation's own templates: also no huge ``*`` or ``**``."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError("the power is too large for a message template")
        if operator == "*" and _too_many(left, right):
            raise SecurityError(f"more than {_MAX_ITEMS:,} items in a message template")
        return super().call_binop(context, operator, left, right)


def _too_many(left: Any, right: Any) -> bool:
    for sized, count in ((left, right), (right, left)):
        if isinstance(sized, str | list | tuple) and isinstance(count, int):
            return len(sized) * count > _MAX_ITEMS
    return False


@lru_cache(maxsize=8)
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of the built-in templates; with ``template_dir``, the sandboxed
    one of the organisation's folder (searched first, then the built-ins; an own template may
    extend or include a built-in one, also one of its own name as ``builtin/da/digest.txt.j2``)."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(BUILTIN_TEMPLATES)]
    if template_dir is not None:
        builtin = jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(BUILTIN_TEMPLATES)})
        loaders[:0] = [jinja2.FileSystemLoader(template_dir), builtin]
    kind = jinja2.Environment if template_dir is None else _Sandbox
    env = kind(
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


def get_template(name: str, template_dir: Path | None = None) -> jinja2.Template:
    """Template ``name`` (``da/digest.txt.j2``): the organisation's file, sandboxed, if its
    folder has one; else the built-in one."""
    if template_dir is not None and (template_dir / name).is_file():
        return environment(template_dir).get_template(name)
    return environment(None).get_template(name)


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
        try:
            self._templates = {
                name: get_template(f"{self.locale}/{kind}.{name}.j2", template_dir)
                for name in names
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
        except Exception as exc:
            where = template.filename or template.name or self.kind
            raise _template_error(_as_template_error(exc), where) from exc


def _as_template_error(exc: Exception) -> jinja2.TemplateError:
    """Whatever a template raised (a division by zero, the sandbox's range limit, a template
    that extends itself) as a Jinja error: a message about the template, never a traceback."""
    if isinstance(exc, jinja2.TemplateError):
        return exc
    if isinstance(exc, RecursionError):
        return jinja2.TemplateRuntimeError("templates refer to each other in a loop")
    return jinja2.TemplateRuntimeError(f"{type(exc).__name__}: {exc}")


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
    # A syntax error names its file and line; a runtime or sandbox error the file it ran in.
    where = getattr(exc, "filename", None) or getattr(exc, "name", None) or kind
    return TemplateError(f"message template {where}: {exc}")


def render(
    kind: str, locale: str, context: dict[str, Any], template_dir: Path | None = None
) -> Rendered:
    """Render ``kind`` (``digest``, ``board_report``…) for a reader in ``locale``.

    >>> r = render("digest", "da", {"person": {"name": "Anne"}, "today": date(2027, 10, 15),
    ...     "sections": {}, "count": 0, "base_url": None})  # doctest: +SKIP
    """
    loc = locale_of(locale)
    ctx = {"locale": loc, **context}
    parts = []
    for part in ("subject", "txt", "html"):
        name = f"{loc}/{kind}.{part}.j2"
        try:
            parts.append(get_template(name, template_dir).render(ctx))
        except Exception as exc:
            raise _template_error(_as_template_error(exc), name) from exc
    subject, text, html = parts
    return Rendered(subject=" ".join(subject.split()), text=text, html=html)
