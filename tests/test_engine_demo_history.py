"""The demo's synthetic history completes each task on its own due day, not all on the demo day.

Stamped with the demo's "now", every synthetic completion said *Udført mandag den 30. november*:
"my tasks" showed a task due in April under *done recently*, and the audit trail said the same.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from aarshjul.clock import Clock
from aarshjul.config import Settings, get_settings
from aarshjul.db import make_engine
from aarshjul.engine.demo_history import NOTE, fill_history
from aarshjul.models import Task, TaskEvent, TaskStatus
from aarshjul.runtime import Runtime
from tests.cli_helpers import run

TODAY = date(2027, 6, 14)


def test_synthetic_completions_fall_on_their_due_days(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AARSHJUL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    for args in (["init", "--sample"], ["plan", "2027"]):
        result = run(sqlite_url, *args)
        assert result.exit_code == 0, result.output + result.stderr
    engine = make_engine(sqlite_url)
    runtime = Runtime(settings=Settings(), engine=engine, clock=Clock(fixed_today=TODAY))
    done = fill_history(runtime, today=TODAY)
    assert fill_history(runtime, today=TODAY) == 0  # again: nothing changes
    copenhagen = ZoneInfo("Europe/Copenhagen")
    with Session(engine) as s:
        tasks = s.exec(select(Task).where(Task.status == TaskStatus.done)).all()
        events = s.exec(select(TaskEvent).where(TaskEvent.note == NOTE)).all()
    runtime.close()
    assert done == len(tasks) == len(events) > 100
    days = Counter()
    for task in tasks:
        assert task.completed_at is not None
        local = task.completed_at.replace(tzinfo=task.completed_at.tzinfo or ZoneInfo("UTC"))
        assert local.astimezone(copenhagen).date() == task.due < TODAY
        days[task.due] += 1
    assert len(days) > 5
    by_task = {t.id: t.completed_at for t in tasks}
    assert all(e.at == by_task[e.task_id] for e in events)
