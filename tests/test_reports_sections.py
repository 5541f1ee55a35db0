"""The planning staff's sections of the planning report, on both backends: every save kept, the
same text twice writes nothing, a stale edit is refused, only planning writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from aarshjul.access.permissions import Viewer, viewer_for
from aarshjul.errors import InputError, PermissionDenied
from aarshjul.models import Organisation, ReportSection
from aarshjul.reports.inputs import report_inputs
from aarshjul.reports.sections import (
    BODY_MAX,
    SaveOutcome,
    SectionConflict,
    SectionKey,
    current_sections,
    save_section,
    section_history,
)
from tests import factories as f

NOW = datetime(2027, 5, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
def org(session: Session) -> Organisation:
    row = f.organisation(session, name="Testkommune")
    session.commit()
    return row


def _viewer(session: Session, org: Organisation, *roles: str, name: str = "Palle Plan") -> Viewer:
    person = f.person(session, org, name=name, roles=roles)
    session.commit()
    return viewer_for(session, person)


def _save(session: Session, org: Organisation, viewer: Viewer, body: str, base: int | None,
          key: str = "legislation", at: datetime = NOW) -> SaveOutcome:  # fmt: skip
    outcome = save_section(
        session, organisation=org, viewer=viewer, year=2027, key=key, body=body, base_id=base,
        now=at,
    )  # fmt: skip
    session.commit()
    return outcome


def test_every_save_is_a_version_and_the_latest_is_the_text(
    session: Session, org: Organisation
) -> None:
    palle = _viewer(session, org, "planning")
    first = _save(session, org, palle, "  Ny planlov.\r\n\r\n- punkt ", None)
    second = _save(session, org, palle, "Ny planlov pr. 1. juli.", first.version.id,
                   at=NOW + timedelta(hours=1))  # fmt: skip
    assert first.created and second.created
    assert first.version.body == "Ny planlov.\n\n- punkt"
    history = section_history(
        session, organisation_id=org.id or 0, year=2027, key=SectionKey.legislation
    )
    assert [v.body for v in history] == ["Ny planlov pr. 1. juli.", "Ny planlov.\n\n- punkt"]
    assert history[0].written_by == "Palle Plan" and history[0].written_at == NOW + timedelta(
        hours=1
    )
    current = current_sections(session, organisation_id=org.id or 0, year=2027)
    assert list(current) == [SectionKey.legislation]
    assert current[SectionKey.legislation].body == "Ny planlov pr. 1. juli."
    assert current_sections(session, organisation_id=org.id or 0, year=2026) == {}


def test_control_characters_never_reach_the_table(session: Session, org: Organisation) -> None:
    palle = _viewer(session, org, "planning")
    saved = _save(session, org, palle, "Før\x00efter\x0b og <b>\r\nny linje", None)
    assert saved.version.body == "Førefter og <b>\nny linje"
    session.expire_all()
    assert session.exec(select(ReportSection.body)).one() == "Førefter og <b>\nny linje"


def test_saving_the_same_text_again_writes_nothing(session: Session, org: Organisation) -> None:
    palle = _viewer(session, org, "planning")
    first = _save(session, org, palle, "Tekst", None)
    again = _save(session, org, palle, "Tekst\n", None)  # even from a stale form
    assert not again.created and again.version.id == first.version.id
    assert session.exec(select(func.count()).select_from(ReportSection)).one() == 1


def test_a_stale_edit_is_refused_and_nothing_is_written(
    session: Session, org: Organisation
) -> None:
    palle = _viewer(session, org, "planning")
    lise = _viewer(session, org, "planning", name="Lise Liste")
    first = _save(session, org, palle, "Version 1", None)
    _save(session, org, lise, "Lises version", first.version.id)
    with pytest.raises(SectionConflict, match="saved by Lise Liste") as refused:
        _save(session, org, palle, "Palles version", first.version.id)
    session.rollback()
    assert refused.value.current.body == "Lises version"
    with pytest.raises(SectionConflict):  # a first save when someone already saved
        _save(session, org, palle, "Palles version", None)
    session.rollback()
    assert session.exec(select(func.count()).select_from(ReportSection)).one() == 2


def test_only_planning_writes(session: Session, org: Organisation) -> None:
    for roles in (("direktion",), ("finance",), ("department_head",), ()):
        viewer = _viewer(session, org, *roles, name=f"Person {roles}")
        with pytest.raises(PermissionDenied, match="only planning may"):
            _save(session, org, viewer, "Tekst", None)
    other = f.organisation(session, name="Anden kommune")
    session.commit()
    palle = _viewer(session, org, "planning")
    with pytest.raises(PermissionDenied):  # a planner of one organisation, not of another
        _save(session, other, palle, "Tekst", None)
    assert session.exec(select(func.count()).select_from(ReportSection)).one() == 0


def test_bad_input_names_the_field(session: Session, org: Organisation) -> None:
    palle = _viewer(session, org, "planning")
    with pytest.raises(InputError, match="section: 'economy' is not a section"):
        _save(session, org, palle, "x", None, key="economy")
    with pytest.raises(InputError, match=f"at most {BODY_MAX}"):
        _save(session, org, palle, "x" * (BODY_MAX + 1), None)
    with pytest.raises(InputError, match="year: 1999"):
        save_section(session, organisation=org, viewer=palle, year=1999, key="regional",
                     body="x", base_id=None, now=NOW)  # fmt: skip
    with pytest.raises(InputError, match="version 99 does not exist"):
        _save(session, org, palle, "x", 99)


def test_inputs_count_sections_with_text_and_goals_with_a_current_report(
    session: Session, org: Organisation
) -> None:
    palle = _viewer(session, org, "planning")
    head = f.person(session, org)
    area = f.policy_area(session, org, f.committee(session, org), head)
    f.goal(session, area, horizon_start=2026, horizon_end=2029)
    f.goal(session, area, horizon_start=2027, horizon_end=2027)  # new: not due a report
    f.goal(session, area, horizon_start=2020, horizon_end=2025)  # ended: not in the report
    session.commit()
    first = _save(session, org, palle, "Tekst", None)
    _save(session, org, palle, "Tekst", None, key="regional")
    _save(session, org, palle, "", first.version.id)  # emptied
    inputs = report_inputs(session, organisation_id=org.id or 0, year=2027)
    assert (inputs.goals, inputs.goals_due, inputs.goals_reported) == (2, 1, 0)
    assert (inputs.sections_written, inputs.sections_total, inputs.complete) == (1, 3, False)
    assert inputs.line() == (
        "Planredegørelse 2027: 0 af 1 mål har en statusrapport for 2026 eller 2027; "
        "1 af 3 afsnit skrevet."
    )
