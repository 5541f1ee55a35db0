"""Compose: one digest per person per workday, written to the outbox in one transaction.

A handful of set-based queries (reminders, due today, overdue, kickoffs, people) cover the whole
organisation's day; grouping happens in Python, and one bulk ``INSERT … ON CONFLICT DO NOTHING``
writes the messages, so composing the same day twice adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from sqlmodel import Session

from aarshjul.access.tokens import action_token, signing_key
from aarshjul.calendar.workdays import WorkCalendar
from aarshjul.clock import utcnow
from aarshjul.config import Settings, get_settings
from aarshjul.models import digest_queries as q
from aarshjul.models.base import Role
from aarshjul.models.digest_queries import PersonRow, PhaseRow, TaskRow
from aarshjul.models.organisation import Organisation
from aarshjul.models.outbox import DigestReason, OutboxKind
from aarshjul.notifications.formatting import locale_of
from aarshjul.notifications.policy import (
    Window,
    WorkdayIndex,
    digest_window,
    escalation_step,
    overdue_is_due_again,
    relisting_cutoff,
)
from aarshjul.notifications.queue import insert_messages
from aarshjul.notifications.rendering import TemplateSet

if TYPE_CHECKING:
    from aarshjul.participation.digest_lines import ParticipationLine

DIREKTION = Role.direktion.value
PLANNING = Role.planning.value
#: Items a digest lists before it summarises the rest per policy area ("… og 150 mere") and
#: links to the board's page: a screenful of e-mail, and short enough for chat and SMS channels.
SCREENFUL = 20
# Where an item goes when a task qualifies for several sections of the owner's digest.
_PRIORITY = (
    DigestReason.escalation, DigestReason.overdue, DigestReason.due, DigestReason.kickoff,
    DigestReason.reminder,
)  # fmt: skip


@dataclass(frozen=True)
class Item:
    """One task in one person's digest, and why it is there."""

    reason: DigestReason
    task: TaskRow
    workdays: int = 0
    step: int = 0
    phase: PhaseRow | None = None


@dataclass
class Digest:
    """A rendered digest for one person (what ``--dry-run`` prints)."""

    person_id: int
    email: str
    locale: str
    subject: str
    text: str
    html: str
    items: list[tuple[int, DigestReason]]
    escalations: list[tuple[int, int]]

    @property
    def task_ids(self) -> list[int]:
        return sorted({task_id for task_id, _ in self.items})


@dataclass
class ComposeResult:
    """What composing one day did: messages added and what they say.

    ``skipped`` holds the reason (e.g. ``Lørdag``) when ``day`` is not a workday;
    ``dead_reported`` the dead messages that the planning role's digests now report.
    """

    organisation: str
    day: date
    skipped: str | None = None
    added: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    escalated: list[tuple[int, int]] = field(default_factory=list)
    overdue_task_ids: list[int] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)
    dead_reported: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation, "day": self.day.isoformat(),
            "skipped": self.skipped, "added": self.added, "counts": self.counts,
            "items": self.items, "escalated": [list(e) for e in self.escalated],
            "overdue_task_ids": self.overdue_task_ids, "dead_reported": self.dead_reported,
        }  # fmt: skip


def work_calendar(org: Organisation) -> WorkCalendar:
    """The organisation's working-day calendar (holidays of its country plus its closures)."""
    return _work_calendar(org.holiday_country, org.timezone, tuple(org.closures))


@lru_cache(maxsize=128)
def _work_calendar(country: str, timezone: str, closures: tuple[str, ...]) -> WorkCalendar:
    # A WorkCalendar is immutable and pure; 98 municipalities share a handful of them.
    return WorkCalendar(country=country, timezone=timezone, closures=closures)


