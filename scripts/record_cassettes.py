"""Record the HTTP cassettes replayed in CI: ``tests/cassettes/<vendor>/<scenario>.yaml``.

By default every scenario runs through the facade against the sandbox served on loopback
(``Sandbox(seed=SEED, size=SIZE, clock=FakeClock(START))``: seeded data and a frozen
clock, so recording twice writes identical files). ``--live`` records against the real
vendors instead, for every vendor whose credentials are in the environment
(``EXPENSE_FACADE_<VENDOR>_...``, see ``LIVE_CREDENTIALS``; ``..._BASE_URL`` overrides the
host), running only read-only scenarios unless ``--allow-writes`` is given.

Sandbox and live recordings go through the same ``expense_facade.testing.cassettes``
scrubbing: the credentials used and every canary are registered as secrets, the recording
origin becomes ``https://cassette.invalid``, signature parameters and volatile headers are
normalised. Each cassette is recorded into a temporary folder and copied into place only
when its scenario succeeded.

Usage::

    python scripts/record_cassettes.py                      # all vendors, all scenarios
    python scripts/record_cassettes.py --vendor brex --scenario upload_receipt
    python scripts/record_cassettes.py --check              # re-record to a temp dir, diff
    python scripts/record_cassettes.py --live --vendor revolut    # -> tests/cassettes/live/
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import expense_facade as ef
from expense_facade.clock import FakeClock
from expense_facade.config import env_name
from expense_facade.operations import Operation
from expense_facade.registry import adapter_class, capabilities, normalise_vendor
from expense_facade.sandbox.app import load_simulator
from expense_facade.testing.cassettes import (
    PLACEHOLDER_ORIGIN,
    Scrubber,
    SecretScanner,
    canary,
    make_vcr,
)

REPO = Path(__file__).resolve().parent.parent
CASSETTE_ROOT = REPO / "tests" / "cassettes"
LIVE_CASSETTE_ROOT = CASSETTE_ROOT / "live"
"""Default output of ``--live``: kept apart from the sandbox cassettes the replay tests use
(their data differs), yet under the folder the secret scanner checks."""

VENDORS: tuple[str, ...] = ef.available_vendors()
"""Every registered vendor (the registry, with the vendors entry points add)."""
SEED = 7
"""Sandbox seed of the committed cassettes (the replay tests rebuild the same ground truth)."""
SIZE = 30
"""Expenses per vendor in the recording sandbox: small files, yet several pages."""
PAGE_SIZE = 4
"""Page size of the paged listing scenario: with SIZE it spans several pages per vendor."""
START = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
"""The frozen sandbox (and client) clock while recording."""

SANDBOX_PATHS: Mapping[str, str] = {v: load_simulator(v).mount for v in VENDORS}
"""Each simulator's mount: the path part of each vendor's base URL in the cassettes."""
SECRET_CREDENTIALS: tuple[str, ...] = tuple(
    sorted({c.name for v in VENDORS for c in adapter_class(v).credential_specs if c.secret})
)
"""Credential arguments whose values are secrets, as the adapters declare them
(``company_id``/``version`` are not; ``refresh_token`` and ``private_key`` are Revolut's
refresh settings)."""


def _live_credentials(vendor: str) -> Mapping[str, str]:
    # What connect() requires; a vendor with alternative ways (Revolut: a token or the
    # refresh settings, none required alone) is recorded with its first, the static token.
    cls = adapter_class(vendor)
    names = cls.required_credentials or (cls.credential_specs[0].name,)
    return {name: env_name(vendor, name) for name in names}


LIVE_CREDENTIALS: Mapping[str, Mapping[str, str]] = {v: _live_credentials(v) for v in VENDORS}
"""connect() argument → environment variable, per vendor, for ``--live``."""

RECEIPT_BYTES = b"%PDF-1.4\n% expense-facade cassette receipt\n1 0 obj <<>> endobj\n%%EOF\n"
"""The receipt uploaded by the Brex scenarios (a tiny, fixed PDF)."""


def cassette_base_url(vendor: str) -> str:
    """The base URL a replay passes to ``connect``: the placeholder origin stored in the
    cassettes plus the sandbox mount path."""
    return PLACEHOLDER_ORIGIN + SANDBOX_PATHS[vendor]


def canary_credentials(vendor: str, credentials: Mapping[str, Any]) -> dict[str, Any]:
    """``credentials`` with every secret replaced by this vendor's canary (a wrong
    credential the scrubber must remove from the recording)."""
    return {
        name: canary(f"{vendor}-{name}") if name in SECRET_CREDENTIALS else value
        for name, value in credentials.items()
    }


def canary_values() -> list[str]:
    """Every canary the recorder can send (the secret scanner fails on any of them)."""
    return [canary(f"{v}-{name}") for v in VENDORS for name in SECRET_CREDENTIALS]


def recording_sandbox() -> Any:
    """A fresh sandbox exactly as the recorder uses it (and the replay tests' ground truth)."""
    from expense_facade.sandbox.app import Sandbox

    return Sandbox(seed=SEED, size=SIZE, clock=FakeClock(START))


def sandbox_secrets() -> list[str]:
    """The sandbox's own credentials for the recording seed (never to appear in a cassette)."""
    sandbox = recording_sandbox()
    found: list[str] = []
    for vendor in sandbox.vendors:
        sim = sandbox.vendor(vendor)
        settings = {**sim.credentials(), **(sim.refresh_credentials() or {})}
        for name, value in settings.items():
            if name in SECRET_CREDENTIALS:
                # A private key's lines too: part of one is as much a leak as all of it.
                found += [str(value), *(ln for ln in str(value).splitlines() if len(ln) > 40)]
    return found


# -- scenarios ---------------------------------------------------------------------------------

Outcome = dict[str, Any]
Connect = Callable[..., ef.ExpenseClient]
OpenClient = Callable[..., ef.ExpenseClient]
"""What opens a client from ``connect``'s arguments: ``ef.connect`` by default; the tests
pass ``ef.aconnect`` behind a sync-looking view, so that the async client records and
replays the same scenarios (vcrpy intercepts httpx's async transport as it does the
sync one, under the same scrubbing hooks)."""


@attrs.frozen
class Scenario:
    """One cassette per vendor: ``run(connect)`` drives the facade and returns a summary.

    ``connect(**overrides)`` returns a client for the vendor (with the recording's base
    URL and credentials; overrides replace credentials). The replay tests call the same
    ``run`` under the cassette, so the requests are the same by construction.
    """

    name: str
    operation: Operation
    run: Callable[[str, Connect], Outcome]
    writes: bool = False
    description: str = ""

    @property
    def vendors(self) -> tuple[str, ...]:
        """The vendors whose adapter supports the scenario's operation."""
        return tuple(v for v in VENDORS if self.operation in capabilities(v))


def _money(value: Any) -> str | None:
    if value is None:
        return None
    amount: Decimal = value.amount
    return f"{amount} {value.currency}"


def _summary(expense: Any) -> Outcome:
    return {
        "id": expense.id,
        "status": str(expense.status),
        "raw_status": expense.raw_status,
        "gross": _money(expense.gross),
    }


def list_approved(vendor: str, connect: Connect) -> Outcome:
    """Every approved expense, page by page (``PAGE_SIZE`` per page: several pages)."""
    with connect() as client:
        listing = client.list_approved(page_size=PAGE_SIZE)
        pages = [[e.id for e in page.expenses] for page in listing.pages()]
        return {"pages": pages, "malformed": [m.record_id for m in listing.malformed]}


def _first_approved(client: Any) -> Any:
    return next(iter(client.list_approved(page_size=PAGE_SIZE)))


def get_expense(vendor: str, connect: Connect) -> Outcome:
    """The first approved expense (from a one-record listing), then its detail."""
    with connect() as client:
        first = _first_approved(client)
        return {"listed": _summary(first), "detail": _summary(client.get_expense(first.id))}


def mark_exported(vendor: str, connect: Connect) -> Outcome:
    """The first three approved expenses marked exported in one batch."""
    with connect() as client:
        listing = client.list_approved(page_size=PAGE_SIZE)
        chosen = [e for _, e in zip(range(3), listing, strict=False)]
        result = client.mark_exported(chosen)
        return {
            "ids": [e.id for e in chosen],
            "succeeded": sorted(o.expense_id for o in result.succeeded),
            "failed": sorted(o.expense_id for o in result.failed),
        }


def _upload(client: Any, expense_id: str | None) -> Outcome:
    upload = client.upload_receipt(
        RECEIPT_BYTES,
        expense_id=expense_id,
        filename="receipt.pdf",
        content_type="application/pdf",
    )
    return {
        "receipt_id": upload.receipt_id,
        "flow": str(upload.flow),
        "expense_id": upload.expense_id,
        "size": upload.size,
    }


def upload_receipt(vendor: str, connect: Connect) -> Outcome:
    """A receipt attached to the first approved expense: the vendor call for a pre-signed
    URL, then the PUT of the file to that URL."""
    with connect() as client:
        return _upload(client, _first_approved(client).id)


def upload_receipt_match(vendor: str, connect: Connect) -> Outcome:
    """A receipt handed to the vendor to match (no expense named), then its PUT."""
    with connect() as client:
        return _upload(client, None)


CARD_TRANSACTION_ID = "cassette-tx-0001"


def card_transaction() -> Any:
    """The card transaction posted by the ProSpend scenario (fixed, so the body matches)."""
    return ef.CardTransaction(
        transaction_id=CARD_TRANSACTION_ID,
        transaction_date=dt.date(2026, 1, 14),
        posting_date=dt.date(2026, 1, 15),
        merchant_name="Cassette Coffee",
        mcc="5814",
        amount=ef.Money(Decimal("12.50"), "AUD"),
        cardholder_name="Casey Cassette",
        card_suffix="4242",
        card_program_code="VISA_AU",
        card_program_type="Visa",
    )


def post_card_transaction(vendor: str, connect: Connect) -> Outcome:
    """A card transaction posted, then posted again: the vendor's duplicate answer is
    success (the same transactionId)."""
    with connect() as client:
        first = client.post_card_transaction(card_transaction())
        again = client.post_card_transaction(card_transaction())
        return {
            "transaction_id": first.transaction_id,
            "first_duplicate": first.duplicate,
            "second_duplicate": again.duplicate,
            "vendor_id": first.vendor_id,
        }


def _error(exc: Exception) -> Outcome:
    return {
        "error": type(exc).__name__,
        "status": getattr(exc, "status", None),
        "code": getattr(exc, "code", None),
        "message": str(exc),
    }


def list_unauthorized(vendor: str, connect: Connect) -> Outcome:
    """A listing with a wrong credential (a canary): the vendor's 401, as a typed error."""
    with connect(canary=True) as client:
        try:
            next(iter(client.list_approved(page_size=PAGE_SIZE)))
        except ef.APIError as exc:
            return _error(exc)
    raise AssertionError(f"{vendor}: a wrong credential was accepted")


def get_not_found(vendor: str, connect: Connect) -> Outcome:
    """The detail of an expense that does not exist: the vendor's 404, as a typed error."""
    with connect() as client:
        try:
            client.get_expense(load_simulator(vendor).unknown_expense_id)
        except ef.APIError as exc:
            return _error(exc)
    raise AssertionError(f"{vendor}: an unknown expense id was found")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("list_approved", Operation.LIST_APPROVED, list_approved, description="paged listing"),
    Scenario("get_expense", Operation.GET_EXPENSE, get_expense),
    Scenario("mark_exported", Operation.MARK_EXPORTED, mark_exported, writes=True),
    Scenario("upload_receipt", Operation.UPLOAD_RECEIPT, upload_receipt, writes=True),
    Scenario("upload_receipt_match", Operation.UPLOAD_RECEIPT, upload_receipt_match, writes=True),
    Scenario(
        "post_card_transaction",
        Operation.POST_CARD_TRANSACTION,
        post_card_transaction,
        writes=True,
    ),
    Scenario(
        "list_unauthorized", Operation.LIST_APPROVED, list_unauthorized, description="error answer"
    ),
    Scenario("get_not_found", Operation.GET_EXPENSE, get_not_found),
)


