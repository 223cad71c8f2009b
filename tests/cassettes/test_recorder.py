"""The recorder (scripts/record_cassettes.py): stable output, and live mode's safety rules.

These tests record, so they use the sandbox on loopback (never a remote host): they are
the only tests in this folder without the network block.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import record_cassettes as rc
from expense_facade.operations import Operation
from expense_facade.testing.cassettes import SecretScanner
from support.sandbox import connecting


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_recording_twice_writes_identical_files(tmp_path: Path) -> None:
    names = ["list_approved", "upload_receipt", "list_unauthorized"]
    first = rc.record(tmp_path / "a", vendors=["brex"], names=names, log=lambda _: None)
    second = rc.record(tmp_path / "b", vendors=["brex"], names=names, log=lambda _: None)
    assert first.failed == second.failed == []
    assert len(first.written) == 3
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_the_committed_cassettes_are_what_the_sandbox_records_now(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Replays test what the sandbox answered when they were recorded: a sandbox that moved
    # on (a field, a header) would leave them testing an API nobody serves. `make cassettes`
    # records them again.
    assert rc.main(["--check"]) == 0, capsys.readouterr().out[-2000:]


def test_the_async_client_records_the_sync_clients_files_byte_for_byte(tmp_path: Path) -> None:
    # vcrpy intercepts httpx's async transport as it does the sync one, and the same
    # scrubbing hooks run on what either records: every scenario of every vendor, recorded
    # through aconnect, is the very file the sync client writes (docs/cassettes.md, "Async").
    sync, both = (
        rc.record(tmp_path / driver, vendors=rc.VENDORS, names=None, log=lambda _: None,
                  open_client=connecting(driver))
        for driver in ("sync", "async")
    )  # fmt: skip
    assert sync.failed == both.failed == []
    assert len(both.written) == sum(len(rc.scenarios_for(v)) for v in rc.VENDORS) > 20
    assert _files(tmp_path / "async") == _files(tmp_path / "sync")
    secrets = [*rc.sandbox_secrets(), *rc.canary_values()]
    assert SecretScanner(secrets).scan_tree(tmp_path / "async") == []


def test_live_mode_records_only_reads_and_scrubs_the_credential(
    tmp_path: Path, driver: str
) -> None:
    # A loopback sandbox stands in for the live vendor: the environment is all that differs.
    sandbox = rc.recording_sandbox()
    token = sandbox.credentials("brex")["token"]
    with sandbox.serve(port=0) as server:
        environ = {
            "EXPENSE_FACADE_BREX_TOKEN": token,
            "EXPENSE_FACADE_BREX_BASE_URL": server.base_url("brex"),
        }
        report = rc.record(
            tmp_path,
            vendors=["brex"],
            names=None,
            live=True,
            environ=environ,
            log=lambda _: None,
            open_client=connecting(driver),
        )
    assert report.failed == []
    written = sorted(p.stem for p in report.written)
    assert written == ["get_expense", "get_not_found", "list_approved", "list_unauthorized"]
    assert sorted(s.split(":")[0] for s in report.skipped) == [
        "brex/upload_receipt",
        "brex/upload_receipt_match",
    ]
    assert SecretScanner([token, *rc.canary_values()]).scan_tree(tmp_path) == []
    text = "".join(p.read_text() for p in report.written)
    assert "127.0.0.1" not in text
    assert "https://cassette.invalid/brex/v1/expenses" in text


def test_live_mode_skips_a_vendor_without_credentials(tmp_path: Path) -> None:
    report = rc.record(
        tmp_path, vendors=["pazy"], names=None, live=True, environ={}, log=lambda _: None
    )
    assert report.written == []
    assert report.skipped == ["pazy: no credentials in the environment"]


def _echo_unknown_key(vendor: str, connect: rc.Connect) -> rc.Outcome:
    """A vendor answer holding a key the scrubber was never told about."""

    def vendor_api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"note": "sk_live_51Habcdefghijklmnop"})

    with httpx.Client(transport=httpx.MockTransport(vendor_api)) as client:
        client.get("https://api.example.com/v1/expenses")
    return {}


def test_a_recording_the_scanner_objects_to_is_not_written(tmp_path: Path) -> None:
    target = rc.Target("brex", "https://api.example.com", {"token": "not-used-here"})
    item = rc.Scenario("leaky", Operation.LIST_APPROVED, _echo_unknown_key)
    with pytest.raises(RuntimeError, match="prefixed-key"):
        rc.record_one(target, item, None, tmp_path)
    assert list(tmp_path.rglob("*.yaml")) == []
