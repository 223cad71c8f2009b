"""Replay fails loudly: blocked network, unrecorded requests, body matching, missing cassettes.

These tests prove that a green replay suite means something: a request the cassette does
not hold is never answered (not by the network, not by a retry), and a write whose body
changed does not match its recording.
"""

from __future__ import annotations

import functools
import shutil
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import expense_facade as ef
import httpx
import pytest
import record_cassettes as rc
from expense_facade.clock import FakeClock
from expense_facade.registry import normalise_vendor
from expense_facade.testing.cassettes import make_vcr
from support.sandbox import connecting
from vcr.errors import CannotOverwriteExistingCassetteException

CASSETTE_ROOT = Path(__file__).parent
RECORDED = [(vendor, item.name) for item in rc.SCENARIOS for vendor in item.vendors]
NOT_PLAYED_BACK = "Can't play back this request"

pytestmark = pytest.mark.usefixtures("network_blocked")


# -- the network is blocked ---------------------------------------------------------------------


@pytest.mark.parametrize("address", [("192.0.2.10", 443), ("127.0.0.1", 9)])
def test_no_socket_can_connect_during_replay(address: tuple[str, int]) -> None:
    with pytest.raises(RuntimeError, match="network access during a replay test"):
        socket.create_connection(address, timeout=0.1)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(RuntimeError, match="network access during a replay test"),
    ):
        sock.connect(address)


def test_an_http_request_outside_a_cassette_is_refused_not_wrapped() -> None:
    with pytest.raises(RuntimeError, match="network access during a replay test"):
        httpx.get("http://127.0.0.1:9/", timeout=0.1)


# -- every scenario has its cassette -----------------------------------------------------------


@pytest.mark.parametrize(("vendor", "name"), RECORDED)
def test_every_scenario_has_a_committed_cassette(vendor: str, name: str) -> None:
    assert (CASSETTE_ROOT / vendor / f"{name}.yaml").is_file()


# -- unrecorded requests fail with vcrpy's message ----------------------------------------------


def _send_unrecorded(vendor: str, client: ef.ExpenseClient) -> None:
    """A request the ``list_approved`` cassette does not hold: the listing with another page
    size; for capture, which pages client-side (one Export call whatever the page size),
    a status update (a retry-safe write) after the recorded listing."""
    if vendor == "capture":
        client.mark_exported(list(client.list_approved(page_size=rc.PAGE_SIZE))[:1])
    else:
        list(client.list_approved(page_size=rc.PAGE_SIZE + 1))


def _unrecorded(vendor: str, connect: rc.Connect) -> rc.Outcome:
    with connect() as client:
        _send_unrecorded(vendor, client)
    return {}


@pytest.mark.parametrize("vendor", rc.VENDORS)
def test_an_unrecorded_request_fails_the_test_with_the_cassette_librarys_message(
    replay: Any, vendor: str
) -> None:
    with pytest.raises(CannotOverwriteExistingCassetteException, match=NOT_PLAYED_BACK):
        replay(vendor, "list_approved", run=_unrecorded)


def _upload_changed(client: ef.ExpenseClient) -> None:
    first = next(iter(client.list_approved(page_size=rc.PAGE_SIZE)))
    client.upload_receipt(rc.RECEIPT_BYTES + b"changed", expense_id=first.id,
                          filename="receipt.pdf", content_type="application/pdf")  # fmt: skip


def _post_changed(client: ef.ExpenseClient) -> None:
    tx = attrs.evolve(rc.card_transaction(), amount=ef.Money(Decimal("99.99"), "AUD"))
    client.post_card_transaction(tx)


FACADE_ALONE: list[tuple[str, str, Any]] = [
    *[(v, "list_approved", functools.partial(_send_unrecorded, v)) for v in rc.VENDORS],
    ("brex", "upload_receipt", _upload_changed),  # a retry-safe PUT with another body
    ("prospend", "post_card_transaction", _post_changed),  # a retry-safe POST, another body
]


