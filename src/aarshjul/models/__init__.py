"""Tables, the engine/session seam's table registry, and queries. Knows nothing of Prefect.

Importing this package registers every table on ``SQLModel.metadata``.
"""

from aarshjul.models.audit import AuditEvent
from aarshjul.models.base import (
    OPEN_TASK_STATUSES,
    CycleKind,
    CycleStatus,
    GoalLevel,
    GoalStatus,
    PhaseStatus,
    Role,
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
    OrganisationChannel,
    OutboxDelivery,
    OutboxImage,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    PersonChannel,
    TaskEscalation,
)
from aarshjul.models.participation import (
    PlanText,
    Recommendation,
    Submission,
    SubmissionAttachment,
    SubmissionEvent,
)
from aarshjul.models.report_sections import ReportSection
from aarshjul.models.statistic_figures import StatisticFigure, StatisticImport
from aarshjul.models.web import AccessEvent, RateLimitHit, SignInToken, WebSession

__all__ = [
    "OPEN_TASK_STATUSES",
    "AccessEvent",
    "AuditEvent",
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
    "OrganisationChannel",
    "OrganisationTemplate",
    "OutboxDelivery",
    "OutboxImage",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PersonChannel",
    "PersonRole",
    "Phase",
    "PhaseStatus",
    "PlanText",
    "PolicyArea",
    "RateLimitHit",
    "Recommendation",
    "ReportSection",
    "ReportStatus",
    "Role",
    "RuleWaiver",
    "SignInToken",
    "StatisticFigure",
    "StatisticImport",
    "Submission",
    "SubmissionAttachment",
    "SubmissionEvent",
    "Task",
    "TaskDependency",
    "TaskEscalation",
    "TaskEvent",
    "TaskReminder",
    "TaskStatus",
    "WebSession",
]
