"""The flows under Prefect's test harness: mail through a real SMTP server, events, artifacts."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from aarshjul.config import get_settings
from aarshjul.db import make_engine
from tests.cli_helpers import run
from tests.engine_scenario import Board, build
from tests.smtp import SmtpServer


@pytest.fixture
def board_db(
    sqlite_url: str, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Board]]:
    """The hand-built scenario in a SQLite file that the flows find through the settings."""
    engine = make_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        board = build(session)
    engine.dispose()
    monkeypatch.setenv("AARSHJUL_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("AARSHJUL_MAIL_URL", smtp_server.mail_url)
    get_settings.cache_clear()
    yield sqlite_url, board


def _events(prefix: str, resource_id: str | None = None, minimum: int = 1) -> list[Any]:
    """Events read back through Prefect's client (the server persists them in batches)."""
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=10)
    resource = EventResourceFilter(id=[resource_id]) if resource_id else None
    flt = EventFilter(event=EventNameFilter(prefix=[prefix]), resource=resource)
    deadline = time.monotonic() + 30
    while True:
        with get_client(sync_client=True) as client:
            found = list(client.read_events(filter=flt, limit=50).events)
        if len(found) >= minimum or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _artifact(key: str) -> Any:
    """The latest artifact under ``key`` (through a client that is closed afterwards)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    return found[0] if found else None


@pytest.mark.usefixtures("prefect_harness")
def test_tick_flow_delivers_digests_once_and_emits_events(
    board_db: tuple[str, Board], smtp_server: SmtpServer
) -> None:
    from aarshjul.flows.tick import tick

    _, board = board_db
    first = tick(today="2027-03-15")
    again = tick(today="2027-03-15")
    assert first["delivery"]["sent"] == first["digests"]["added"] > 0
    assert again["digests"]["added"] == 0 and again["delivery"]["claimed"] == 0
    recipients = sorted(r for m in smtp_server.messages for r in m.rcpt_tos)
    assert recipients == ["anne@example.dk", "bent@example.dk", "dorte@example.dk",
                          "eric@example.dk"]  # fmt: skip
    # Fault 6: the overdue listing is one summary event per tick, not one event per task.
    overdue = _events("aarshjul.tasks.overdue", "aarshjul.organisation.testkommune")
    assert len(overdue) == 1  # the second tick emitted nothing
    assert board.id("t4") in overdue[0].payload["task_ids"]
    # Prefect adds the flow run as a related resource too, so an event links to its run.
    assert any(r.role == "flow-run" for r in overdue[0].related)
    related = {r.id: r.role for r in overdue[0].related if r.id.startswith("aarshjul.")}
    assert related == {"aarshjul.organisation.testkommune": "organisation",
                       "aarshjul.cycle.helhedsplan-2027": "cycle"}  # fmt: skip
    opened = _events("aarshjul.phase.opened", f"aarshjul.phase.{board.phases['idea'].id}")
    assert [e.payload["phase"] for e in opened] == ["idea"]
    assert _events("aarshjul.escalation")


@pytest.mark.usefixtures("prefect_harness")
def test_board_report_flow_mails_the_direktion_and_publishes_artifacts(
    board_db: tuple[str, Board], smtp_server: SmtpServer
) -> None:
    from aarshjul.flows.weekly_report import board_report

    result = board_report(today="2027-03-15")
    assert result["queued"] == 1 and result["delivery"]["sent"] == 1
    assert result["totals"]["overdue"] == 3 and result["completion"] == pytest.approx(0.167)
    [mail] = smtp_server.to("dorte@example.dk")
    assert "ugerapport" in mail.subject and "Økonomiudvalget" in mail.html
    markdown, table = (
        _artifact("aarshjul-board-testkommune"),
        _artifact("aarshjul-phases-testkommune"),
    )
    assert markdown is not None and "## Lovbundne milepæle i fare" in str(markdown.data)
    assert table is not None and json.loads(str(table.data))[1]["phase"] == "Idéfase"


@pytest.mark.usefixtures("prefect_harness")
def test_plan_next_cycle_plans_and_tells_the_planning_staff(
    tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aarshjul.flows.next_cycle import plan_next_cycle

    url = f"sqlite:///{tmp_path}/sample.db"
    assert run(url, "init", "--sample").exit_code == 0
    monkeypatch.setenv("AARSHJUL_DATABASE_URL", url)
    monkeypatch.setenv("AARSHJUL_MAIL_URL", smtp_server.mail_url)
    get_settings.cache_clear()
    result = plan_next_cycle(today="2026-12-01")
    again = plan_next_cycle(today="2026-12-01")
    assert result["cycle"] == "helhedsplan-2027" and result["summary"].startswith("Tilføjet")
    assert again["summary"].startswith("Tilføjet 0")  # re-planning changes nothing
    assert result["notified"] and again["notified"] == []  # told once, not twice
    assert result["delivery"]["sent"] == len(result["notified"])
    for email in result["notified"]:
        subjects = [m.subject for m in smtp_server.to(email)]
        assert subjects in (
            ["Årshjul 2027 er planlagt (helhedsplan-2027)"],
            ["Annual cycle 2027 is planned (helhedsplan-2027)"],
        )


@pytest.mark.usefixtures("prefect_harness")
def test_done_from_the_cli_emits_task_completed(
    board_db: tuple[str, Board], prefect_harness: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, board = board_db
    monkeypatch.setenv("PREFECT_API_URL", prefect_harness)
    task_id = board.id("t4")
    result = run(url, "done", str(task_id), "--by", "eric@example.dk")
    assert result.exit_code == 0, result.output
    [event] = _events("aarshjul.task.completed", f"aarshjul.task.{task_id}")
    assert event.payload["by"] == "eric@example.dk"


@pytest.mark.usefixtures("prefect_harness")
def test_demo_plans_ticks_and_points_at_serve(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path}/demo.db", "demo", "--today", "2027-03-01")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Plan 2027: Tilføjet" in result.stdout
    assert "Faser åbnet (opened): helhedsplan-2027/goal_status" in result.stdout
    assert "aarshjul serve" in result.stdout and "http://127.0.0.1:4200" in result.stdout
    history = re.search(r"Demo-historik: (\d+) opgaver", result.stdout)
    assert history and int(history.group(1)) > 0
    again = run(f"sqlite:///{tmp_path}/demo.db", "demo", "--today", "2027-03-01")
    assert "Demo-historik: 0 opgaver" in again.stdout and "Tilføjet 0" in again.stdout


def test_quick_start_first_command_ends_with_demo() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2 and commands[0].endswith("aarshjul demo")
