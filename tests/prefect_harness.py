"""One temporary Prefect API for the whole test session, only for the tests that ask for it.

Not autouse: ``import prefect`` alone costs ~3 s and the harness ~12 s, so only flow tests pay.
Heartbeats are off (they add ~1 s to every sync flow run). The server subprocess inherits the
environment, so the logging variables below silence its harmless shutdown noise without hiding
this process's warnings (Prefect configured this process's logging when it was imported).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """The temporary Prefect API's URL; flows called inside the tests run against it."""
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_ROOT_LEVEL", "CRITICAL")
    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield str(PREFECT_API_URL.value())