def scenario(name: str) -> Scenario:
    """The scenario called ``name``."""
    for item in SCENARIOS:
        if item.name == name:
            return item
    raise KeyError(name)


def scenarios_for(vendor: str) -> list[Scenario]:
    """The scenarios that apply to ``vendor``, in recording order."""
    return [s for s in SCENARIOS if vendor in s.vendors]


# -- targets -------------------------------------------------------------------------------


@attrs.frozen
class Target:
    """Where one vendor is recorded: a base URL and the credentials to use there."""

    vendor: str
    base_url: str
    credentials: Mapping[str, Any] = attrs.field(repr=False)
    live: bool = False


def connector(target: Target, clock: Any | None, open_client: OpenClient = ef.connect) -> Connect:
    """``connect(canary=False)`` for the scenarios: a client on ``target`` opened by
    ``open_client``, no retries (a replay must see exactly the recorded attempts), no
    client-side pacing for the sandbox (the live vendors keep their documented pacing)."""

    def _connect(canary: bool = False) -> Any:
        credentials = dict(target.credentials)
        if canary:
            credentials = canary_credentials(target.vendor, credentials)
        options: dict[str, Any] = {"base_url": target.base_url, "max_retries": 0}
        if not target.live:
            options.update(rate_limit=False, clock=clock)
        return open_client(normalise_vendor(target.vendor), **options, **credentials)

    return _connect


