"""The ``expense-facade`` command through ``main(argv)``, against fake vendor clients."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from expense_facade.cli import credentials as cli_credentials
from expense_facade.cli import main as cli
from expense_facade.errors import AuthenticationError
from expense_facade.export.ledger import Ledger
from expense_facade.records import MalformedRecord
from support.cli_fakes import World
from support.records import card_transaction_entry

SECRET = "sk_live_canary_0123456789"
ENV = {
    "EXPENSE_FACADE_CAPTURE_API_KEY": SECRET,
    "EXPENSE_FACADE_BREX_TOKEN": SECRET,
    "EXPENSE_FACADE_REVOLUT_TOKEN": SECRET,
    "EXPENSE_FACADE_PROSPEND_TOKEN": SECRET,
    "EXPENSE_FACADE_PROSPEND_COMPANY_ID": "42",
    "EXPENSE_FACADE_PAZY_API_KEY": SECRET,
}

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> World:
    fake = World()
    monkeypatch.setattr(cli_credentials, "connect", fake.connect)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("EXPENSE_FACADE_CONFIG", raising=False)
    return fake


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], world: World) -> Run:
    def _run(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        code = cli.main(list(argv), environ=ENV if env is None else env)
        out, err = capsys.readouterr()
        assert SECRET not in out + err
        return code, out, err

    return _run


def jsonl_ids(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]


# -- export -------------------------------------------------------------------------------------


def test_export_to_stdout(run: Run, world: World, tmp_path: Path) -> None:
    world.add("pazy", 3)
    code, out, err = run("export", "--vendor", "pazy", "--ledger", str(tmp_path / "l.db"))
    assert code == cli.EXIT_OK
    assert jsonl_ids(out) == ["pa0", "pa1", "pa2"]
    assert json.loads(out.splitlines()[0])["gross"] == {"amount": "10.00", "currency": "EUR"}
    assert "Exported 3 expenses" in err
    assert "0 skipped as already exported" in err
    assert world.settings["pazy"] == {"api_key": SECRET, "read_ahead": 1, "concurrency": 8}


def test_export_all_into_a_folder_then_again_exports_nothing_new(
    run: Run, world: World, tmp_path: Path
) -> None:
    for vendor in cli.VENDORS:
        world.add(vendor, 3)
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    argv = ("export", "--vendor", "all", "--out", str(out_dir), "--ledger", str(tmp_path / "l"))
    code, out, err = run(*argv)
    assert code == cli.EXIT_OK
    assert out == ""
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{v}.jsonl" for v in cli.VENDORS)
    assert jsonl_ids((out_dir / "brex.jsonl").read_text()) == ["br0", "br1", "br2"]
    assert "Exported 15 expenses (capture 3, brex 3, revolut 3, prospend 3, pazy 3)" in err
    assert "3 marked exported at the vendor" in err  # capture only
    marks = [c for c in world.calls if c[1] == "mark"]
    assert {c[0] for c in marks} == {"capture"}

    code, _, err = run(*argv)
    assert code == cli.EXIT_OK
    assert "Exported 0 expenses" in err
    assert "15 skipped as already exported" in err
    assert jsonl_ids((out_dir / "brex.jsonl").read_text()) == ["br0", "br1", "br2"]


def test_export_several_vendors_into_one_csv_file(run: Run, world: World, tmp_path: Path) -> None:
    world.add("brex", 2)
    world.add("revolut", 1)
    out = tmp_path / "all.csv"
    code, _, _ = run(  # no --format: the .csv name chooses CSV
        "export", "--vendor", "brex", "--vendor", "revolut",
        "--out", str(out), "--ledger", str(tmp_path / "l"),
    )  # fmt: skip
    assert code == cli.EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out.read_text(), newline="")))
    assert [(r["vendor"], r["expense_id"], r["gross_amount"]) for r in rows] == [
        ("brex", "br0", "10.00"),
        ("brex", "br1", "10.00"),
        ("revolut", "re0", "10.00"),
    ]


def test_export_csv_lines_and_raw(run: Run, world: World, tmp_path: Path) -> None:
    world.add("pazy", 1)
    out = tmp_path / "x.csv"
    argv = ["export", "--vendor", "pazy", "--csv-lines", "--out", str(out)]
    assert run(*argv, "--ledger", str(tmp_path / "l"))[0] == cli.EXIT_OK
    assert out.read_text().splitlines()[0].endswith("line_tax_rate")
    code, text, _ = run(
        "export", "--vendor", "pazy", "--include-raw", "--reexport", "--ledger", str(tmp_path / "l")
    )
    assert code == cli.EXIT_OK
    assert json.loads(text)["raw"] == {"id": "pa0"}


def test_default_ledger_is_in_the_data_folder(run: Run, world: World, tmp_path: Path) -> None:
    world.add("brex", 1)
    assert run("export", "--vendor", "brex")[0] == cli.EXIT_OK
    path = tmp_path / "data" / "expense-facade" / "ledger.sqlite3"
    with Ledger(path) as ledger:
        assert ledger.is_exported("brex", "brex.example", "br0")


def test_partial_failure_exits_1_and_names_the_failures(
    run: Run, world: World, tmp_path: Path
) -> None:
    world.add("capture", 3)
    world.refuse["ca1"] = "row is locked by another export"
    code, out, err = run("export", "--vendor", "capture", "--ledger", str(tmp_path / "l"))
    assert code == cli.EXIT_PARTIAL
    assert jsonl_ids(out) == ["ca0", "ca1", "ca2"]
    assert "1 failed" in err
    assert "failed: capture ca1: capture refused to mark it exported: row is locked" in err


def test_malformed_records_exit_1_and_are_listed(run: Run, world: World, tmp_path: Path) -> None:
    world.add("revolut", 2)
    bad = MalformedRecord("revolut", "amount is not a number", "bad-1", {"amount": "x1"})
    page = world.pages["revolut"][0]
    world.pages["revolut"][0] = type(page)(page.expenses, (bad,))
    rejects = tmp_path / "rejects.jsonl"
    code, out, err = run(
        "export", "--vendor", "revolut", "--ledger", str(tmp_path / "l"), "--rejects", str(rejects)
    )
    assert code == cli.EXIT_PARTIAL
    assert jsonl_ids(out) == ["re0", "re1"]
    assert "rejected: revolut bad-1: amount is not a number" in err
    assert json.loads(rejects.read_text()) == {
        "vendor": "revolut",
        "record_id": "bad-1",
        "reason": "amount is not a number",
        "raw": {"amount": "x1"},
    }


def test_vendor_error_exits_2(run: Run, world: World, tmp_path: Path) -> None:
    world.list_error = AuthenticationError("bad token", vendor="brex", status=401)
    code, _, err = run("export", "--vendor", "brex", "--ledger", str(tmp_path / "l"))
    assert code == cli.EXIT_FATAL
    assert err == "expense-facade: error: brex: HTTP 401 bad token\n"


def test_no_mark_exported_and_since(run: Run, world: World, tmp_path: Path) -> None:
    world.add("capture", 2)
    code, _, _ = run(
        "export", "--vendor", "capture", "--no-mark-exported", "--since", "2026-01-31",
        "--ledger", str(tmp_path / "l"),
    )  # fmt: skip
    assert code == cli.EXIT_OK
    assert [c for c in world.calls if c[1] == "mark"] == []
    (since,) = [c[2] for c in world.calls if c[1] == "list"]
    assert since.isoformat() == "2026-01-31T00:00:00+00:00"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--vendor", "nope"], "unknown vendor 'nope'"),
        (["export", "--vendor", "brex", "--since", "yesterday"], "is not an ISO 8601 date"),
        (["export", "--vendor", "brex", "--since", "2026-02-30"], "is not an ISO 8601 date"),
        (["export", "--vendor", "brex", "--format", "jsonl", "--csv-lines"], "--csv-lines"),
        (["export", "--vendor", "brex", "--format", "csv", "--include-raw"], "--include-raw"),
        (["export", "--vendor", "brex", "--format", "xml"], "invalid choice"),
        (["export", "--vendor", "brex", "--page-size", "0"], "--page-size"),
        (["export", "--vendor", "brex", "--read-ahead", "-1"], "--read-ahead"),
        (["export", "--vendor", "brex", "--concurrency", "0"], "--concurrency"),
        (["export"], "required: --vendor"),
        (["frobnicate"], "invalid choice"),
        ([], "required: COMMAND"),
        (["get", "--vendor", "brex"], "required: ID"),
        (["get", "--vendor", "expensify", "x"], "unknown vendor 'expensify'; choose one of "),
        (["get", "--vendor", "all", "x"], "get takes one vendor; choose one of capture, "),
        (["mark-exported", "--vendor", "capture,pazy", "x"], "mark-exported takes one vendor"),
        (["upload-receipt", "--vendor", "all", "r.pdf"], "upload-receipt takes one vendor"),
        (["mark-exported", "--vendor", "capture"], "no expense ids"),
        (["sandbox"], "required: COMMAND"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    run: Run, world: World, tmp_path: Path, argv: list[str], message: str
) -> None:
    world.add("brex", 2)
    code, out, err = (
        run(*argv, "--ledger", str(tmp_path / "l")) if argv[:1] == ["export"] else run(*argv)
    )
    assert code == cli.EXIT_FATAL
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert not (tmp_path / "l").exists()  # nothing opened, nothing written
    assert not [c for c in world.calls if c[1] in ("list", "mark")]


def test_missing_credential_names_the_variable(run: Run, world: World, tmp_path: Path) -> None:
    env = {k: v for k, v in ENV.items() if k != "EXPENSE_FACADE_PROSPEND_COMPANY_ID"}
    code, _, err = run("export", "--vendor", "all", "--out", str(tmp_path / "o/"), env=env)
    assert code == cli.EXIT_FATAL
    assert "set EXPENSE_FACADE_PROSPEND_COMPANY_ID" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()
    assert world.calls == []


def test_credentials_from_config_file_env_wins(run: Run, world: World, tmp_path: Path) -> None:
    config = tmp_path / "config" / "expense-facade" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[brex]\ntoken = "from-file"\nbase_url = "https://brex.test"\n'
        '[pazy]\napi_key = "pazy-file"\n'
        '[prospend]\ntoken = "p"\ncompany_id = 7\nversion = "v2"\n'
    )
    world.add("brex", 1)
    world.add("pazy", 1)
    env = {"EXPENSE_FACADE_PAZY_API_KEY": "pazy-env"}
    code, _, _ = run(
        "export", "--vendor", "brex,pazy,prospend", "--ledger", str(tmp_path / "l"), env=env
    )
    assert code == cli.EXIT_OK
    assert world.settings["prospend"] == {
        "token": "p",
        "company_id": "7",
        "version": "v2",
        "read_ahead": 1,
        "concurrency": 8,
    }
    assert world.settings["brex"] == {
        "token": "from-file",
        "base_url": "https://brex.test",
        "read_ahead": 1,
        "concurrency": 8,
    }
    assert world.settings["pazy"] == {"api_key": "pazy-env", "read_ahead": 1, "concurrency": 8}


def test_export_writes_where_the_config_says_unless_out_is_given(
    run: Run, world: World, tmp_path: Path
) -> None:
    config = tmp_path / "config" / "expense-facade" / "config.toml"
    config.parent.mkdir(parents=True)
    configured = tmp_path / "configured"
    config.write_text(f'[export]\nout = "{configured}/"\nledger = "{tmp_path / "l"}"\n')
    world.add("pazy", 2)
    code, out, _ = run("export", "--vendor", "pazy")
    assert code == cli.EXIT_OK
    assert out == ""  # not standard output: the configured folder
    assert jsonl_ids((configured / "pazy.jsonl").read_text()) == ["pa0", "pa1"]
    world.add("pazy", 3)
    flag = tmp_path / "flag.jsonl"
    code, out, _ = run("export", "--vendor", "pazy", "--out", str(flag))  # the flag wins
    assert code == cli.EXIT_OK
    assert jsonl_ids(flag.read_text()) == ["pa2"]
    assert jsonl_ids((configured / "pazy.jsonl").read_text()) == ["pa0", "pa1"]
    code, out, _ = run("export", "--vendor", "pazy", "--out", "-")
    assert (code, out) == (cli.EXIT_OK, "")  # nothing new, and stdout asked for
    config.write_text("[export]\nout = 3\n")
    code, _, err = run("export", "--vendor", "pazy")
    assert code == cli.EXIT_FATAL
    assert err.strip().endswith(f"config file {config}: out in [export] must be a path or a URL")
    assert len(err.strip().splitlines()) == 1


def test_base_url_from_environment(run: Run, world: World, tmp_path: Path) -> None:
    world.add("revolut", 1)
    env = {**ENV, "EXPENSE_FACADE_REVOLUT_BASE_URL": "http://127.0.0.1:9/revolut/api/1.0"}
    run("export", "--vendor", "revolut", "--ledger", str(tmp_path / "l"), env=env)
    assert world.settings["revolut"]["base_url"] == "http://127.0.0.1:9/revolut/api/1.0"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("[brex\n", "not valid TOML"),
        ("brex = 3\n", "must be a table"),
        ('[brex]\ntoken = "t"\ntokn = "typo"\n', "unknown setting 'tokn' in [brex]"),
    ],
)
def test_bad_config_file(
    run: Run, world: World, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "c.toml"
    if content is not None:
        path.write_text(content)
    code, _, err = run("export", "--vendor", "brex", "--config", str(path), env={})
    assert code == cli.EXIT_FATAL
    assert message in err


def test_unwritable_output_and_busy_ledger_exit_2(run: Run, world: World, tmp_path: Path) -> None:
    world.add("brex", 1)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("export", "--vendor", "brex", "--out", str(blocker / "o.jsonl"),
                       "--ledger", str(tmp_path / "l"))  # fmt: skip
    assert code == cli.EXIT_FATAL
    assert "cannot open" in err
    with Ledger(tmp_path / "l2"):
        code, _, err = run("export", "--vendor", "brex", "--ledger", str(tmp_path / "l2"))
    assert code == cli.EXIT_FATAL
    assert "in use by another run" in err


def test_sandbox_flag_uses_a_sandbox_and_its_own_ledger(
    run: Run, world: World, tmp_path: Path
) -> None:
    world.add("pazy", 1)
    code, _, _ = run("export", "--vendor", "pazy", "--sandbox", env={})
    assert code == cli.EXIT_OK
    assert set(world.settings["pazy"]) == {"sandbox", "read_ahead", "concurrency"}
    assert (tmp_path / "data" / "expense-facade" / "ledger-sandbox.sqlite3").exists()


# -- vendors, get, mark-exported ----------------------------------------------------------------


def test_vendors_table(run: Run) -> None:
    code, out, _ = run("vendors")
    assert code == cli.EXIT_OK
    lines = out.splitlines()
    assert lines[0].split()[:6] == [
        "vendor", "list_approved", "get_expense", "mark_exported", "upload_receipt",
        "post_card_transaction",
    ]  # fmt: skip
    assert [line.split()[0] for line in lines[1:6]] == list(cli.VENDORS)
    assert "EXPENSE_FACADE_PROSPEND_COMPANY_ID" in out
    # Every vendor says how to authenticate, Revolut (no credential required on its own)
    # its two ways.
    credentials = {line.split()[0]: line.split("  ")[-1].strip() for line in lines[1:6]}
    assert all(v.startswith("EXPENSE_FACADE_") for v in credentials.values()), credentials
    assert credentials["revolut"] == (
        "EXPENSE_FACADE_REVOLUT_TOKEN or EXPENSE_FACADE_REVOLUT_CLIENT_ID + "
        "EXPENSE_FACADE_REVOLUT_REFRESH_TOKEN + EXPENSE_FACADE_REVOLUT_PRIVATE_KEY_PATH + "
        "EXPENSE_FACADE_REVOLUT_ISSUER"
    )


def test_get_prints_the_record(run: Run, world: World) -> None:
    world.add("brex", 2)
    code, out, _ = run("get", "--vendor", "brex", "br1")
    assert code == cli.EXIT_OK
    record = json.loads(out)
    assert (record["vendor"], record["id"], record["gross"]["amount"]) == ("brex", "br1", "10.00")


def test_get_unknown_id_and_unsupported_vendor_exit_2(run: Run, world: World) -> None:
    code, _, err = run("get", "--vendor", "brex", "missing")
    assert code == cli.EXIT_FATAL
    assert "HTTP 404" in err
    code, _, err = run("get", "--vendor", "capture", "x")
    assert code == cli.EXIT_FATAL
    assert "capture does not support get_expense" in err


def test_mark_exported_from_args_and_file(run: Run, world: World, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# exported by hand\nc2\n\nc3\n")
    world.refuse["c3"] = "unknown id"
    code, out, err = run("mark-exported", "--vendor", "capture", "c1", "--file", str(ids))
    assert code == cli.EXIT_PARTIAL
    assert out.splitlines() == ["marked  c1", "marked  c2", "failed  c3: unknown id"]
    assert "2 marked exported, 1 failed" in err
    assert ("capture", "mark", ("c1", "c2", "c3")) in world.calls


def test_mark_exported_bad_input(run: Run, world: World, tmp_path: Path) -> None:
    code, _, err = run("mark-exported", "--vendor", "capture", "--file", str(tmp_path / "none"))
    assert code == cli.EXIT_FATAL
    assert "cannot read" in err
    code, _, err = run("mark-exported", "--vendor", "brex", "x")
    assert code == cli.EXIT_FATAL
    assert "brex does not support mark_exported" in err
    assert not [c for c in world.calls if c[1] == "mark"]


# -- upload-receipt -----------------------------------------------------------------------------


def test_upload_receipt(run: Run, world: World, tmp_path: Path) -> None:
    receipt = tmp_path / "taxi.png"
    receipt.write_bytes(b"\x89PNG fake")
    code, out, _ = run("upload-receipt", "--vendor", "brex", str(receipt), "--expense-id", "e1")
    assert code == cli.EXIT_OK
    assert out.startswith("uploaded receipt rcpt-1 onto expense e1 (taxi.png")
    code, out, _ = run("upload-receipt", "--vendor", "brex", str(receipt))
    assert "for matching" in out


def test_upload_receipt_bad_input(run: Run, world: World, tmp_path: Path) -> None:
    code, _, err = run("upload-receipt", "--vendor", "brex", str(tmp_path / "missing.pdf"))
    assert (code, "cannot read" in err) == (cli.EXIT_FATAL, True)
    receipt = tmp_path / "r.pdf"
    receipt.write_bytes(b"%PDF")
    code, _, err = run("upload-receipt", "--vendor", "pazy", str(receipt))
    assert code == cli.EXIT_FATAL
    assert "pazy does not support upload_receipt" in err
    assert not [c for c in world.calls if c[1] == "upload"]


# -- post-transaction ---------------------------------------------------------------------------

TX = card_transaction_entry("T-1001", card_program_code="CORP", card_program_type="VISA")


def test_post_transaction(run: Run, world: World, tmp_path: Path) -> None:
    path = tmp_path / "tx.json"
    path.write_text(json.dumps({**TX, "foreign_amount": {"amount": -80.25, "currency": "usd"}}))
    code, out, _ = run("post-transaction", "--vendor", "prospend", str(path))
    assert code == cli.EXIT_OK
    assert out.strip() == "posted: T-1001"
    (tx,) = [c[2] for c in world.calls if c[1] == "post"]
    assert str(tx.amount.amount) == "-120.50"
    assert str(tx.foreign_amount.amount) == "-80.25"  # a JSON number, read exactly
    assert tx.foreign_amount.currency == "USD"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        (json.dumps([]), "holds no transactions"),
        (json.dumps({**TX, "amount": "-1"}), "amount must be"),
        (json.dumps({**TX, "amount": {"amount": "abc", "currency": "AUD"}}), "is not a number"),
        (json.dumps({**TX, "amount": {"amount": "1", "currency": "AU"}}), "three-letter"),
        (json.dumps({**TX, "posting_date": "02/03/2026"}), "is not a date"),
        (json.dumps({k: v for k, v in TX.items() if k != "mcc"}), "missing field(s) mcc"),
        (json.dumps({**TX, "colour": "red"}), "unknown field(s) colour"),
        (json.dumps([TX, {**TX, "mcc": None}]), "transaction[1]: missing field(s) mcc"),
        (json.dumps([TX, TX]), "appears twice"),
    ],
)
def test_post_transaction_validates_before_sending(
    run: Run, world: World, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "tx.json"
    path.write_text(content)
    code, _, err = run("post-transaction", "--vendor", "prospend", str(path))
    assert code == cli.EXIT_FATAL
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not [c for c in world.calls if c[1] == "post"]


def test_post_transaction_unreadable_or_unsupported(run: Run, world: World, tmp_path: Path) -> None:
    code, _, err = run("post-transaction", "--vendor", "prospend", str(tmp_path / "none.json"))
    assert (code, "cannot read" in err) == (cli.EXIT_FATAL, True)
    path = tmp_path / "tx.json"
    path.write_text(json.dumps(TX))
    code, _, err = run("post-transaction", "--vendor", "brex", str(path))
    assert code == cli.EXIT_FATAL
    assert "brex does not support post_card_transaction" in err


def test_summary_lists_at_most_twenty_problems() -> None:
    from expense_facade.export.pipeline import ExportFailure, ExportSummary

    failures = tuple(ExportFailure("capture", f"id{n}", "refused") for n in range(25))
    summary = ExportSummary(vendors=("capture",), exported=25, failed=failures)
    text = cli.render_summary(summary, [summary])
    assert text.count("failed: capture") == 20
    assert "... and 5 more" in text
