"""The one exception tree of aarshjul.

Every error the engine raises on purpose derives from :class:`AarshjulError`. Domain code raises
them with *where* (a file, a YAML path, an expression and position), *what* (the offending value) and
*why*; the CLI turns any of them into a message on stderr and a non-zero exit, flows let them fail
the run.

``AarshjulError``
    ``ConfigError``     settings that cannot work (a bad URL, an unsafe value)
    ``DatabaseError``   the database is missing, not migrated, or refused a write
    ``InputError``      bad user input: a file, a field, a value (``OrgDataError``, ``TemplateError``,
                        ``StatisticsFileError``)
    ``CalendarError``   a date expression that does not parse or resolve; a bad closure
    ``RuleViolation``   statutory or local rules broken by a plan
    ``NotFound``        an organisation, person, task … that does not exist
    ``PermissionDenied`` a person may not do what was asked
    ``DeliveryError``   a notification channel that cannot be used
    ``SourceUnavailable`` an outside data source (Statistics Denmark's StatBank API) cannot be reached
    ``StateConflict``   the request does not fit the current state (a phase not open to the public)
    ``RateLimited``     too many requests from one client or for one address
"""

from __future__ import annotations


class AarshjulError(Exception):
    """Base class: a message meant for a person, never a traceback."""

    exit_code: int = 1


class ConfigError(AarshjulError):
    """Settings that cannot work."""


class DatabaseError(AarshjulError):
    """The database is unreachable, not migrated, or refused a write."""


class InputError(AarshjulError):
    """Bad input: ``location`` names the file and field, ``reason`` says why."""

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        self.problems = problems or [message]
        super().__init__(message)


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


class StateConflict(AarshjulError):
    """The request does not fit the current state, e.g. a submission to a closed phase (HTTP 409)."""


class RateLimited(AarshjulError):
    """Too many requests from one client or for one address in a while (HTTP 429)."""
