"""The one session seam: build an engine from a URL, open sessions, migrate.

Nothing here runs at import time. SQLite gets WAL, a busy timeout and foreign keys on every
connection; PostgreSQL runs through psycopg 3 with the same code, with a connect timeout and a
statement and lock timeout on every connection (:class:`~aarshjul.config.DatabaseTimeouts`).

This is where the database enters, so this is where its errors are mapped: a server that does
not answer, a read-only file, a database that was never initialised, or one made by a *newer*
aarshjul each raise :class:`~aarshjul.errors.DatabaseError` with one clear line (``raise … from``
the SQLAlchemy, psycopg or Alembic error). Engines are built with ``hide_parameters=True``, so
no error ever shows the values bound to a statement.
A timeout that is hit is a :class:`~aarshjul.errors.DatabaseError` naming its setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine

from aarshjul.config import DatabaseTimeouts
from aarshjul.errors import ConfigError, DatabaseError

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, timeouts: DatabaseTimeouts | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file if needed.

    ``timeouts`` (default: the settings' defaults) bound every wait on the database. Raises
    :class:`ConfigError` for a URL SQLAlchemy cannot use (unknown driver, malformed).
    """
    limits = timeouts or DatabaseTimeouts()
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            engine = _sqlite_engine(url, parsed.database, limits, **kwargs)
        elif backend == "postgresql":
            query_options = parsed.query.get("options")
            args = _postgres_args(query_options, limits) | kwargs.pop("connect_args", {})
            engine = create_engine(
                url, pool_pre_ping=True, hide_parameters=True, connect_args=args, **kwargs
            )
        else:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    except (exc.ArgumentError, exc.NoSuchModuleError) as error:
        raise ConfigError(
            f"not a database URL aarshjul can use: {error}",
            reason_da="ikke en database-URL som aarshjul kan bruge",
            field="database URL",
        ) from error
    event.listen(engine, "handle_error", partial(_timeout_error, limits))
    return engine


def _postgres_args(options: Any, limits: DatabaseTimeouts) -> dict[str, Any]:
    given = options if isinstance(options, str) else " ".join(options or ())
    ours = f"-c statement_timeout={limits.statement * 1000} -c lock_timeout={limits.lock * 1000}"
    return {"connect_timeout": limits.connect, "options": f"{given} {ours}".strip()}


def _sqlite_engine(
    url: str, database: str | None, limits: DatabaseTimeouts, **kwargs: Any
) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseError(
                f"cannot create the database folder {folder}: {error.strerror}",
                reason_da=f"kan ikke oprette mappen til databasen {folder}",
            ) from error
    engine = create_engine(
        url, connect_args={"timeout": limits.busy}, hide_parameters=True, **kwargs
    )
    event.listen(engine, "connect", partial(_sqlite_pragmas, limits.busy))
    return engine


def _sqlite_pragmas(busy_seconds: int, dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception as error:  # a read-only file cannot switch to WAL; reads still work
        if "readonly" not in str(error) and "read-only" not in str(error):
            raise
    cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds) * 1000}")
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


def refuse_missing_file(url: str) -> None:
    """Raise "not initialised" for a SQLite URL whose file does not exist, before anything
    connects: connecting would create the file and its folders, so a mistyped ``--db`` path
    left an empty database behind. Only ``aarshjul init`` creates one."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return  # make_engine names the bad URL
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:") or Path(database).expanduser().exists():
        return
    path = Path(database).expanduser()
    raise DatabaseError(
        f"the database is not initialised: run `aarshjul init` first (there is no file {path}; "
        "is --db / AARSHJUL_DATABASE_URL right?)",
        reason_da=f"databasen er ikke oprettet: kør `aarshjul init` først (der er ingen fil "
        f"{path}; er --db / AARSHJUL_DATABASE_URL rigtig?)",
    )


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
