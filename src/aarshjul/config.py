"""Settings, read from the environment (prefix ``AARSHJUL_``) and an optional ``.env`` file.

Nothing is read at import time: call :func:`get_settings`. The defaults give an embedded SQLite
database under the user's data folder, so a new user needs no configuration at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    model_config = SettingsConfigDict(env_prefix="AARSHJUL_", env_file=".env", extra="ignore")

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
    # Database timeouts in seconds (see DatabaseTimeouts and docs/security.md).
    db_connect_timeout: int = Field(default=DatabaseTimeouts.connect, ge=1, le=3600)
    db_statement_timeout: int = Field(default=DatabaseTimeouts.statement, ge=0, le=86400)
    db_lock_timeout: int = Field(default=DatabaseTimeouts.lock, ge=0, le=86400)
    db_busy_timeout: int = Field(default=DatabaseTimeouts.busy, ge=1, le=3600)

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:/// and postgresql+psycopg:// URLs are supported")
        return value

    @field_validator("today")
    @classmethod
    def _sane_today(cls, value: date | None) -> date | None:
        from aarshjul.calendar.names import year_problem

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


def normalise_url(url: str) -> str:
    """Map ``postgresql://`` to the psycopg 3 driver; leave other URLs alone."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return Settings()
