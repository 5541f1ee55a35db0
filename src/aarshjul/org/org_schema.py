"""The organisation file's schema (YAML, validated by pydantic; unknown fields are errors)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from aarshjul.models.base import GoalLevel, GoalStatus, Role

if TYPE_CHECKING:
    from aarshjul.planning.template_schema import Template

Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
Locale = Annotated[str, Field(pattern=r"^(da|en)$")]


def _lower(value: str) -> str:
    return value.lower()


def _date_text(value: Any) -> Any:
    # YAML (and a spreadsheet) read an unquoted 2027-05-07 as a date: accept it as written.
    return value.isoformat() if isinstance(value, date) else value


def _closure(value: str) -> str:
    from aarshjul.calendar.workdays import Closure
    from aarshjul.errors import CalendarError

    try:
        Closure.parse(value)
    except CalendarError as exc:
        raise ValueError(str(exc)) from None
    return value


def _year(value: int) -> int:
    from aarshjul.calendar.names import year_problem

    if (problem := year_problem(value)) is not None:
        raise ValueError(problem)
    return value


def _country(value: str) -> str:
    import holidays

    if value not in holidays.list_supported_countries():
        raise ValueError(
            "not a country the holidays package knows: an ISO 3166 code such as DK, SE, NO or DE"
        )
    return value


def _template_ref(value: str) -> str:
    if re.match(r"^[a-z0-9][a-z0-9_.-]*$", value) and len(value) <= 64:
        return value
    if value.endswith((".yaml", ".yml")):
        return value
    raise ValueError("a template key (helhedsplan) or a template file ending in .yaml or .yml")


Year = Annotated[int, AfterValidator(_year)]
"""A year between 1900 and 2200 (see :data:`aarshjul.calendar.names.MIN_YEAR`)."""
Email = Annotated[EmailStr, AfterValidator(_lower)]
"""An e-mail address, compared case-insensitively: stored and matched in lower case."""
ClosureSpec = Annotated[str, BeforeValidator(_date_text), AfterValidator(_closure)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Elections(_Strict):
    """When the municipal elections fall: ``year`` is any election year, ``every`` the term."""

    year: Year = 2025
    every: int = Field(default=4, ge=1, le=6)


class OrganisationSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field(default="Europe/Copenhagen", max_length=64)
    locale: Locale = "da"
    holiday_country: Annotated[str, AfterValidator(_country)] = Field(default="DK", max_length=8)
    closures: list[ClosureSpec] = Field(default_factory=list)
    template: Annotated[str, AfterValidator(_template_ref)] = "helhedsplan"
    elections: Elections | None = None
    public_calendar: bool = False
    # Statistics Denmark's three-digit municipality code (kommunekode), e.g. "849" for Jammerbugt.
    municipality_code: str | None = Field(default=None, pattern=r"^\d{3}$")

    @field_validator("municipality_code", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        # YAML reads an unquoted 849 as a number; 101 and 849 alike mean the code.
        return f"{value:03d}" if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("closures")
    @classmethod
    def _no_holiday_opened(cls, value: list[str], info: ValidationInfo) -> list[str]:
        from aarshjul.calendar.workdays import Closure, opened_holiday

        country = str(info.data.get("holiday_country") or "")
        for spec in value if country else []:
            if (problem := opened_holiday(Closure.parse(spec), country)) is not None:
                raise ValueError(problem)
        return value

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
    email: Email
    name: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    roles: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list)
    locale: Locale = "da"
    superior: Email | None = None
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


class CommitteeSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    chair: Email | None = None
    secretary: Email | None = None


class PolicyAreaSpec(_Strict):
    key: Key
    name: str = Field(min_length=1, max_length=200)
    committee: Key
    head: Email


class IndicatorSpec(_Strict):
    """A measure the goal is followed up by (*indikator*): ``{name: sygefravær, unit: "%", target: 4.8}``."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^=]+$")
    unit: str = Field(default="", max_length=40)
    target: float | None = Field(default=None, allow_inf_nan=False)


class GoalSpec(_Strict):
    key: Key
    level: GoalLevel
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    policy_area: Key
    parent: Key | None = None
    owner: Email | None = None
    committee: Key | None = None
    horizon: tuple[Year, Year]
    status: GoalStatus = GoalStatus.not_reported
    status_comment: str = ""
    indicators: list[IndicatorSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _horizon_order(self) -> GoalSpec:
        start, end = self.horizon
        if end < start:
            raise ValueError(f"horizon ends ({end}) before it starts ({start})")
        return self

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, value: list[IndicatorSpec]) -> list[IndicatorSpec]:
        names = [i.name for i in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"indicator named more than once: {', '.join(twice)}")
        return value


@dataclass(frozen=True)
class TemplateFile:
    """The template file an organisation file names, read and validated with it."""

    template: Template
    text: str
    source: str


class OrgFile(_Strict):
    """A whole organisation: the file ``aarshjul org import`` reads and ``org export`` writes.

    ``template_file`` is set by :func:`~aarshjul.org.org_files.load_org_file` when
    ``organisation.template`` names a template file; ``org import`` stores that template.
    """

    _template_file: TemplateFile | None = PrivateAttr(default=None)
    _locate: Callable[[str], str] | None = PrivateAttr(default=None)

    @property
    def template_file(self) -> TemplateFile | None:
        return self._template_file

    def locate(self, problem: str) -> str:
        """``goals[3].horizon: …`` as the file names it (a workbook: sheet, row, column)."""
        return self._locate(problem) if self._locate is not None else problem

    organisation: OrganisationSpec
    people: list[PersonSpec] = Field(default_factory=list)
    committees: list[CommitteeSpec] = Field(default_factory=list)
    policy_areas: list[PolicyAreaSpec] = Field(default_factory=list)
    goals: list[GoalSpec] = Field(default_factory=list)
