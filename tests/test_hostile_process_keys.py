"""Issue 13, kind 10: process keys that collide. ``start tillaeg`` cut the key from the title at 60
characters or turned an emoji title into ``proces``, so "…etape 2" silently re-planned and renamed
"…etape 1". A new process never re-plans another one unless asked (``--replace KEY``); keys are
unique (a suffix) and printed.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from aarshjul.cli import app
from aarshjul.errors import InputError, NotFound
from aarshjul.models import Cycle, CycleKind, Organisation, Task
from aarshjul.models.queries import get_organisation
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from aarshjul.planning.plan import PlanResult, plan_cycle, start_process
from aarshjul.planning.template_files import load_builtin_template

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
LONG = "Tillæg 7: Udvidelse af erhvervsområdet ved Aabybro Syd og ny vejadgang, etape"


@pytest.fixture
def org(session: Session) -> Organisation:
    import_org(session, load_sample_org())
    session.commit()
    return get_organisation(session, "jammerbugt")


def _start(
    session: Session, org: Organisation, title: str, start: date = date(2027, 3, 1), **kw: object
) -> PlanResult:
    result = start_process(
        session, organisation=org, template=load_builtin_template("tillaeg"), title=title,
        start=start, now=NOW, **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    session.commit()
    return result


def _processes(session: Session) -> dict[str, str]:
    rows = session.exec(select(Cycle).where(Cycle.kind == CycleKind.process)).all()
    return {c.key: c.title for c in rows}


def test_two_long_titles_that_share_60_characters_are_two_processes(
    session: Session, org: Organisation
) -> None:
    first = _start(session, org, f"{LONG} 1")
    second = _start(session, org, f"{LONG} 2")
    assert first.cycle_key != second.cycle_key
    assert second.cycle_key == first.cycle_key + "-2"
    assert _processes(session) == {first.cycle_key: f"{LONG} 1", second.cycle_key: f"{LONG} 2"}
    assert second.renamed_from == first.cycle_key


def test_emoji_titles_do_not_collide(session: Session, org: Organisation) -> None:
    keys = [_start(session, org, title).cycle_key for title in ("🌞🌳", "🚲🛣️", "🏫")]
    assert keys == ["tillaeg-2027-proces", "tillaeg-2027-proces-2", "tillaeg-2027-proces-3"]
    assert len(_processes(session)) == 3


def test_starting_the_same_process_again_changes_nothing(
    session: Session, org: Organisation
) -> None:
    first = _start(session, org, "Tillæg 3: Solceller")
    again = _start(session, org, "Tillæg 3: Solceller")
    assert again.cycle_key == first.cycle_key and not again.diff.changed
    assert len(_processes(session)) == 1


def test_replace_re_plans_the_named_process(session: Session, org: Organisation) -> None:
    first = _start(session, org, f"{LONG} 1")
    tasks = session.exec(select(col(Task.id)).where(Task.cycle_id == first.cycle_id)).all()
    moved = _start(session, org, f"{LONG} 1 (ny dato)", date(2027, 4, 1), replace=first.cycle_key)
    assert moved.cycle_key == first.cycle_key and moved.diff.moved > 0
    assert _processes(session) == {first.cycle_key: f"{LONG} 1 (ny dato)"}
    kept = session.exec(select(col(Task.id)).where(Task.cycle_id == first.cycle_id)).all()
    assert sorted(kept) == sorted(tasks)


def test_replace_names_an_existing_process(session: Session, org: Organisation) -> None:
    with pytest.raises(NotFound, match="tillaeg-2027-nope"):
        _start(session, org, "X", replace="tillaeg-2027-nope")
    session.rollback()
    plan_cycle(
        session, organisation=org, template=load_builtin_template("helhedsplan"), year=2027, now=NOW
    )
    session.commit()
    with pytest.raises(InputError, match="annual"):
        _start(session, org, "X", replace="helhedsplan-2027")


@pytest.mark.parametrize("title", ["x" * 301, "Tillæg\x1b[2J 3", "   "])
def test_a_title_is_one_line_of_at_most_300_characters(
    session: Session, org: Organisation, title: str
) -> None:
    with pytest.raises(InputError, match="--title"):
        _start(session, org, title)


def test_keys_fit_the_column_whatever_the_template_key(session: Session, org: Organisation) -> None:
    from aarshjul.planning.cycles import process_key

    long_template = "t" * 64
    key = process_key(long_template, 2027, "ord " * 80)
    assert len(key) <= 120 - 4 and key.startswith(long_template + "-2027-")


def test_the_cli_prints_the_new_key_and_how_to_replace(sqlite_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", sqlite_url, "init", "--sample"]).exit_code == 0
    base = ["--db", sqlite_url, "start", "tillaeg", "--start", "2027-03-01"]
    first = runner.invoke(app, [*base, "--title", f"{LONG} 1", "-f", "json"])
    second = runner.invoke(app, [*base, "--title", f"{LONG} 2"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output + second.stderr
    key = json.loads(first.stdout)[0]["cycle"]
    assert f"{key}-2:" in second.stdout
    assert f"--replace {key}" in second.stdout
    again = runner.invoke(app, [*base, "--title", "Ny titel", "--replace", f"{key}-2"])
    assert again.exit_code == 0 and f"{key}-2: Ny titel" in again.stdout