def _secrets_of(target: Target) -> list[str]:
    own = [
        value
        for name, value in target.credentials.items()
        if name in SECRET_CREDENTIALS and isinstance(value, str)
    ]
    return [*own, *canary_values()]


def scrubber_for(target: Target) -> Scrubber:
    """The scrubber for a recording: the target's secrets and every canary registered,
    its origin mapped to the placeholder."""
    scrubber = Scrubber()
    scrubber.register_origin(target.base_url)
    for value in _secrets_of(target):
        scrubber.register_secret(value)
    return scrubber


def live_target(vendor: str, environ: Mapping[str, str]) -> Target | None:
    """The live target of ``vendor`` from the environment, or None if a credential is
    missing."""
    credentials: dict[str, Any] = {}
    for argument, variable in LIVE_CREDENTIALS[vendor].items():
        value = environ.get(variable)
        if not value:
            return None
        credentials[argument] = value
    base_url = environ.get(env_name(vendor, "base_url")) or adapter_class(vendor).default_base_url
    return Target(vendor, base_url, credentials, live=True)


# -- recording ---------------------------------------------------------------------------------


@attrs.define
class Report:
    """What a run did."""

    written: list[Path] = attrs.Factory(list)
    failed: list[str] = attrs.Factory(list)
    skipped: list[str] = attrs.Factory(list)


