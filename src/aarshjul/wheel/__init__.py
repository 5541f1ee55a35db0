"""The årshjul picture: the year as a circle with its phases, milestones, meetings and status.

- :mod:`~aarshjul.wheel.wheel_data`: the plain values a picture shows (:class:`WheelData`);
- :mod:`~aarshjul.wheel.wheel_service`: :func:`wheel_data` gathers them from the database;
- :mod:`~aarshjul.wheel.picture`: :func:`draw_wheel` draws them as SVG text (pure);
- :mod:`~aarshjul.wheel.wheel_export`: SVG, PNG and PDF files (CairoSVG, loaded on demand).

What the picture shows and how to read it: ``docs/wheel.md``. Importing this package imports
nothing else.
"""
