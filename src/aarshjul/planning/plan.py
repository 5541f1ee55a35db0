"""Planning a year (or starting a process): template -> phases, milestones and owned tasks.

>>> result = plan_cycle(session, organisation=org, template=load_builtin_template("helhedsplan"),
...                     year=2027, now=now)                                      # doctest: +SKIP
>>> print(result.diff.render())                                                  # doctest: +SKIP
Tilføjet 412 · flyttet 0 · opdateret 0 · frafaldet 0 · uændret 0 · udført/lukket bevaret 0

Everything is resolved and checked before the first write: a rule violation that is not waived
raises :class:`~aarshjul.errors.RuleViolation` and nothing is written. The caller's transaction
holds every write; :func:`~aarshjul.db.session_scope` commits it or rolls it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from aarshjul.calendar.rules import Violation, Waiver, check_rules
from aarshjul.errors import CalendarError, InputError, NotFound, TemplateError
from aarshjul.models import AuditEvent, Cycle, CycleKind, Milestone, Organisation, Phase
from aarshjul.planning import cycles, locks, writes
from aarshjul.planning.changes import Changes, classify, load_stored
from aarshjul.planning.cycles import Override
from aarshjul.planning.date_plan import DatePlan, resolve_dates, work_calendar
from aarshjul.planning.dependencies import dependency_pairs
from aarshjul.planning.diff import PlanDiff
from aarshjul.planning.expand import WantedTask, expand_tasks
from aarshjul.planning.subjects import ONCE, OrgIndex, load_index, owner_of
from aarshjul.planning.template_rules import non_blocking, raise_blocking, rule_specs
from aarshjul.planning.template_schema import Template
from aarshjul.planning.term_years import organisation_elections, template_for_year

__all__ = ["Override", "PlanResult", "plan_cycle", "start_process"]


@dataclass
class PlanResult:
    """What a planning run did (or, with ``dry_run``, would do)."""

    cycle_key: str
    cycle_id: int | None
    year: int
    title: str
    dates: DatePlan
    diff: PlanDiff
    notices: list[Violation] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    dry_run: bool = False
    renamed_from: str | None = None
    """For a new process whose key another process had: that process's key."""


@dataclass(frozen=True)
class _Target:
    key: str
    year: int
    title: str
    start: date | None = None
    variant: str | None = None
    replace: bool = False


def plan_cycle(
    session: Session,
    *,
    organisation: Organisation,
    template: Template,
    year: int,
    overrides: Sequence[Override] = (),
    waivers: Sequence[Waiver] = (),
    now: datetime,
    dry_run: bool = False,
    replace: bool = False,
    actor: str = "engine",
) -> PlanResult:
    """Plan (or re-plan) ``template`` for ``year``: cycle key ``{template}-{year}``.

    Re-planning is idempotent: the same template and year change nothing. Overrides and waivers
    given here are stored with their reasons and kept for later runs of the same cycle.

    A year has one annual cycle. When the year already has one from another template (a renamed
    copy, the organisation's own template), :class:`InputError` says so and how to replace it;
    with ``replace`` that cycle is re-planned from ``template`` and takes its key: tasks with the
    same key and subject are kept (done ones untouched), the others are added or waived. Each new
    or changed override or waiver is recorded in the audit trail with ``actor``.
    """
    if template.kind != "annual":
        raise InputError(
            f"{template.template} is a process template: start it with `aarshjul start`"
        )
    target = _Target(f"{template.template}-{year}", year, template.title.da, replace=replace)
    return _plan(session, organisation, template, target, overrides, waivers, now, dry_run, actor)


def start_process(
    session: Session,
    *,
    organisation: Organisation,
    template: Template,
    title: str,
    start: date,
    now: datetime,
    dry_run: bool = False,
    variant: str | None = None,
    overrides: Sequence[Override] = (),
    waivers: Sequence[Waiver] = (),
    replace: str | None = None,
    actor: str = "engine",
) -> PlanResult:
    """Start a process (e.g. an addendum, *tillæg*) on ``start``: key ``{template}-{year}-{slug}``.

    ``variant`` picks one of the template's variants (``minor``: a minor change, 4-week hearing).
    Starting the same process (the same title) again re-plans it like :func:`plan_cycle`, which
    changes nothing. A new process never re-plans another one: when its key is taken by another
    title, it gets the first free suffix (``-2``) and ``renamed_from`` names the other one.
    ``replace`` (a process's key) re-plans that process with this title, start and variant; a
    key that is no process is :class:`NotFound` (an annual cycle's, :class:`InputError`).
    """
    if template.kind != "process":
        raise InputError(f"{template.template} is an annual template: plan it with `aarshjul plan`")
    if variant is not None and variant not in template.variants:
        known = ", ".join(template.variants) or "none"
        raise InputError(f"{template.template} has no variant {variant!r} (variants: {known})")
    title = _process_title(title)
    base = cycles.process_key(template.template, start.year, title)
    if not dry_run:
        assert organisation.id is not None  # the key is chosen under the lock: no two alike
        locks.lock_planning(session, organisation_id=organisation.id, scope=f"process:{base}")
    key, other = _process_key(session, organisation, base, title, replace)
    target = _Target(key, start.year, title, start, variant)
    result = _plan(session, organisation, template, target, overrides, waivers, now, dry_run, actor)
    result.renamed_from = other
    return result


