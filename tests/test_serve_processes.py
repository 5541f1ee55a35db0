"""``aarshjul serve``'s process hygiene without a Prefect server: the server it starts dies with
it, even when serve is killed (Linux)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

ORPHAN = textwrap.dedent(
    """
    import subprocess, sys, time
    from aarshjul.supervisor import dies_with_parent

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             start_new_session=True, preexec_fn=dies_with_parent())
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_a_child_started_with_dies_with_parent_stops_when_the_parent_is_killed() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.kill()  # SIGKILL: no finally, no cleanup in the parent
        parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child), "the child outlived its killed parent"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A dead child of the killed parent is reparented and reaped; a zombie counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:  # reaped between the two checks
        return False
