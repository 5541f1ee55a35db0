"""The board's pages make a fixed number of queries: the count of SQL statements for ``/board``,
its polled fragment, a drill-down and a download is the same on a small organisation and on one
five times its size (counted with SQLAlchemy's ``before_cursor_execute`` event)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.board_support import BoardWorld, board_world

PAGES = ("/board", "/board/panels", "/board/committee/u1", "/board/person/chef1@example.dk",
         "/board/phase/helhedsplan-2027--idea", "/board/export/overdue.xlsx")  # fmt: skip


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _counts(world: BoardWorld) -> dict[str, int]:
    client = world.client("dir")
    client.get("/board")  # warm: templates and the wheel's meeting plan are cached per process
    out = {}
    for path in PAGES:
        with counted(world.runtime.engine) as statements:
            assert client.get(path).status_code == 200, path
        out[path] = len(statements)
    return out


def test_statement_count_does_not_grow_with_the_organisation(
    tmp_path: Path, _sqlite_template: Path
) -> None:
    worlds = {}
    for name, groups in (("small", 4), ("large", 20)):  # 5x the committees, people and tasks
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(_sqlite_template, folder / "aarshjul.db")
        worlds[name] = board_world(f"sqlite:///{folder}/aarshjul.db", folder, extra_groups=groups)
    small, large = _counts(worlds["small"]), _counts(worlds["large"])
    assert small == large
    assert all(n <= 30 for n in small.values()), small  # a handful, not one per row
    assert small["/board/committee/u1"] <= 8, small