def compose_digests(
    session: Session,
    *,
    organisation: Organisation,
    today: date,
    overdue_every: int = 2,
    dry_run: bool = False,
    settings: Settings | None = None,
    plain_rendering: bool = False,
) -> ComposeResult:
    """Compose today's digests for ``organisation`` into the outbox (the caller commits).

    Nothing is composed on a weekend or closed day. With ``dry_run`` the digests are rendered
    and returned, and nothing is written. Compose allocates hundreds of thousands of small
    acyclic objects: callers at the process edge pause the cyclic garbage collector around it
    (:func:`aarshjul.memory.collector_paused`), this function does not. ``plain_rendering``
    renders every message with Jinja's own ``Template.render`` (slow): the reference that the
    fast path is tested against.

    >>> result = compose_digests(session, organisation=org, today=date(2027, 10, 15))  # doctest: +SKIP
    >>> result.added, result.counts                                                   # doctest: +SKIP
    (12, {'digest': 12})
    """
    assert organisation.id is not None
    session.flush()  # the queries below run on the session's connection, past its autoflush
    modes = (dry_run, plain_rendering)
    return _compose(session, organisation, today, overdue_every, modes, settings)


def _compose(
    session: Session,
    organisation: Organisation,
    today: date,
    overdue_every: int,
    modes: tuple[bool, bool],
    settings: Settings | None,
) -> ComposeResult:
    dry_run, plain = modes
    assert organisation.id is not None
    result = ComposeResult(organisation=organisation.key, day=today)
    calendar = work_calendar(organisation)
    if not calendar.is_workday(today):
        result.skipped = calendar.closed_reason(today) or "closed"
        return result
    cfg = settings or get_settings()
    plan = _plan(
        session, organisation.id, today, calendar, (overdue_every, cfg.max_escalation_steps)
    )
    # Imported here: participation.texts imports this package, so a module-level import made
    # `import aarshjul.participation.texts` (or plan_texts, digest_lines) fail when it came first.
    from aarshjul.participation.digest_lines import participation_lines

    plan.participation = participation_lines(
        session, organisation=organisation, today=today, window=plan.window, calendar=calendar,
        base_url=cfg.base_url,
    )  # fmt: skip
    key = signing_key(cfg, "web") if cfg.base_url else None
    renderer = _Renderer(plan, cfg.template_dir, cfg.base_url, key, plain=plain)
    result.digests = renderer.digests(_recipients(plan))
    written = result.digests
    if not dry_run:
        kind = OutboxKind.digest
        written = insert_messages(session, organisation.id, today, kind, result.digests)
        result.added = len(written)
        if any(d.person_id in plan.dead_readers for d in written):
            result.dead_reported = [m.id for m in plan.dead]
            q.mark_reported(session, result.dead_reported, utcnow())
    result.overdue_task_ids = sorted(t.id for t in plan.overdue)
    result.escalated = sorted({e for d in written for e in d.escalations})
    _count(result)
    return result


def _count(result: ComposeResult) -> None:
    result.counts = {OutboxKind.digest.value: len(result.digests)}
    items: dict[str, int] = defaultdict(int)
    for digest in result.digests:
        for _, reason in digest.items:
            items[reason.value] += 1
    result.items = dict(items)


# -- planning who gets what ----------------------------------------------------------------------


@dataclass
class _Plan:
    today: date
    window: Window
    index: WorkdayIndex
    people: dict[int, PersonRow]
    owned: dict[int, dict[int, Item]] = field(default_factory=lambda: defaultdict(dict))
    escalated: dict[int, dict[int, Item]] = field(default_factory=lambda: defaultdict(dict))
    kickoff_owners: dict[int, list[PhaseRow]] = field(default_factory=lambda: defaultdict(list))
    overdue: list[TaskRow] = field(default_factory=list)
    reassigned: set[int] = field(default_factory=set)
    max_steps: int = 3
    dead: list[q.DeadRow] = field(default_factory=list)
    dead_readers: set[int] = field(default_factory=set)
    # Lines about citizens' submissions (aarshjul.participation.digest_lines), per person.
    participation: dict[int, list[ParticipationLine]] = field(default_factory=dict)

    def add(self, person_id: int, item: Item) -> None:
        """Give ``item`` to an active person; a task shows once, in its most urgent section."""
        person = self.people.get(person_id)
        if person is None or not person.active:
            return
        escalation = item.reason == DigestReason.escalation
        mine = (self.escalated if escalation else self.owned)[person_id]
        current = mine.get(item.task.id)
        if current is None or _PRIORITY.index(item.reason) < _PRIORITY.index(current.reason):
            mine[item.task.id] = item

    def items_of(self, person_id: int) -> list[Item]:
        owned = self.owned.get(person_id, {})
        return [*owned.values(), *self.escalated.get(person_id, {}).values()]

    def recipients(self) -> list[int]:
        everyone = set(self.owned) | set(self.escalated) | set(self.kickoff_owners)
        return sorted(everyone | self.dead_readers | set(self.participation))


