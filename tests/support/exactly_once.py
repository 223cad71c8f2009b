"""Runs of the ``expense-facade export`` command against sandboxes served on loopback, and
the tally of an output folder against the sandbox's ground truth (issue 19's cases).

Everything here goes through the command (``cli.main``) and the sandbox's hooks only, so
the same scenarios measure an older checkout too (``scripts``-free: run them with that
checkout's ``facade`` first on ``PYTHONPATH``).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from expense_facade.cli import main as cli
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.server import SandboxServer


@attrs.frozen
class Tally:
    """An output folder against the ground truth."""

    lost: int
    duplicated: int
    exported: int

    @property
    def exactly_once(self) -> bool:
        return self.lost == 0 and self.duplicated == 0


@attrs.frozen
class Run:
    """One command run: its exit code and what it printed on stderr."""

    code: int
    err: str


@contextlib.contextmanager
def served(
    vendors: Sequence[str], *, seed: int = 7, size: int = 60, clock: object = None
) -> Iterator[tuple[Sandbox, SandboxServer]]:
    """A sandbox of ``vendors`` served on loopback (port chosen by the OS)."""
    sb = Sandbox(seed=seed, size=size, vendors=tuple(vendors), clock=clock)  # type: ignore[arg-type]
    with sb.serve(port=0) as server:
        yield sb, server


def environ(
    sb: Sandbox,
    server: SandboxServer,
    home: Path,
    *,
    host: str = "127.0.0.1",
    settings: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, str]:
    """The variables that point the command at ``server`` (``host`` spelling the loopback
    address), with each vendor's sandbox credentials (``settings`` override some)."""
    env = {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    for vendor in sb.vendors:
        env[cli.base_url_env(vendor)] = server.base_url(vendor).replace("127.0.0.1", host)
        given = {**sb.credentials(vendor), **(settings or {}).get(vendor, {})}
        for name, value in given.items():
            if name in cli.CREDENTIAL_ENV[vendor]:
                env[cli.CREDENTIAL_ENV[vendor][name]] = value
    return env


def command(env: Mapping[str, str], *argv: str) -> Run:
    """``expense-facade ARGV`` in this process; its stderr captured."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(list(argv), environ=dict(env))
    return Run(code, err.getvalue())


def export(env: Mapping[str, str], out: Path, ledger: Path, *extra: str) -> Run:
    """``export --vendor all`` the served vendors into the folder ``out``."""
    vendors = [v for v in cli.CREDENTIAL_ENV if cli.base_url_env(v) in env]
    argv = ["export", "--out", f"{out}/", "--ledger", str(ledger), "--no-rate-limit", "-q"]
    for vendor in vendors:
        argv += ["--vendor", vendor]
    return command(env, *argv, *extra)


def exported_ids(out: Path, vendor: str) -> list[str]:
    """Every id in ``out/<vendor>*.jsonl``, repeats included."""
    ids: list[str] = []
    for path in sorted(out.glob(f"{vendor}*.jsonl")):
        ids.extend(json.loads(line)["id"] for line in path.read_text().splitlines())
    return ids


def tally(out: Path, truth: Mapping[str, set[str]]) -> Tally:
    """Lost (approved, not in the output) and duplicated (in it more than once)."""
    lost = duplicated = exported = 0
    for vendor, ids in truth.items():
        seen = collections.Counter(exported_ids(out, vendor))
        lost += len(ids - set(seen))
        duplicated += sum(n - 1 for n in seen.values() if n > 1)
        exported += len(seen)
    return Tally(lost, duplicated, exported)


def truth_of(sb: Sandbox) -> dict[str, set[str]]:
    """Every served vendor's approved ids (Capture: its export queue) now."""
    return {vendor: set(sb.vendor(vendor).approved_ids()) for vendor in sb.vendors}


def approve_brex(sb: Sandbox, count: int, *, at: dt.datetime | None = None) -> list[str]:
    """Approve ``count`` submitted Brex expenses (updated ``at``, default the vendor's now)."""
    sim: Any = sb.vendor("brex")
    waiting = [i for i in sim.ids_with_status("SUBMITTED") if "purchased_at" in sim.get(i)]
    for expense_id in waiting[:count]:
        sim.set_status(expense_id, "APPROVED", at=at)
    return waiting[:count]


def approve_prospend(sb: Sandbox, count: int, *, at: dt.datetime | None = None) -> list[str]:
    """Finalise ``count`` pending ProSpend claims that have expenses; their expense ids."""
    sim: Any = sb.vendor("prospend")
    claims = [
        c for c in sim.claim_ids_with_status("PendingApproval") if sim.expense_ids_of_claim(c)
    ][:count]
    for claim_id in claims:
        sim.set_claim_status(claim_id, "Finalised", at=at)
    return [i for c in claims for i in sim.expense_ids_of_claim(c)]
