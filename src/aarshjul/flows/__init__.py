"""Prefect flows: the daily tick, the weekly board report and next year's planning.

Flows are thin: they take plain parameters (an organisation key, an ISO date), build their runtime
context once (:mod:`aarshjul.flows.flow_context`), call the engine's runners
(:mod:`aarshjul.engine.day`, :mod:`aarshjul.engine.report_run`, :mod:`aarshjul.engine.next_year`)
with their steps as Prefect tasks, and tell Prefect what happened (events in
:mod:`aarshjul.flows.events`, artifacts). Only this package and the commands that run flows
import Prefect.

- :mod:`aarshjul.flows.tick`: ``aarshjul-tick`` (workdays 07:00)
- :mod:`aarshjul.flows.weekly_report`: ``aarshjul-board-report`` (Mondays 08:00)
- :mod:`aarshjul.flows.next_cycle`: ``aarshjul-plan-next-cycle`` (1 December 06:00)
- :mod:`aarshjul.flows.deployments`: schedules and deployments; :mod:`aarshjul.supervisor`:
  the embedded local Prefect server and runner behind ``aarshjul serve``.
"""
