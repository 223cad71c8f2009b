"""RELIABILITY.md's fault matrix, the rows only Capture has (the rows every vendor shares
are in test_faults_common.py): a 200 whose body says ``success: false``; a truncated answer
to a status update; rows marked while the listing is paged; timeouts on mark exported; a
partial failure in a batch status update. Faults are injected in the in-process sandbox;
sleeps are on its FakeClock with a retry policy without jitter, so they are exact.
Record-level rows (unknown enum, extra/missing/null fields, amount as a string, a malformed
date) are in tests/vendors/test_capture.py; the export killed at any point is
tests/cli/test_export_crash.py. Rows that do not apply to Capture: timestamp ties
(Revolut), a repeating cursor (no cursor), card transactions, pre-signed uploads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, cast

import attrs
import expense_facade as ef
import pytest
from expense_facade.errors import APITimeoutError, BadRequestError, MalformedResponseError
from expense_facade.records import Expense
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.vendors.capture import CaptureSim
from support.sandbox import (
    RecordingTransport,
    client_fixture,
    hits,
    recorder_fixture,
    sandbox_fixture,
    sleeps,
)

VENDOR: Final = "capture"
EXPORT = "GET /api/Expenses/Export"
UPDATE = "POST /api/Expenses/ExportStatusUpdate"

sb = sandbox_fixture(VENDOR, seed=13, size=200)
recorder = recorder_fixture()
client = client_fixture(VENDOR, recorded=True)


def posted(recorder: RecordingTransport) -> list[list[str]]:
    """The ids of each status update sent, in order (resent ones included)."""
    return [
        [s["id"] for s in json.loads(r.content)["exportStatuses"]] for r in recorder.sent("POST")
    ]


def sim(sb: Sandbox) -> CaptureSim:
    return cast(CaptureSim, sb.vendor(VENDOR))


def queued(client: ef.ExpenseClient, sb: Sandbox, count: int) -> list[Expense]:
    """The first ``count`` queued rows as records (read before any fault is set)."""
    expenses = list(client.list_approved())[:count]
    sb.clear_requests()
    return expenses


# An operation under test: runs against the client, returns what to check "nothing lost" on.
Operation = Callable[[ef.ExpenseClient, list[Expense]], Any]


def do_list(client: ef.ExpenseClient, _: list[Expense]) -> list[str]:
    return [e.id for e in client.list_approved(page_size=50)]


def do_mark(client: ef.ExpenseClient, chosen: list[Expense]) -> ef.MarkExportedResult:
    return client.mark_exported(chosen)


OPERATIONS = [pytest.param(EXPORT, do_list, id="list"), pytest.param(UPDATE, do_mark, id="mark")]


# ---- a 200 that says it failed ------------------------------------------------------------


@pytest.mark.parametrize(("route", "operation"), OPERATIONS)
def test_a_200_with_success_false_is_a_failure(
    client: ef.ExpenseClient, sb: Sandbox, route: str, operation: Operation
) -> None:
    chosen = queued(client, sb, 5)
    body = b'{"success": false, "message": "The integration is switched off.", "data": null}'
    sb.faults.add(VENDOR, route, Fault.status(200, body=body))
    with pytest.raises(BadRequestError) as caught:
        operation(client, chosen)
    assert (caught.value.status, caught.value.message) == (200, "The integration is switched off.")
    assert caught.value.attempts == hits(sb, route) == 1
    assert sim(sb).exported_ids() == set()


# ---- a truncated answer to a status update -----------------------------------------------


def test_a_truncated_answer_to_a_status_update_was_applied_and_is_safe_to_send_again(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, UPDATE, Fault.truncate())
    with pytest.raises(MalformedResponseError) as caught:
        client.mark_exported(chosen)
    assert caught.value.status == 200
    assert hits(sb, UPDATE) == 1
    # The vendor applied the update and the answer was lost: sending it again is safe.
    assert sim(sb).exported_ids() == {e.id for e in chosen}
    assert client.mark_exported(chosen).ok
    assert sim(sb).exported_ids() == {e.id for e in chosen}


# ---- rows marked while the listing is paged -----------------------------------------------


def test_rows_marked_by_someone_else_mid_listing_are_neither_skipped_nor_repeated(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    before = list(sim(sb).queue_ids())
    listed: list[str] = []
    with ef.connect(VENDOR, sandbox=sb) as other:
        for number, page in enumerate(client.list_approved(page_size=20).pages()):
            listed.extend(e.id for e in page.expenses)
            if number == 0:  # another process marks rows from pages 1 and 5
                assert other.mark_exported([before[10], before[25], before[90]]).ok
    assert listed == before  # the listing is the queue as it was read: no row skipped
    assert len(set(listed)) == len(listed)


# ---- timeout on mark exported -------------------------------------------------------------


def test_a_timed_out_status_update_is_resent(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(processed=True))  # applied, answer lost
    result = client.mark_exported(chosen)
    assert result.ok
    assert posted(recorder) == [[e.id for e in chosen]] * 2
    assert sim(sb).exported_ids() == {e.id for e in chosen}
    assert sleeps(sb) == [0.5]


def test_only_the_batch_not_yet_confirmed_is_resent(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    chosen = queued(client, sb, 150)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(processed=True), after=1)
    result = client.mark_exported(chosen)
    assert result.ok
    assert len(result.outcomes) == 150
    ids = [e.id for e in chosen]
    assert posted(recorder) == [ids[:100], ids[100:], ids[100:]]
    assert sim(sb).exported_ids() == set(ids)


def test_a_batch_that_keeps_timing_out_after_a_confirmed_one_is_reported_per_item(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    chosen = queued(client, sb, 150)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(), after=1, times=None)
    result = client.mark_exported(chosen)  # no exception: the first batch is confirmed
    ids = [e.id for e in chosen]
    assert [o.expense_id for o in result.succeeded] == ids[:100]
    assert [o.expense_id for o in result.failed] == ids[100:]
    assert all("not confirmed" in (o.message or "") for o in result.failed)
    assert all("after 4 attempts" in (o.message or "") for o in result.failed)
    assert posted(recorder) == [ids[:100]] + [ids[100:]] * 4
    assert sim(sb).exported_ids() == set(ids[:100])  # nothing marked that failed


def test_a_single_batch_that_keeps_timing_out_raises_and_can_be_sent_again(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    chosen = queued(client, sb, 5)
    sb.faults.add(VENDOR, UPDATE, Fault.hang(), times=None)
    with pytest.raises(APITimeoutError) as caught:
        client.mark_exported(chosen)
    assert caught.value.attempts == 4
    assert sim(sb).exported_ids() == set()
    sb.faults.clear()
    assert client.mark_exported(chosen).ok
    assert sim(sb).exported_ids() == {e.id for e in chosen}


# ---- partial failure in a batch status update ---------------------------------------------


def test_a_partial_failure_is_reported_per_item_and_nothing_failed_is_marked(
    client: ef.ExpenseClient, sb: Sandbox, recorder: RecordingTransport
) -> None:
    good = queued(client, sb, 4)
    stale = attrs.evolve(good[1], raw={**good[1].raw, "transactionType": 42})
    pending = next(sim(sb).pending_ids())
    batch: list[Expense | str] = [good[0], stale, pending, good[2], good[3]]
    result = client.mark_exported(batch)
    assert [(o.expense_id, o.succeeded) for o in result.outcomes] == [
        (good[0].id, True),
        (good[1].id, False),
        (pending, False),
        (good[2].id, True),
        (good[3].id, True),
    ]
    messages = {o.expense_id: o.message for o in result.failed}
    assert messages[good[1].id] == "transactionType does not match the expense."
    assert "not in the export queue" in (messages[pending] or "")
    assert posted(recorder) == [[good[0].id, good[1].id, good[2].id, good[3].id]]
    assert sim(sb).exported_ids() == {good[0].id, good[2].id, good[3].id}
    assert good[1].id in set(sim(sb).queue_ids())  # the refused row is still queued


def test_per_item_answers_missing_from_a_refused_batch_are_failures(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    first, second = queued(client, sb, 2)
    body = json.dumps(
        {"success": False, "message": "1 of 2 failed.",
         "data": [{"id": first.id.upper(), "success": True, "message": None}]}
    ).encode()  # fmt: skip
    sb.faults.add(VENDOR, UPDATE, Fault.status(200, body=body))
    result = client.mark_exported([first, second])
    assert [o.succeeded for o in result.outcomes] == [True, False]  # ids matched in any case
    assert result.failed[0].message == (
        "no outcome for this item in a batch the vendor did not fully accept: 1 of 2 failed."
    )


def test_a_batch_accepted_without_per_item_answers_is_all_confirmed(
    client: ef.ExpenseClient, sb: Sandbox
) -> None:
    chosen = queued(client, sb, 3)
    sb.faults.add(VENDOR, UPDATE, Fault.status(200, body=b'{"success": true, "message": "ok"}'))
    result = client.mark_exported(chosen)
    assert result.ok
    assert [o.expense_id for o in result.succeeded] == [e.id for e in chosen]
