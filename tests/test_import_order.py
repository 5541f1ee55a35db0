"""Every module imports on its own, whatever was imported before it (a fresh interpreter each).

``participation.texts`` imports ``notifications``, whose ``compose`` imported
``participation.digest_lines``, which imports ``participation.texts``: a script (or a test) that
imported one of these first failed with a circular ImportError, while the app, importing
``notifications`` first, worked.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_IMPORTS = [
    "aarshjul.participation.texts",
    "aarshjul.participation.plan_texts",
    "aarshjul.participation.digest_lines",
    "aarshjul.web.plan_pages",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_a_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