def _plan(
    session: Session, org_id: int, today: date, calendar: WorkCalendar, policy: tuple[int, int]
) -> _Plan:
    """Who gets which items; ``policy`` is (overdue every N workdays, max escalation steps)."""
    overdue_every, max_steps = policy
    window = digest_window(calendar, today, q.last_digest_day(session, org_id, today))
    plan = _Plan(
        today, window, WorkdayIndex(calendar), q.people(session, org_id), max_steps=max_steps
    )
    reminders = q.reminder_tasks(session, org_id, window.after, window.until)
    due_or_late = q.due_and_overdue_tasks(session, org_id, today, window.until)
    dues = [today, window.until, *(task.due for task in (*reminders, *due_or_late))]
    plan.index.cover(min(dues), max(dues))  # one walk over the calendar, not one per new date
    for task in reminders:
        plan.add(task.owner_id, _item(plan, DigestReason.reminder, task))
    for task in due_or_late:
        if task.due >= today:
            plan.add(task.owner_id, _item(plan, DigestReason.due, task))
    _plan_kickoffs(session, org_id, plan)
    _plan_reassigned(session, org_id, plan)
    overdue = [task for task in due_or_late if task.due < today]
    _plan_overdue(session, org_id, plan, calendar, overdue_every, overdue)
    _plan_dead(session, org_id, plan)
    return plan


def _plan_dead(session: Session, org_id: int, plan: _Plan) -> None:
    """Dead messages go to every active ``planning`` person's next digest, with the reason."""
    plan.dead = q.dead_messages(session, org_id)
    if plan.dead:
        readers = q.people_with_role(session, org_id, PLANNING)
        plan.dead_readers = {p for p in readers if plan.people[p].active}


def _item(plan: _Plan, reason: DigestReason, task: TaskRow, **kw: Any) -> Item:
    return Item(reason, task, workdays=plan.index.between(plan.today, task.due), **kw)


def _plan_kickoffs(session: Session, org_id: int, plan: _Plan) -> None:
    phases = {
        p.id: p for p in q.kickoff_phases(session, org_id, plan.window.after, plan.window.until)
    }
    for task in q.phase_tasks(session, org_id, list(phases)):
        assert task.phase_id is not None
        plan.add(
            task.owner_id, _item(plan, DigestReason.kickoff, task, phase=phases[task.phase_id])
        )
    for phase in phases.values():
        if phase.owner_id is not None:
            plan.kickoff_owners[phase.owner_id].append(phase)


def _plan_reassigned(session: Session, org_id: int, plan: _Plan) -> None:
    """Tasks given to a new owner since the last digest: listed for them, marked as new."""
    fallback = datetime.combine(plan.window.after, time(), tzinfo=UTC)
    for task in q.reassigned_tasks(session, org_id, plan.today, fallback):
        reason = (
            DigestReason.overdue if task.due < plan.today
            else DigestReason.due if task.due == plan.today else DigestReason.reminder
        )  # fmt: skip
        plan.reassigned.add(task.id)
        plan.add(task.owner_id, _item(plan, reason, task))


