"""The whole suite runs apart from the developer's own set-up: no config file of theirs
(``connect()`` and the command read ``~/.config/expense-facade/config.toml`` by default)
and no ``EXPENSE_FACADE_*`` variable of theirs reaches a test or the processes it starts.
A test that wants either sets it itself (docs/command.md, "Configuration").
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from expense_facade.config import ENV_PREFIX


def pytest_configure(config: pytest.Config) -> None:
    # Before any test module is imported: some read the environment at import time.
    for name in [n for n in os.environ if n.startswith(ENV_PREFIX + "_")]:
        del os.environ[name]
    home = tempfile.mkdtemp(prefix="expense-facade-tests-")
    config.add_cleanup(lambda: shutil.rmtree(home, ignore_errors=True))
    # The config folder (XDG on Linux, under HOME on macOS, APPDATA on Windows) and the
    # default ledger's data folder.
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "data")
    os.environ["APPDATA"] = home
    os.environ["HOME"] = home


@pytest.fixture(params=("sync", "async"))
def driver(request: pytest.FixtureRequest) -> str:
    """The driver of the one send logic a session test runs on (``support.scripted_http
    .session(driver=...)``): every test about the session's behaviour runs on both."""
    return str(request.param)
