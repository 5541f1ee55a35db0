"""Channels: each organisation's e-mail URL and each person's own apprise URLs.

The e-mail channel is the organisation's own apprise mail URL (``aarshjul mail set``), or
``AARSHJUL_MAIL_URL`` when it has none; the person's address is the recipient. The organisation's
URL and a person's own URLs (Teams, Slack, SMS…) are validated with apprise, encrypted with Fernet
under ``AARSHJUL_SECRET_KEY`` and stored with a privacy-masked copy for display, so a database
dump alone reveals no token or password.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import quote

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.errors import ConfigError, DeliveryError
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.outbox import OrganisationChannel, OutboxDelivery, PersonChannel
from aarshjul.models.queries import person_by_email

EMAIL = "email"


@dataclass(frozen=True)
class Channel:
    """A URL to send one message through; ``url`` holds secrets and is never shown.

    For the e-mail channel ``url`` is the organisation's mail URL and ``recipient`` the person's
    address (the sender addresses the message); ``error`` says why a channel cannot be used.
    """

    label: str
    url: str
    html: bool = False
    error: str = ""
    recipient: str = ""


def mask(url: str) -> str:
    """apprise's privacy form of ``url`` (passwords and tokens replaced by ``****``), plus our
    rule for tokens in a path, a header or a query (:mod:`aarshjul.notifications.masking`).

    >>> mask("mailto://bot:s3cret@127.0.0.1:2525?from=a@example.org&to=b@example.org")[:30]
    'mailto://bot:****@127.0.0.1:25'
    """
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    from aarshjul.notifications.masking import mask_rest, mask_unknown

    try:
        server = apprise.Apprise.instantiate(url)
    except Exception:  # apprise's own failure is no reason to show the secret
        return mask_unknown(url)
    if server is None:
        return mask_unknown(url)
    return mask_rest(str(server.url(privacy=True)))  # type: ignore[no-untyped-call]


def validate(url: str) -> str:
    """The URL's kind (``msteams``, ``slack``, ``mailto``…) if apprise accepts it.

    Raises :class:`DeliveryError` (without the secret) when it does not.
    """
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    try:
        accepted = apprise.Apprise().add(url)
    except Exception as exc:  # apprise raising instead of answering False: the same answer
        raise DeliveryError(
            f"ugyldig kanal-URL / invalid channel URL: {url.split('://', 1)[0]}://…"
        ) from exc
    if not accepted:
        raise DeliveryError(
            f"ugyldig kanal-URL / invalid channel URL: {url.split('://', 1)[0]}://… "
            "(se https://github.com/caronc/apprise/wiki)"
        )
    return url.split("://", 1)[0].lower()


def with_recipient(mail_url: str, address: str) -> str:
    """The organisation's mail URL sending to ``address`` only (replaces any ``to=``).

    Every other part of the URL is kept byte for byte: apprise reads query values with plain
    percent-decoding, so re-encoding them (``urlencode`` turns a space into ``+``) would change
    a sender name such as ``name=Årshjul Fjordby``. Only the address is percent-encoded.

    >>> with_recipient("mailto://127.0.0.1:2525?from=a@example.org&name=Å B&to=x", "b@example.org")
    'mailto://127.0.0.1:2525?from=a@example.org&name=Å B&to=b@example.org'
    """
    rest, hash_, fragment = mail_url.partition("#")
    base, _, query = rest.partition("?")
    kept = [p for p in query.split("&") if p and p.partition("=")[0].lower() != "to"]
    kept.append("to=" + quote(address, safe="@"))
    return f"{base}?{'&'.join(kept)}{hash_}{fragment}"


def fernet(settings: Settings) -> Fernet:
    """The cipher for stored channel URLs; a clear error when no key is configured."""
    if settings.secret_key is None:
        raise ConfigError(
            "AARSHJUL_SECRET_KEY mangler / is not set: generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
        )
    try:
        return Fernet(settings.secret_key.get_secret_value().encode())
    except ValueError as exc:
        raise ConfigError("AARSHJUL_SECRET_KEY is not a valid Fernet key") from exc


def set_channel(
    session: Session,
    *,
    organisation: Organisation,
    email: str,
    url: str,
    settings: Settings,
    label: str | None = None,
    enabled: bool = True,
) -> PersonChannel:
    """Add or replace one of a person's channels; ``url="email"`` switches e-mail on or off.

    >>> set_channel(s, organisation=org, email="anne@kommune.example",
    ...             url="msteams://T/W/S/", settings=cfg)  # doctest: +SKIP
    """
    person = person_by_email(session, organisation, email)
    assert person.id is not None
    if url.strip().lower() == EMAIL:
        kind, secret, masked, label = EMAIL, "", "", EMAIL
    else:
        kind = validate(url)
        secret = fernet(settings).encrypt(url.encode()).decode()
        masked, label = mask(url), label or kind
    row = _channel(session, person, label) or PersonChannel(
        person_id=person.id, label=label, kind=kind
    )
    row.kind, row.secret, row.url_masked, row.enabled = kind, secret, masked, enabled
    session.add(row)
    session.flush()
    return row


def _channel(session: Session, person: Person, label: str) -> PersonChannel | None:
    query = select(PersonChannel).where(
        PersonChannel.person_id == person.id, PersonChannel.label == label
    )
    return session.exec(query).first()


def channel_records(session: Session, organisation: Organisation) -> list[dict[str, object]]:
    """Every person's own channels, masked, for ``aarshjul person channels``."""
    query = (
        select(Person.email, PersonChannel)
        .join(PersonChannel, col(PersonChannel.person_id) == col(Person.id))
        .where(Person.organisation_id == organisation.id)
        .order_by(col(Person.email), col(PersonChannel.label))
    )
    return [
        {"email": email, "label": ch.label, "kind": ch.kind, "url": ch.url_masked or "(AARSHJUL_MAIL_URL)",
         "enabled": ch.enabled}
        for email, ch in session.exec(query)
    ]  # fmt: skip


