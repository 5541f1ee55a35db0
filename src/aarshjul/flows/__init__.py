"""Prefect flows: the daily tick, the weekly board report and next year's planning.

Flows are thin: they resolve plain parameters (an organisation key, an ISO date, a year), call
the plain jobs in :mod:`aarshjul.engine.jobs`, and tell Prefect what happened (events, artifacts).
Only this package and the commands that run flows import Prefect.

- :mod:`aarshjul.flows.tick`: ``aarshjul-tick`` (workdays 07:00)
- :mod:`aarshjul.flows.weekly_report`: ``aarshjul-board-report`` (Mondays 08:00)
- :mod:`aarshjul.flows.next_cycle`: ``aarshjul-plan-next-cycle`` (1 December 06:00)
- :mod:`aarshjul.flows.deployments`: schedules and deployments; :mod:`aarshjul.supervisor`:
  the embedded local Prefect server and runner behind ``aarshjul serve``.
"""
