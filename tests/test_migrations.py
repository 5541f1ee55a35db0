"""The migrations build the schema the models describe, up and down, on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import aarshjul.models  # noqa: F401
from aarshjul.db import alembic_config, current_revision, head_revision, make_engine, upgrade


def test_database_is_at_head_and_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
        assert diff == [], "models changed without a migration: run scripts/regen-initial-migration"
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        config = alembic_config(db_url)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        upgrade(engine)
        upgrade(engine)
        assert "task_event" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_sqlite_pragmas_are_on(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_upgrading_keeps_every_row_that_refers_to_a_rebuilt_table(db_url: str) -> None:
    """A SQLite table rebuild (batch mode: copy, drop, rename) must not cascade: dropping the old
    table deletes its rows, and with foreign keys on that deleted every delivery of every message."""
    engine = make_engine(db_url)
    config = alembic_config(db_url)
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organisation (id, key, name, timezone, locale, holiday_country,"
                    " closures, template_key, created_at) VALUES (1, 'o', 'O', 'Europe/Copenhagen',"
                    " 'da', 'DK', '[]', 'helhedsplan', '2027-01-04 07:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO person (id, organisation_id, email, name, title, locale, active,"
                    " created_at) VALUES (1, 1, 'a@kommune.example', 'A', '', 'da', true,"
                    " '2027-01-04 07:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO outbox_message (id, organisation_id, person_id, day, kind, subject,"
                    " body_text, body_html, task_ids, status, attempts, last_error, created_at)"
                    " VALUES (1, 1, 1, '2027-01-04', 'digest', 's', 't', '', '[]', 'sent', 1, '',"
                    " '2027-01-04 07:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO outbox_delivery (message_id, channel, url_masked, status, error, at)"
                    " VALUES (1, 'email', 'mailto://****', 'sent', '', '2027-01-04 07:00:01')"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM outbox_delivery")).scalar() == 1
            assert conn.execute(sa.text("SELECT count(*) FROM person")).scalar() == 1
        if engine.dialect.name == "sqlite":  # and the connection is back to foreign keys on
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
