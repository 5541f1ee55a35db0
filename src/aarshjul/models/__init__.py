"""Tables, the engine/session seam's table registry, and queries. Knows nothing of Prefect.

Importing this package registers every table on ``SQLModel.metadata``.
"""

from aarshjul.models.base import (
    OPEN_TASK_STATUSES,
    CycleKind,
    CycleStatus,
    GoalLevel,
    GoalStatus,
    PhaseStatus,
    TaskStatus,
)
from aarshjul.models.calendar_feed import FeedEntry, FeedToken
from aarshjul.models.cycle import (
    Cycle,
    CycleOverride,
    Milestone,
    Phase,
    RuleWaiver,
    Task,
    TaskDependency,
    TaskEvent,
    TaskReminder,
)
from aarshjul.models.goal_tracking import GoalIndicator, GoalReport, ReportStatus
from aarshjul.models.organisation import (
    Committee,
    Goal,
    Organisation,
    OrganisationTemplate,
    Person,
    PersonRole,
    PolicyArea,
)
from aarshjul.models.outbox import (
    DigestItem,
    DigestReason,
    OutboxDelivery,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    PersonChannel,
    TaskEscalation,
)
from aarshjul.models.report_sections import ReportSection
from aarshjul.models.statistic_figures import StatisticFigure, StatisticImport
from aarshjul.models.web import AccessEvent, RateLimitHit, SignInToken, WebSession

__all__ = [
    "OPEN_TASK_STATUSES",
    "AccessEvent",
    "Committee",
    "Cycle",
    "CycleKind",
    "CycleOverride",
    "CycleStatus",
    "DigestItem",
    "DigestReason",
    "FeedEntry",
    "FeedToken",
    "Goal",
    "GoalIndicator",
    "GoalLevel",
    "GoalReport",
    "GoalStatus",
    "Milestone",
    "Organisation",
    "OrganisationTemplate",
    "OutboxDelivery",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PersonChannel",
    "PersonRole",
    "Phase",
    "PhaseStatus",
    "PolicyArea",
    "RateLimitHit",
    "ReportSection",
    "ReportStatus",
    "RuleWaiver",
    "SignInToken",
    "StatisticFigure",
    "StatisticImport",
    "Task",
    "TaskDependency",
    "TaskEscalation",
    "TaskEvent",
    "TaskReminder",
    "TaskStatus",
    "WebSession",
]