def _process_title(title: str) -> str:
    text = title.strip()
    if not text:
        raise InputError("--title: a process needs a title")
    if len(text) > 300:
        raise InputError(f"--title: at most 300 characters (this one has {len(text)})")
    if any(ord(char) < 32 or 127 <= ord(char) < 160 for char in text):
        raise InputError("--title: one line of text, without control characters")
    return text


def _process_key(
    session: Session, org: Organisation, base: str, title: str, replace: str | None
) -> tuple[str, str | None]:
    """The process's key, and the key of the other process that had it (if any)."""
    if replace is not None:
        cycle = cycles.find_cycle(session, org, replace)
        if cycle is None:
            raise NotFound(f"--replace: no process with the key {replace!r} in {org.name}")
        if cycle.kind != CycleKind.process:
            raise InputError(
                f"--replace: {replace!r} is an annual cycle: plan it with `aarshjul plan`"
            )
        return cycle.key, None
    key, _same = cycles.unique_process_key(session, org, base, title)
    return key, base if key != base else None


def _plan(
    session: Session,
    org: Organisation,
    template: Template,
    target: _Target,
    overrides: Sequence[Override],
    waivers: Sequence[Waiver],
    now: datetime,
    dry_run: bool,
    actor: str,
) -> PlanResult:
    template = template_for_year(template, target.year, organisation_elections(org))
    if not dry_run:
        assert org.id is not None
        locks.lock_planning(session, organisation_id=org.id, scope=_lock_scope(template, target))
    cycle = cycles.find_cycle(session, org, target.key)
    if cycle is None and template.kind == "annual":
        cycle = _other_annual_cycle(session, org, template, target)
    all_overrides = cycles.merge_by(cycles.stored_overrides(session, cycle), overrides, "key")
    all_waivers = cycles.merge_by(cycles.stored_waivers(session, cycle), waivers, "rule_id")
    dates = _dates(org, template, target, all_overrides)
    notices = _check(template, target, dates, all_waivers)
    index = load_index(session, org)
    wanted = expand_tasks(template, dates, index, title=target.title)
    result = PlanResult(
        target.key, cycle.id if cycle else None, target.year, target.title, dates, PlanDiff(),
        notices, all_overrides, all_waivers, dry_run,
    )  # fmt: skip
    _apply(session, org, template, target, cycle, wanted, index, result, (now, actor))
    return result


def _lock_scope(template: Template, target: _Target) -> str:
    # A year has one annual cycle, whatever its template: its planners share one lock.
    return f"annual:{target.year}" if template.kind == "annual" else f"process:{target.key}"


def _other_annual_cycle(
    session: Session, org: Organisation, template: Template, target: _Target
) -> Cycle | None:
    """The year's annual cycle from another template: refused, or replaced when asked."""
    other = cycles.annual_cycle(session, org, target.year)
    if other is None or target.replace:
        return other
    year = target.year
    raise InputError(
        f"{year} har allerede årshjulet {other.key!r} (skabelon {other.template_key}); et år har "
        f"ét årshjul. Planlæg det igen med `aarshjul plan {year} --template {other.template_key}`, "
        f"eller erstat det med `aarshjul plan {year} --template {template.source or template.template} "
        f"--replace`: opgaver med samme nøgle bevares (udførte røres ikke), resten tilføjes eller "
        f"frafaldes. / {year} already has the annual cycle {other.key!r} (template "
        f"{other.template_key}); a year has one annual cycle. Re-plan it from its template, or "
        f"replace it with --replace: tasks with the same key are kept (done ones untouched), the "
        f"others are added or waived."
    )


def _dates(
    org: Organisation, template: Template, target: _Target, overrides: Sequence[Override]
) -> DatePlan:
    calendar = work_calendar(org, template)
    fixed = {o.key: o.value for o in overrides}
    return resolve_dates(
        template, year=target.year, calendar=calendar, overrides=fixed,
        start=target.start, variant=target.variant,
    )  # fmt: skip


def _check(
    template: Template, target: _Target, dates: DatePlan, waivers: Sequence[Waiver]
) -> list[Violation]:
    try:
        violations = check_rules(
            rule_specs(template, target.variant), dates.named, year=target.year,
            calendar=dates.calendar, waivers=waivers, meetings=dates.meetings,
        )  # fmt: skip
    except CalendarError as exc:
        raise InputError(str(exc)) from exc
    raise_blocking(violations)
    return non_blocking(violations)