@pytest.mark.parametrize(("vendor", "name", "action"), FACADE_ALONE)
def test_the_facades_retries_never_swallow_an_unrecorded_request(
    vendor: str, name: str, action: Any, driver: str
) -> None:
    """With retries on, neither client may retry or wrap vcrpy's error (the replay
    helper's unwrapping is not used here: this is the facade on its own)."""
    clock = FakeClock(rc.START)
    client = connecting(driver)(
        normalise_vendor(vendor),
        base_url=rc.cassette_base_url(vendor),
        max_retries=3,
        rate_limit=False,
        clock=clock,
        **_placeholder_credentials(vendor),
    )
    player = make_vcr(CASSETTE_ROOT / vendor, record_mode="none")
    with (
        player.use_cassette(name),
        client,
        pytest.raises(CannotOverwriteExistingCassetteException, match=NOT_PLAYED_BACK),
    ):
        action(client)
    assert clock.sleeps == []  # not retried


def _placeholder_credentials(vendor: str) -> dict[str, Any]:
    real = rc.recording_sandbox().credentials(vendor)
    return {k: "replay-placeholder" if k in rc.SECRET_CREDENTIALS else v for k, v in real.items()}


# -- writes match on their body -------------------------------------------------------------------


def _upload_other_bytes(vendor: str, connect: rc.Connect) -> rc.Outcome:
    with connect() as client:
        first = next(iter(client.list_approved(page_size=rc.PAGE_SIZE)))
        client.upload_receipt(
            rc.RECEIPT_BYTES + b"changed",
            expense_id=first.id,
            filename="receipt.pdf",
            content_type="application/pdf",
        )
    return {}


def _post_other_amount(vendor: str, connect: rc.Connect) -> rc.Outcome:
    changed = attrs.evolve(rc.card_transaction(), amount=ef.Money(Decimal("99.99"), "AUD"))
    with connect() as client:
        client.post_card_transaction(changed)
    return {}


def _mark_other_ids(vendor: str, connect: rc.Connect) -> rc.Outcome:
    with connect() as client:
        listing = client.list_approved(page_size=rc.PAGE_SIZE)
        chosen = [e for _, e in zip(range(4), listing, strict=False)][1:]
        client.mark_exported(chosen)
    return {}


@pytest.mark.parametrize(
    ("vendor", "name", "run", "method"),
    [
        ("brex", "upload_receipt", _upload_other_bytes, "PUT"),
        ("prospend", "post_card_transaction", _post_other_amount, "POST"),
        ("capture", "mark_exported", _mark_other_ids, "POST"),
    ],
)
def test_a_write_with_another_body_does_not_match_its_recording(
    replay: Any, vendor: str, name: str, run: Any, method: str
) -> None:
    with pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        replay(vendor, name, run=run)
    assert caught.value.failed_request.method == method
    assert "body" in str(caught.value)


# -- a missing cassette fails loudly ---------------------------------------------------------


@pytest.mark.parametrize(("vendor", "name"), RECORDED)
def test_deleting_a_cassette_makes_its_replay_fail(
    replay: Any, tmp_path: Path, vendor: str, name: str
) -> None:
    shutil.copytree(CASSETTE_ROOT / vendor, tmp_path / vendor)
    (tmp_path / vendor / f"{name}.yaml").unlink()
    with pytest.raises(CannotOverwriteExistingCassetteException, match="doesn't exist"):
        replay(vendor, name, root=tmp_path)


def test_the_copy_replays_before_the_deletion(replay: Any, tmp_path: Path) -> None:
    """The copy used above is a working cassette folder: only the deletion breaks it."""
    shutil.copytree(CASSETTE_ROOT / "brex", tmp_path / "brex")
    assert replay("brex", "get_expense", root=tmp_path)["detail"]["id"]


def _wrapping_facade(vendor: str, connect: rc.Connect) -> rc.Outcome:
    """What a facade that wrapped vcrpy's error into its own would look like."""
    with connect() as client:
        try:
            _send_unrecorded(vendor, client)
        except CannotOverwriteExistingCassetteException as exc:
            raise ef.APIConnectionError("wrapped", vendor=vendor) from exc
    return {}


def test_a_wrapped_cassette_error_still_fails_with_vcrpys_message(replay: Any) -> None:
    with pytest.raises(CannotOverwriteExistingCassetteException, match=NOT_PLAYED_BACK):
        replay("brex", "list_approved", run=_wrapping_facade)
