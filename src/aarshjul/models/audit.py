"""The audit trail of organisation changes (*revisionsspor*): who changed what, when, old → new.

Task status changes have their own trail (:class:`~aarshjul.models.cycle.TaskEvent`); this table
holds everything else a person decides: an organisation import's changes to people (roles and
superiors included), committees, policy areas and goals, and a cycle's date overrides and rule
waivers. Rows are only ever added.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from aarshjul.models.base import created_at_field


class AuditEvent(SQLModel, table=True):
    """One change: ``entity`` (``person``, ``goal``, ``override``…) ``key`` was ``action``-ed.

    ``changes`` maps each changed field to ``[old, new]`` (``old`` is None for an addition);
    ``actor`` is who did it (an e-mail, ``cli:<login>``, ``engine``); ``source`` what it came
    from (``org import kommune.yaml``, ``plan helhedsplan-2027``); ``note`` a reason.
    """

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_organisation_at", "organisation_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE")
    at: datetime = created_at_field()
    actor: str = Field(max_length=254)
    entity: str = Field(max_length=40)
    key: str = Field(max_length=254)
    action: str = Field(max_length=20)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    source: str = Field(default="", max_length=300)
    note: str = Field(default="", sa_type=sa.Text)
