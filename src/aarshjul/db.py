"""The one session seam: build an engine from a URL, open sessions, migrate.

Nothing here runs at import time. SQLite gets WAL, a busy timeout and foreign keys on every
connection; PostgreSQL runs through psycopg 3 with the same code, with a connect timeout and a
statement and lock timeout on every connection (:class:`~aarshjul.config.DatabaseTimeouts`). A
timeout that is hit is a :class:`~aarshjul.errors.DatabaseError` naming its setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from aarshjul.config import DatabaseTimeouts
from aarshjul.errors import DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, timeouts: DatabaseTimeouts | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file if needed.

    ``timeouts`` (default: the settings' defaults) bound every wait on the database.
    """
    limits = timeouts or DatabaseTimeouts()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database, limits, **kwargs)
    elif parsed.get_backend_name() == "postgresql":
        args = _postgres_args(parsed.query.get("options"), limits) | kwargs.pop("connect_args", {})
        engine = create_engine(url, pool_pre_ping=True, connect_args=args, **kwargs)
    else:
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "handle_error", partial(_timeout_error, limits))
    return engine


def _postgres_args(options: Any, limits: DatabaseTimeouts) -> dict[str, Any]:
    given = options if isinstance(options, str) else " ".join(options or ())
    ours = f"-c statement_timeout={limits.statement * 1000} -c lock_timeout={limits.lock * 1000}"
    return {"connect_timeout": limits.connect, "options": f"{given} {ours}".strip()}


def _sqlite_engine(
    url: str, database: str | None, limits: DatabaseTimeouts, **kwargs: Any
) -> Engine:
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": limits.busy}, **kwargs)
    event.listen(engine, "connect", partial(_sqlite_pragmas, limits.busy))
    return engine


def _sqlite_pragmas(busy_seconds: int, dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds) * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _timeout_error(limits: DatabaseTimeouts, context: Any) -> None:
    """Raise a :class:`DatabaseError` naming the setting when a database timeout was hit."""
    orig = context.original_exception
    text, state = str(orig), getattr(orig, "sqlstate", None)
    if type(orig).__name__ == "ConnectionTimeout" or "timeout expired" in text:
        found = ("AARSHJUL_DB_CONNECT_TIMEOUT", limits.connect, "the database did not answer; "
                 "check that the server is up and the URL points at it")  # fmt: skip
    elif state == "57014" and "statement timeout" in text:
        found = ("AARSHJUL_DB_STATEMENT_TIMEOUT", limits.statement, "a database statement ran "
                 "too long and was stopped; try again, or raise the limit for a large job")  # fmt: skip
    elif state == "55P03":
        found = ("AARSHJUL_DB_LOCK_TIMEOUT", limits.lock, "another aarshjul held a lock too "
                 "long (a planning run or a delivery); try again when it is done")  # fmt: skip
    elif "database is locked" in text:
        found = ("AARSHJUL_DB_BUSY_TIMEOUT", limits.busy, "another process kept the SQLite "
                 "file busy; try again when it is done")  # fmt: skip
    else:
        return
    setting, seconds, what = found
    raise DatabaseError(f"{what} (waited {seconds} s, {setting}); nothing was saved") from orig


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Any:
    """An Alembic config for aarshjul's migrations against ``url`` (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (idempotent)."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise DatabaseError(f"cannot migrate {engine.url!r}: {exc.orig}") from exc


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this version of aarshjul."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def require_schema(engine: Engine) -> None:
    """Raise a clear error when the database was not initialised or is behind this version."""
    try:
        revision = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(f"cannot open the database {engine.url!r}: {exc.orig}") from exc
    if revision is None:
        raise DatabaseError("the database is not initialised: run `aarshjul init` first")
    if revision != head_revision():
        raise DatabaseError("the database schema is out of date: run `aarshjul db upgrade`")


def table_names(engine: Engine) -> set[str]:
    """The tables that exist in the database."""
    return set(sa.inspect(engine).get_table_names())
