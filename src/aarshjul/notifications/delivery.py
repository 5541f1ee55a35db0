"""Deliver: claim due outbox rows, send them through a per-run sender, record every outcome.

Guarantee: a message is sent by at most one deliverer at a time, and only while its claim holds.
A deliverer claims a small batch (as many as it can send within half the lease at its measured
pace) stamped with the instant of the claim. Before each send it knows the claim is still its
own: the previous message's mark renewed and re-read that claim in the same transaction, and
when more than a tenth of the lease has passed since (a connection had to be opened first, the
machine was busy) it is renewed and re-read again right before the send. A background thread
renews all its claims every third of the lease, so a slow or tarpitting mail server cannot make
a claim run out while a message is on its way. A claim another deliverer took over is skipped
and counted (``lost_claims``); claims not started when the deliverer is stopped (SIGTERM: after
the message on its way; Ctrl-C: at once) are released. Each message is marked in its own
transaction right after its send, so only a deliverer that dies between the mail server's
acceptance and that mark (a few milliseconds) leaves one message that is sent again after the
lease (``AARSHJUL_DELIVER_LEASE_SECONDS``): at-least-once to the mail server, never lost.
Channels that already succeeded for a message are skipped on a retry.

A message's inline picture (the board report's wheel) is read with the batch it was claimed in:
one query for the pictures of the whole batch, none when no message of it has one; a retry reads
it again, so every attempt carries it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from aarshjul.clock import ticking_from
from aarshjul.config import Settings, get_settings
from aarshjul.models.outbox import OutboxStatus
from aarshjul.notifications.channels import Addressee, Channel, ChannelBook
from aarshjul.notifications.inline_images import InlineImage, load_images
from aarshjul.notifications.outbox_status import Waiting, waiting
from aarshjul.notifications.queue import (
    Attempt,
    Claimed,
    RowOutcome,
    claim,
    mark,
    release,
    renew,
)
from aarshjul.notifications.sending import ChannelSender, Message, Outcome, Sender

NO_CHANNEL = "undeliverable: no channel"
FIRST_BATCH = 5
MAX_BATCH = 100


@dataclass
class DeliveryReport:
    """Counts of one deliver run.

    ``claimed``: rows this run took; ``sent``/``failed``/``dead``/``undeliverable``: their
    outcomes; ``lost_claims``: rows another deliverer took over after this one's lease ran out
    (not sent by this run); ``released``: claims given back unstarted when the run was stopped
    (``stopped``); ``waiting``: what is still in the outbox afterwards, with its next attempt.
    """

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    undeliverable: int = 0
    lost_claims: int = 0
    released: int = 0
    stopped: bool = False
    errors: list[str] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)

    @property
    def nothing_delivered(self) -> bool:
        """Messages were tried and not one reached its channel (the mail server is down?).

        Messages without any channel (``undeliverable``) and runs with nothing due do not count:
        they are configuration, not a failed delivery.
        """
        return self.sent == 0 and self.failed + self.dead > 0

    def as_dict(self) -> dict[str, Any]:
        counts = {k: v for k, v in vars(self).items() if k not in ("errors", "waiting")}
        return counts | {
            "nothing_delivered": self.nothing_delivered,
            "errors": self.errors,
            "waiting": [w.as_dict() for w in self.waiting],
        }


def deliver_pending(
    engine: Engine | Connection,
    *,
    organisation_id: int | None,
    now: datetime,
    settings: Settings | None = None,
    sender: Sender | None = None,
    limit: int | None = None,
    retry_now: bool = False,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send every due outbox row of one organisation (``None``: of every organisation).

    Due are pending rows, failed rows whose backoff has passed (all failed and undeliverable
    rows with ``retry_now``) and claims whose lease ran out. ``now`` is the run's start; the run's
    claims and marks are stamped with the instant they happen. ``sender`` is the run's
    :class:`~aarshjul.notifications.sending.Sender` (default: a
    :class:`~aarshjul.notifications.sending.ChannelSender`, closed at the end); the caller closes
    one it passes. Each claim and each outcome is its own short transaction, so any number of
    deliverers can run at the same time. ``stop`` is asked before each message: once it says
    so, the run ends after the message on its way and gives back the claims it has not started
    (``released``, ``stopped``); an exception (Ctrl-C) gives them back too.

    >>> now = datetime(2027, 10, 15, 7, tzinfo=UTC)  # doctest: +SKIP
    >>> deliver_pending(engine, organisation_id=1, now=now)  # doctest: +SKIP
    DeliveryReport(claimed=12, sent=12, failed=0, dead=0, undeliverable=0, lost_claims=0, ...)
    """
    cfg = settings or get_settings()
    clock = ticking_from(now)
    report = DeliveryReport()
    lease = timedelta(seconds=cfg.deliver_lease_seconds)
    chosen = sender or ChannelSender(clock=clock)
    try:
        with _unsynced(engine) as conn:
            run = _Run(conn, cfg, clock, chosen, report)
            if stop is not None:
                run.stop = stop
            with _LeaseKeeper(engine, run.token, cfg.deliver_lease_seconds, clock):
                run.deliver(organisation_id, limit, retry_now)
            with run.transaction():
                report.waiting = waiting(conn, organisation_id=organisation_id, lease=lease)
    finally:
        if sender is None:
            chosen.close()
    return report


