"""``aarshjul serve``'s process hygiene without a Prefect server: a Ctrl-C that Python loses
inside a finalizer is sent again, and the server it starts dies with it (Linux)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

LOST_INTERRUPT = textwrap.dedent(
    """
    import os, signal, sys, time
    from aarshjul.flows.serve import reliable_interrupts

    class Finalized:
        def __del__(self):  # a KeyboardInterrupt raised here is printed and lost
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)

    try:
        with reliable_interrupts(retry_after=0.5):
            Finalized()  # dropped at once: its finalizer swallows the first Ctrl-C
            print("survived the first Ctrl-C", flush=True)
            time.sleep(30)
    except KeyboardInterrupt:
        print("stopped by the second one", flush=True)
    """
)

ORPHAN = textwrap.dedent(
    """
    import subprocess, sys, time
    from aarshjul.flows.serve import dies_with_parent

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             start_new_session=True, preexec_fn=dies_with_parent())
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


def test_a_lost_ctrl_c_is_sent_again() -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LOST_INTERRUPT], capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["survived the first Ctrl-C", "stopped by the second one"]
    assert "Exception ignored" in done.stderr  # the first one really was lost
    assert time.monotonic() - started < 15  # not the 30 s sleep


def test_interrupts_are_ignored_after_the_block() -> None:
    script = (
        "import os, signal, time\n"
        "from aarshjul.flows.serve import reliable_interrupts\n"
        "with reliable_interrupts():\n    pass\n"
        "os.kill(os.getpid(), signal.SIGINT)\ntime.sleep(0.2)\nprint('still stopping')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "still stopping\n")


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
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"
