"""The stateful property of issue 19: whatever happens around the export, every approved
expense is in the output exactly once after a final run.

A hypothesis state machine drives ``expense-facade export`` (in this process, through
``cli.main``) against a loopback sandbox (Brex: incremental on update times; Capture: a
queue marked at the vendor) with random sequences of runs, runs killed at a random
protocol step, vendor-side approvals and back-dated updates, clock jumps, respelled base
URLs, swapped credentials (the Brex account pointed at a second company: another sandbox,
Brex only, its own token and server) and ``ledger rebuild``. The final run is a plain run
a week later (so the scheduled reconciliation is due), once per company the Brex account
was ever pointed at; then each vendor's file must hold each approved id exactly once,
checked against the sandboxes' ground truth (for Brex, the union over those companies).

The suite runs the ``default`` profile (well under a minute); a longer search is one
variable away: ``EXACTLY_ONCE_PROFILE=long pytest tests/cli/test_exactly_once_stateful.py``.
Each kind of event is one rule: a step another change makes possible is one more rule. A
rule that still finds a bug on main is left out of the machine, and its shortest failing
example kept below as a test marked ``xfail(strict=True)`` with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from expense_facade.cli import main as cli
from expense_facade.client import ExpenseClient
from expense_facade.clock import FakeClock, SystemClock
from expense_facade.export.ledger import Ledger
from expense_facade.export.sinks.files import FileSink
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.server import SandboxServer
from expense_facade.sandbox.vendors.brex import BrexSim
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from support.ledger_steps import STEPS, Crash, crash_at, every_store_stepped
from support.sandbox import served_env

settings.register_profile(
    "default",
    max_examples=8,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("EXACTLY_ONCE_PROFILE", "default")

VENDORS = ("brex", "capture")
HOSTS = ("127.0.0.1", "localhost")
"""Spellings of the sandbox's host in the base URLs the command is given."""

PENDING: frozenset[str] = frozenset()
"""Rules that still find a bug on main, left out of the search until it is fixed, their
shortest failing examples kept as xfail tests at the end of this module. None today:
``respell`` (issue 19 case 2), ``clock_ahead`` (case 5) and ``rebuild`` (case 6) were
pending until the identity, time and recovery work landed; their examples are plain tests.
``swap_credentials`` models the other company by a second server (another base URL); one
server answering two tokens with two datasets on one URL is not built.
"""


def enabled(name: str) -> Callable[[Any], bool]:
    """A precondition: the rule ``name`` is not pending."""
    return lambda _machine: name not in PENDING


SIZE = 24
WEEK = dt.timedelta(days=7)


class Killed(BaseException):
    """The process "dies" here: raised past every ``except Exception`` of the command, so
    nothing after the step runs (context managers still close files and roll back; the
    subprocess SIGKILL test, tests/cli/test_export_crash.py, is the real kill)."""


LEDGER_POINTS = tuple(f"{when}-{step}" for step in STEPS for when in ("before", "after"))
"""Where a run can be killed in the ledger's protocol: before a step (its transaction rolled
back) or once it is committed (``support.ledger_steps``)."""

OTHER_STEPS: tuple[tuple[object, str], ...] = (
    (FileSink, "append"),
    (ExpenseClient, "mark_exported"),
    (Ledger, "record_state"),
)
"""The other steps a run can be killed at, before or after: the sink's durable append, the
vendor's mark, the position."""


