"""Pytest configuration shared by every test of the repository (kept minimal: no fixtures,
nothing that changes how a test runs).

* ``tests/`` goes on ``sys.path`` so that the shared helpers in ``tests/support`` import as
  ``support.*`` from any test folder: the module name mypy gives them (``tests/`` is not a
  package), so runtime and type checking agree. (This file sits at the repository root,
  not in ``tests/``, because mypy checks ``tests/`` and would see two top-level modules
  named ``conftest`` there.)
* ``support.session_conformance``: every response a sandbox sends during the session is
  checked against specs/<vendor>/openapi.yaml at the end; a violation fails the session.
* ``support.services``: the fixtures of the tests that need PostgreSQL, Redis or RabbitMQ
  (a place of their own per test; skipped where the service is absent, failed under CI).
"""

import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent / "tests")
if TESTS not in sys.path:
    sys.path.append(TESTS)

pytest_plugins = (
    "support.session_conformance",
    "support.services",
    "support.ledger_backends",
)
