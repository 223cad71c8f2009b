"""Isolation through the command (issue 19, cases 1, 7, 8 and 9): one bad record or value,
planted in a loopback sandbox's answers, costs that record only; every other record and
every other vendor is exported exactly once (checked against the sandbox's ground truth),
the bad one is kept in the rejects file beside the output and tried again by the next run.
docs/export.md, "Rejected records".
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from expense_facade.cli import main as cli
from expense_facade.sandbox import Fault, Sandbox
from expense_facade.sandbox.wire import RawJson
from support.sandbox import served_env

SEED = 5
SIZE = 60
BREX_LIST = "GET /v1/expenses"

Edit = Callable[[dict[str, Any]], list[dict[str, Any]]]


@pytest.fixture
def served() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    """A loopback sandbox and the environment pointing the command at it."""
    sb = Sandbox(seed=SEED, size=SIZE)
    with sb.serve(port=0) as server:
        yield sb, served_env(sb, server)


def plant(sb: Sandbox, vendor: str, route: str, target: str, edit: Edit) -> None:
    """From now on, every answer that lists ``target`` lists ``edit(copy of it)`` in its
    place (the edit may return the record, a changed twin, or both)."""

    def edit_records(records: list[Any]) -> None:
        for index, record in enumerate(records):
            if isinstance(record, dict) and record.get("id") == target:
                records[index : index + 1] = edit(copy.deepcopy(record))
                return

    sb.faults.add(vendor, route, Fault.edit_records(edit_records), times=None)


def with_twin(twin_id: Callable[[str], str]) -> Edit:
    """An edit listing the record, then a copy of it with the id ``twin_id(its id)``."""

    def edit(record: dict[str, Any]) -> list[dict[str, Any]]:
        twin = copy.deepcopy(record)
        twin["id"] = twin_id(record["id"])
        return [record, twin]

    return edit


def truth(sb: Sandbox) -> dict[str, set[str]]:
    """Every vendor's approved ids (Capture's before its queue is marked)."""
    return {vendor: set(sb.vendor(vendor).approved_ids()) for vendor in sb.vendors}


def export(env: dict[str, str], tmp_path: Path, *vendors: str) -> int:
    """``expense-facade export`` of ``vendors`` (all when none) into ``tmp_path/out/``."""
    argv = ["export", "--out", f"{tmp_path / 'out'}/", "--ledger", str(tmp_path / "ledger")]
    for vendor in vendors or ("all",):
        argv += ["--vendor", vendor]
    return cli.main([*argv, "--quiet"], environ=env)


def exported(tmp_path: Path, vendor: str) -> list[str]:
    path = tmp_path / "out" / f"{vendor}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()]


def rejects(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "out" / "rejects.jsonl"
    text = path.read_bytes().decode("ascii")  # written escaped: every payload fits
    return [json.loads(line) for line in text.splitlines()]


def assert_exactly_once(tmp_path: Path, expected: dict[str, set[str]]) -> None:
    for vendor, ids in expected.items():
        found = exported(tmp_path, vendor)
        assert len(found) == len(set(found)), f"{vendor}: duplicated"
        assert set(found) == ids, f"{vendor}: lost {len(ids - set(found))}"


def test_case1_a_lone_surrogate_id_costs_that_record_not_the_other_vendors(
    served: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb, env = served
    expected = truth(sb)
    target = sorted(expected["brex"])[2]

    # A legal JSON escape that no UTF-8 text can hold.
    plant(sb, "brex", BREX_LIST, target, with_twin(lambda _: RawJson('"expense_\\udc00x"')))
    for attempt in (1, 2):  # the bad record is tried again, the rest never twice
        code = export(env, tmp_path)
        err = capsys.readouterr().err
        assert code == cli.EXIT_PARTIAL, err
        assert "Traceback" not in err
        assert "1 rejected" in err
        assert "rejected: brex expense_\ufffdx: InvalidTextError: an id is not valid UTF-8" in err
        assert_exactly_once(tmp_path, expected)
        kept = rejects(tmp_path)
        assert len(kept) == attempt
        assert kept[-1]["vendor"] == "brex"
        assert kept[-1]["raw"]["id"] == "expense_\udc00x"  # the escape as the vendor sent it
    raw_line = (tmp_path / "out" / "rejects.jsonl").read_text("ascii").splitlines()[0]
    assert '"id":"expense_\\udc00x"' in raw_line


def test_case7_a_5000_digit_number_costs_that_value_not_the_page(
    served: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb, env = served
    expected = truth(sb)
    target = sorted(expected["brex"])[4]
    huge = "9" * 5000

    def with_huge(record: dict[str, Any]) -> list[dict[str, Any]]:
        record["sandbox_counter"] = RawJson(huge)  # a field no adapter reads
        return [record]

    plant(sb, "brex", BREX_LIST, target, with_huge)
    argv = ["export", "--vendor", "brex", "--out", f"{tmp_path / 'out'}/", "--include-raw"]
    code = cli.main([*argv, "--ledger", str(tmp_path / "ledger"), "-q"], environ=env)
    err = capsys.readouterr().err
    assert code == cli.EXIT_OK, err
    assert_exactly_once(tmp_path, {"brex": expected["brex"]})
    lines = (tmp_path / "out" / "brex.jsonl").read_text().splitlines()
    (record,) = (json.loads(line) for line in lines if json.loads(line)["id"] == target)
    assert record["raw"]["sandbox_counter"] == huge  # kept exact, as its text


def test_case8_an_id_with_a_trailing_space_is_not_merged_with_its_twin(
    served: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb, env = served
    expected = truth(sb)
    target = sorted(expected["brex"])[1]

    plant(sb, "brex", BREX_LIST, target, with_twin(lambda ident: ident + " "))
    for _ in range(2):
        code = export(env, tmp_path, "brex")
        err = capsys.readouterr().err
        assert code == cli.EXIT_OK, err
        assert_exactly_once(tmp_path, {"brex": expected["brex"] | {target + " "}})


def test_case9_a_lone_surrogate_memo_is_rejected_kept_and_exported_once_fixed(
    served: tuple[Sandbox, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sb, env = served
    expected = truth(sb)
    target = sorted(expected["brex"])[3]

    def bad_memo(record: dict[str, Any]) -> list[dict[str, Any]]:
        record["memo"] = RawJson('"Taxi \\ud83d to the airport"')  # half an emoji pair
        return [record]

    plant(sb, "brex", BREX_LIST, target, bad_memo)
    code = export(env, tmp_path, "brex")
    err = capsys.readouterr().err
    assert code == cli.EXIT_PARTIAL, err
    assert f"rejected: brex {target}: InvalidTextError" in err
    assert "cannot be encoded" not in err
    assert "Failed marks" not in err  # nothing failed to be marked
    assert "the next export tries them again" in err
    assert_exactly_once(tmp_path, {"brex": expected["brex"] - {target}})
    (kept,) = rejects(tmp_path)
    assert kept["record_id"] == target
    assert kept["raw"]["memo"] == "Taxi \ud83d to the airport"

    # The vendor fixes the memo without touching the record's update time: the position
    # did not pass the record (its update time unread, it did not move at all), so the
    # next run lists it again and exports it once; from then on runs are incremental.
    sb.faults.clear()
    code = export(env, tmp_path, "brex")
    err = capsys.readouterr().err
    assert code == cli.EXIT_OK, err
    assert "Exported 1 expense " in err
    assert "full (first run, no position yet)" in err
    assert_exactly_once(tmp_path, {"brex": expected["brex"]})
    code = export(env, tmp_path, "brex")
    err = capsys.readouterr().err
    assert code == cli.EXIT_OK, err
    assert "Exported 0 expenses" in err
    assert "incremental from" in err
