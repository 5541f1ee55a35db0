"""The examples in the package's docstrings run, and pass (``doctest``).

Every module of ``aarshjul`` is imported and its docstring examples are run; examples that need a
database or a Prefect server are marked ``# doctest: +SKIP`` where they are written. The Alembic
migrations are not importable on their own and hold no examples.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aarshjul

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(aarshjul.__path__, "aarshjul.")
    if ".migrations" not in info.name and not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) failed in {name} (see output above)"


def test_the_examples_are_found() -> None:
    finder = doctest.DocTestFinder(exclude_empty=True)
    examples = sum(
        len(test.examples)
        for name in MODULES
        for test in finder.find(importlib.import_module(name), name)
    )
    assert examples > 40
