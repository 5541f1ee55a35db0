"""The planning staff's own sections of the planning report (*planredegørelsens afsnit*).

Three texts per organisation and year, the parts of the annual review that are not in the data
(the seed's list): new legislation and reforms (*ny lovgivning og reformer*), the region's and
other municipalities' plans (*regionens og andre kommuners planer*) and the municipality's new
policies and plans (*kommunens nye politikker og planer*). The template plans one task for each
(``report_legislation``, ``report_regional``, ``report_policies``).

Promise: a save appends one :class:`~aarshjul.models.ReportSection` row (the whole text, who,
when) in the caller's transaction; rows are never changed or deleted, so the rows are the
history and the audit trail. Saving the text that is already there writes nothing. A save
names the version it was edited from (``base_id``): when someone else saved in between, it is
refused with :class:`SectionConflict` and nothing is written, so no edit silently overwrites
another. Only people with the role ``planning`` may save; ``planning``, ``direktion`` and
``finance`` may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, col

from aarshjul.access.permissions import Viewer
from aarshjul.documents.model import clean_text
from aarshjul.errors import InputError, PermissionDenied
from aarshjul.models.organisation import Organisation, Person
from aarshjul.models.report_sections import ReportSection

#: Who may write the sections, and who may read them with the report (``finance`` owns the
#: report's statistics task).
WRITE_ROLES = frozenset({"planning"})
READ_ROLES = frozenset({"planning", "direktion", "finance"})
BODY_MAX = 50_000
FIRST_YEAR, LAST_YEAR = 2000, 2100


class SectionKey(StrEnum):
    """A section the planning staff write; the value is the stored key."""

    legislation = "legislation"
    regional = "regional"
    policies = "policies"


#: Each section's title in Danish and English, in the report's order.
SECTION_TITLES: dict[SectionKey, dict[str, str]] = {
    SectionKey.legislation: {
        "da": "Ny lovgivning og reformer",
        "en": "New legislation and reforms",
    },
    SectionKey.regional: {
        "da": "Regionens og nabokommunernes planer",
        "en": "Regional and neighbouring municipalities' plans",
    },
    SectionKey.policies: {
        "da": "Kommunens nye politikker og planer",
        "en": "The municipality's new policies and plans",
    },
}

#: The template task (``helhedsplan``) that asks for each section.
SECTION_TASKS: dict[str, SectionKey] = {
    "report_legislation": SectionKey.legislation,
    "report_regional": SectionKey.regional,
    "report_policies": SectionKey.policies,
}


class SectionConflict(InputError):
    """Someone saved the section after the editor opened it; ``current`` is their version."""

    def __init__(self, message: str, *, current: SectionVersion) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class SectionVersion:
    """One saved version of a section: its text, who wrote it (name, e-mail) and when."""

    id: int
    key: SectionKey
    year: int
    body: str
    written_by: str
    written_by_email: str
    written_at: datetime

    @property
    def written(self) -> bool:
        """The section has text (an emptied section counts as not written)."""
        return bool(self.body.strip())


@dataclass(frozen=True)
class SaveOutcome:
    """What :func:`save_section` did: the section's version now, and whether it is new."""

    version: SectionVersion
    created: bool


def parse_key(value: str) -> SectionKey:
    """A section key (``legislation``, ``regional``, ``policies``) or :class:`InputError`."""
    try:
        return SectionKey(value.strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in SectionKey)
        raise InputError(f"section: {value!r} is not a section (use one of: {known})") from None


