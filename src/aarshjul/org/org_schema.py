"""The organisation file's schema (YAML, validated by pydantic; unknown fields are errors)."""

from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from aarshjul.models.base import GoalLevel, GoalStatus, Role

Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
Locale = Annotated[str, Field(pattern=r"^(da|en)$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Europe/Copenhagen"
    locale: Locale = "da"
    holiday_country: str = "DK"
    closures: list[str] = Field(default_factory=list)
    template: Key = "helhedsplan"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class PersonSpec(_Strict):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    title: str = ""
    roles: list[str] = Field(default_factory=list)
    locale: Locale = "da"
    superior: EmailStr | None = None
    active: bool = True

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: list[str]) -> list[str]:
        known = [r.value for r in Role]
        for role in value:
            if role not in known:
                close = difflib.get_close_matches(role, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(f"unknown role {role!r}: {hint}(roles: {', '.join(known)})")
        return value

    @field_validator("email", "superior")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class CommitteeSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    chair: EmailStr | None = None
    secretary: EmailStr | None = None


class PolicyAreaSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    committee: Key
    head: EmailStr


class GoalSpec(_Strict):
    key: Key
    level: GoalLevel
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    policy_area: Key
    parent: Key | None = None
    owner: EmailStr | None = None
    committee: Key | None = None
    horizon: tuple[int, int]
    status: GoalStatus = GoalStatus.not_reported
    status_comment: str = ""

    @model_validator(mode="after")
    def _horizon_order(self) -> GoalSpec:
        start, end = self.horizon
        if end < start:
            raise ValueError(f"horizon ends ({end}) before it starts ({start})")
        return self


class OrgFile(_Strict):
    """A whole organisation: the file ``aarshjul org import`` reads and ``org export`` writes."""

    organisation: OrganisationSpec
    people: list[PersonSpec] = Field(default_factory=list)
    committees: list[CommitteeSpec] = Field(default_factory=list)
    policy_areas: list[PolicyAreaSpec] = Field(default_factory=list)
    goals: list[GoalSpec] = Field(default_factory=list)
