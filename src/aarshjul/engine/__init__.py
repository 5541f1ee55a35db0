"""The day's domain behaviour: running a day, the weekly report, next year's plan, progress.

- :mod:`aarshjul.engine.day` — the day runner, :func:`~aarshjul.engine.day.run_day`: the one way
  a day is run, by the tick flow, ``remind``, ``tick``, ``simulate``, the demo and the tests;
- :mod:`aarshjul.engine.report_run` — the weekly board report run (compute, queue, deliver);
- :mod:`aarshjul.engine.next_year` — planning next year's cycle;
- :mod:`aarshjul.engine.phases` — opening and closing phases as the calendar reaches them;
- :mod:`aarshjul.engine.progress` — the one progress query; :mod:`~aarshjul.engine.board_report`;
- :mod:`aarshjul.engine.task_status` — completing a task, with its permission check;
- :mod:`aarshjul.engine.audit_log` — reading the audit trail;
- :mod:`aarshjul.engine.simulation`, :mod:`aarshjul.engine.demo_history`.

Everything here takes a :class:`~aarshjul.runtime.Runtime` or a session and plain values; nothing
imports Prefect or reads settings, the environment or the clock.
"""
