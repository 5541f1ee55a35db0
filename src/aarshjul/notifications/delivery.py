"""Deliver: claim due outbox rows, send them through a per-run sender, record every outcome.

Guarantee: a message is sent by at most one deliverer at a time, and only while its claim holds.
A deliverer claims a small batch (as many as it can send within half the lease at its measured
pace) stamped with the instant of the claim; before each message it knows the claim is still its
own (the previous message's mark renewed and re-read every claim it holds, in one transaction),
and a background thread renews its claims every third of the lease, so a slow or tarpitting mail
server cannot make a claim run out while a message is on its way. A claim another deliverer took
over is skipped and counted (``lost_claims``); claims not started when the deliverer is stopped
(SIGTERM: after the message on its way; Ctrl-C: at once) are released. Each message is marked in
its own transaction right after its send, so only a deliverer that dies between the mail
server's acceptance and that mark (a few milliseconds) leaves one message that is sent again
after the lease (``AARSHJUL_DELIVER_LEASE_SECONDS``): at-least-once to the mail server, never
lost. Channels that already succeeded for a message are skipped on a retry.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from aarshjul.clock import ticking_from
from aarshjul.config import Settings, get_settings
from aarshjul.models.outbox import OutboxDelivery, OutboxMessage, OutboxStatus
from aarshjul.notifications.channels import Addressee, Channel, ChannelBook
from aarshjul.notifications.outbox_status import Waiting, waiting
from aarshjul.notifications.queue import Claimed, claim, finish, release, renew
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
    engine: Engine,
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

    >>> now = datetime(2027, 10, 15, 7, tzinfo=UTC)
    >>> deliver_pending(engine, organisation_id=1, now=now)  # doctest: +SKIP
    DeliveryReport(claimed=12, sent=12, failed=0, dead=0, undeliverable=0, lost_claims=0, ...)
    """
    cfg = settings or get_settings()
    clock = ticking_from(now)
    report = DeliveryReport()
    own = sender is None
    run = _Run(engine, cfg, clock, sender or ChannelSender(clock=clock), report)
    if stop is not None:
        run.stop = stop
    try:
        with _LeaseKeeper(engine, run.token, cfg.deliver_lease_seconds, clock):
            run.deliver(organisation_id, limit, retry_now)
    finally:
        if own:
            run.sender.close()
    with engine.connect() as conn:
        report.waiting = waiting(conn, organisation_id=organisation_id, lease=run.lease)
    return report


class _Run:
    """One deliverer's run: its claim token, its pace, and the channels it has resolved."""

    def __init__(
        self,
        engine: Engine,
        cfg: Settings,
        clock: Callable[[], datetime],
        sender: Sender,
        report: DeliveryReport,
    ) -> None:
        self.engine, self.cfg, self.clock, self.sender, self.report = (
            engine, cfg, clock, sender, report,
        )  # fmt: skip
        self.token = str(uuid.uuid4())
        self.lease = timedelta(seconds=cfg.deliver_lease_seconds)
        self.book = ChannelBook(cfg)
        self.pace: float | None = None  # seconds per message, measured
        self.stop: Callable[[], bool] = lambda: False

    def deliver(self, organisation_id: int | None, limit: int | None, retry_now: bool) -> None:
        while (limit is None or self.report.claimed < limit) and not self.report.stopped:
            size = self._batch_size()
            if limit is not None:
                size = min(size, limit - self.report.claimed)
            with self.engine.begin() as conn:
                rows = claim(
                    conn, token=self.token, now=self.clock(), lease=self.lease, limit=size,
                    organisation_id=organisation_id, retry_now=retry_now,
                )  # fmt: skip
            if not rows:
                return
            self.report.claimed += len(rows)
            self._batch(rows)

    def _batch_size(self) -> int:
        """As many as can be sent within half the lease at the pace measured so far."""
        if self.pace is None:
            return FIRST_BATCH
        fits = int(self.cfg.deliver_lease_seconds / 2 / max(self.pace, 1e-6))
        return max(1, min(MAX_BATCH, fits))

    def _batch(self, rows: list[Claimed]) -> None:
        ours = {r.id for r in rows}
        started = 0  # rows[:started] were begun; the rest are given back if the run stops
        try:
            with self.engine.connect() as conn:
                addressees = [Addressee(r.id, r.organisation_id, r.person_id) for r in rows]
                channels = self.book.channels(conn, addressees)
            for row in rows:
                if self.stop():
                    self.report.stopped = True
                    break
                started += 1
                if row.id not in ours:
                    self.report.lost_claims += 1  # taken over while waiting: not ours to send
                    continue
                ours = self._one(row, *channels[row.id])
        except BaseException:
            self._release(rows[started:])
            raise
        self._release(rows[started:])

    def _release(self, rows: list[Claimed]) -> None:
        if rows:
            with self.engine.begin() as conn:
                ids = [r.id for r in rows]
                self.report.released += release(conn, token=self.token, ids=ids)

    def _one(self, row: Claimed, channels: list[Channel], done: set[str]) -> set[int]:
        """Send one message, mark it, and return the ids this deliverer still holds."""
        began = self.clock()
        message = Message(row.subject, row.body_text, row.body_html)
        outcomes = [(c, self.sender.send(c, message)) for c in channels if c.label not in done]
        now = self.clock()
        status, values = _outcome(row, channels, outcomes, now, self.cfg)
        with self.engine.begin() as conn:
            _record(conn, row.id, outcomes, now)
            marked = finish(conn, row.id, self.token, status=status, **values)
            ours = renew(conn, token=self.token, now=now)
        if marked:
            _count(self.report, status, row, values)
        else:
            self.report.lost_claims += 1  # its lease ran out during the send
        seconds = (self.clock() - began).total_seconds()
        self.pace = seconds if self.pace is None else 0.8 * self.pace + 0.2 * seconds
        return ours