@contextmanager
def _sandbox_target(vendor: str) -> Iterator[tuple[Target, Any]]:
    sandbox = recording_sandbox()
    with sandbox.serve(port=0) as server:
        yield Target(vendor, server.base_url(vendor), sandbox.credentials(vendor)), sandbox.clock


def record_one(
    target: Target, item: Scenario, clock: Any, out_dir: Path, open_client: OpenClient = ef.connect
) -> Path:
    """Record ``item`` for ``target`` into ``out_dir/<vendor>/<scenario>.yaml`` (its clients
    opened by ``open_client``)."""
    workdir = Path(tempfile.mkdtemp(prefix="cassette-"))
    try:
        recorder = make_vcr(workdir, record_mode="all", scrubber=scrubber_for(target))
        with recorder.use_cassette(item.name):
            item.run(target.vendor, connector(target, clock, open_client))
        recorded = workdir / f"{item.name}.yaml"
        if not recorded.exists():
            raise RuntimeError(f"{target.vendor}/{item.name}: no HTTP interaction recorded")
        # Defence in depth (a live vendor may echo a secret in a shape the scrubber does not
        # know): nothing the scanner objects to is ever written into the cassette folder.
        findings = SecretScanner(_secrets_of(target)).scan_file(recorded)
        if findings:
            raise RuntimeError(
                f"{target.vendor}/{item.name}: not written, the secret scanner objects: "
                + "; ".join(str(f.where) + " " + f.kind for f in findings)
            )
        destination = out_dir / target.vendor / f"{item.name}.yaml"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(recorded, destination)
        return destination
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def record(
    out_dir: Path,
    *,
    vendors: Sequence[str],
    names: Sequence[str] | None,
    live: bool = False,
    allow_writes: bool = False,
    environ: Mapping[str, str] | None = None,
    log: Callable[[str], None] = print,
    open_client: OpenClient = ef.connect,
) -> Report:
    """Record the selected scenarios into ``out_dir`` (each against a fresh sandbox, or
    against the live vendor), their clients opened by ``open_client``."""
    report = Report()
    env = os.environ if environ is None else environ
    for vendor in vendors:
        chosen = [s for s in scenarios_for(vendor) if names is None or s.name in names]
        live_base = live_target(vendor, env) if live else None
        if live and live_base is None:
            report.skipped.append(f"{vendor}: no credentials in the environment")
            log(f"skip {vendor}: set {', '.join(LIVE_CREDENTIALS[vendor].values())}")
            continue
        for item in chosen:
            label = f"{vendor}/{item.name}"
            if live and item.writes and not allow_writes:
                report.skipped.append(f"{label}: writes (use --allow-writes)")
                log(f"skip {label}: it writes to the vendor (use --allow-writes)")
                continue
            try:
                if live_base is not None:
                    path = record_one(live_base, item, None, out_dir, open_client)
                else:
                    with _sandbox_target(vendor) as (target, clock):
                        path = record_one(target, item, clock, out_dir, open_client)
            except Exception as exc:  # report every failure, record the rest
                report.failed.append(f"{label}: {type(exc).__name__}: {exc}")
                log(f"FAIL {label}: {type(exc).__name__}: {exc}")
                continue
            report.written.append(path)
            log(f"ok   {label} -> {path.relative_to(out_dir)}")
    return report


