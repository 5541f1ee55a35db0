"""Key figures in the database, on SQLite and PostgreSQL: round trip, idempotence, nothing on error."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, func, select

from aarshjul.db import alembic_config, make_engine, upgrade
from aarshjul.errors import OrgDataError, StatisticsFileError
from aarshjul.models import Organisation, StatisticFigure, StatisticImport
from aarshjul.org.exporting import dump_org_yaml, export_org
from aarshjul.org.importing import import_org
from aarshjul.org.org_files import load_org_file
from aarshjul.stats.figure_series import extract_series
from aarshjul.stats.figure_store import ImportSummary, import_figures, list_figures, table_figures
from aarshjul.stats.statbank_csv import read_statbank_csv
from aarshjul.stats.table_mappings import load_mapping, load_mapping_file
from tests import factories as f

SAMPLES = files("aarshjul.data").joinpath("statbank")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 30)


def sample(table: str) -> tuple[str, bytes]:
    name = f"{table}_849_opdigtede-tal_invented-numbers.csv"
    return name, SAMPLES.joinpath(name).read_bytes()


def load(session: Session, org: Organisation, table: str, data: bytes | None = None,
         *, source: str | None = None, day: date = DAY) -> ImportSummary:  # fmt: skip
    name, sample_data = sample(table)
    summary = import_figures(
        session, organisation=org, data=data if data is not None else sample_data,
        source=source or name, mapping=load_mapping(table), area=None, retrieved_on=day, now=NOW,
    )  # fmt: skip
    session.commit()
    return summary


@pytest.fixture
def org(session: Session) -> Organisation:
    row = f.organisation(session, municipality_code="849")
    session.commit()
    return row


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_figures_round_trip_exactly(session: Session, org: Organisation) -> None:
    for table in ("FOLK1A", "BYGV33", "AUS08"):
        name, data = sample(table)
        found = extract_series(
            read_statbank_csv(data, source=name), load_mapping(table), area="849"
        )
        expected = {(o.series, o.period.code): (o.value, o.suppressed) for o in found.observations}
        summary = load(session, org, table)
        assert summary.total("added") == len(expected) and summary.total("unchanged") == 0
        assert org.id is not None
        stored = list_figures(session, organisation_id=org.id, table=table)
        assert {(r.series, r.period): (r.value, r.suppressed) for r in stored} == expected
        assert {(r.source, r.retrieved_on) for r in stored} == {(name, DAY)}
    assert count(session, StatisticImport) == 3


def test_a_suppressed_figure_is_null_with_a_flag(session: Session, org: Organisation) -> None:
    summary = load(session, org, "BYGV33")
    assert summary.counts["paabegyndte_boliger"]["suppressed"] == 1
    query = select(StatisticFigure).where(
        StatisticFigure.series == "paabegyndte_boliger", StatisticFigure.period == "2016K3"
    )
    row = session.exec(query).one()
    assert (row.value, row.suppressed) == (None, True)


def test_importing_the_same_file_again_changes_nothing(session: Session, org: Organisation) -> None:
    load(session, org, "FOLK1A")
    before = [
        (r.id, r.value, r.source, r.retrieved_on, r.updated_at)
        for r in session.exec(select(StatisticFigure))
    ]
    again = load(session, org, "FOLK1A", source="renamed-copy.csv", day=date(2027, 1, 15))
    assert (again.total("added"), again.total("updated"), again.total("unchanged")) == (0, 0, 126)
    session.expire_all()
    after = [
        (r.id, r.value, r.source, r.retrieved_on, r.updated_at)
        for r in session.exec(select(StatisticFigure))
    ]
    assert after == before
    assert count(session, StatisticImport) == 1  # a change-free import leaves no audit row


def test_a_revised_figure_is_updated_with_its_new_source(
    session: Session, org: Organisation
) -> None:
    load(session, org, "BYGV33")
    name, data = sample("BYGV33")
    revised = data.replace(b"849;2;2016K3;..", b"849;2;2016K3;31").replace(
        b"849;3;2024K4;", b"849;3;2024K4;1"
    )
    summary = load(
        session, org, "BYGV33", revised, source="BYGV33-revised.csv", day=date(2027, 2, 1)
    )
    assert summary.total("updated") == 2 and summary.total("added") == 0
    changed = session.exec(
        select(StatisticFigure).where(StatisticFigure.source == "BYGV33-revised.csv")
    ).all()
    assert {(r.period, r.retrieved_on, r.suppressed) for r in changed} == {
        ("2016K3", date(2027, 2, 1), False), ("2024K4", date(2027, 2, 1), False),
    }  # fmt: skip
    audit = session.exec(select(StatisticImport).order_by(StatisticImport.id)).all()  # type: ignore[arg-type]
    assert [(a.added, a.updated, a.source) for a in audit] == [
        (84, 0, name), (0, 2, "BYGV33-revised.csv"),
    ]  # fmt: skip


def test_a_broken_file_writes_nothing(session: Session, org: Organisation) -> None:
    _, data = sample("FOLK1A")
    broken = data.replace(b"849;2;IALT;TOT;2025K2;", b"849;2;IALT;TOT;2025K2;x")
    with pytest.raises(StatisticsFileError, match=r"line 127: INDHOLD 'x"):
        load(session, org, "FOLK1A", broken)
    session.rollback()
    assert count(session, StatisticFigure) == count(session, StatisticImport) == 0
    load(session, org, "FOLK1A")
    changed = data.replace(b"849;TOT;IALT;TOT;2015K1;", b"849;TOT;IALT;TOT;2015K1;1").replace(
        b"\r\n849;2;IALT;TOT;2025K2;", b"\r\nBAD"
    )
    with pytest.raises(StatisticsFileError):
        load(session, org, "FOLK1A", changed)
    session.rollback()
    row = session.exec(
        select(StatisticFigure).where(
            StatisticFigure.period == "2015K1", StatisticFigure.series == "befolkning"
        )
    ).one()
    assert row.value == 38156.0 and count(session, StatisticImport) == 1


def test_figures_per_year_follow_the_mapping(session: Session, org: Organisation) -> None:
    for table in ("FOLK1A", "BYGV33", "AUS08"):
        load(session, org, table)
    assert org.id is not None
    folk = table_figures(
        session, organisation_id=org.id, mapping=load_mapping("FOLK1A"), years=range(2020, 2026)
    )
    population = folk.series["befolkning"]
    assert [y.year for y in population.years] == [2020, 2021, 2022, 2023, 2024, 2025]
    by_period = {p.period.code: p.value for p in population.periods}
    first = population.year(2024)
    assert first is not None and first.value == by_period["2024K1"] and first.complete  # 1 January
    housing = table_figures(session, organisation_id=org.id, mapping=load_mapping("BYGV33")).series
    completed = {p.period.code: p.value or 0 for p in housing["fuldfoerte_boliger"].periods}
    year = housing["fuldfoerte_boliger"].year(2024)
    assert year is not None and year.complete and year.periods == 4
    assert year.value == sum(completed[f"2024K{q}"] for q in range(1, 5))
    partial = housing["fuldfoerte_boliger"].year(2025)
    assert partial is not None and not partial.complete and partial.periods == 2
    assert partial.last_period is not None and partial.last_period.code == "2025K2"
    started = housing["paabegyndte_boliger"].year(2016)
    assert started is not None and not started.complete and started.periods == 3  # one was ..
    rate = table_figures(session, organisation_id=org.id, mapping=load_mapping("AUS08")).series[
        "ledighed_pct"
    ]
    months = [p.value or 0 for p in rate.periods if p.period.year == 2023]
    mean = rate.year(2023)
    assert len(months) == 12 and mean is not None and mean.value == pytest.approx(sum(months) / 12)
    assert folk.sources() == [(sample("FOLK1A")[0], DAY)]


def test_every_series_is_there_even_without_figures(session: Session, org: Organisation) -> None:
    assert org.id is not None
    figures = table_figures(session, organisation_id=org.id, mapping=load_mapping("AUS08"))
    assert set(figures.series) == {"ledighed_pct", "ledighed_pct_saeson"}
    assert all(not s.periods and not s.years for s in figures.series.values())


def test_figures_belong_to_their_organisation(session: Session, org: Organisation) -> None:
    other = f.organisation(session, municipality_code="851")
    session.commit()
    load(session, org, "FOLK1A")
    with pytest.raises(StatisticsFileError, match="no rows for area '851'"):
        load(session, other, "FOLK1A")
    session.rollback()
    assert other.id is not None
    assert list_figures(session, organisation_id=other.id) == []


def test_a_new_table_needs_only_a_mapping_file(
    session: Session, org: Organisation, tmp_path: Path
) -> None:
    path = tmp_path / "are207.yaml"
    path.write_text(
        "table: ARE207\ntitle: {da: Areal, en: Area}\nunit: {da: km², en: km²}\ndecimals: 1\n"
        "period: year\nper_year: last\narea: OMRÅDE\nseries:\n"
        "  areal: {label: {da: Areal, en: Area}}\n"
        "chart: {kind: bar, series: areal, title: {da: Areal, en: Area}}\n",
        encoding="utf-8",
    )
    mapping = load_mapping_file(path)
    data = "OMRÅDE;TID;INDHOLD\n849;2024;865,9\n849;2025;866,1\n".encode()
    summary = import_figures(
        session, organisation=org, data=data, source="ARE207.csv", mapping=mapping, area=None,
        retrieved_on=DAY, now=NOW,
    )  # fmt: skip
    assert summary.total("added") == 2
    assert org.id is not None
    year = (
        table_figures(session, organisation_id=org.id, mapping=mapping).series["areal"].year(2025)
    )
    assert year is not None and year.value == 866.1 and year.complete


def test_the_municipality_code_goes_through_the_organisation_file(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        "organisation: {key: jb, name: Jammerbugt, municipality_code: 849}\n", encoding="utf-8"
    )
    import_org(session, load_org_file(path))
    session.commit()
    org = session.exec(select(Organisation).where(Organisation.key == "jb")).one()
    assert org.municipality_code == "849"
    text = dump_org_yaml(export_org(session, org))
    assert "municipality_code: '849'" in text
    path.write_text(
        "organisation: {key: jb, name: Jammerbugt, municipality_code: '84'}\n", encoding="utf-8"
    )
    with pytest.raises(OrgDataError, match=r"organisation.municipality_code: value '84'"):
        load_org_file(path)


def test_export_leaves_out_an_unset_municipality_code(session: Session) -> None:
    org = f.organisation(session)
    assert "municipality_code" not in dump_org_yaml(export_org(session, org))


def test_downgrading_0007_keeps_the_organisation_and_its_people(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            org = f.organisation(s, municipality_code="849")
            f.person(s, org)
            s.commit()
        config = alembic_config(db_url)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        inspector = sa.inspect(engine)
        assert "statistic_figure" not in inspector.get_table_names()
        assert "municipality_code" not in {c["name"] for c in inspector.get_columns("organisation")}
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM person")).scalar() == 1
        upgrade(engine)
        with Session(engine) as s:
            assert s.exec(select(Organisation)).one().municipality_code is None
    finally:
        engine.dispose()