def check_year(year: int) -> int:
    """``year`` when it is a plausible report year, else :class:`InputError`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"year: {year} is not a year between {FIRST_YEAR} and {LAST_YEAR}")
    return year


def may_read(viewer: Viewer) -> bool:
    return bool(viewer.roles & READ_ROLES)


def may_write(viewer: Viewer) -> bool:
    return bool(viewer.roles & WRITE_ROLES)


def check_may_read(viewer: Viewer) -> None:
    """:class:`PermissionDenied` unless the viewer is ``planning``, ``direktion`` or ``finance``."""
    if not may_read(viewer):
        raise PermissionDenied(
            f"{viewer.email} may not read the planning report: only planning, the direktion and "
            "finance may"
        )


def _versions_query(organisation_id: int) -> sa.Select[ReportSection, str, str]:
    return (
        sa.select(ReportSection, col(Person.name), col(Person.email))
        .join(Person, col(Person.id) == col(ReportSection.written_by_id))
        .where(col(ReportSection.organisation_id) == organisation_id)
    )


def _version(row: ReportSection, name: str, email: str) -> SectionVersion:
    assert row.id is not None
    return SectionVersion(
        id=row.id, key=SectionKey(row.key), year=row.year, body=row.body, written_by=name,
        written_by_email=email, written_at=row.written_at,
    )  # fmt: skip


def current_sections(
    session: Session, *, organisation_id: int, year: int
) -> dict[SectionKey, SectionVersion]:
    """Each section's latest version for ``year`` (sections never saved are absent); one query."""
    latest = (
        sa.select(sa.func.max(col(ReportSection.id)))
        .where(
            col(ReportSection.organisation_id) == organisation_id,
            col(ReportSection.year) == year,
        )
        .group_by(col(ReportSection.key))
    )
    query = _versions_query(organisation_id).where(col(ReportSection.id).in_(latest))
    out: dict[SectionKey, SectionVersion] = {}
    for row, name, email in session.execute(query):
        if row.key in SectionKey.__members__:
            out[SectionKey(row.key)] = _version(row, name, email)
    return out


def section_history(
    session: Session, *, organisation_id: int, year: int, key: SectionKey
) -> list[SectionVersion]:
    """Every version of one section of ``year``, newest first; one query."""
    query = (
        _versions_query(organisation_id)
        .where(col(ReportSection.year) == year, col(ReportSection.key) == key.value)
        .order_by(col(ReportSection.id).desc())
    )
    return [_version(row, name, email) for row, name, email in session.execute(query)]


def save_section(
    session: Session,
    *,
    organisation: Organisation,
    viewer: Viewer,
    year: int,
    key: SectionKey | str,
    body: str,
    base_id: int | None,
    now: datetime,
) -> SaveOutcome:
    """Save ``body`` as the new text of section ``key`` of ``year``'s planning report.

    ``base_id`` is the version the text was edited from (``None`` for a section never saved).
    Raises :class:`PermissionDenied` (not ``planning``), :class:`InputError` (unknown section,
    year, text too long) and :class:`SectionConflict` (someone saved since ``base_id``).

    >>> save_section(session, organisation=org, viewer=planner, year=2027, key="legislation",
    ...              body="Ny planlov pr. 1. juli.", base_id=None, now=now)  # doctest: +SKIP
    """
    if not may_write(viewer) or viewer.organisation_id != organisation.id:
        raise PermissionDenied(
            f"{viewer.email} may not write the planning report's sections: only planning may"
        )
    section = parse_key(key) if isinstance(key, str) else key
    text = _checked_body(body)
    assert organisation.id is not None
    current = _latest(session, organisation.id, check_year(year), section)
    if current is not None and current.body == text:
        return SaveOutcome(current, created=False)
    if (current.id if current else None) != base_id:
        if current is None:
            raise InputError(f"section {section.value}: version {base_id} does not exist")
        raise SectionConflict(
            f"section {section.value} {year} was saved by {current.written_by} after you opened "
            "it; your text is not saved",
            current=current,
        )
    row = ReportSection(
        organisation_id=organisation.id, year=year, key=section.value, body=text,
        written_by_id=viewer.person_id, written_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    version = SectionVersion(row.id, section, year, text, viewer.name, viewer.email, now)
    return SaveOutcome(version, created=True)


def _latest(
    session: Session, organisation_id: int, year: int, key: SectionKey
) -> SectionVersion | None:
    # Locking the organisation's row serialises two saves (PostgreSQL; SQLite has one writer at
    # a time anyway), so the conflict check cannot be raced, not even by two first saves.
    lock = sa.select(col(Organisation.id)).where(col(Organisation.id) == organisation_id)
    session.execute(lock.with_for_update())
    query = (
        _versions_query(organisation_id)
        .where(col(ReportSection.year) == year, col(ReportSection.key) == key.value)
        .order_by(col(ReportSection.id).desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return _version(*row) if row else None


def _checked_body(body: str) -> str:
    # Control characters (NUL above all: PostgreSQL's text refuses it) never reach the table.
    text = clean_text(body).strip()
    if len(text) > BODY_MAX:
        raise InputError(f"body: {len(text)} characters; a section holds at most {BODY_MAX}")
    return text