@contextmanager
def _unsynced(engine: Engine | Connection) -> Iterator[sa.Connection]:
    """The run's connection, whose commits do not wait for the disk.

    A run commits once per message; waiting for the disk each time (an fsync, milliseconds)
    would cost more than the SMTP transaction itself. SQLite in WAL mode with
    ``synchronous=NORMAL`` and PostgreSQL with ``synchronous_commit=off`` keep every commit
    atomic and visible to other deliverers at once, and a crash of the deliverer loses nothing;
    only a power loss or crash of the database's machine can forget the last marks (on
    PostgreSQL up to about 0.6 s), and those messages are sent again after the lease. The
    setting is this connection's own and is put back before the connection returns to the pool.
    On PostgreSQL the connection autocommits: each step of a run is one statement.

    A connection that is handed in (a simulation's scratch transaction) is used as it is: each
    step of the run is then a savepoint in that transaction.
    """
    if isinstance(engine, Connection):
        yield engine
        return
    with engine.connect() as conn:
        dialect = conn.dialect.name
        previous = None
        if dialect == "sqlite":
            previous = conn.exec_driver_sql("PRAGMA synchronous").scalar()
            conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        elif dialect == "postgresql":
            conn.exec_driver_sql("SET synchronous_commit TO off")
        conn.commit()
        if dialect == "postgresql":
            # Every statement of a run is a transaction of its own: no BEGIN round trip. (The
            # isolation level goes back to the pool's default when the connection is returned.)
            conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield conn
        finally:
            with suppress(SQLAlchemyError):  # a broken connection is discarded anyway
                if conn.in_transaction():
                    conn.rollback()
                if dialect == "sqlite":
                    conn.exec_driver_sql(f"PRAGMA synchronous={int(previous or 2)}")
                elif dialect == "postgresql":
                    conn.exec_driver_sql("RESET synchronous_commit")
                conn.commit()


class _Run:
    """One deliverer's run: its claim token, its pace, and the channels it has resolved."""

    def __init__(
        self,
        conn: sa.Connection,
        cfg: Settings,
        clock: Callable[[], datetime],
        sender: Sender,
        report: DeliveryReport,
    ) -> None:
        self.conn, self.cfg, self.clock, self.sender, self.report = (
            conn, cfg, clock, sender, report,
        )  # fmt: skip
        self.token = str(uuid.uuid4())
        self.lease = timedelta(seconds=cfg.deliver_lease_seconds)
        # A claim checked longer ago than this is checked again right before its send.
        self.recheck = self.lease / 10
        self.book = ChannelBook(cfg)
        self.pace: float | None = None  # seconds per message, measured
        self.stop: Callable[[], bool] = lambda: False
        self._nested = conn.in_transaction()  # a scratch transaction: savepoints inside it

    def transaction(self) -> Any:
        """One step of the run: a transaction of its own (a savepoint in a scratch one)."""
        return self.conn.begin_nested() if self._nested else self.conn.begin()

    def deliver(self, organisation_id: int | None, limit: int | None, retry_now: bool) -> None:
        while (limit is None or self.report.claimed < limit) and not self.report.stopped:
            size = self._batch_size()
            if limit is not None:
                size = min(size, limit - self.report.claimed)
            claimed_at = self.clock()
            with self.transaction():
                rows = claim(
                    self.conn, token=self.token, now=claimed_at, lease=self.lease, limit=size,
                    organisation_id=organisation_id, retry_now=retry_now,
                )  # fmt: skip
            if not rows:
                return
            self.report.claimed += len(rows)
            self._batch(rows, claimed_at)

    def _batch_size(self) -> int:
        """As many as can be sent within half the lease at the pace measured so far."""
        if self.pace is None:
            return FIRST_BATCH
        fits = int(self.cfg.deliver_lease_seconds / 2 / max(self.pace, 1e-6))
        return max(1, min(MAX_BATCH, fits))

    def _batch(self, rows: list[Claimed], claimed_at: datetime) -> None:
        started = 0  # rows[:started] were begun; the rest are given back if the run stops
        try:
            with self.transaction():
                addressees = [
                    Addressee(r.id, r.organisation_id, r.person_id, r.recipient) for r in rows
                ]
                channels = self.book.channels(self.conn, addressees)
                images = load_images(self.conn, filter(None, map(_image_key, rows)))
            ours, checked = True, claimed_at  # the first row was claimed a moment ago
            for index, row in enumerate(rows):
                if self.stop():
                    self.report.stopped = True
                    break
                started += 1
                following = rows[index + 1].id if index + 1 < len(rows) else None
                if ours:
                    for channel in channels[row.id][0]:
                        self.sender.prepare(channel)  # connecting can take long: before the check
                    if self.clock() - checked > self.recheck:
                        ours = self._still_ours(row.id)
                if ours:
                    message = _message(row, images)
                    ours = self._one(row, message, *channels[row.id], following)
                else:
                    self.report.lost_claims += 1  # taken over while waiting: not ours to send
                    ours = self._still_ours(following)
                checked = self.clock()
        except BaseException:
            self._release(rows[started:])
            raise
        self._release(rows[started:])

    def _still_ours(self, message_id: int | None) -> bool:
        if message_id is None:
            return False
        with self.transaction():
            return bool(renew(self.conn, token=self.token, now=self.clock(), ids=[message_id]))

    def _release(self, rows: list[Claimed]) -> None:
        if rows:
            with self.transaction():
                ids = [r.id for r in rows]
                self.report.released += release(self.conn, token=self.token, ids=ids)

    def _one(
        self,
        row: Claimed,
        message: Message,
        channels: list[Channel],
        done: set[str],
        following: int | None,
    ) -> bool:
        """Send one message and mark it; in the same transaction renew the claim on the row
        that follows and say whether this deliverer still holds it (so it may be sent)."""
        began = self.clock()
        outcomes = [(c, self.sender.send(c, message)) for c in channels if c.label not in done]
        now = self.clock()
        result = _outcome(row, channels, outcomes, now, self.cfg)
        tried = [Attempt(c.label, o.url_masked, o.ok, o.error) for c, o in outcomes]
        with self.transaction():
            marked, ours = mark(
                self.conn, message_id=row.id, token=self.token, outcome=result,
                attempts=tried, following=following, now=now,
            )  # fmt: skip
        if marked:
            _count(self.report, row, result)
        else:
            self.report.lost_claims += 1  # its lease ran out during the send
        seconds = (self.clock() - began).total_seconds()
        self.pace = seconds if self.pace is None else 0.8 * self.pace + 0.2 * seconds
        return ours


