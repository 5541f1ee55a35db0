"""``aarshjul simulate`` over a whole year of the default template, and nothing leaks out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from aarshjul.db import make_engine
from aarshjul.models import Cycle, OutboxMessage
from tests.cli_helpers import run

pytestmark = pytest.mark.slow


@pytest.fixture
def sample_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/sample.db"
    assert run(url, "init", "--sample").exit_code == 0
    return url


def test_a_year_of_the_default_template(sample_url: str) -> None:
    result = run(sample_url, "simulate", "2027", "--seed", "7", "--json")
    assert result.exit_code == 0, result.output
    year = json.loads(result.stdout)
    assert year["planned"].startswith("Tilføjet") and year["workdays"] > 240
    assert year["messages"] > 0 and year["per_person_week"]["max"] <= 5  # at most daily
    assert 0.85 < year["completed"] / year["tasks"] < 0.95
    assert year["escalations"]["tasks"] > 0 and year["late_milestones"]
    again = json.loads(run(sample_url, "simulate", "2027", "--seed", "7", "--json").stdout)
    assert again == year  # a seed makes it repeatable
    engine = make_engine(sample_url)
    with Session(engine) as session:  # the real database is untouched
        assert session.exec(select(Cycle)).all() == []
        assert session.exec(select(OutboxMessage)).all() == []
    engine.dispose()


def test_everyone_does_everything_on_time(sample_url: str) -> None:
    year = json.loads(
        run(
            sample_url, "simulate", "2027", "--completion-rate", "1", "--seed", "1", "--json"
        ).stdout
    )
    assert year["completed"] == year["tasks"] and year["open_at_year_end"] == 0
