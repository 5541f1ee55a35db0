"""Compose's fast rendering path gives byte for byte what Jinja's plain ``Template.render`` gives.

The fast path renders each task line once per locale and every part of many digests in one Jinja
call (see :mod:`aarshjul.notifications.rendering`); the plain path renders every message on its
own with Jinja's public API. On a varied organisation — both locales, titles with markup
characters and Danish letters, empty English titles, reminders, due and overdue tasks,
escalations to superiors and the direktion, phase kickoffs, with and without links — every
subject, text and HTML body must be identical.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from aarshjul.config import Settings
from aarshjul.models import Organisation, TaskReminder, TaskStatus
from aarshjul.notifications.compose import compose_digests
from tests import factories as f

FRIDAY = date(2027, 10, 15)
TITLES = [
    "Budgetbidrag til økonomiudvalget", "Læs <b>høringssvar</b> & skriv 'notat'",
    'Svar på "spørgsmål" fra KB', "Årsregnskab: Æ, Ø og Å", "x" * 290, "Tab\tog  mellemrum",
    "{{ ikke jinja }} {% heller ikke %}", "Ændring af lokalplan nr. 12/2027 — høring",
]  # fmt: skip


def _varied(session: Session) -> Organisation:
    rng = random.Random(10)
    org = f.organisation(session, name="Blandet Kommune <&>")
    board = [f.person(session, org, name=f"Direktør {i}", roles=("direktion",),
                      locale=("da", "en")[i % 2]) for i in range(2)]  # fmt: skip
    heads = [f.person(session, org, name=f"Chef Ø{i}", superior_id=board[0].id,
                      locale=("en", "da")[i % 2]) for i in range(3)]  # fmt: skip
    people = [f.person(session, org, name=f"Medarbejder {i} \"Å\"", locale=rng.choice(["da", "en"]),
                       superior_id=rng.choice(heads).id) for i in range(16)]  # fmt: skip
    cycle = f.cycle(session, org)
    phases = [
        f.phase(
            session,
            cycle,
            FRIDAY + timedelta(days=d),
            FRIDAY + timedelta(days=d + 30),
            name_da=f"Fase <{d}>",
            name_en="" if d % 2 else f"Phase {d}",
            owner_id=rng.choice(people).id,
        )
        for d in (-1, 0, 1, 2)
    ]
    for i in range(160):
        due = FRIDAY + timedelta(days=rng.randint(-40, 20))
        task = f.task(
            session, cycle, rng.choice(people), due, title_da=rng.choice(TITLES),
            title_en=rng.choice(["", "Budget input", "Hearing <memo>"]),
            phase_id=rng.choice([None, *(p.id for p in phases)]),
            escalate_after=rng.choice([2, 5]),
            status=rng.choice([TaskStatus.open, TaskStatus.open, TaskStatus.in_progress]),
        )  # fmt: skip
        if i % 3 == 0:
            session.add(TaskReminder(task_id=task.id, remind_on=FRIDAY + timedelta(days=i % 4)))
    session.commit()
    return org


@pytest.mark.parametrize("base_url", [None, "https://aarshjul.example.dk/"])
def test_fast_and_plain_rendering_are_byte_identical(
    session: Session, base_url: str | None
) -> None:
    org = _varied(session)
    settings = Settings(base_url=base_url)
    for day in (FRIDAY, FRIDAY + timedelta(days=3)):
        fast = compose_digests(session, organisation=org, today=day, dry_run=True,
                               settings=settings)  # fmt: skip
        plain = compose_digests(session, organisation=org, today=day, dry_run=True,
                                settings=settings, plain_rendering=True)  # fmt: skip
        assert len(fast.digests) > 15
        assert {d.locale for d in fast.digests} == {"da", "en"}
        assert {r for d in fast.digests for _, r in d.items} >= {
            "reminder",
            "due",
            "overdue",
            "escalation",
            "kickoff",
        }
        for a, b in zip(fast.digests, plain.digests, strict=True):
            assert (a.person_id, a.subject, a.text, a.html) == (b.person_id, b.subject, b.text,
                                                                b.html)  # fmt: skip
    assert "&lt;b&gt;" in "".join(d.html for d in fast.digests)  # HTML escaped, text not
    assert "<b>" in "".join(d.text for d in fast.digests)