def _plan_overdue(
    session: Session,
    org_id: int,
    plan: _Plan,
    calendar: WorkCalendar,
    every: int,
    overdue: list[TaskRow],
) -> None:
    cutoff = relisting_cutoff(calendar, plan.today, every)
    direktion = q.people_with_role(session, org_id, DIREKTION)
    for task in overdue:
        late = plan.index.between(task.due, plan.today)
        if overdue_is_due_again(task.last_listed, cutoff):
            plan.overdue.append(task)
            plan.add(task.owner_id, Item(DigestReason.overdue, task, workdays=-late))
        step = escalation_step(late, task.escalate_after, plan.max_steps)
        if step >= 1 and step > (task.last_step or 0):
            item = Item(DigestReason.escalation, task, workdays=-late, step=step)
            for person_id in _escalation_recipients(plan, task, step, direktion):
                plan.add(person_id, item)


def _escalation_recipients(
    plan: _Plan, task: TaskRow, step: int, direktion: list[int]
) -> list[int]:
    """The escalation ladder: every step goes to the owner's superior; the direktion is told
    from the cycle's ``escalate_direktion_from`` step on (default 2), or at once when the owner
    has no active superior. Never to the owner.
    """
    owner = plan.people.get(task.owner_id)
    superior = plan.people.get(owner.superior_id) if owner and owner.superior_id else None
    found = [superior.id] if superior is not None and superior.active else []
    if step >= task.direktion_from or not found:
        found += direktion
    return [p for p in dict.fromkeys(found) if p != task.owner_id]


# -- rendering ------------------------------------------------------------------------------------
#
# Tens of thousands of digests a day share most of their lines (an escalation reaches the superior
# and every direktion member), so each task line is rendered once per locale from
# ``digest_item.{txt,html}.j2`` and the digest templates only put the rendered lines together.
# The views are plain slotted objects: Jinja reads their attributes without a dict fallback.


class _Person:
    __slots__ = ("email", "name")

    def __init__(self, person: PersonRow) -> None:
        self.name, self.email = person.name, person.email


class _ItemView:
    """A task line as templates see it; ``text`` and ``html`` are its rendered forms."""

    __slots__ = (
        "area", "assigned", "done_link", "due", "html", "id", "link", "owner", "phase", "step",
        "text", "title", "workdays_left", "workdays_overdue",
    )  # fmt: skip

    def __init__(
        self, plan: _Plan, item: Item, loc: str, base_url: str | None, key: bytes | None
    ) -> None:
        task = item.task
        owner = plan.people.get(task.owner_id) if item.reason == DigestReason.escalation else None
        self.id = task.id
        self.title = _name(task.title_da, task.title_en, loc)
        self.phase = _name(task.phase_da or "", task.phase_en or "", loc) or None
        self.area = task.area
        self.due = task.due
        self.workdays_left = item.workdays if item.workdays > 0 else None
        self.workdays_overdue = -item.workdays if item.workdays < 0 else 0
        self.owner = f"{owner.name} <{owner.email}>" if owner is not None else None
        self.step = item.step
        self.link = f"{base_url.rstrip('/')}/tasks/{task.id}" if base_url else None
        # The owner's own lines get a signed "mark as done" link (an escalation goes to others).
        own = item.reason != DigestReason.escalation
        self.assigned = own and task.id in plan.reassigned
        self.done_link = None
        if base_url and key is not None and own:
            token = action_token(task_id=task.id, person_id=task.owner_id, key=key)
            self.done_link = f"{base_url.rstrip('/')}/a/{token}"
        self.text = ""
        self.html = Markup("")


class _KickoffView:
    __slots__ = ("end", "more", "phase", "start", "tasks")

    def __init__(self, phase: PhaseRow, loc: str, tasks: list[_ItemView]) -> None:
        self.phase = _name(phase.name_da, phase.name_en, loc)
        self.start, self.end, self.tasks = phase.start_date, phase.end_date, tasks
        self.more: _More | None = None


