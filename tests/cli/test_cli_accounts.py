"""The command's configuration end to end, against sandboxes served on loopback: typed
credentials from the config file and the environment, several accounts per vendor, and
``check``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from expense_facade.cli import main as cli
from expense_facade.export.ledger import Ledger
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Sandbox
from expense_facade.sandbox.server import SandboxServer

SIZE = 30


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def acme() -> Iterator[tuple[Sandbox, SandboxServer]]:
    sb = Sandbox(seed=11, size=SIZE, vendors=("brex", "pazy"))
    with sb.serve(port=0) as server:
        yield sb, server


@pytest.fixture
def globex() -> Iterator[tuple[Sandbox, SandboxServer]]:
    sb = Sandbox(seed=12, size=SIZE + 7, vendors=("brex",))
    with sb.serve(port=0) as server:
        yield sb, server


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    code = cli.main(list(argv), environ=env or {})
    out, err = capsys.readouterr()
    return code, out, err


def jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def brex_table(name: str, sb: Sandbox, server: SandboxServer, token: str | None = None) -> str:
    token = token or sb.credentials("brex")["token"]
    return f'[brex.{name}]\ntoken = "{token}"\nbase_url = "{server.base_url("brex")}"\n'


def test_pazy_details_false_in_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], acme: tuple[Sandbox, SandboxServer]
) -> None:
    sb, server = acme
    config = tmp_path / "c.toml"
    config.write_text(
        f'[pazy]\napi_key = "{sb.credentials("pazy")["api_key"]}"\n'
        f'base_url = "{server.base_url("pazy")}"\ndetails = false\n'
    )
    out = tmp_path / "pazy.jsonl"
    argv = ["export", "--vendor", "pazy", "--config", str(config), "--out", str(out),
            "--ledger", str(tmp_path / "l"), "--quiet", "--no-rate-limit"]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_OK, err
    assert sorted(jsonl_ids(out)) == sorted(sb.vendor("pazy").approved_ids())
    assert {r.route for r in sb.requests} == {"GET /expenses"}  # no detail request


def test_a_credential_of_the_wrong_type_is_one_line_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[brex]\ntoken = ["not", "a", "string"]\n')
    code, out, err = run(capsys, "export", "--vendor", "brex", "--config", str(config))
    assert code == cli.EXIT_FATAL
    assert out == ""
    assert err.count("\n") == 1
    assert "token in [brex] must be a string, not a list" in err
    config.write_text('[pazy]\napi_key = "k-1234567"\ndetails = "false"\n')
    code, out, _ = run(capsys, "check", "--vendor", "pazy", "--config", str(config))
    assert code == cli.EXIT_PARTIAL  # check: that account's line, the others go on
    assert out.startswith("failed  pazy: ConfigurationError: config file ")
    assert "details in [pazy] must be true or false, not a string ('false')" in out
    code, _, err = run(capsys, "export", "--vendor", "pazy", env={
        "EXPENSE_FACADE_PAZY_API_KEY": "k-1234567", "EXPENSE_FACADE_PAZY_DETAILS": "nope"
    })  # fmt: skip
    assert code == cli.EXIT_FATAL
    assert "EXPENSE_FACADE_PAZY_DETAILS must be true or false" in err


def test_two_brex_accounts_export_into_separate_files_with_separate_state(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    acme: tuple[Sandbox, SandboxServer],
    globex: tuple[Sandbox, SandboxServer],
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(brex_table("acme", *acme) + brex_table("globex", *globex))
    out, ledger = tmp_path / "exports", tmp_path / "ledger.sqlite3"
    base = ["export", "--vendor", "brex", "--config", str(config), "--out", f"{out}/",
            "--ledger", str(ledger), "--quiet", "--no-rate-limit"]  # fmt: skip
    truth = {
        "acme": set(acme[0].vendor("brex").approved_ids()),
        "globex": set(globex[0].vendor("brex").approved_ids()),
    }
    assert truth["acme"].isdisjoint(truth["globex"])

    # --account picks one: only acme's file and acme's state
    code, _, err = run(capsys, *base, "--account", "acme")
    assert code == cli.EXIT_OK, err
    assert sorted(p.name for p in out.iterdir()) == ["brex.acme.jsonl"]
    assert set(jsonl_ids(out / "brex.acme.jsonl")) == truth["acme"]
    assert f"Exported {len(truth['acme'])} expenses" in err

    # without --account: each account in turn, each with its own line and file
    code, _, err = run(capsys, *base)
    assert code == cli.EXIT_OK, err
    n_acme, n_globex = len(truth["acme"]), len(truth["globex"])
    assert f"Exported {n_globex} expenses (brex.acme 0, brex.globex {n_globex})" in err
    assert "  brex.acme: 0 exported, " in err
    assert f"  brex.globex: {n_globex} exported, 0 skipped, 0 failed, 0 rejected" in err
    # separate incremental state: acme goes on from its position, globex starts afresh
    assert "listing: brex (acme): incremental from " in err
    assert "listing: brex (globex): full (first run, no position yet)" in err
    assert sorted(p.name for p in out.iterdir()) == ["brex.acme.jsonl", "brex.globex.jsonl"]
    for name, ids in truth.items():
        exported = jsonl_ids(out / f"brex.{name}.jsonl")
        assert len(exported) == len(set(exported))
        assert set(exported) == ids
    with Ledger(ledger) as book:
        # Brex's ids are unique across customers: one dedupe scope, a position each.
        assert book.accounts("brex") == ["*"]
        assert book.counts("brex", "acme") == {"marked": n_acme + n_globex}
        assert book.export_state("brex", "acme").position is not None
        assert book.export_state("brex", "globex").position is not None

    # a second run exports nothing new for either
    code, _, err = run(capsys, *base)
    assert code == cli.EXIT_OK
    assert "Exported 0 expenses (brex.acme 0, brex.globex 0) in" in err
    assert "listing: brex (globex): incremental from " in err
    for name, ids in truth.items():
        assert set(jsonl_ids(out / f"brex.{name}.jsonl")) == ids

    code, _, err = run(capsys, *base, "--account", "initech")
    assert code == cli.EXIT_FATAL
    assert "no account 'initech'" in err


def test_an_account_refused_by_its_vendor_is_named_once_and_leaves_no_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    acme: tuple[Sandbox, SandboxServer],
    globex: tuple[Sandbox, SandboxServer],
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(brex_table("acme", *acme) + brex_table("globex", *globex, "wrong-token"))
    out = tmp_path / "exports"
    code, _, err = run(capsys, "export", "--vendor", "brex", "--config", str(config),
                       "--out", f"{out}/", "--ledger", str(tmp_path / "l"), "--quiet",
                       "--no-rate-limit")  # fmt: skip
    assert code == cli.EXIT_FATAL
    (error,) = [line for line in err.splitlines() if "error:" in line]
    assert error.startswith("  error: brex.globex: HTTP 401 "), err  # the account, once
    assert "brex: brex:" not in err
    # the refused account's listing line and file are not left behind; acme's are
    assert "listing: brex (globex)" not in err
    assert "listing: brex (acme)" in err
    assert sorted(p.name for p in out.iterdir()) == ["brex.acme.jsonl"]
    assert set(jsonl_ids(out / "brex.acme.jsonl")) == set(acme[0].vendor("brex").approved_ids())

    # refused alone (the only account asked for): one line, as every failure
    code, _, err = run(capsys, "export", "--vendor", "brex", "--account", "globex",
                       "--config", str(config), "--out", f"{out}/", "--ledger",
                       str(tmp_path / "l"), "--quiet", "--no-rate-limit")  # fmt: skip
    assert code == cli.EXIT_FATAL
    assert err.startswith("expense-facade: error: brex.globex: HTTP 401 "), err
    assert err.count("\n") == 1
    assert sorted(p.name for p in out.iterdir()) == ["brex.acme.jsonl"]


def test_unnamed_account_of_a_served_sandbox_keeps_its_identity_across_ports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    for _ in range(2):  # a new port each time: the same account, nothing exported twice
        sb = Sandbox(seed=11, size=SIZE, vendors=("brex",))
        with sb.serve(port=0) as server:
            env = {
                "EXPENSE_FACADE_BREX_TOKEN": sb.credentials("brex")["token"],
                "EXPENSE_FACADE_BREX_BASE_URL": server.base_url("brex"),
            }
            code, _, err = run(capsys, "export", "--vendor", "brex", "--out",
                               str(tmp_path / "o.jsonl"), "--ledger", str(ledger), "--quiet",
                               "--no-rate-limit", env=env)  # fmt: skip
            assert code == cli.EXIT_OK, err
    assert len(jsonl_ids(tmp_path / "o.jsonl")) == len(set(sb.vendor("brex").approved_ids()))
    with Ledger(ledger) as book:
        assert book.accounts("brex") == ["*"]
        state = book.export_state("brex", "127.0.0.1")
        assert state.position is not None
        assert state.base_url == "http://127.0.0.1/brex"


def test_check_reports_each_account(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    acme: tuple[Sandbox, SandboxServer],
    globex: tuple[Sandbox, SandboxServer],
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        brex_table("acme", *acme)
        + brex_table("globex", *globex, token="bxt_wrong_token_0123")
        + f'[pazy]\napi_key = "{acme[0].credentials("pazy")["api_key"]}"\n'
        f'base_url = "{acme[1].base_url("pazy")}"\n'
    )
    code, out, err = run(capsys, "check", "--config", str(config), "--no-rate-limit")
    assert code == cli.EXIT_PARTIAL, err
    lines = out.splitlines()
    assert lines[0] == "ok      brex.acme (acme)"
    assert lines[1].startswith("failed  brex.globex: AuthenticationError: ")
    assert lines[2] == "ok      pazy (127.0.0.1)"
    assert len(lines) == 3
    assert "bxt_wrong_token_0123" not in out + err

    code, out, _ = run(capsys, "check", "--vendor", "brex", "--account", "acme",
                       "--config", str(config), "--no-rate-limit")  # fmt: skip
    assert code == cli.EXIT_OK
    assert out == "ok      brex.acme (acme)\n"

    # a missing credential is that account's typed error; the others are still checked
    code, out, _ = run(capsys, "check", "--vendor", "brex,prospend", "--config", str(config),
                       "--no-rate-limit")  # fmt: skip
    assert code == cli.EXIT_PARTIAL
    assert out.splitlines()[-1].startswith(
        "failed  prospend: ConfigurationError: prospend: missing credential 'token'; set "
        "EXPENSE_FACADE_PROSPEND_TOKEN"
    )


def test_check_against_the_in_process_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--sandbox", "--sandbox-size", "5")
    assert code == cli.EXIT_OK
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["ok", vendor] for vendor in cli.VENDORS
    ]


def test_check_with_nothing_configured_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check")
    assert code == cli.EXIT_FATAL
    assert out == ""
    assert "no vendor is configured" in err


@pytest.mark.parametrize("vendor", cli.VENDORS)
def test_check_access_is_one_request_and_a_typed_error(vendor: str) -> None:
    import expense_facade as ef
    from expense_facade.config import specs_of
    from expense_facade.errors import AuthenticationError

    sb = Sandbox(seed=5, size=20, vendors=(vendor,))
    with ef.connect(normalise_vendor(vendor), sandbox=sb) as client:
        client.check_access()
    assert len(sb.requests) == 1
    assert sb.requests[0].status == 200
    # Each secret the sandbox handed out, wrong (Revolut's refresh secrets are an
    # alternative to its token, not given with it).
    given = sb.credentials(vendor)
    wrong: dict[str, Any] = {
        s.name: "wrong-secret-0123456" for s in specs_of(vendor) if s.secret and s.name in given
    }
    assert wrong
    with (
        ef.connect(normalise_vendor(vendor), sandbox=sb, **wrong) as client,
        pytest.raises(AuthenticationError),
    ):
        client.check_access()