@contextlib.contextmanager
def killed_at(owner: object, method: str, nth: int, *, after: bool) -> Iterator[list[int]]:
    """``owner.method`` (a class's method or a module's function) raises ``Killed`` at its
    ``nth`` call (before or ``after`` running); yields a one-item list counting the calls."""
    real: Callable[..., Any] = getattr(owner, method)
    calls = [0]

    def step(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == nth and not after:
            raise Killed(method)
        result = real(*args, **kwargs)
        if calls[0] == nth:
            raise Killed(method)
        return result

    setattr(owner, method, step)
    try:
        yield calls
    finally:
        setattr(owner, method, real)


@contextlib.contextmanager
def machine_clock(offset: dt.timedelta) -> Iterator[None]:
    """This machine's clock (the export's, not the vendor's) ``offset`` away from now."""
    real = SystemClock.now

    def now(self: SystemClock) -> dt.datetime:
        return real(self) + offset

    SystemClock.now = now  # type: ignore[method-assign]
    try:
        yield
    finally:
        SystemClock.now = real  # type: ignore[method-assign]


OTHER_COMPANY_SEED = 10_001
"""The second company's seed is the first's plus this: never the same seed (the seeds
drawn are at most 10,000), so never the same Brex ids (checked in ``World``)."""


class World:
    """The sandboxes (the first company: every vendor; the second: Brex only, its own
    token and server), the command's environment, the output folder and the ledger."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        # The vendor's clock: its own, moved on by the machine between steps.
        self.vendor_clock = FakeClock(dt.datetime.now(dt.UTC))
        self.sb = Sandbox(seed=seed, size=SIZE, clock=self.vendor_clock, vendors=VENDORS)
        other = Sandbox(
            seed=seed + OTHER_COMPANY_SEED, size=SIZE, clock=self.vendor_clock, vendors=("brex",)
        )
        self.companies = (self.sb, other)
        self.servers = tuple(SandboxServer(sb) for sb in self.companies)
        for server in self.servers:
            server.start()
        self.company_envs = tuple(
            served_env(sb, server) for sb, server in zip(self.companies, self.servers, strict=True)
        )
        self.env = dict(self.company_envs[0])
        self.company = 0  # the company the Brex account is pointed at
        self.pointed = {0}  # every company it was ever pointed at
        every = [
            {self.brex(n).expense_id(i) for i in range(SIZE)} for n in range(len(self.companies))
        ]
        assert not set.intersection(*every), "the two companies share Brex ids: the test is wrong"
        self.out = root / "out"
        self.ledger = root / "ledger.sqlite3"
        self.offset = dt.timedelta(0)  # this machine's clock against the real one
        self.host = HOSTS[0]
        # Capture's approved rows leave its queue once marked: its truth is taken now.
        self.capture_truth = set(self.sb.vendor("capture").approved_ids())

    def close(self) -> None:
        for server in self.servers:
            server.stop()

    def brex(self, company: int) -> BrexSim:
        return cast(BrexSim, self.companies[company].vendor("brex"))

    def truth(self) -> dict[str, set[str]]:
        return {
            "brex": {i for n in sorted(self.pointed) for i in self.brex(n).approved_ids()},
            "capture": self.capture_truth,
        }

    def swap_credentials(self, company: int) -> None:
        """Point the Brex account (base URL and token) at ``company``, under this host's
        current spelling."""
        names = [cli.base_url_env("brex"), *cli.CREDENTIAL_ENV["brex"].values()]
        for name in names:
            value = self.company_envs[company][name]
            if name.endswith("_BASE_URL"):
                value = value.replace(f"//{HOSTS[0]}:", f"//{self.host}:", 1)
            self.env[name] = value
        self.company = company
        self.pointed.add(company)

    def approve_backdated(self, pick: Callable[[list[str]], str], company: int = 0) -> None:
        """Approve a waiting Brex expense (``pick`` chooses) at ``company`` without moving
        its update time."""
        brex = self.brex(company)
        waiting = sorted(brex.ids_with_status("SUBMITTED", "PENDING"))
        if waiting:
            chosen = pick(waiting)
            index = brex.index_of(chosen)
            assert index is not None
            brex.set_status(chosen, "APPROVED", at=brex.updated_at(index))

    def respell(self, host: str) -> None:
        """Point the command at the same server under another spelling of its host."""
        for name, value in self.env.items():
            if name.endswith("_BASE_URL"):
                self.env[name] = value.replace(f"//{self.host}:", f"//{host}:", 1)
        self.host = host

    def export(self, *extra: str) -> int:
        argv = ["export", "--out", f"{self.out}/", "--ledger", str(self.ledger), "--quiet"]
        for vendor in VENDORS:
            argv += ["--vendor", vendor]
        with machine_clock(self.offset), contextlib.redirect_stderr(io.StringIO()):
            return cli.main([*argv, *extra], environ=self.env)

    def exported(self, vendor: str) -> list[str]:
        path = self.out / f"{vendor}.jsonl"
        if not path.exists():
            return []
        return [json.loads(line)["id"] for line in path.read_text().splitlines()]

    def rebuild(self, *, lost: bool) -> int:
        """``ledger rebuild --from`` each output file, into the ledger as it is or (``lost``)
        into a new one, the ledger having been lost."""
        if lost:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.ledger}{suffix}").unlink(missing_ok=True)
        files = [str(p) for p in sorted(self.out.glob("*.jsonl")) if p.name in _VENDOR_FILES]
        if not files:
            return cli.EXIT_OK
        argv = ["ledger", "rebuild", "--ledger", str(self.ledger)]
        for name in files:
            argv += ["--from", name]
        with contextlib.redirect_stderr(io.StringIO()):
            return cli.main(argv, environ=self.env)


_VENDOR_FILES = {f"{vendor}.jsonl" for vendor in VENDORS}


class ExactlyOnce(RuleBasedStateMachine):
    """Random events around the export; the final run must leave every approved expense
    in the output exactly once."""

    world: World

    def __init__(self) -> None:
        super().__init__()
        self.dirs: list[Path] = []

    @initialize(seed=st.integers(1, 10_000))
    def start(self, seed: int) -> None:
        root = Path(os.environ.get("TMPDIR", "/tmp")) / f"exactly-once-{os.getpid()}-{id(self)}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        self.dirs.append(root)
        self.world = World(root, seed)

    # -- the export, whole or killed --------------------------------------------------------

    @rule()
    def run(self) -> None:
        code = self.world.export()
        assert code in (cli.EXIT_OK, cli.EXIT_PARTIAL), code

    @rule(point=st.sampled_from(LEDGER_POINTS), nth=st.integers(1, 3))
    def run_killed_in_the_ledger(self, point: str, nth: int) -> None:
        with contextlib.suppress(Crash), every_store_stepped(crash_at(point, nth)):
            self.world.export()

    @rule(step=st.sampled_from(OTHER_STEPS), nth=st.integers(1, 3), after=st.booleans())
    def run_killed(self, step: tuple[object, str], nth: int, after: bool) -> None:
        owner, method = step
        with contextlib.suppress(Killed), killed_at(owner, method, nth, after=after):
            self.world.export()

    # -- the vendor --------------------------------------------------------------------------

    # Which waiting expense is chosen by an index drawn whatever the state: a draw that
    # depends on the sandbox's state makes hypothesis's replays inconsistent.
    @rule(pick=st.integers(0, 1_000), company=st.integers(0, 1))
    def approve(self, pick: int, company: int = 0) -> None:
        """An expense is approved at a company's Brex now (the vendor's clock), whether or
        not the account is pointed at that company."""
        brex = self.world.brex(company)
        waiting = sorted(brex.ids_with_status("SUBMITTED", "PENDING"))
        if waiting:
            brex.set_status(waiting[pick % len(waiting)], "APPROVED")
        self.world.vendor_clock.advance(60)

    # -- the machine -------------------------------------------------------------------------

    @rule(pick=st.integers(0, 1_000), company=st.integers(0, 1))
    def approve_backdated(self, pick: int, company: int = 0) -> None:
        """An expense approved at a company's Brex with the update time it had before (a
        late commit, an import): older than the position, an incremental run does not see
        it; the scheduled reconciliation does."""
        self.world.approve_backdated(lambda ids: ids[pick % len(ids)], company)

    @rule(days=st.integers(-30, 0))
    def clock_back(self, days: int) -> None:
        """This machine's clock set back by up to a month (or right again, 0)."""
        self.world.offset = dt.timedelta(days=days)

    @precondition(enabled("clock_ahead"))
    @rule(days=st.integers(1, 400))
    def clock_ahead(self, days: int) -> None:
        """This machine's clock set ahead by up to 400 days."""
        self.world.offset = dt.timedelta(days=days)

    @precondition(enabled("respell"))
    @rule(host=st.sampled_from(HOSTS))
    def respell(self, host: str) -> None:
        """The same sandbox reached under another spelling of its host."""
        self.world.respell(host)

    @precondition(enabled("swap_credentials"))
    @rule(company=st.integers(0, 1))
    def swap_credentials(self, company: int) -> None:
        """The Brex account pointed at a company's credentials (its token and base URL):
        the other company, or the same again."""
        self.world.swap_credentials(company)

    @precondition(enabled("rebuild"))
    @rule(lost=st.booleans())
    def rebuild(self, lost: bool) -> None:
        """``ledger rebuild --from`` the output, into the ledger or after losing it."""
        code = self.world.rebuild(lost=lost)
        assert code in (cli.EXIT_OK, cli.EXIT_FATAL), code

    @invariant()
    def nothing_twice(self) -> None:
        """Whatever happened, no record is in the output twice (checked after each step)."""
        if not hasattr(self, "world"):
            return
        for vendor in VENDORS:
            ids = self.world.exported(vendor)
            assert len(ids) == len(set(ids)), f"{vendor}: duplicated"

    def teardown(self) -> None:
        try:
            if hasattr(self, "world"):
                self.final_run_exports_everything_once()
        finally:
            if hasattr(self, "world"):
                self.world.close()
            for root in self.dirs:
                shutil.rmtree(root, ignore_errors=True)

    def final_run_exports_everything_once(self) -> None:
        world = self.world
        world.offset = max(world.offset, dt.timedelta(0)) + WEEK + dt.timedelta(days=1)
        # A company's records are listed only while the account points at it: a final run
        # for each company it was ever pointed at.
        for company in sorted(world.pointed):
            world.swap_credentials(company)
            code = world.export()
            assert code == cli.EXIT_OK, (company, code)
        for vendor, ids in world.truth().items():
            found = world.exported(vendor)
            assert len(found) == len(set(found)), f"{vendor}: duplicated"
            assert set(found) == ids, f"{vendor}: {len(ids - set(found))} lost"


