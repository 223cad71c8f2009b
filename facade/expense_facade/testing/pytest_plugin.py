"""The pytest plugin of the ``testing`` extra, registered by its ``pytest11`` entry point:
fixtures for an integration's own tests, with no code of theirs (docs/sandbox.md,
"pytest fixtures").

- ``expense_sandbox``: a fresh in-process ``Sandbox`` on a fake clock (retries and waits
  cost no time); ``@pytest.mark.expense_sandbox(seed=..., size=..., vendors=[...])``
  shapes it.
- ``expense_faults``: that sandbox's fault rules (``expense_faults.add(vendor, route,
  Fault...)``).
- ``expense_sandbox_server``: the same sandbox served on a loopback port.
- ``expense_sandbox_env``: the ``EXPENSE_FACADE_<VENDOR>_...`` variables pointing at that
  server set for the test, so ``connect("brex")`` and the command talk to it.

Importing this module imports no simulator: the fixtures do, when a test asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from expense_facade.sandbox import Sandbox
    from expense_facade.sandbox.faults import FaultSet
    from expense_facade.sandbox.server import SandboxServer

MARKER = "expense_sandbox"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(seed=1, size=500, vendors=..., sizes=..., auth='token'): the sandbox the "
        "expense_facade fixtures give this test (expense_facade.sandbox.Sandbox arguments)",
    )


@pytest.fixture
def expense_sandbox(request: pytest.FixtureRequest) -> Sandbox:
    """A fresh in-process sandbox of the five vendor APIs, on a fake clock."""
    from expense_facade.clock import FakeClock
    from expense_facade.sandbox import Sandbox

    marker = request.node.get_closest_marker(MARKER)
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    options.setdefault("clock", FakeClock())
    return Sandbox(**options)


@pytest.fixture
def expense_faults(expense_sandbox: Sandbox) -> FaultSet:
    """The fault rules of ``expense_sandbox`` (docs/sandbox.md, "Faults")."""
    return expense_sandbox.faults


@pytest.fixture
def expense_sandbox_server(expense_sandbox: Sandbox) -> Iterator[SandboxServer]:
    """``expense_sandbox`` served over HTTP on a free loopback port for the test."""
    with expense_sandbox.serve(port=0) as server:
        yield server


@pytest.fixture
def expense_sandbox_env(
    expense_sandbox: Sandbox,
    expense_sandbox_server: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> dict[str, str]:
    """The variables pointing ``connect(vendor)`` and the command at the served sandbox,
    set for the test; the vendors' other variables are unset and the config file is an
    empty one, so nothing of the machine's own setup mixes in."""
    from expense_facade.config import CONFIG_ENV
    from expense_facade.testing.served import sandbox_environment, vendor_variables

    env = sandbox_environment(expense_sandbox, expense_sandbox_server)
    for name in vendor_variables(list(expense_sandbox.vendors)):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "expense-facade-config.toml"
    empty.write_text("")
    monkeypatch.setenv(CONFIG_ENV, str(empty))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
