"""One annual cycle per organisation and year: a renamed copy is refused, or replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from aarshjul.errors import InputError
from aarshjul.models import Cycle, Organisation, Task, TaskStatus
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.plan import plan_cycle
from aarshjul.planning.template_files import builtin_text, load_template
from tests.test_planning_plan import NOW, _plan


@pytest.fixture
def org(session: Session) -> Organisation:
    import_org(session, load_sample_org())
    session.commit()
    return get_organisation(session, "jammerbugt")


def _copy(tmp_path: Path, key: str) -> Path:
    path = tmp_path / f"{key}.yaml"
    text = builtin_text("helhedsplan").replace("template: helhedsplan", f"template: {key}")
    path.write_text(text, encoding="utf-8")
    return path


def test_a_renamed_copy_does_not_plan_a_second_cycle(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    first = _plan(session, org)
    tasks = session.exec(select(func.count()).select_from(Task)).one()
    copy = load_template(_copy(tmp_path, "mitwheel"))
    for dry_run in (True, False):
        with pytest.raises(InputError) as info:
            plan_cycle(
                session, organisation=org, template=copy, year=2027, now=NOW, dry_run=dry_run
            )
        message = str(info.value)
        assert "'helhedsplan-2027'" in message and "--replace" in message
        session.rollback()
    assert session.exec(select(func.count()).select_from(Cycle)).one() == 1
    result = _plan(session, org, copy, replace=True)
    assert result.cycle_key == "mitwheel-2027" and result.cycle_id == first.cycle_id
    assert result.diff.added == 0  # the same task keys: nothing planned twice
    assert session.exec(select(func.count()).select_from(Task)).one() == tasks
    assert session.exec(select(Cycle.key)).all() == ["mitwheel-2027"]
    waived = session.exec(select(Task).where(Task.status == TaskStatus.waived)).all()
    assert waived == []


def test_the_database_refuses_a_second_annual_cycle(session: Session, org: Organisation) -> None:
    _plan(session, org)
    row = session.exec(select(Cycle)).one()
    values = row.model_dump(exclude={"id"}) | {"key": "other-2027"}
    with pytest.raises(sa.exc.IntegrityError):
        session.add(Cycle(**values))
        session.flush()


def test_plan_replace_through_the_cli(sqlite_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from aarshjul.cli import app

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, ["--db", sqlite_url, *args])
        return result.exit_code, result.stdout, result.stderr

    assert run("init", "--sample")[0] == 0
    assert run("plan", "2027")[0] == 0
    copy = str(_copy(tmp_path, "kommunehjul"))
    code, _, err = run("plan", "2027", "--template", copy, "--dry-run")
    assert code == 1 and "helhedsplan-2027" in err and "--replace" in err
    code, out, err = run("plan", "2027", "--template", copy, "--replace")
    assert code == 0, err
    assert "kommunehjul-2027" in out and "Tilføjet 0" in out
