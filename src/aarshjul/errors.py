"""The one exception tree of aarshjul.

Every error the engine raises on purpose derives from :class:`AarshjulError`. An error carries
structure, not a preformatted sentence: *where* (``file``, the YAML ``path`` or the setting or
option ``field``), *what* (the offending ``value``) and *why* (``reason``, with ``hint`` saying
what to do). Foreign errors — pydantic settings, SQLAlchemy and psycopg, Alembic, cryptography,
apprise — never cross a seam: :mod:`aarshjul.config`, :mod:`aarshjul.db`, :mod:`aarshjul.clock`
and the notification channels map them into this tree with ``raise … from exc``. The CLI prints
one line and exits 1 (never a traceback), the web layer answers with a 4xx/5xx, flows let the
error fail the run.

``AarshjulError``
    ``ConfigError``     settings that cannot work (a bad URL, an unsafe value, an unknown zone)
    ``DatabaseError``   the database is unreachable, read-only, not migrated or newer than us
    ``InputError``      bad user input: a file, a field, a value (``OrgDataError``, ``TemplateError``,
                        ``StatisticsFileError``)
    ``CalendarError``   a date expression that does not parse or resolve; a bad closure
    ``RuleViolation``   statutory or local rules broken by a plan
    ``NotFound``        an organisation, person, task … that does not exist
    ``PermissionDenied`` a person may not do what was asked
    ``DeliveryError``   a notification channel that cannot be used
        ``NothingDelivered`` messages were due and not one could be delivered (exit code 3)
    ``SourceUnavailable`` an outside data source (Statistics Denmark's StatBank API) cannot be reached
    ``StateConflict``   the request does not fit the current state (a phase not open to the public)
    ``RateLimited``     too many requests from one client or for one address

Language policy: an error's ``reason`` and ``hint`` are English (stable for scripts, logs and
tests); ``reason_da`` and ``hint_da`` give the Danish text where one is written.
:meth:`AarshjulError.message` renders one line in ``da`` or ``en`` — Danish falls back to the
English text where no Danish is given, the location (file, path, field, value) is the same in
both. ``str(error)`` is the English line. The CLI picks the language from the locale
(``LC_ALL``/``LC_MESSAGES``/``LANG`` starting with ``da``), the web app from the person.

>>> error = ConfigError("must be at least 1", reason_da="skal være mindst 1",
...                     field="AARSHJUL_OVERDUE_EVERY", value="0")
>>> str(error)
"AARSHJUL_OVERDUE_EVERY: value '0': must be at least 1"
>>> error.message("da")
"AARSHJUL_OVERDUE_EVERY: værdien '0': skal være mindst 1"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_UNSET: Any = object()


class AarshjulError(Exception):
    """Base class: a message meant for a person, never a traceback.

    ``reason`` alone gives the old plain form (``NotFound("no task with id 7")``); the keyword
    fields add where and what. ``exit_code`` is what the CLI exits with.
    """

    exit_code: int = 1

    def __init__(
        self,
        reason: str,
        *,
        reason_da: str | None = None,
        file: str | Path | None = None,
        path: str | None = None,
        field: str | None = None,
        value: Any = _UNSET,
        hint: str | None = None,
        hint_da: str | None = None,
    ) -> None:
        self.reason = reason
        self.reason_da = reason_da
        self.file = str(file) if file is not None else None
        self.path = path
        self.field = field
        self.value = value
        self.hint = hint
        self.hint_da = hint_da
        super().__init__(self.message("en"))

    @property
    def has_value(self) -> bool:
        """True when the error names the offending value."""
        return self.value is not _UNSET

    def location(self) -> str:
        """Where the problem is: ``file: path.field`` (any part may be missing)."""
        inner = ".".join(p for p in (self.path, self.field) if p)
        return ": ".join(p for p in (self.file, inner) if p)

    def message(self, locale: str = "en") -> str:
        """The error as one line in ``locale`` (``da`` or ``en``)."""
        danish = locale.lower().startswith("da")
        reason = (self.reason_da if danish and self.reason_da else None) or self.reason
        hint = (self.hint_da if danish and self.hint_da else None) or self.hint
        parts = [self.location()]
        if self.has_value:
            parts.append(f"{'værdien' if danish else 'value'} {self.value!r}")
        parts.append(reason + (f" ({hint})" if hint else ""))
        return ": ".join(p for p in parts if p)


class ConfigError(AarshjulError):
    """Settings that cannot work."""


class DatabaseError(AarshjulError):
    """The database is unreachable, read-only, not migrated, or newer than this version."""


class InputError(AarshjulError):
    """Bad input: ``location`` names the file and field, ``reason`` says why.

    ``problems`` lists every problem found when there are several (a file checked whole).
    """

    def __init__(self, reason: str, *, problems: list[str] | None = None, **where: Any) -> None:
        super().__init__(reason, **where)
        self.problems = problems or [self.message("en")]


class OrgDataError(InputError):
    """An organisation data file (people, committees, policy areas, goals) is broken."""


class TemplateError(InputError):
    """A cycle template is broken; ``problems`` lists every error found."""


class StatisticsFileError(InputError):
    """A StatBank CSV file or a table mapping is broken; the message names the file, line and reason."""


class CalendarError(AarshjulError):
    """A date expression, closure or calendar operation that cannot be done."""


class RuleViolation(AarshjulError):
    """A plan breaks statutory or local rules that were not waived."""


class NotFound(AarshjulError):
    """Something named by the user does not exist."""


class PermissionDenied(AarshjulError):
    """The person may not do this (e.g. complete another owner's task)."""


class DeliveryError(AarshjulError):
    """A notification channel is invalid or cannot be used."""


class SourceUnavailable(AarshjulError):
    """An outside data source cannot be reached or answered with an error (no network, HTTP 5xx)."""


class NothingDelivered(DeliveryError):
    """Messages were due and every attempt failed; they stay in the outbox for their next try."""

    exit_code = 3


def message_locale(environ: dict[str, str]) -> str:
    """``da`` when the process locale is Danish, else ``en`` (for the CLI's error line).

    >>> message_locale({"LANG": "da_DK.UTF-8"}), message_locale({"LANG": "C.UTF-8"})
    ('da', 'en')
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "da" if value.lower().startswith("da") else "en"
    return "en"


class StateConflict(AarshjulError):
    """The request does not fit the current state, e.g. a submission to a closed phase (HTTP 409)."""


class RateLimited(AarshjulError):
    """Too many requests from one client or for one address in a while (HTTP 429)."""
