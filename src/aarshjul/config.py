"""Settings, read from the environment (prefix ``AARSHJUL_``) and an optional ``.env`` file.

Nothing is read at import time: call :func:`get_settings`. The defaults give an embedded SQLite
database under the user's data folder, so a new user needs no configuration at all.

This is the seam where settings enter: every setting is validated when they are read, whether
the command at hand uses it or not, and a bad one raises :class:`~aarshjul.errors.ConfigError`
naming the variable, its value (secrets and passwords masked) and the reason — never pydantic's
own error.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from aarshjul.errors import ConfigError

ENV_PREFIX = "AARSHJUL_"
SUPPORTED_URLS = ("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")
_UNSUPPORTED_URL = "only sqlite:/// and postgresql:// (psycopg 3) URLs are supported"
_UNSUPPORTED_URL_DA = "kun sqlite:/// og postgresql:// (psycopg 3) understøttes"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/aarshjul`` (``~/.local/share/aarshjul`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "aarshjul"


@dataclass(frozen=True)
class DatabaseTimeouts:
    """How long aarshjul waits for the database, in seconds (0: no limit), so a server that
    never answers, a statement that runs away or a lock that is never released ends in a clear
    error instead of a hang. ``connect``, ``statement`` and ``lock`` apply to PostgreSQL (the
    last two as ``statement_timeout`` and ``lock_timeout``), ``busy`` to SQLite."""

    connect: int = 10
    statement: int = 300
    lock: int = 30
    busy: int = 30


class Settings(BaseSettings):
    """aarshjul's settings. Every field can be set as ``AARSHJUL_<FIELD>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    organisation: str | None = None
    mail_url: str | None = None
    base_url: str | None = None
    # A previewed day (YYYY-MM-DD): every edge acts as if today were this date.
    today: date | None = None
    # Notifications (see docs/notifications.md).
    secret_key: SecretStr | None = None
    template_dir: Path | None = None
    overdue_every: int = Field(default=2, ge=1)
    max_escalation_steps: int = Field(default=3, ge=1)
    deliver_max_attempts: int = Field(default=5, ge=1)
    deliver_backoff_seconds: int = Field(default=300, ge=0)
    deliver_lease_seconds: int = Field(default=600, ge=1)
    # The engine's schedules (cron, in the organisation's time zone) and the embedded Prefect.
    tick_cron: str = "0 7 * * 1-5"
    report_cron: str = "0 8 * * 1"
    plan_cron: str = "0 6 1 12 *"
    prefect_port: int = Field(default=4200, ge=1, le=65535)
    # Statistics Denmark's StatBank API (see docs/statistics.md); tests point it at a local server.
    statbank_api_url: str = "https://api.statbank.dk/v1"
    # The web app (see docs/operations.md): where `aarshjul web`/`serve` listen, sessions, OIDC.
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65535)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_email_claim: str = "email"
    oidc_label: str = "Microsoft / OpenID Connect"
    # Citizens' ideas and hearing responses (see docs/participation.md).
    retention_months: int = Field(default=12, ge=1, le=120)
    attachment_max_mb: int = Field(default=10, ge=1, le=50)
    # Database timeouts in seconds (see DatabaseTimeouts and docs/security.md).
    db_connect_timeout: int = Field(default=DatabaseTimeouts.connect, ge=1, le=3600)
    db_statement_timeout: int = Field(default=DatabaseTimeouts.statement, ge=0, le=86400)
    db_lock_timeout: int = Field(default=DatabaseTimeouts.lock, ge=0, le=86400)
    db_busy_timeout: int = Field(default=DatabaseTimeouts.busy, ge=1, le=3600)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is not None and not is_supported_url(value):
            raise ValueError(_UNSUPPORTED_URL)
        return value

    @field_validator("secret_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not is_fernet_key(value.get_secret_value()):
            raise ValueError("not a Fernet key (32 url-safe base64-encoded bytes)")
        return value

    @field_validator("today")
    @classmethod
    def _sane_today(cls, value: date | None) -> date | None:
        from aarshjul.year_range import year_problem

        if value is not None and (problem := year_problem(value.year)) is not None:
            raise ValueError(problem)
        return value

    @property
    def database_timeouts(self) -> DatabaseTimeouts:
        """The ``AARSHJUL_DB_*_TIMEOUT`` settings, for :func:`aarshjul.db.make_engine`."""
        return DatabaseTimeouts(
            connect=self.db_connect_timeout, statement=self.db_statement_timeout,
            lock=self.db_lock_timeout, busy=self.db_busy_timeout,
        )  # fmt: skip

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file ``<data_dir>/aarshjul.db``."""
        if self.database_url:
            return normalise_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'aarshjul.db'}"


def is_supported_url(url: str) -> bool:
    """True for the database URLs aarshjul runs on (SQLite and PostgreSQL through psycopg 3).

    >>> is_supported_url("postgresql://db/aarshjul"), is_supported_url("mysql://x")
    (True, False)
    """
    return url.strip().lower().startswith(SUPPORTED_URLS)


def check_database_url(url: str, *, field: str) -> str:
    """``url`` normalised, or a :class:`ConfigError` naming ``field`` (``--db``, a setting)."""
    if not is_supported_url(url):
        raise ConfigError(
            _UNSUPPORTED_URL, reason_da=_UNSUPPORTED_URL_DA, field=field, value=mask_url(url)
        )
    return normalise_url(url)


def is_fernet_key(key: str) -> bool:
    """True when ``key`` is what ``cryptography.fernet.Fernet`` accepts (checked without it).

    >>> is_fernet_key("uN6hOtbr3AQO0dgVgzyEzTu8RqUaPVqYi2bT5HtUN0Y="), is_fernet_key("secret")
    (True, False)
    """
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (binascii.Error, ValueError):
        return False


def mask_url(url: str) -> str:
    """``url`` with any password replaced by ``****`` (for messages and logs).

    >>> mask_url("postgresql://aarshjul:s3cret@db/aarshjul")
    'postgresql://aarshjul:****@db/aarshjul'
    """
    return re.sub(r"(//[^/@:?#]*:)[^/@]*@", r"\1****@", url)


def normalise_url(url: str) -> str:
    """Map ``postgresql://`` to the psycopg 3 driver; leave other URLs alone."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``).

    Raises :class:`ConfigError` for the first bad setting (and says how many more there are).
    """
    try:
        return Settings()
    except ValidationError as exc:
        raise settings_error(exc) from exc
    except SettingsError as exc:
        raise ConfigError(str(exc), reason_da="indstillingerne kan ikke læses") from exc


def settings_error(exc: ValidationError) -> ConfigError:
    """pydantic's validation error as one :class:`ConfigError` about the first bad setting."""
    errors = exc.errors()
    first = errors[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    variable = ENV_PREFIX + name.upper()
    reason = str(first["msg"]).removeprefix("Value error, ")
    more = len(errors) - 1
    return ConfigError(
        reason + (f" (and {more} more bad setting(s))" if more else ""),
        reason_da=f"ugyldig indstilling: {reason}"
        + (f" (og {more} ugyldige indstilling(er) mere)" if more else ""),
        field=variable,
        value=_shown(name, first.get("input")),
    )


def _shown(name: str, value: Any) -> str:
    """A setting's value as it may be shown: secrets masked, passwords in URLs masked."""
    if "secret" in name or "password" in name:
        return "****"
    text = str(value)
    return mask_url(text) if "url" in name else text