def set_organisation_mail(
    session: Session, *, organisation: Organisation, url: str, settings: Settings
) -> OrganisationChannel:
    """Store the organisation's own mail URL (validated, encrypted); replaces an earlier one.

    >>> set_organisation_mail(s, organisation=org, settings=cfg,
    ...     url="mailtos://bot:pw@smtp.fjordby.example?from=aarshjul@fjordby.example")  # doctest: +SKIP
    """
    assert organisation.id is not None
    kind = validate(url)
    secret = fernet(settings).encrypt(url.encode()).decode()
    row = _organisation_mail(session, organisation.id) or OrganisationChannel(
        organisation_id=organisation.id, label=EMAIL, kind=kind, secret=secret
    )
    row.kind, row.secret, row.url_masked = kind, secret, mask(url)
    session.add(row)
    session.flush()
    return row


def unset_organisation_mail(session: Session, *, organisation: Organisation) -> bool:
    """Forget the organisation's own mail URL (``AARSHJUL_MAIL_URL`` applies again)."""
    assert organisation.id is not None
    row = _organisation_mail(session, organisation.id)
    if row is not None:
        session.delete(row)
        session.flush()
    return row is not None


def organisation_mail_record(
    session: Session, *, organisation: Organisation, settings: Settings
) -> dict[str, str]:
    """Which mail URL the organisation sends with, masked: its own, the default, or none."""
    assert organisation.id is not None
    row = _organisation_mail(session, organisation.id)
    if row is not None:
        return {"organisation": organisation.key, "source": "organisation", "url": row.url_masked}
    if settings.mail_url:
        url = mask(settings.mail_url)
        return {"organisation": organisation.key, "source": "AARSHJUL_MAIL_URL", "url": url}
    return {"organisation": organisation.key, "source": "none", "url": ""}


def _organisation_mail(session: Session, organisation_id: int) -> OrganisationChannel | None:
    query = select(OrganisationChannel).where(
        OrganisationChannel.organisation_id == organisation_id, OrganisationChannel.label == EMAIL
    )
    return session.exec(query).first()


