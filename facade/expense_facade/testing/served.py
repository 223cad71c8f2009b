"""What a program needs to talk to a served sandbox: the ``EXPENSE_FACADE_<VENDOR>_...``
variables (base URLs and credentials) that ``connect(vendor)`` and the command read
(docs/sandbox.md). ``expense-facade sandbox serve`` prints them; the pytest plugin sets
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expense_facade.config import BASE_URL, env_name, specs_of

if TYPE_CHECKING:
    from expense_facade.sandbox import Sandbox
    from expense_facade.sandbox.server import SandboxServer


def sandbox_environment(sandbox: Sandbox, server: SandboxServer) -> dict[str, str]:
    """``{variable: value}`` pointing each of the sandbox's vendors at ``server``."""
    env: dict[str, str] = {}
    for vendor in sandbox.vendors:
        env[env_name(vendor, BASE_URL.name)] = server.base_url(vendor)
        for name, value in sandbox.credentials(vendor).items():
            env[env_name(vendor, name)] = value
    return env


def vendor_variables(vendors: tuple[str, ...] | list[str]) -> list[str]:
    """Every variable ``connect`` reads for ``vendors``' unnamed accounts (credentials and
    base URL): what a program's own setting could mix into a sandbox's."""
    names = [env_name(v, BASE_URL.name) for v in vendors]
    names += [env_name(v, spec.name) for v in vendors for spec in specs_of(v)]
    return names


__all__ = ["sandbox_environment", "vendor_variables"]