def _image_key(row: Claimed) -> tuple[int, str] | None:
    return (row.organisation_id, row.image_sha256) if row.image_sha256 else None


def _message(row: Claimed, images: dict[tuple[int, str], InlineImage]) -> Message:
    """What is sent for ``row``: its texts and its inline picture, if it has one."""
    key = _image_key(row)
    picture = images.get(key) if key is not None else None
    inline = (picture,) if picture is not None else ()
    return Message(row.subject, row.body_text, row.body_html, images=inline)


class _LeaseKeeper:
    """Renews a run's claims every third of the lease while the run lasts (a daemon thread).

    A message that takes longer than the lease to send (a tarpitting server) thus stays claimed.
    A renewal that fails (the database is briefly away) is tried again a third of a lease later;
    the check before each send catches a claim that ran out all the same.
    """

    def __init__(
        self,
        engine: Engine | Connection,
        token: str,
        lease_seconds: float,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine, self.token, self.clock = engine, token, clock
        self.interval = lease_seconds / 3
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aarshjul-lease", daemon=True)

    def _run(self) -> None:
        assert isinstance(self.engine, Engine)
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as conn:
                    renew(conn, token=self.token, now=self.clock())
            except SQLAlchemyError:
                continue

    def __enter__(self) -> _LeaseKeeper:
        if isinstance(self.engine, Engine):  # a scratch transaction has no other deliverer
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def _outcome(
    row: Claimed,
    channels: list[Channel],
    outcomes: list[tuple[Channel, Outcome]],
    now: datetime,
    cfg: Settings,
) -> RowOutcome:
    if not channels:
        later = now + timedelta(seconds=1)  # not again in this run; any later run retries
        return RowOutcome(OutboxStatus.undeliverable, NO_CHANNEL, next_attempt_at=later,
                          give_back_attempt=True)  # fmt: skip
    errors = "; ".join(f"{c.label}: {o.error}" for c, o in outcomes if not o.ok)
    if not errors:
        return RowOutcome(OutboxStatus.sent, sent_at=now)
    if row.attempts >= cfg.deliver_max_attempts:
        return RowOutcome(OutboxStatus.dead, errors)
    backoff = cfg.deliver_backoff_seconds * 2 ** (row.attempts - 1)
    later = now + timedelta(seconds=max(backoff, 1))
    return RowOutcome(OutboxStatus.failed, errors, next_attempt_at=later)


def _count(report: DeliveryReport, row: Claimed, result: RowOutcome) -> None:
    name = result.status.value
    setattr(report, name, getattr(report, name) + 1)
    if result.status in (OutboxStatus.failed, OutboxStatus.dead):
        report.errors.append(f"#{row.id}: {result.last_error}")