def _apply(
    session: Session,
    org: Organisation,
    template: Template,
    target: _Target,
    cycle: Cycle | None,
    wanted: list[WantedTask],
    index: OrgIndex,
    result: PlanResult,
    when_who: tuple[datetime, str],
) -> None:
    now, actor = when_who
    old_decisions = (cycles.stored_overrides(session, cycle), cycles.stored_waivers(session, cycle))
    phases, milestones = cycles.load_structure(session, cycle)
    want_phases = cycles.phase_values(template, result.dates, _phase_owners(template, index))
    want_milestones = cycles.milestone_values(template, result.dates)
    structure_changed = cycles.structure_diff(
        phases, milestones, want_phases, want_milestones, result.diff
    )
    if cycle is not None and cycle.id is not None and not result.dry_run:
        locks.lock_open_tasks(session, cycle.id)
    stored = load_stored(session, cycle.id if cycle else None, _ids(phases), _ids(milestones))
    changes = classify(wanted, stored)
    changes.count_into(result.diff)
    result.diff.new_cycle = cycle is None
    values = cycles.cycle_values(org, template, target.key, target.year, target.title)
    decisions = _decisions_changed(session, cycle, result)
    if result.dry_run or not (
        result.diff.changed or structure_changed or decisions or _cycle_changed(cycle, values)
    ):
        return
    cycle = cycles.upsert_cycle(session, cycle, values, now)
    assert cycle.id is not None
    result.cycle_id = cycle.id
    refs = (
        cycles.write_structure(session, cycle.id, Phase, phases, want_phases),
        cycles.write_structure(session, cycle.id, Milestone, milestones, want_milestones),
    )
    cycles.store_decisions(session, cycle.id, result.overrides, result.waivers)
    _audit_decisions(session, org, target.key, old_decisions, result, (now, actor))
    _write_tasks(session, cycle.id, wanted, changes, refs, now)


def _audit_decisions(
    session: Session,
    org: Organisation,
    cycle_key: str,
    old: tuple[Sequence[Override], Sequence[Waiver]],
    result: PlanResult,
    when_who: tuple[datetime, str],
) -> None:
    """Each new or changed override and waiver: who, when, old → new, with its reason."""
    assert org.id is not None
    now, actor = when_who
    changed = cycles.decision_changes(cycle_key, old, (result.overrides, result.waivers))
    session.add_all(
        AuditEvent(
            organisation_id=org.id,
            at=now,
            actor=actor,
            entity=entity,
            key=key,
            action=action,
            changes=fields,
            note=reason,
            source=f"plan {cycle_key}",
        )
        for entity, key, action, fields, reason in changed
    )


def _ids(rows: dict[str, Phase] | dict[str, Milestone]) -> dict[int, str]:
    return {row.id: key for key, row in rows.items() if row.id is not None}


def _cycle_changed(cycle: Cycle | None, values: dict[str, object]) -> bool:
    return cycle is None or any(getattr(cycle, k) != v for k, v in values.items())


def _decisions_changed(session: Session, cycle: Cycle | None, result: PlanResult) -> bool:
    old_o = {(o.key, o.value, o.reason) for o in cycles.stored_overrides(session, cycle)}
    old_w = {(w.rule_id, w.reason) for w in cycles.stored_waivers(session, cycle)}
    new_o = {(o.key, o.value, o.reason) for o in result.overrides}
    return old_o != new_o or old_w != {(w.rule_id, w.reason) for w in result.waivers}


def _phase_owners(template: Template, index: OrgIndex) -> dict[str, int | None]:
    owners: dict[str, int | None] = {}
    problems = []
    for i, spec in enumerate(template.phases):
        if spec.owner is None:
            owners[spec.key] = None
            continue
        found = owner_of(spec.owner, ONCE, index)
        if isinstance(found, str):
            problems.append(f"{template.source}: phases[{i}].owner: value {spec.owner!r}: {found}")
        owners[spec.key] = found if isinstance(found, int) else None
    if problems:
        raise TemplateError("\n".join(problems), problems=problems)
    return owners


def _write_tasks(
    session: Session,
    cycle_id: int,
    wanted: Sequence[WantedTask],
    changes: Changes,
    refs: tuple[dict[str, int], dict[str, int]],
    now: datetime,
) -> None:
    new_ids = writes.insert_tasks(session, cycle_id, changes.new, refs, now)
    writes.update_tasks(session, changes, refs, now)
    writes.waive_tasks(session, changes.waive, now)
    kept = [stored for stored, _ in changes.open_pairs()] + changes.closed
    ids = {(s.key, s.subject): s.id for s in kept} | new_ids
    open_wanted = [*changes.new, *(w for _, w in changes.open_pairs())]
    reminders = {ids[(w.key, w.subject)]: w.reminders for w in open_wanted}
    writes.sync_reminders(session, cycle_id, reminders, [t.id for t in changes.waive])
    deps = dependency_pairs(open_wanted, wanted, ids)
    writes.sync_dependencies(session, cycle_id, deps, set(reminders))
