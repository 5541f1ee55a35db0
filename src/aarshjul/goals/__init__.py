"""Goal status follow-up (*målopfølgning*): indicators, status reports and their history.

The service functions here are what the CLI (``aarshjul goal report|history``), the web form and
the board report call; none of them reads the clock or the settings.
"""

from aarshjul.goals.reporting import (
    ReportOutcome,
    goal_history,
    parse_indicator_args,
    parse_status,
    report_goal_status,
)
from aarshjul.models.goal_statuses import latest_goal_statuses

__all__ = [
    "ReportOutcome",
    "goal_history",
    "latest_goal_statuses",
    "parse_indicator_args",
    "parse_status",
    "report_goal_status",
]