TestExactlyOnce = ExactlyOnce.TestCase
TestExactlyOnce.settings = settings.get_profile(PROFILE)


# -- the examples the pending rules found (issue 19), kept as tests -------------------------------


def replay(*steps: Callable[[ExactlyOnce], None]) -> None:
    """Run ``steps`` on a fresh machine, then its final run and check."""
    machine = ExactlyOnce()
    machine.start(seed=1)
    try:
        for step in steps:
            step(machine)
            machine.nothing_twice()
    finally:
        machine.teardown()


def test_respelled_host_exports_nothing_twice() -> None:
    # Issue 19 case 2 (the dedupe key depended on the base URL's spelling): an xfail
    # example of the pending ``respell`` rule until the account identity work landed.
    replay(
        lambda m: m.run(),
        lambda m: m.respell("localhost"),
        lambda m: m.run(),
    )


def test_clock_set_ahead_then_back_dated_approval_is_exported() -> None:
    # Issue 19 case 5 (after a run under a clock set ahead no reconciliation ran again): an
    # xfail example of the pending ``clock_ahead`` rule until the time rules landed.
    replay(
        lambda m: m.clock_ahead(days=400),
        lambda m: m.run(),
        lambda m: m.clock_back(days=0),
        lambda m: m.run(),
        lambda m: m.world.approve_backdated(lambda ids: ids[0]),
    )


def test_rebuild_after_a_kill_between_append_and_written_loses_nothing() -> None:
    # Issue 19 case 6, found by the ``rebuild`` rule while it was pending; fixed on main.
    replay(
        lambda m: m.run_killed(step=(FileSink, "append"), nth=1, after=True),
        lambda m: m.rebuild(lost=False),
    )


def test_swapped_credentials_export_both_companies_once() -> None:
    # The ``swap_credentials`` rule's plainest sequence: runs under each company's token,
    # approvals at the company not pointed at, and back.
    replay(
        lambda m: m.run(),
        lambda m: m.swap_credentials(company=1),
        lambda m: m.approve(pick=0, company=0),
        lambda m: m.run(),
        lambda m: m.approve(pick=0, company=1),
        lambda m: m.swap_credentials(company=0),
        lambda m: m.run(),
    )
