"""One progress query: ``status``, the board report's JSON and its e-mail count the same tasks.

Fault 3 of issue 10: ``status`` counted only tasks that belong to a phase, the terminal report
rounded a rounded share (6 %), the e-mail said "3 af 55 (5 %)". Here the hand-built scenario gets
a task outside every phase, and all three must agree, with an *outside phases* row.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from unittest.mock import patch

from rich.console import Console
from sqlmodel import Session, select

from aarshjul.config import Settings
from aarshjul.db import make_engine
from aarshjul.engine.progress import percent
from aarshjul.engine.report_run import prepare_report
from aarshjul.models import Cycle, OutboxMessage, TaskStatus
from aarshjul.runtime import Runtime
from tests import factories as f
from tests.cli_helpers import run
from tests.engine_scenario import TODAY, build


def test_status_report_json_and_mail_count_the_same_tasks(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as session:
        board = build(session)
        cycle = session.get_one(Cycle, board.phases["idea"].cycle_id)
        f.task(session, cycle, board.people["anne"], date(2027, 3, 1), status=TaskStatus.done)
        f.task(session, cycle, board.people["eric"], date(2027, 3, 2))  # open, overdue
        session.commit()

    status = json.loads(run(db_url, "--org", board.org.key, "status", "2027", "--today",
                            TODAY.isoformat(), "--format", "json").stdout)  # fmt: skip
    runtime = Runtime(settings=Settings(), engine=engine, organisation_key=board.org.key)
    report = prepare_report(runtime, today=TODAY).report.as_dict()
    with Session(engine) as session:
        [mail] = session.exec(select(OutboxMessage.body_text)).all()
    engine.dispose()

    totals = status["totals"]
    assert totals == {"total": 9, "done": 2, "waived": 1, "open": 6, "overdue": 4}
    assert {k: v for k, v in report["totals"].items() if k != "due_so_far"} == totals
    assert status["percent"] == report["percent"] == percent(2, 8) == 25
    assert "2 af 8 opgaver er udført (25%); 4 er over fristen." in mail
    outside = [p for p in status["phases"] if p["phase"] is None]
    assert [(p["name"], p["total"], p["done"], p["overdue"]) for p in outside] == [
        ("Uden for faser", 2, 1, 1)
    ]
    assert [p["phase"] for p in report["phases"]] == [p["phase"] for p in status["phases"]]
    assert "| Uden for faser |" in mail
    _report_prints_shares_as_status_does(db_url, board.org.key, report)


def _report_prints_shares_as_status_does(db_url: str, org: str, report: dict[str, Any]) -> None:
    """`aarshjul report` printed 0.846 and 1.0 where `status` prints 85% and 100%."""
    from aarshjul.commands import engine_cli

    table = run(db_url, "--org", org, "status", "2027", "--today", TODAY.isoformat()).stdout
    console = Console(width=200, record=True)
    with patch.object(engine_cli, "console", return_value=console):
        engine_cli._print_report(report | {"queued": 0, "written": True})
    printed = console.export_text()
    for phase in report["phases"]:
        elapsed = "—" if phase["elapsed"] is None else f"{round(phase['elapsed'] * 100)}%"
        row = f"│ {phase['name']} "
        assert row in printed and row in table
        for text in (printed, table):
            line = next(line for line in text.splitlines() if row in line)
            assert f"│ {elapsed} " in line and f"│ {phase['percent']}% " in line, line
    assert "0.5 " not in printed and "1.0 " not in printed
    # The README says the report has goals by status and the planning report's inputs; the
    # printout had neither.
    [goals] = [line for line in table.splitlines() if line.startswith("Mål efter status:")]
    assert goals in printed
    assert "Planredegørelse 2027: " in printed and " afsnit skrevet" in printed


def test_percent_is_one_exact_rounding() -> None:
    # 3 of 55 is 5.45 %: rounding the share to 0.055 first and then to a percent gave 6 %.
    assert percent(3, 55) == 5 and percent(1, 6) == 17 and percent(1, 8) == 13