class _LeaseKeeper:
    """Renews a run's claims every third of the lease while the run lasts (a daemon thread).

    A message that takes longer than the lease to send (a tarpitting server) thus stays claimed.
    A renewal that fails (the database is briefly away) is tried again a third of a lease later;
    the check before each send catches a claim that ran out all the same.
    """

    def __init__(
        self, engine: Engine, token: str, lease_seconds: float, clock: Callable[[], datetime]
    ) -> None:
        self.engine, self.token, self.clock = engine, token, clock
        self.interval = lease_seconds / 3
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="aarshjul-lease", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.engine.begin() as conn:
                    renew(conn, token=self.token, now=self.clock())
            except SQLAlchemyError:
                continue

    def __enter__(self) -> _LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()


def _record(
    conn: sa.Connection, message_id: int, outcomes: list[tuple[Channel, Outcome]], now: datetime
) -> None:
    if not outcomes:
        return
    rows = [
        {"message_id": message_id, "channel": channel.label, "url_masked": outcome.url_masked,
         "status": "sent" if outcome.ok else "failed", "error": outcome.error, "at": now}
        for channel, outcome in outcomes
    ]  # fmt: skip
    conn.execute(sa.insert(OutboxDelivery), rows)


def _outcome(
    row: Claimed,
    channels: list[Channel],
    outcomes: list[tuple[Channel, Outcome]],
    now: datetime,
    cfg: Settings,
) -> tuple[OutboxStatus, dict[str, Any]]:
    if not channels:
        later = now + timedelta(seconds=1)  # not again in this run; any later run retries
        values = {"last_error": NO_CHANNEL, "next_attempt_at": later,
                  "attempts": col(OutboxMessage.attempts) - 1}  # fmt: skip
        return OutboxStatus.undeliverable, values
    errors = [f"{c.label}: {o.error}" for c, o in outcomes if not o.ok]
    if not errors:
        return OutboxStatus.sent, {"sent_at": now, "last_error": "", "claim_token": None}
    if row.attempts >= cfg.deliver_max_attempts:
        return OutboxStatus.dead, {"last_error": "; ".join(errors)}
    backoff = cfg.deliver_backoff_seconds * 2 ** (row.attempts - 1)
    later = now + timedelta(seconds=max(backoff, 1))
    return OutboxStatus.failed, {"last_error": "; ".join(errors), "next_attempt_at": later}


def _count(
    report: DeliveryReport, status: OutboxStatus, row: Claimed, values: dict[str, Any]
) -> None:
    name = status.value
    setattr(report, name, getattr(report, name) + 1)
    if status in (OutboxStatus.failed, OutboxStatus.dead):
        report.errors.append(f"#{row.id}: {values['last_error']}")
