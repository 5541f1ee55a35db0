"""The one session seam: build an engine from a URL, open sessions, migrate.

Nothing here runs at import time. SQLite gets WAL, a busy timeout and foreign keys on every
connection; PostgreSQL runs through psycopg 3 with the same code.

This is where the database enters, so this is where its errors are mapped: a server that does
not answer, a read-only file, a database that was never initialised, or one made by a *newer*
aarshjul each raise :class:`~aarshjul.errors.DatabaseError` with one clear line (``raise … from``
the SQLAlchemy, psycopg or Alembic error). Engines are built with ``hide_parameters=True``, so
no error ever shows the values bound to a statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine

from aarshjul.errors import ConfigError, DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file if needed.

    Raises :class:`ConfigError` for a URL SQLAlchemy cannot use (unknown driver, malformed).
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, parsed.database, **kwargs)
        return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    except (exc.ArgumentError, exc.NoSuchModuleError) as error:
        raise ConfigError(
            f"not a database URL aarshjul can use: {error}",
            reason_da="ikke en database-URL som aarshjul kan bruge",
            field="database URL",
        ) from error


def _sqlite_engine(url: str, database: str | None, **kwargs: Any) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(
                f"cannot create the database folder {folder}: {error.strerror}",
                reason_da=f"kan ikke oprette mappen til databasen {folder}",
            ) from error
    engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception as error:  # a read-only file cannot switch to WAL; reads still work
        if "readonly" not in str(error) and "read-only" not in str(error):
            raise
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def database_error(engine: Engine | Connection, error: exc.DBAPIError) -> DatabaseError:
    """A SQLAlchemy/driver error as one line that says what is wrong with the database."""
    url = repr(engine.engine.url)  # SQLAlchemy's repr masks the password
    detail = " ".join(str(error.orig).split())
    lowered = detail.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseError(
            f"the database {url} is read-only; aarshjul needs to write to it",
            reason_da=f"databasen {url} er skrivebeskyttet; aarshjul skal kunne skrive i den",
            hint="check the file's and its folder's permissions",
            hint_da="tjek rettighederne til filen og dens mappe",
        )
    if isinstance(error, exc.OperationalError) and _unreachable(lowered):
        return DatabaseError(
            f"cannot connect to the database {url}: {detail}",
            reason_da=f"kan ikke forbinde til databasen {url}: {detail}",
            hint="is the server running, and are AARSHJUL_DATABASE_URL / --db right?",
            hint_da="kører serveren, og er AARSHJUL_DATABASE_URL / --db rigtig?",
        )
    return DatabaseError(
        f"database error on {url}: {detail}", reason_da=f"databasefejl på {url}: {detail}"
    )


def _unreachable(detail: str) -> bool:
    words = ("connection", "could not connect", "unable to open", "timeout", "refused")
    return any(word in detail for word in words)


@contextmanager
def session_scope(engine: Engine | Connection) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    Database errors raised inside become :class:`DatabaseError`. ``engine`` may also be a
    :class:`~sqlalchemy.engine.Connection` inside a transaction the caller owns (a simulation
    that is rolled back): the session then works in a SAVEPOINT of it, so its commit and its
    rollback stay inside that transaction.
    """
    options: dict[str, Any] = {"expire_on_commit": False}
    if isinstance(engine, Connection):
        options["join_transaction_mode"] = "create_savepoint"
    with Session(engine, **options) as session:
        try:
            yield session
            session.commit()
        except exc.DBAPIError as error:
            session.rollback()
            raise database_error(engine, error) from error
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
    """Bring the schema up to ``revision`` (idempotent).

    A database made by a newer aarshjul is refused (:class:`DatabaseError`), never downgraded.
    """
    from alembic import command

    _refuse_newer(engine)
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection, _foreign_keys_deferred(connection), connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except exc.DBAPIError as error:
        raise database_error(engine, error) from error


@contextmanager
def _foreign_keys_deferred(connection: Connection) -> Iterator[None]:
    """On SQLite, switch foreign keys off while migrating, then check them all.

    SQLite changes a table by rebuilding it (copy, drop, rename), and dropping a table with
    foreign keys on deletes every row that refers to it with ``ON DELETE CASCADE``. The pragma
    only takes effect outside a transaction, so it is set before the migration's transaction.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.commit()
        if broken:
            raise DatabaseError(
                f"the migration left {len(broken)} broken reference(s): {broken[:5]}"
            )
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except exc.DBAPIError as error:
        raise database_error(engine, error) from error


def head_revision() -> str:
    """The newest revision shipped with this version of aarshjul."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this version of aarshjul knows."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def _refuse_newer(engine: Engine) -> str | None:
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions():
        from aarshjul import __version__

        head = head_revision()
        raise DatabaseError(
            f"the database is newer than this aarshjul: it needs an aarshjul with schema "
            f"revision {revision} (this is aarshjul {__version__}, schema up to {head})",
            reason_da=f"databasen er nyere end denne aarshjul: den kræver en aarshjul med "
            f"skemarevision {revision} (dette er aarshjul {__version__}, skema op til {head})",
            hint="install the newer aarshjul that made it",
            hint_da="installér den nyere aarshjul, der lavede den",
        )
    return revision


def require_schema(engine: Engine) -> None:
    """Raise a clear error when the database is not initialised, behind, or newer."""
    revision = _refuse_newer(engine)
    if revision is None:
        raise DatabaseError(
            "the database is not initialised: run `aarshjul init` first",
            reason_da="databasen er ikke oprettet: kør `aarshjul init` først",
        )
    if revision != head_revision():
        raise DatabaseError(
            "the database schema is out of date: run `aarshjul db upgrade`",
            reason_da="databasens skema er forældet: kør `aarshjul db upgrade`",
        )