def diff_trees(expected: Path, actual: Path, relative: Sequence[Path]) -> list[str]:
    """Unified diffs between ``expected/<rel>`` and ``actual/<rel>`` (empty when equal)."""
    problems: list[str] = []
    for rel in relative:
        old, new = expected / rel, actual / rel
        if not old.exists():
            problems.append(f"{rel}: not committed (recording produced it)")
            continue
        before = old.read_text(encoding="utf-8").splitlines(keepends=True)
        after = new.read_text(encoding="utf-8").splitlines(keepends=True)
        if before != after:
            diff = difflib.unified_diff(before, after, f"committed/{rel}", f"re-recorded/{rel}")
            problems.append("".join(list(diff)[:60]))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--vendor", action="append", choices=VENDORS, help="repeatable")
    parser.add_argument(
        "--scenario", action="append", choices=[s.name for s in SCENARIOS], help="repeatable"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="cassette folder (default tests/cassettes, or tests/cassettes/live with --live)",
    )
    parser.add_argument("--check", action="store_true", help="re-record into a temp dir, diff")
    parser.add_argument("--live", action="store_true", help="record the real vendors")
    parser.add_argument("--allow-writes", action="store_true", help="live: run write scenarios")
    parser.add_argument("--list", action="store_true", help="print the scenarios and exit")
    args = parser.parse_args(argv)

    vendors = tuple(args.vendor or VENDORS)
    out: Path = args.out or (LIVE_CASSETTE_ROOT if args.live else CASSETTE_ROOT)
    names = tuple(args.scenario) if args.scenario else None
    if args.list:
        for vendor in vendors:
            for item in scenarios_for(vendor):
                flag = " (writes)" if item.writes else ""
                print(f"{vendor}/{item.name}{flag}")
        return 0
    if args.check and args.live:
        parser.error("--check compares sandbox recordings; it cannot be combined with --live")

    if not args.check:
        report = record(
            out, vendors=vendors, names=names, live=args.live, allow_writes=args.allow_writes
        )
        print(
            f"{len(report.written)} written, {len(report.failed)} failed, "
            f"{len(report.skipped)} skipped"
        )
        return 1 if report.failed else 0

    with tempfile.TemporaryDirectory(prefix="cassettes-check-") as scratch:
        report = record(Path(scratch), vendors=vendors, names=names, log=lambda _: None)
        relative = [p.relative_to(scratch) for p in report.written]
        problems = diff_trees(out, Path(scratch), relative)
    for failure in report.failed:
        print(f"FAIL {failure}")
    for problem in problems:
        print(problem)
    print(
        f"checked {len(relative)} cassettes: {len(problems)} differ, "
        f"{len(report.failed)} could not be recorded"
    )
    return 1 if problems or report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
