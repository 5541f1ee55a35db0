"""The runtime context (*kørselskontekst*): what every edge builds once and passes on.

A CLI command, a Prefect flow, the web app and a test each build one :class:`Runtime` — the
settings, the database engine, the clock, the sender that delivers messages and the organisation
the work is about — and hand it, keyword-only, to the one service function they call. Domain code
never reads settings, the environment or the clock itself; it reads them from the context it is
given.

>>> runtime = build_runtime(database_url="sqlite:///aarshjul.db", today=date(2027, 3, 1))  # doctest: +SKIP
>>> with runtime.session() as session:  # doctest: +SKIP
...     org = runtime.organisation(session)
>>> runtime.close()  # doctest: +SKIP

A simulation swaps the parts that differ — its clock and a sender that sends nothing — with
:func:`dataclasses.replace`; everything else runs exactly as on a real day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aarshjul.clock import Clock
from aarshjul.config import Settings, check_database_url, get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

    from aarshjul.models.organisation import Organisation
    from aarshjul.notifications.sending import Sender


def null_sender() -> Sender:
    """A sender that sends nothing and reports success (simulations): nothing leaves the box."""
    from aarshjul.notifications.sending import NullSender

    return NullSender()


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """Settings, engine, clock, sender and organisation key of one edge (a process or a request).

    ``sender`` is what delivery sends through (:class:`~aarshjul.notifications.sending.Sender`);
    None means the real one, a ``ChannelSender`` opened and closed by each delivery run.

    ``connection``, when set, is a transaction the edge owns (a simulation on PostgreSQL that is
    rolled back at the end): every session then runs inside it instead of on ``engine``.
    """

    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=Clock)
    organisation_key: str | None = None
    sender: Sender | None = None
    connection: Connection | None = None

    @property
    def bind(self) -> Engine | Connection:
        """What sessions and delivery run on: the scratch ``connection`` or the ``engine``."""
        return self.connection if self.connection is not None else self.engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        from aarshjul.db import session_scope

        with session_scope(self.bind) as session:
            yield session

    def organisation(self, session: Session) -> Organisation:
        """The organisation this context acts on (its key, or the only one in the database)."""
        from aarshjul.models.queries import get_organisation

        return get_organisation(session, self.organisation_key)

    def today(self, organisation: Organisation) -> date:
        """Today (or the previewed day) in the organisation's time zone."""
        return self.clock.today(organisation.timezone)

    def now(self) -> datetime:
        """The current instant (on a previewed day: that day at the real time), in UTC."""
        return self.clock.now()

    def with_settings(self, **changes: Any) -> Runtime:
        """The same context with some settings changed (``--overdue-every`` and the like)."""
        from dataclasses import replace

        return replace(self, settings=self.settings.model_copy(update=changes))

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
    sender: Sender | None = None,
) -> Runtime:
    """A runtime context from settings (default: the environment) with the edge's overrides.

    ``database_url`` and ``organisation_key`` override the settings (the CLI's ``--db`` and
    ``--org``); ``today`` (``--today``) overrides ``AARSHJUL_TODAY``. With ``require_schema``
    the database must be initialised and current (:class:`~aarshjul.errors.DatabaseError`).
    A bad setting or URL raises :class:`~aarshjul.errors.ConfigError`.
    """
    from aarshjul import db

    cfg = settings or get_settings()
    url = (
        check_database_url(database_url, field="--db")
        if database_url
        else cfg.effective_database_url
    )
    if require_schema:
        db.refuse_missing_file(url)
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
        sender=sender,
    )
