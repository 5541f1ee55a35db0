"""The organisation's own template: stored in the database and used as its default wheel.

An organisation file names its template (``organisation.template``) as a built-in key
(``helhedsplan``), the key of a template stored for the organisation, or a template file
(``skabeloner/kommune.yaml``, relative to the organisation file). ``org import`` validates such
a file and stores its text (:class:`~aarshjul.models.OrganisationTemplate`), so the yearly
planning on 1 December, on whichever machine it runs, uses the municipality's own wheel.

:func:`organisation_template` is how every edge (``plan``, ``simulate``, the planning flow,
``calendar``) finds the template: an explicit file, then a stored template, then a built-in one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from aarshjul.errors import TemplateError
from aarshjul.models import Organisation, OrganisationTemplate
from aarshjul.planning.template_files import (
    builtin_keys,
    is_template_file,
    load_builtin_template,
    load_template,
    parse_template,
)
from aarshjul.planning.template_schema import Template

STORED_PREFIX = "stored:"


def store_template(
    session: Session,
    organisation: Organisation,
    *,
    template: Template,
    text: str,
    source: str,
    now: datetime,
) -> bool:
    """Store ``template`` (read as ``text`` from ``source``) for ``organisation`` under its key;
    returns whether anything changed (storing the same template again changes nothing)."""
    row = session.exec(
        select(OrganisationTemplate).where(
            OrganisationTemplate.organisation_id == organisation.id,
            OrganisationTemplate.key == template.template,
        )
    ).first()
    values = {"source": source, "content": text, "content_hash": template.content_hash}
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return False
    if row is None:
        assert organisation.id is not None
        row = OrganisationTemplate(
            organisation_id=organisation.id, key=template.template, source=source, content=text,
            content_hash=template.content_hash, stored_at=now,
        )  # fmt: skip
        session.add(row)
    else:
        row.source, row.content = source, text
        row.content_hash, row.stored_at = template.content_hash, now
    session.flush()
    return True


def stored_keys(session: Session, organisation: Organisation) -> list[str]:
    """Keys of the templates stored for ``organisation``."""
    query = select(OrganisationTemplate.key).where(
        OrganisationTemplate.organisation_id == organisation.id
    )
    return sorted(session.exec(query.order_by(col(OrganisationTemplate.key))).all())


def organisation_template(
    session: Session, organisation: Organisation, ref: str | None = None
) -> Template:
    """The template ``ref`` names (default: the organisation's own): a file, a template stored
    for the organisation, or a built-in one, in that order. :class:`TemplateError` otherwise."""
    key = ref or organisation.template_key
    if is_template_file(key):
        return load_template(Path(key).expanduser())
    row = session.exec(
        select(OrganisationTemplate).where(
            OrganisationTemplate.organisation_id == organisation.id,
            OrganisationTemplate.key == key,
        )
    ).first()
    if row is not None:
        return parse_template(row.content, f"{STORED_PREFIX}{key}")
    if key in builtin_keys():
        return load_builtin_template(key)
    stored = ", ".join(stored_keys(session, organisation)) or "none"
    raise TemplateError(
        f"no template {key!r} for {organisation.key}: not a file, not stored (stored: {stored}), "
        f"not built in ({', '.join(builtin_keys())}); name a template file in the organisation "
        "file (organisation.template: my-wheel.yaml) and run `aarshjul org import` again"
    )
