"""Cycle templates and planning a year: template file -> phases, milestones and owned tasks.

- :mod:`~aarshjul.planning.template_schema`: :class:`Template` (the YAML file, validated by pydantic)
- :mod:`~aarshjul.planning.template_files`: :func:`load_template`, :func:`load_builtin_template`,
  :func:`resolve_template_ref`
- :mod:`~aarshjul.planning.date_plan`: :func:`resolve_dates` -> :class:`DatePlan`
- :mod:`~aarshjul.planning.subjects`: ``for_each`` subjects and owners
- :mod:`~aarshjul.planning.plan`: :func:`plan_cycle`, :func:`start_process` -> :class:`PlanResult`
- :mod:`~aarshjul.planning.diff`: :class:`PlanDiff`
- :mod:`~aarshjul.planning.timeline`: the year's phases and milestones in order

See ``docs/templates.md``.
"""
