"""A template as it applies to one year of the election term (``term_years`` on phases,
milestones and tasks).

Work bound to the election term, such as the planning strategy (*planstrategi*, term year 2,
planloven § 23 a) or the constituting meeting (the election year, term year 4), carries
``term_years``; everything else is planned every year. A rule is planned in a year when every
date it reads is: ``dk.P1`` bound to ``strategy_published`` is checked only in term year 2.
``template check`` makes sure nothing planned in a year needs a date that is not
(:func:`~aarshjul.planning.template_checks.template_problems`).
"""

from __future__ import annotations

from aarshjul.calendar.election import ElectionCycle
from aarshjul.models import Organisation
from aarshjul.planning.template_rules import rule_spec
from aarshjul.planning.template_schema import RuleEntry, Template, VariantSpec


def planned_in(term_years: list[int] | None, term_year: int) -> bool:
    """True when an item with ``term_years`` (``None``: every year) is planned in ``term_year``."""
    return term_years is None or term_year in term_years


def template_for_term_year(template: Template, term_year: int) -> Template:
    """``template`` without what is not planned in ``term_year`` (1-4); the same object when
    nothing is dropped, so source and content hash are kept either way."""
    phases = [p for p in template.phases if planned_in(p.term_years, term_year)]
    milestones = [m for m in template.milestones if planned_in(m.term_years, term_year)]
    tasks = [t for t in template.tasks if planned_in(t.term_years, term_year)]
    dropped = {f"{p.key}.{end}" for p in template.phases for end in ("start", "end")}
    dropped -= {f"{p.key}.{end}" for p in phases for end in ("start", "end")}
    dropped |= {m.key for m in template.milestones} - {m.key for m in milestones}
    if not dropped and len(tasks) == len(template.tasks):
        return template
    variants = {key: _variant(v, dropped) for key, v in template.variants.items()}
    update = {
        "phases": phases, "milestones": milestones, "tasks": tasks,
        "rules": _rules(template.rules, dropped), "variants": variants,
    }  # fmt: skip
    return template.model_copy(update=update)


def template_for_year(template: Template, year: int, elections: ElectionCycle) -> Template:
    """``template`` as planned in ``year`` of ``elections``' terms."""
    return template_for_term_year(template, elections.term_year(year))


def organisation_elections(organisation: Organisation | None) -> ElectionCycle:
    """The organisation's election terms (the Danish default without an organisation)."""
    if organisation is None:
        return ElectionCycle()
    return ElectionCycle(organisation.election_year, organisation.election_every)


def _rules(entries: list[RuleEntry], dropped: set[str]) -> list[RuleEntry]:
    return [entry for entry in entries if not set(rule_spec(entry).date_keys()) & dropped]


def _variant(variant: VariantSpec, dropped: set[str]) -> VariantSpec:
    dates = {name: expr for name, expr in variant.dates.items() if name not in dropped}
    return variant.model_copy(update={"dates": dates, "rules": _rules(variant.rules, dropped)})
