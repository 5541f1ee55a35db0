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
from aarshjul.models.organisation import (
    Committee,
    Goal,
    Organisation,
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

__all__ = [
    "OPEN_TASK_STATUSES",
    "AuditEvent",
    "Committee",
    "Cycle",
    "CycleKind",
    "CycleOverride",
    "CycleStatus",
    "DigestItem",
    "DigestReason",
    "Goal",
    "GoalLevel",
    "GoalStatus",
    "Milestone",
    "Organisation",
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
    "Role",
    "RuleWaiver",
    "Task",
    "TaskDependency",
    "TaskEscalation",
    "TaskEvent",
    "TaskReminder",
    "TaskStatus",
]
