"""A template as plain records: what ``template show`` prints as a table, JSON or CSV."""

from __future__ import annotations

from typing import Any

from aarshjul.planning.template_rules import rule_specs
from aarshjul.planning.template_schema import Template


def _years(value: list[int] | None) -> str:
    return ",".join(str(year) for year in value) if value else ""


def template_sections(template: Template) -> dict[str, list[dict[str, Any]]]:
    """Phases, milestones, tasks and rules of ``template`` as records, by section."""
    return {
        "phases": [
            {"key": p.key, "name": p.name.da, "start": p.start, "end": p.end,
             "end_rule": p.end_rule or "back", "owner": p.owner or "",
             "term_years": _years(p.term_years)}
            for p in template.phases
        ],
        "milestones": [
            {"key": m.key, "name": m.name.da, "date": m.date, "kind": m.kind,
             "statutory": m.statutory, "term_years": _years(m.term_years)}
            for m in template.milestones
        ],
        "tasks": [
            {"key": t.key, "for_each": t.for_each, "owner": t.owner, "due": t.due,
             "title": t.title.da, "term_years": _years(t.term_years)}
            for t in template.tasks
        ],
        "rules": [
            {"id": r.id, "kind": r.kind, "severity": r.severity, "source": r.source}
            for r in rule_specs(template)
        ],
    }  # fmt: skip


def template_summary(
    template: Template, sections: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """One JSON-ready object: the template's header fields and its sections."""
    return {
        "template": template.template,
        "version": template.version,
        "kind": template.kind,
        "title": template.title.da,
        "source": template.source,
        "sha256": template.content_hash,
        **(sections or template_sections(template)),
    }


def template_rows(sections: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every record of every section in one table: a ``section`` column, then the union of the
    sections' columns (empty where a section has none), so CSV gets one header."""
    columns: dict[str, None] = {"section": None}
    for rows in sections.values():
        for row in rows:
            columns |= dict.fromkeys(row)
    return [
        {name: ({"section": section} | row).get(name, "") for name in columns}
        for section, rows in sections.items()
        for row in rows
    ]
