"""The sending side of delivery: a per-run sender that holds connections, and a null sender.

A delivery run (:func:`aarshjul.notifications.delivery.deliver_pending`) hands every message and
channel to a :class:`Sender` and reads back one :class:`Outcome` per channel; a sender never
raises for a channel that fails. :class:`ChannelSender` is the real one: the organisations' e-mail
channels (plain ``mailto://``/``mailtos://`` URLs) go over one SMTP connection per channel and
run (:mod:`aarshjul.notifications.smtp_channel`), everything else through apprise, one call per
URL with apprise's per-URL result. :class:`NullSender` sends nothing and says every message went
out (a simulation).

A message's inline pictures (:attr:`Message.images`, the board report's wheel) go with the mail
over SMTP as ``multipart/related`` parts the HTML refers to by Content-ID. Through apprise (a
person's Teams, Slack or SMS channel, or an organisation mail URL this module leaves to apprise)
the message is sent *without* them (apprise could only inline a picture in its own mail plugin,
and only when the URL turns its inline mode on and the HTML names the picture by file name;
chat services show text). A mail program shows the picture's alt text in its place.
The report's text and HTML carry the dashboard link, which shows the same picture.

>>> with ChannelSender() as sender:  # doctest: +SKIP
...     sender.send(Channel("email", org_mail_url, html=True, recipient="anne@example.org"), msg)
Outcome(ok=True, url_masked='mailto://smtp.example:25?...', error='')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol

from aarshjul.clock import utcnow
from aarshjul.notifications.channels import Channel, mask, with_recipient
from aarshjul.notifications.inline_images import InlineImage
from aarshjul.notifications.smtp_channel import SmtpChannel, smtp_channel


@dataclass(frozen=True)
class Message:
    """What is sent: a subject, a plain-text body and (for e-mail) an HTML body, and the
    pictures the HTML shows inline (``<img src="cid:…">``), sent with it by e-mail only."""

    subject: str
    text: str
    html: str = ""
    images: tuple[InlineImage, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one channel did with one message; ``url_masked`` never holds a secret."""

    ok: bool
    url_masked: str
    error: str = ""


class Sender(Protocol):
    """Sends messages for one delivery run; may keep connections open until :meth:`close`."""

    def prepare(self, channel: Channel) -> None:
        """Get ready to send through ``channel`` (connect, log in), so that :meth:`send` does
        only the message's own work; a failure here is reported by :meth:`send`."""
        ...

    def send(self, channel: Channel, message: Message) -> Outcome:
        """Send ``message`` through ``channel``; failures are outcomes, never exceptions."""
        ...

    def close(self) -> None:
        """Release whatever the run held (SMTP connections)."""
        ...


class ChannelSender:
    """The real sender: one SMTP connection per e-mail channel and run, apprise for the rest.

    ``clock`` stamps each e-mail's ``Date:`` header. Use it as a context manager, or call
    :meth:`close` when the run is done.
    """

    def __init__(self, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._clock = clock
        self._mail: dict[str, SmtpChannel | None] = {}

    def prepare(self, channel: Channel) -> None:
        if channel.error:
            return
        smtp = self._smtp(channel.url) if channel.recipient else None
        if smtp is not None:
            smtp.prepare()
        else:
            import apprise  # noqa: F401  (the first import costs ~0.2 s)

    def send(self, channel: Channel, message: Message) -> Outcome:
        if channel.error:
            return Outcome(False, f"{channel.label}://****", channel.error)
        url = channel.url
        if channel.recipient:
            smtp = self._smtp(url)
            if smtp is not None:
                html = message.html if channel.html else ""
                ok, error = smtp.send(
                    channel.recipient, message.subject, message.text, html, self._clock(),
                    images=message.images if html else (),
                )  # fmt: skip
                return Outcome(ok, smtp.url_masked, error)
            url = with_recipient(url, channel.recipient)
        return apprise_send(url, message, html=channel.html)

    def _smtp(self, url: str) -> SmtpChannel | None:
        if url not in self._mail:
            self._mail[url] = smtp_channel(url)
        return self._mail[url]

    def close(self) -> None:
        for channel in self._mail.values():
            if channel is not None:
                channel.close()
        self._mail.clear()

    def __enter__(self) -> ChannelSender:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class NullSender:
    """Sends nothing; every message counts as delivered (``sent`` lists them). For simulations."""

    def __init__(self) -> None:
        self.sent: list[tuple[Channel, Message]] = []

    def prepare(self, channel: Channel) -> None:
        return None

    def send(self, channel: Channel, message: Message) -> Outcome:
        self.sent.append((channel, message))
        return Outcome(True, f"{channel.label}://null")

    def close(self) -> None:
        return None


def apprise_send(url: str, message: Message, *, html: bool) -> Outcome:
    """Send through apprise with one URL, reading its per-URL status (never a bare bool).

    The message's inline pictures are not sent this way (see the module's docstring)."""
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    client = apprise.Apprise()
    if not client.add(url):
        return Outcome(False, mask(url), "apprise rejected the URL")
    as_html = html and bool(message.html)
    result = client.notify(
        title=message.subject,
        body=message.html if as_html else message.text,
        body_format=apprise.NotifyFormat.HTML if as_html else apprise.NotifyFormat.TEXT,
    )
    per_url = list(result)
    if not per_url:
        return Outcome(False, mask(url), f"apprise: {result.status.name}")
    first = per_url[0]
    if first.status == apprise.AppriseResultStatus.SUCCESS:
        return Outcome(True, first.url)
    return Outcome(False, first.url, _error_of(first, url))


def _error_of(result: Any, url: str) -> str:
    lines = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
    text = lines[-1] if lines else f"apprise: {result.status.name}"
    password = _password(url)
    return text.replace(password, "****") if password else text


def _password(url: str) -> str:
    netloc = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0]
    userinfo = netloc.rpartition("@")[0]
    return userinfo.partition(":")[2]
