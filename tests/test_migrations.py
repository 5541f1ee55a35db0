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
