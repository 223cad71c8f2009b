"""The whole suite runs apart from the developer's own set-up: no config file of theirs
(``connect()`` and the command read ``~/.config/expense-facade/config.toml`` by default)
and no ``EXPENSE_FACADE_*`` variable of theirs reaches a test or the processes it starts.
A test that wants either sets it itself (docs/command.md, "Configuration").
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
from expense_facade import logs
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


@pytest.fixture(autouse=True)
def _library_logging_restored() -> Iterator[None]:
    """Each test leaves the library's loggers as it found them: an in-process
    ``cli.main`` installs its console handler and sets the ``expense_facade`` logger's
    level, which would otherwise hide a later test's INFO lines from ``caplog``."""
    loggers = [logging.getLogger(name) for name in (logs.LIBRARY_LOGGER, *logs.HTTP_LOGGERS)]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    installed = logs.installed_handler()
    yield
    for logger, level, handlers in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers
    logs._installed = installed


@pytest.fixture(params=("sync", "async"))
def driver(request: pytest.FixtureRequest) -> str:
    """The driver of the one send logic a session test runs on (``support.scripted_http
    .session(driver=...)``): every test about the session's behaviour runs on both."""
    return str(request.param)