@dataclass(frozen=True)
class Addressee:
    """A claimed message and whom it goes to: a person of the organisation, or (``person_id``
    None) an address outside it, reached by the organisation's e-mail only."""

    message_id: int
    organisation_id: int
    person_id: int | None
    recipient: str = ""


@dataclass(frozen=True)
class _Own:
    label: str
    secret: str
    enabled: bool


class ChannelBook:
    """Resolves the channels of many messages with a few queries; organisations' URLs are read
    and decrypted once per delivery run.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._mail: dict[int, Channel | None] = {}

    def channels(
        self, conn: sa.Connection, addressees: Sequence[Addressee]
    ) -> dict[int, tuple[list[Channel], set[str]]]:
        """Per message id: its channels (e-mail first) and the labels that already succeeded."""
        person_ids = sorted({a.person_id for a in addressees if a.person_id is not None})
        self._load_mail(conn, sorted({a.organisation_id for a in addressees}))
        emails = dict(
            conn.execute(
                sa.select(col(Person.id), col(Person.email)).where(col(Person.id).in_(person_ids))
            ).all()
        )
        own: dict[int, list[_Own]] = defaultdict(list)
        pc = PersonChannel
        query = sa.select(col(pc.person_id), col(pc.label), col(pc.secret), col(pc.enabled))
        for person_id, label, secret, enabled in conn.execute(
            query.where(col(pc.person_id).in_(person_ids))
        ):
            own[person_id].append(_Own(label, secret, enabled))
        done: dict[int, set[str]] = defaultdict(set)
        sent = sa.select(col(OutboxDelivery.message_id), col(OutboxDelivery.channel)).where(
            col(OutboxDelivery.message_id).in_([a.message_id for a in addressees]),
            col(OutboxDelivery.status) == "sent",
        )
        for message_id, label in conn.execute(sent):
            done[message_id].add(label)
        return {
            a.message_id: (
                self._person(own[a.person_id], emails[a.person_id], self._mail[a.organisation_id])
                if a.person_id is not None
                else self._outsider(a.recipient, self._mail[a.organisation_id]),
                done[a.message_id],
            )
            for a in addressees
        }

    def _outsider(self, address: str, mail: Channel | None) -> list[Channel]:
        return [replace(mail, recipient=address)] if mail is not None and address else []

    def organisation_mail(self, conn: sa.Connection, organisation_id: int) -> Channel | None:
        """The organisation's own e-mail channel (or ``AARSHJUL_MAIL_URL``), or None."""
        self._load_mail(conn, [organisation_id])
        return self._mail[organisation_id]

    def _load_mail(self, conn: sa.Connection, organisation_ids: list[int]) -> None:
        missing = [o for o in organisation_ids if o not in self._mail]
        if not missing:
            return
        query = sa.select(col(OrganisationChannel.organisation_id), col(OrganisationChannel.secret))
        query = query.where(
            col(OrganisationChannel.organisation_id).in_(missing),
            col(OrganisationChannel.label) == EMAIL,
        )
        stored = dict(conn.execute(query).all())
        default = (
            Channel(EMAIL, self.settings.mail_url, html=True) if self.settings.mail_url else None
        )
        for org_id in missing:
            secret = stored.get(org_id)
            self._mail[org_id] = (
                default if secret is None else self._decrypt(EMAIL, secret, html=True)
            )

    def _person(self, rows: list[_Own], address: str, mail: Channel | None) -> list[Channel]:
        email_off = any(r.label == EMAIL and not r.enabled for r in rows)
        out = []
        if mail is not None and not email_off:
            out.append(replace(mail, recipient=address))
        out += [self._decrypt(r.label, r.secret) for r in rows if r.enabled and r.label != EMAIL]
        return out

    def _decrypt(self, label: str, secret: str, *, html: bool = False) -> Channel:
        try:
            return Channel(label, fernet(self.settings).decrypt(secret.encode()).decode(), html)
        except (ConfigError, InvalidToken) as exc:
            reason = str(exc) or "the stored URL cannot be decrypted with AARSHJUL_SECRET_KEY"
            return Channel(label, "", html, error=reason)
