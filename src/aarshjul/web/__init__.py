"""The web app (*webappen*): sign in, "my tasks", completion from a digest's link.

FastAPI + Jinja2 (autoescaped) + HTMX (vendored in ``static/``), one module per page:
``health`` (``/healthz``), ``login`` (e-mail links, sign out), ``oidc`` (OpenID Connect),
``tasks`` ("my tasks", one task, done/undo/reassign), ``actions`` (a digest's action link).
Build it with :func:`aarshjul.web.app.create_app`; run it with ``aarshjul web``.
"""
