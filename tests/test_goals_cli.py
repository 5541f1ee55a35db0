"""``aarshjul goal report|history``, ``status`` with reported goals and ``person feed-url``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from aarshjul.config import get_settings
from aarshjul.feeds.ical_feed import person_feed_by_token
from aarshjul.models import FeedToken, GoalReport
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_sample_org
from tests.cli_helpers import run

HEAD = "birgitte.thygesen@jammerbugt.example"
BASE = "https://aarshjul.example.org"


@pytest.fixture
def sample(session: Session) -> None:
    import_org(session, load_sample_org())
    session.commit()


@pytest.fixture
def feed_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AARSHJUL_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("AARSHJUL_BASE_URL", BASE)
    get_settings.cache_clear()


def test_report_then_history_as_table_json_and_csv(
    db_url: str, session: Session, sample: None
) -> None:
    args = ("goal", "report", "oekonomi-m3", "--status", "ikke på sporet", "--comment",
            "Stigende fravær", "-i", "sygefravær=5,9", "--indicator", "langtidssygefravær=2.4",
            "--by", "marianne.skovbo@jammerbugt.example", "--year", "2026")  # fmt: skip
    first = run(db_url, *args)
    assert first.exit_code == 0, first.stderr
    assert "Målstatus oekonomi-m3 2026: ikke på sporet (off track) — registreret" in first.stdout
    again = run(db_url, *args)
    assert "uændret / unchanged" in again.stdout
    assert len(session.exec(select(GoalReport)).all()) == 1
    table = run(db_url, "goal", "history", "oekonomi-m3")
    # the table wraps long cells (the reporter's address): the indicator may span two lines
    assert "sygefravær=5.9" in table.stdout and "ikke på sporet" in table.stdout
    records = json.loads(run(db_url, "goal", "history", "oekonomi-m3", "-f", "json").stdout)
    assert records[0]["indicators"] == [
        {"name": "sygefravær", "unit": "%", "target": 4.8, "value": 5.9},
        {"name": "langtidssygefravær", "unit": "%", "target": None, "value": 2.4},
    ]
    assert (records[0]["status"], records[0]["latest"]) == ("off_track", True)
    text = run(db_url, "goal", "history", "oekonomi-m3", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["indicators"] == "sygefravær=5.9 %;langtidssygefravær=2.4 %"
    status = json.loads(run(db_url, "status", "2026", "--today", "2026-06-01", "-f", "json").stdout)
    assert status["goals"]["off_track"] >= 1
    goals = json.loads(run(db_url, "goals", "-p", "oekonomi", "-f", "json").stdout)
    assert {g["key"]: g["status"] for g in goals}["oekonomi-m3"] == "off_track"  # file: at_risk


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--status", "fint"), "'fint' er ikke en status"),
        (("--status", "risiko", "-i", "sygefravær"), "--indicator: 'sygefravær' is not NAME=VALUE"),
        (("--status", "risiko", "-i", "antal=3"), "no indicator 'antal'"),
        (("--status", "risiko", "--by", "anne.kjaer@jammerbugt.example"), "may not report"),
    ],
)
def test_report_errors_exit_1_with_a_message(
    db_url: str, sample: None, args: tuple[str, ...], message: str
) -> None:
    base = ("goal", "report", "oekonomi-m3", "--year", "2026")
    by = () if "--by" in args else ("--by", "marianne.skovbo@jammerbugt.example")
    result = run(db_url, *base, *args, *by)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_history_of_an_unknown_goal(db_url: str, sample: None) -> None:
    result = run(db_url, "goal", "history", "ingen")
    assert result.exit_code == 1 and "no goal 'ingen'" in result.stderr


def test_feed_url_show_reissue_revoke(
    db_url: str, session: Session, sample: None, feed_settings: None
) -> None:
    first = run(db_url, "person", "feed-url", HEAD)
    assert first.exit_code == 0, first.stderr
    url = first.stdout.strip()
    assert url.startswith(f"{BASE}/calendar/") and url.endswith(".ics")
    assert run(db_url, "person", "feed-url", HEAD).stdout.strip() == url
    new = run(db_url, "person", "feed-url", HEAD, "--reissue").stdout.strip()
    assert new != url
    token = new.removeprefix(f"{BASE}/calendar/").removesuffix(".ics")
    settings = get_settings()
    old = url.removeprefix(f"{BASE}/calendar/").removesuffix(".ics")
    assert person_feed_by_token(session, token=old, settings=settings) is None
    assert person_feed_by_token(session, token=token, settings=settings) is not None
    revoked = run(db_url, "person", "feed-url", HEAD, "--revoke")
    assert "tilbagekaldt / revoked" in revoked.stdout
    session.expire_all()
    assert person_feed_by_token(session, token=token, settings=settings) is None
    both = run(db_url, "person", "feed-url", HEAD, "--revoke", "--reissue")
    assert both.exit_code == 2


def test_feed_url_without_a_base_url_keeps_nothing(
    db_url: str, session: Session, sample: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AARSHJUL_SECRET_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    result = run(db_url, "person", "feed-url", HEAD)
    assert result.exit_code == 1 and "AARSHJUL_BASE_URL" in result.stderr
    assert session.exec(select(FeedToken)).all() == []
    unknown = run(db_url, "person", "feed-url", "nobody@example.dk")
    assert unknown.exit_code == 1 and "nobody@example.dk" in unknown.stderr
