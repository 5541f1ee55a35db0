"""axe-core (the accessibility engine, from the npm registry) for the browser tests.

``axe_source()`` finds ``axe.min.js``: ``$AARSHJUL_AXE_JS``, else the copy cached under
``tests/.cache/`` (git-ignored), else it runs ``npm pack axe-core@VERSION`` once and unpacks it
there. Without npm or the registry the caller skips (fails under ``CI=true``).
``check(page)`` runs axe with the WCAG 2.1 A and AA rules (the Danish web accessibility law)
and fails with each violation's rule, impact and elements.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest

VERSION = "4.10.3"
CACHE = Path(__file__).parent / ".cache" / f"axe-core-{VERSION}" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    given = os.environ.get("AARSHJUL_AXE_JS")
    if given:
        return Path(given).read_text(encoding="utf-8")
    if not CACHE.exists():
        _fetch()
    return CACHE.read_text(encoding="utf-8")


def _fetch() -> None:
    ci = os.environ.get("CI", "").lower() == "true"
    npm = shutil.which("npm")
    if npm is None:
        if ci:
            pytest.fail("CI=true needs npm to fetch axe-core")
        pytest.skip("npm is not installed: cannot fetch axe-core")
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [npm, "pack", f"axe-core@{VERSION}", "--silent"], cwd=folder, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        if done.returncode != 0:
            if ci:
                pytest.fail(f"npm pack axe-core failed: {done.stderr}")
            pytest.skip(f"npm pack axe-core failed: {done.stderr.strip()[:200]}")
        archive = Path(folder) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(archive) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_bytes(member.read())


def check(page: Any, source: str, what: str) -> None:
    """Run axe on ``page`` (its context must bypass CSP); fail on any WCAG 2.1 AA violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert problems == [], f"accessibility violations on {what}:\n" + "\n".join(problems)
    assert result["passes"], f"axe ran no rule on {what}"
