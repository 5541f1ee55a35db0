"""Template rule entries -> the calendar's :class:`~aarshjul.calendar.rules.RuleSpec`, and reporting.

A template writes rules the way a planner reads them; this module translates the spelling:

=====================  ===========================================
template               calendar RuleSpec
=====================  ===========================================
``milestone: X``       ``date: X`` (then ``date: 10-15`` is the limit)
``from: A, to: B``     ``first: A, second: B``
``min: 8 weeks``       ``length: 8, unit: weeks`` (``max:`` likewise)
``explanation: {da, en}``  ``explanation_da``, ``explanation_en``
=====================  ===========================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from aarshjul.calendar.danish_rules import bind_rule
from aarshjul.calendar.rules import RuleSpec, Violation
from aarshjul.errors import CalendarError, RuleViolation
from aarshjul.planning.template_schema import RuleEntry, Template, parse_duration

_UNIT_WORDS = {"day": "days", "workday": "workdays", "week": "weeks", "month": "months"}
_DEFAULT_TEXT = {
    "min_duration": ("Fasen skal vare mindst den fastsatte tid.",
                     "The phase must last at least the set time."),
    "max_duration": ("Fasen må højst vare den fastsatte tid.", "The phase must last at most the set time."),
    "not_before": ("Datoen må ikke ligge før fristen.", "The date must not be before the limit."),
    "not_after": ("Datoen må ikke ligge efter fristen.", "The date must not be after the limit."),
    "min_gap": ("Der skal være mindst den fastsatte afstand mellem datoerne.",
                "The dates must be at least the set time apart."),
    "order": ("Datoerne skal ligge i denne rækkefølge.", "The dates must come in this order."),
    "on_workday": ("Datoen skal være en arbejdsdag.", "The date must be a working day."),
    "holiday_season": ("Perioden ligger på minimumslængden i juli eller hen over jul og nytår.",
                       "The period is at its minimum length in July or over Christmas."),
    "agenda_notice": ("Dagsordenen skal udsendes i god tid før mødet.",
                      "The agenda must go out in good time before the meeting."),
    "full_day": ("Mødet bør ikke ligge på en halv lukkedag.", "The meeting should not be on a half day."),
}  # fmt: skip


def rule_spec(entry: RuleEntry) -> RuleSpec:
    """The calendar rule for one template entry; raises ``ValueError`` with the reason.

    >>> rule_spec(RuleEntry(use="dk.B2", milestone="budget_2nd_reading")).limit
    '10-15'
    """
    data = _translate(entry)
    if entry.use is None:
        data = _local_defaults(entry, data)
    try:
        return bind_rule(data)
    except ValidationError as exc:
        reasons = "; ".join(str(err["msg"]).removeprefix("Value error, ") for err in exc.errors())
        raise ValueError(reasons) from None
    except CalendarError as exc:
        raise ValueError(str(exc)) from None


def _translate(entry: RuleEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"use": entry.use} if entry.use else {}
    plain = (
        "kind", "id", "severity", "source", "phase", "length", "unit", "strict", "limit", "series",
    )  # fmt: skip
    data |= {name: getattr(entry, name) for name in plain if getattr(entry, name) is not None}
    if entry.milestone is not None:
        data["date"] = entry.milestone
        if entry.date is not None and entry.limit is None:
            data["limit"] = entry.date
    elif entry.date is not None:
        data["date"] = entry.date
    data |= {k: v for k, v in (("first", entry.from_), ("second", entry.to)) if v is not None}
    span = entry.min or entry.max
    if span is not None:
        amount, unit = parse_duration(span)
        data |= {"length": amount, "unit": _UNIT_WORDS[unit]}
    if entry.explanation is not None:
        data |= {"explanation_da": entry.explanation.da, "explanation_en": entry.explanation.en}
    return data


def _local_defaults(entry: RuleEntry, data: dict[str, Any]) -> dict[str, Any]:
    if entry.kind is None or entry.id is None:
        raise ValueError("a rule needs either 'use: dk.…' or both 'kind' and 'id'")
    if entry.kind in ("min_duration", "max_duration") and entry.max is not None:
        data["kind"] = "max_duration"
    da, en = _DEFAULT_TEXT.get(entry.kind, ("", ""))
    return {"explanation_da": da, "explanation_en": en or da} | data


def rule_specs(template: Template, variant: str | None = None) -> list[RuleSpec]:
    """Every rule of ``template``: a variant's rules replace rules with the same id, or the rule
    named by ``replaces`` (``{use: dk.P4, phase: hearing, replaces: dk.P3}``)."""
    specs = {spec.id: spec for spec in (rule_spec(entry) for entry in template.rules)}
    if variant is not None:
        for entry in template.variants[variant].rules:
            spec = rule_spec(entry)
            if entry.replaces is not None:
                specs.pop(entry.replaces, None)
            specs[spec.id] = spec
    return list(specs.values())


def describe(violation: Violation) -> str:
    """One violation on a few lines: id, dates, source, Danish and English explanation."""
    dates = ", ".join(f"{key} {day.isoformat()}" for key, day in violation.dates.items())
    head = f"{violation.rule_id} ({'advarsel/warning' if violation.severity == 'warning' else 'fejl/error'})"
    if violation.waived:
        head += f" — dispensation/waived: {violation.waiver_reason}"
    lines = [f"{head}: {dates}", f"    da: {violation.explanation_da}"]
    lines.append(f"    en: {violation.explanation_en}")
    if violation.source:
        lines.append(f"    kilde/source: {violation.source}")
    return "\n".join(lines)


def raise_blocking(violations: Sequence[Violation]) -> None:
    """Raise :class:`RuleViolation` listing every unwaived error, with all details."""
    blocking = [item for item in violations if item.blocking]
    if blocking:
        body = "\n".join(f"- {describe(item)}" for item in blocking)
        raise RuleViolation(
            f"Planen bryder {len(blocking)} regel/regler (the plan breaks {len(blocking)} "
            f"rule(s)); ret skabelonen, flyt en dato med --set eller giv dispensation med "
            f"--waive RULE --reason TEXT:\n{body}"
        )


def non_blocking(violations: Iterable[Violation]) -> list[Violation]:
    """Waived violations and warnings: shown with the plan, never stopping it."""
    return [item for item in violations if not item.blocking]
