"""The runtime context (*kørselskontekst*): what every edge builds once and passes on.

A CLI command, a Prefect flow, the web app and a test each build one :class:`Runtime` — the
settings, the database engine, the clock and the organisation the work is about — and hand it,
keyword-only, to the one service function they call. Domain code never reads settings, the
environment or the clock itself; it reads them from the context it is given.

>>> runtime = build_runtime(database_url="sqlite:///aarshjul.db", today=date(2027, 3, 1))  # doctest: +SKIP
>>> with runtime.session() as session:  # doctest: +SKIP
...     org = runtime.organisation(session)
>>> runtime.close()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from aarshjul.clock import Clock
from aarshjul.config import Settings, get_settings, normalise_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from aarshjul.models.organisation import Organisation


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """Settings, engine, clock and organisation key of one edge (one process or one request)."""

    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=Clock)
    organisation_key: str | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        from aarshjul.db import session_scope

        with session_scope(self.engine) as session:
            yield session

    def organisation(self, session: Session) -> Organisation:
        """The organisation this context acts on (its key, or the only one in the database)."""
        from aarshjul.models.queries import get_organisation

        return get_organisation(session, self.organisation_key)

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()


def build_runtime(
    *,
    settings: Settings | None = None,
    database_url: str | None = None,
    organisation_key: str | None = None,
    today: date | None = None,
    require_schema: bool = True,
) -> Runtime:
    """A runtime context from settings (default: the environment) with the edge's overrides.

    ``database_url`` and ``organisation_key`` override the settings (the CLI's ``--db`` and
    ``--org``); ``today`` (``--today``) overrides ``AARSHJUL_TODAY``. With ``require_schema``
    the database must be initialised and current (:class:`~aarshjul.errors.DatabaseError`).
    """
    from aarshjul import db

    cfg = settings or get_settings()
    url = normalise_url(database_url) if database_url else cfg.effective_database_url
    engine = db.make_engine(url, timeouts=cfg.database_timeouts)
    if require_schema:
        try:
            db.require_schema(engine)
        except BaseException:
            engine.dispose()
            raise
    return Runtime(
        settings=cfg,
        engine=engine,
        clock=Clock(fixed_today=today or cfg.today),
        organisation_key=organisation_key or cfg.organisation,
    )
