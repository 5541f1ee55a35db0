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
from aarshjul.models.org import Committee, Goal, Organisation, Person, PersonRole, PolicyArea

__all__ = [
    "OPEN_TASK_STATUSES",
    "Committee",
    "Cycle",
    "CycleKind",
    "CycleOverride",
    "CycleStatus",
    "Goal",
    "GoalLevel",
    "GoalStatus",
    "Milestone",
    "Organisation",
    "Person",
    "PersonRole",
    "Phase",
    "PhaseStatus",
    "PolicyArea",
    "RuleWaiver",
    "Task",
    "TaskDependency",
    "TaskEvent",
    "TaskReminder",
    "TaskStatus",
]
