"""Reminders and notifications: daily digests rendered into an outbox, delivered by apprise.

Importable without Prefect. The public API:

* :func:`compose_digests` — one digest per person for a workday, into the outbox;
* :func:`deliver_pending` — claim and send due outbox rows through a per-run
  :class:`~aarshjul.notifications.sending.Sender`, record each channel's outcome;
* :func:`set_channel` / :func:`channel_records` — a person's own apprise URLs (encrypted);
* :func:`long_date` — ``fredag den 15. oktober 2027``.

See ``docs/notifications.md`` for what is sent when and the delivery guarantee.
"""

from aarshjul.notifications.channels import channel_records, set_channel
from aarshjul.notifications.compose import ComposeResult, Digest, compose_digests
from aarshjul.notifications.delivery import DeliveryReport, deliver_pending
from aarshjul.notifications.formatting import long_date

__all__ = [
    "ComposeResult",
    "DeliveryReport",
    "Digest",
    "channel_records",
    "compose_digests",
    "deliver_pending",
    "long_date",
    "set_channel",
]
