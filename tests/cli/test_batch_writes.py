"""Batch writes through the command against the sandbox served on loopback:
``post-transaction`` checks every transaction and reports every problem before sending
any, then reports each one (posted, duplicate, refused with the vendor's message);
``mark-exported`` reports each id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.server import SandboxServer
from expense_facade.sandbox.vendors.prospend import ProspendSim
from support.records import card_transaction_entry


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=6, size=12, vendors=("capture", "prospend"))


@pytest.fixture
def served(sb: Sandbox) -> Iterator[SandboxServer]:
    with sb.serve(port=0) as server:
        yield server


@pytest.fixture
def environ(sb: Sandbox, served: SandboxServer, tmp_path: Path) -> dict[str, str]:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    for vendor in ("capture", "prospend"):
        env[cli.base_url_env(vendor)] = served.base_url(vendor)
        for name, value in sb.credentials(vendor).items():
            if name in cli.CREDENTIAL_ENV[vendor]:
                env[cli.CREDENTIAL_ENV[vendor][name]] = value
    return env


tx = card_transaction_entry


def posted_ids(sb: Sandbox) -> list[str]:
    sim = sb.vendor("prospend")
    assert isinstance(sim, ProspendSim)
    return sorted(str(t["transactionId"]) for t in sim.transactions)


def run(
    environ: dict[str, str], capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, list[str], list[str]]:
    code = cli.main([*argv, "--no-rate-limit"], environ=environ)
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_each_transaction_is_posted_and_reported_and_a_refusal_exits_1(
    sb: Sandbox, environ: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([tx("B-1"), tx("B-2", card_program_code="NOPE_AU"), tx("B-3")]))
    code, out, err = run(environ, capsys, "post-transaction", "--vendor", "prospend", str(batch))
    assert code == cli.EXIT_PARTIAL
    assert out[0].startswith("posted: B-1, prospend id ")
    assert out[1].startswith("refused: B-2: prospend: HTTP 400 [BAD_REQUEST] ")
    assert "Unknown card program code 'NOPE_AU'" in out[1]
    assert out[2].startswith("posted: B-3, prospend id ")
    assert len(out) == 3
    assert err[-1] == "2 posted, 0 already posted, 1 refused."
    assert posted_ids(sb) == ["B-1", "B-3"]

    # The same file again: the vendor answers the posted ones as duplicates.
    code, out, err = run(environ, capsys, "post-transaction", "--vendor", "prospend", str(batch))
    assert code == cli.EXIT_PARTIAL
    assert out[0] == "already posted (duplicate): B-1"
    assert out[1].startswith("refused: B-2: ")
    assert out[2] == "already posted (duplicate): B-3"
    assert err[-1] == "0 posted, 2 already posted, 1 refused."
    assert posted_ids(sb) == ["B-1", "B-3"]


def test_every_problem_is_reported_and_nothing_is_sent(
    sb: Sandbox, environ: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.json"
    first = tx("V-1", transaction_date="2026-02-30", amount={"amount": "x", "currency": "AUD"})
    del first["merchant_name"]
    batch.write_text(
        json.dumps(
            [
                first,
                tx("V-2", mcc="70x1", card_suffix="42"),  # rules checked before sending
                tx("V-3"),  # fine
                tx("V-3", colour="red"),
                "not an object",
            ]
        )
    )
    code, out, err = run(environ, capsys, "post-transaction", "--vendor", "prospend", str(batch))
    assert code == cli.EXIT_FATAL
    assert out == []
    assert err[:-1] == [
        "invalid: transaction[0]: missing field(s) merchant_name",
        "invalid: transaction[0].transaction_date '2026-02-30' is not a date YYYY-MM-DD",
        "invalid: transaction[0].amount.amount 'x' is not a number",
        "invalid: transaction[3]: unknown field(s) colour",
        "invalid: transaction[4] must be a JSON object",
        "invalid: transaction[1]: mcc must be a four-digit merchant category code",
        "invalid: transaction[1]: card_suffix must be the last 4 to 6 digits of the card number",
    ]
    assert err[-1] == (
        f"expense-facade: error: {batch}: 7 problems in 5 transactions; nothing was sent"
    )
    assert posted_ids(sb) == []
    assert not [r for r in sb.requests if r.method == "POST"]


def test_a_vendor_failure_that_is_not_about_one_transaction_stops_the_batch(
    sb: Sandbox, environ: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps([tx("S-1"), tx("S-2"), tx("S-3")]))
    sb.faults.add("prospend", None, Fault.status(401), times=None, after=1)
    code, out, err = run(environ, capsys, "post-transaction", "--vendor", "prospend", str(batch))
    assert code == cli.EXIT_FATAL
    assert out[0].startswith("posted: S-1")
    assert out[1:] == ["not sent: S-2", "not sent: S-3"]
    assert err[0] == "1 posted, 0 already posted, 0 refused, 2 not sent."
    assert err[1].startswith("expense-facade: error: prospend: HTTP 401")
    assert posted_ids(sb) == ["S-1"]


def test_mark_exported_reports_each_id(
    sb: Sandbox, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    queued = list(sb.vendor("capture").approved_ids())[:2]
    unknown = "00000000-0000-4000-8000-000000000000"
    code, out, err = run(environ, capsys, "mark-exported", "--vendor", "capture", *queued, unknown)
    assert code == cli.EXIT_PARTIAL
    assert out[:2] == [f"marked  {queued[0]}", f"marked  {queued[1]}"]
    assert out[2].startswith(f"failed  {unknown}: ")
    assert "not in the export queue" in out[2]
    assert err[-1] == "2 marked exported, 1 failed."
    assert not set(queued) & set(sb.vendor("capture").approved_ids())


def test_mark_exported_reports_each_id_when_the_vendor_call_fails(
    sb: Sandbox, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    queued = list(sb.vendor("capture").approved_ids())[:3]
    sb.faults.add("capture", "POST /api/Expenses/ExportStatusUpdate", Fault.status(503), times=None)
    code, out, err = run(
        environ, capsys, "mark-exported", "--vendor", "capture", *queued, "--max-retries", "0"
    )
    assert code == cli.EXIT_FATAL
    assert out == [f"failed  {i}: not marked (the vendor call failed)" for i in queued]
    assert err[-1].startswith("expense-facade: error: capture: HTTP 503")
    assert list(sb.vendor("capture").approved_ids())[:3] == queued


def test_card_transaction_problems_lists_every_problem_of_one_transaction() -> None:
    import datetime as dt
    from decimal import Decimal

    import expense_facade as ef
    from expense_facade.mapping.card_transactions import (
        card_transaction_problems,
        validate_card_transaction,
    )

    bad = ef.CardTransaction(
        transaction_id="P-1",
        transaction_date=dt.date(2026, 3, 2),
        posting_date=dt.date(2026, 3, 1),
        merchant_name=" ",
        mcc="71",
        amount=ef.Money(Decimal("1.005"), "AUD"),
        cardholder_name="Ada",
        card_suffix="4242",
        card_program_code="VISA_AU",
        card_program_type="Visa",
    )
    problems = card_transaction_problems(bad)
    assert [p.field for p in problems] == ["merchant_name", "mcc", "posting_date", "amount"]
    with pytest.raises(ef.ValidationError) as first:
        validate_card_transaction(bad)
    assert str(first.value) == str(problems[0])
    with ef.connect("prospend", sandbox=True) as client:
        assert [str(p) for p in client.card_transaction_problems(bad)] == [str(p) for p in problems]
