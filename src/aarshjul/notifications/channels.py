"""Channels: the organisation's e-mail URL and each person's own apprise URLs.

The e-mail channel is one apprise mail URL in ``AARSHJUL_MAIL_URL``; the person's address is
added as the recipient. A person's own URLs (Teams, Slack, SMS…) are validated with apprise,
encrypted with Fernet under ``AARSHJUL_SECRET_KEY`` and stored with a privacy-masked copy for
display, so a database dump alone reveals no token or password.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, col, select

from aarshjul.config import Settings
from aarshjul.errors import ConfigError, DeliveryError
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.outbox import PersonChannel
from aarshjul.models.queries import person_by_email

EMAIL = "email"


@dataclass(frozen=True)
class Channel:
    """A URL to send one message through; ``url`` holds secrets and is never shown."""

    label: str
    url: str
    html: bool = False
    error: str = ""


def mask(url: str) -> str:
    """apprise's privacy form of ``url`` (passwords and tokens replaced by ``****``), plus our
    rule for tokens in a path, a header or a query (:mod:`aarshjul.notifications.masking`).

    >>> mask("mailto://bot:s3cret@127.0.0.1:2525?from=a@example.org&to=b@example.org")[:30]
    'mailto://bot:****@127.0.0.1:25'
    """
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    from aarshjul.notifications.masking import mask_rest, mask_unknown

    server = apprise.Apprise.instantiate(url)
    if server is None:
        return mask_unknown(url)
    return mask_rest(str(server.url(privacy=True)))  # type: ignore[no-untyped-call]


def validate(url: str) -> str:
    """The URL's kind (``msteams``, ``slack``, ``mailto``…) if apprise accepts it.

    Raises :class:`DeliveryError` (without the secret) when it does not.
    """
    import apprise  # here, not at module level: every CLI command would pay ~0.2 s

    if not apprise.Apprise().add(url):
        raise DeliveryError(
            f"ugyldig kanal-URL / invalid channel URL: {url.split('://', 1)[0]}://… "
            "(se https://github.com/caronc/apprise/wiki)"
        )
    return url.split("://", 1)[0].lower()


def with_recipient(mail_url: str, address: str) -> str:
    """The organisation's mail URL sending to ``address`` only (replaces any ``to=``).

    >>> with_recipient("mailto://127.0.0.1:2525?from=a@example.org", "b@example.org")
    'mailto://127.0.0.1:2525?from=a%40example.org&to=b%40example.org'
    """
    parts = urlsplit(mail_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "to"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("to", address)])))


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

    >>> set_channel(s, organisation=org, email="anne@example.dk",
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


def channels_for(
    session: Session, person_id: int, address: str, settings: Settings
) -> list[Channel]:
    """The channels one message to this person goes through (e-mail first)."""
    rows = session.exec(select(PersonChannel).where(PersonChannel.person_id == person_id)).all()
    email_off = any(r.label == EMAIL and not r.enabled for r in rows)
    out = []
    if settings.mail_url and not email_off:
        out.append(Channel(EMAIL, with_recipient(settings.mail_url, address), html=True))
    out += [_decrypt(r, settings) for r in rows if r.enabled and r.label != EMAIL]
    return out


def _decrypt(row: PersonChannel, settings: Settings) -> Channel:
    try:
        return Channel(row.label, fernet(settings).decrypt(row.secret.encode()).decode())
    except (ConfigError, InvalidToken) as exc:
        reason = str(exc) or "the stored URL cannot be decrypted with AARSHJUL_SECRET_KEY"
        return Channel(row.label, "", error=reason)