class _More:
    """The items of a section beyond the screenful: how many, and how many per policy area
    (``None``: tasks outside any policy area), largest first."""

    __slots__ = ("areas", "count")

    def __init__(self, hidden: list[_ItemView]) -> None:
        counts: dict[str | None, int] = defaultdict(int)
        for view in hidden:
            counts[view.area] += 1
        self.count = len(hidden)
        self.areas = sorted(counts.items(), key=lambda a: (-a[1], a[0] is None, a[0] or ""))


class _Summaries:
    """Per section the :class:`_More` of what is not listed (``None``: everything is listed)."""

    __slots__ = ("due", "escalations", "overdue", "reminders")

    def __init__(self) -> None:
        self.due: _More | None = None
        self.escalations: _More | None = None
        self.overdue: _More | None = None
        self.reminders: _More | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.__slots__)


class _DeadView:
    """A dead message as the planning role's digest lists it."""

    __slots__ = ("attempts", "day", "error", "recipient", "subject")

    def __init__(self, row: q.DeadRow) -> None:
        self.recipient, self.subject, self.day = row.recipient, row.subject, row.day
        self.attempts, self.error = row.attempts, row.error


class _Renderer:
    """Renders one organisation's digests: templates looked up once, each line rendered once.

    Each part is rendered for all digests (or lines) of one locale in one Jinja call
    (:meth:`TemplateSet.render_each`), not once per message.
    """

    _FIELDS = (
        "person", "kickoffs", "escalations", "overdue", "due", "reminders", "count", "more",
        "undelivered", "participation",
    )  # fmt: skip

    def __init__(
        self,
        plan: _Plan,
        template_dir: Path | None,
        base_url: str | None,
        key: bytes | None = None,
        *,
        plain: bool = False,
    ) -> None:
        self.plan, self.template_dir, self.base_url = plan, template_dir, base_url
        self.key, self.plain = key, plain
        self._digest: dict[str, TemplateSet] = {}
        self._item: dict[str, TemplateSet] = {}
        self._views: dict[tuple[int, DigestReason, str], _ItemView] = {}
        self._new_views: dict[str, list[_ItemView]] = defaultdict(list)
        self._dead = [_DeadView(row) for row in plan.dead]
        self.board_link = f"{base_url.rstrip('/')}/board" if base_url else None

    def digests(self, people: list[tuple[PersonRow, list[Item]]]) -> list[Digest]:
        """The digests of ``people`` (each with their items), in that order."""
        by_locale: dict[str, list[int]] = defaultdict(list)
        rows: list[tuple[Any, ...]] = []
        for n, (person, items) in enumerate(people):
            loc = locale_of(person.locale)
            self._templates(loc)
            by_locale[loc].append(n)
            rows.append(self._row(person, items, loc))
        self._render_lines()
        context = {
            "today": self.plan.today, "base_url": self.base_url, "board_link": self.board_link,
        }  # fmt: skip
        rendered: list[tuple[str, str, str]] = [("", "", "")] * len(people)
        for loc, numbers in by_locale.items():
            templates, mine = self._digest[loc], [rows[n] for n in numbers]
            parts = [templates.render_each(p, self._FIELDS, mine, context) for p in _PARTS]
            for n, subject, text, html in zip(numbers, *parts, strict=True):
                rendered[n] = (subject, text, html)
        return [
            Digest(
                person_id=person.id, email=person.email, locale=locale_of(person.locale),
                subject=" ".join(subject.split()), text=text, html=html,
                items=[(i.task.id, i.reason) for i in items],
                escalations=[
                    (i.task.id, i.step) for i in items if i.reason == DigestReason.escalation
                ],
            )
            for (person, items), (subject, text, html) in zip(people, rendered, strict=True)
        ]  # fmt: skip

    def _templates(self, loc: str) -> TemplateSet:
        templates = self._digest.get(loc)
        if templates is None:
            templates = self._digest[loc] = TemplateSet(
                "digest", loc, _PARTS, self.template_dir, plain=self.plain
            )
            self._item[loc] = TemplateSet(
                "digest_item", loc, ("txt", "html"), self.template_dir, plain=self.plain
            )
        return templates

    def _view(self, item: Item, loc: str) -> _ItemView:
        key = (item.task.id, item.reason, loc)
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = _ItemView(self.plan, item, loc, self.base_url, self.key)
            self._new_views[loc].append(view)
        return view

    def _render_lines(self) -> None:
        """Render the lines of the views made since the last call, one Jinja call per part."""
        for loc, views in self._new_views.items():
            templates, rows = self._item[loc], [(view,) for view in views]
            texts = templates.render_each("txt", ("t",), rows, {})
            htmls = templates.render_each("html", ("t",), rows, {})
            for view, text, html in zip(views, texts, htmls, strict=True):
                view.text, view.html = text, Markup(html)
        self._new_views.clear()

    def _row(self, person: PersonRow, items: list[Item], loc: str) -> tuple[Any, ...]:
        """The digest's variables, in the order of ``_FIELDS`` (lines not rendered yet)."""
        plan = self.plan
        sections: dict[DigestReason, list[_ItemView]] = {reason: [] for reason in _PRIORITY}
        phases = {p.id: p for p in plan.kickoff_owners.get(person.id, ())}
        kickoff_tasks: dict[int, list[_ItemView]] = defaultdict(list)
        for item in sorted(items, key=_by_due):
            view = self._view(item, loc)
            if item.reason != DigestReason.kickoff:
                sections[item.reason].append(view)
            elif item.phase is not None:
                phases[item.phase.id] = item.phase
                kickoff_tasks[item.phase.id].append(view)
        kickoffs = [
            _KickoffView(p, loc, kickoff_tasks.get(p.id, []))
            for p in sorted(phases.values(), key=lambda p: (p.start_date, p.id))
        ]
        more = _screenful(sections, kickoffs)
        undelivered = self._dead if person.id in plan.dead_readers else []
        participation = [
            (line.text(loc), line.link) for line in plan.participation.get(person.id, ())
        ]
        count = len(items) + len(plan.kickoff_owners.get(person.id, ()))
        count += len(undelivered) + len(participation)
        return (
            _Person(person), kickoffs, sections[DigestReason.escalation],
            sections[DigestReason.overdue], sections[DigestReason.due],
            sections[DigestReason.reminder], count, more, undelivered, participation,
        )  # fmt: skip


