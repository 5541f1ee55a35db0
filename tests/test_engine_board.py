"""The board report's numbers against a hand-built scenario, and its rendering."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from aarshjul.engine.board_report import board_report
from aarshjul.models import OutboxKind, OutboxMessage
from aarshjul.notifications.board_mail import board_markdown, queue_board_report
from tests.engine_scenario import TODAY, build


def test_phase_progress_against_time_passed(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    got = {p.phase: (p.total, p.done, p.waived, p.open, p.overdue) for p in report.phases}
    assert got == {"status": (3, 1, 1, 1, 1), "idea": (2, 0, 0, 2, 1), "budget": (2, 0, 0, 2, 1)}
    elapsed = {p.phase: p.elapsed for p in report.phases}
    assert elapsed["status"] == 1.0 and elapsed["budget"] == 0.0
    assert elapsed["idea"] == pytest.approx(15 / 40)  # 1-15 March of 1 March-9 April
    assert next(p for p in report.phases if p.phase == "status").completion == 0.5


def test_committees_and_policy_areas(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    committees = {g.key: (g.total, g.done, g.waived, g.open, g.overdue, g.due_so_far)
                  for g in report.committees}  # fmt: skip
    assert committees == {
        "bsu": (3, 1, 1, 1, 1, 2), "oeu": (3, 0, 0, 3, 1, 1), "—": (1, 0, 0, 1, 1, 1),
    }  # fmt: skip
    oeu = next(g for g in report.committees if g.key == "oeu")
    assert oeu.expected == pytest.approx(1 / 3) and oeu.completion == 0.0
    assert [g.key for g in report.policy_areas] == ["skole", "oek", "—"]  # by name: Ø sorts last
    assert report.totals == {"total": 7, "done": 1, "waived": 1, "open": 5, "overdue": 3,
                             "due_so_far": 4}  # fmt: skip
    assert report.completion == pytest.approx(1 / 6)


def test_overdue_list_with_owners_and_workdays_late(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    got = [(o.id, o.owner_email, o.workdays_late) for o in report.overdue]
    assert got == [
        (board.id("t2"), "anne@example.dk", 20),  # 15 Feb - 12 Mar: four full weeks
        (board.id("t4"), "eric@example.dk", 3),
        (board.id("t7"), "anne@example.dk", 1),
    ]
    assert report.overdue[0].committee == "Børne- og Skoleudvalget"


def test_goals_and_statutory_milestones_at_risk(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    assert report.goals == {"at_risk": 1, "on_track": 1}
    # "minor" has a late task of its own but is not statutory; budget_2nd depends on late t4.
    assert [(m.key, m.late_task_ids, m.passed) for m in report.milestones_at_risk] == [
        ("budget_2nd", (board.id("t4"),), False)
    ]


def test_markdown_in_both_languages(session: Session) -> None:
    board = build(session)
    report = board_report(session, organisation=board.org, today=TODAY)
    da, en = board_markdown(report, "da"), board_markdown(report, "en")
    assert da.startswith("# Årshjul 2027 - status pr. mandag den 15. marts 2027")
    assert "1 af 6 opgaver er udført (17%); 3 er over fristen." in da
    assert "| #" in da and r"Anne Kjær \<anne@example.dk\>" in da  # no autolink or HTML
    assert "## Statutory milestones at risk" in en and "2. behandling" in en


def test_queued_once_per_direktion_member_and_day(session: Session) -> None:
    board = build(session)
    assert board.org.id is not None
    report = board_report(session, organisation=board.org, today=TODAY)
    first = queue_board_report(session, organisation_id=board.org.id, report=report)
    again = queue_board_report(session, organisation_id=board.org.id, report=report)
    session.commit()
    rows = session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.board_report)
    ).all()
    assert len(first) == 1 and again == []
    assert [r.person_id for r in rows] == [board.people["dir"].id]
    assert "Direktionens" not in rows[0].subject and "ugerapport" in rows[0].subject
    assert "<table" in rows[0].body_html