def _screenful(
    sections: dict[DigestReason, list[_ItemView]], kickoffs: list[_KickoffView]
) -> _Summaries:
    """Keep the first :data:`SCREENFUL` items and summarise the rest, section by section.

    The budget goes first to what the reader must act on: due today, their own overdue tasks,
    escalations of others' tasks, then phases starting and coming deadlines. ``sections`` and
    the kickoffs' task lists are cut in place.
    """
    more = _Summaries()
    budget, more.due = _cut(sections[DigestReason.due], SCREENFUL)
    budget, more.overdue = _cut(sections[DigestReason.overdue], budget)
    budget, more.escalations = _cut(sections[DigestReason.escalation], budget)
    for kickoff in kickoffs:
        budget, kickoff.more = _cut(kickoff.tasks, budget)
    budget, more.reminders = _cut(sections[DigestReason.reminder], budget)
    return more


def _cut(views: list[_ItemView], budget: int) -> tuple[int, _More | None]:
    """Keep ``budget`` of ``views`` (in place); the budget left and a summary of the rest."""
    if len(views) <= budget:
        return budget - len(views), None
    more = _More(views[budget:])
    del views[budget:]
    return 0, more


_PARTS = ("subject", "txt", "html")


def _recipients(plan: _Plan) -> list[tuple[PersonRow, list[Item]]]:
    """Every active person with something in today's digest, with their items."""
    return [
        (plan.people[person_id], plan.items_of(person_id))
        for person_id in plan.recipients()
        if plan.people[person_id].active
    ]


def _by_due(item: Item) -> tuple[date, int]:
    return item.task.due, item.task.id


def _name(da: str, en: str, loc: str) -> str:
    return en if loc == "en" and en else da
