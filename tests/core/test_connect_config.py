"""``connect(vendor)`` reads the environment and the config file the command reads
(``expense_facade.config``, derived from the adapters' declared credentials); explicit
arguments win; ``account=`` picks a configured account. ``aconnect`` does the same: every
test runs on both (issue 25)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.config import Config, env_name
from expense_facade.credentials import Credential, Kind
from expense_facade.errors import AuthenticationError, ConfigurationError
from expense_facade.registry import adapter_class, available_vendors, normalise_vendor
from expense_facade.sandbox import Sandbox
from support.sandbox import connecting, drivers_fixture, in_process, runs_once

SEED = 3


def open_client(*args: Any, driver: str = "sync", **options: Any) -> ef.ExpenseClient:
    """``connect`` (or ``aconnect`` seen through a sync view) with these arguments as given."""
    return connecting(driver)(*args, **options)


def transport(sb: Sandbox, *, driver: str = "sync") -> Any:
    """``sb``'s in-process transport for the driver's client."""
    return in_process(sb, driver)


_driver = drivers_fixture(globals(), "open_client", "transport")


@pytest.fixture
def sb() -> Sandbox:
    return Sandbox(seed=SEED, size=12, vendors=("brex", "pazy", "prospend"))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variable or config file of the developer's machine reaches these tests."""
    import os

    for name in list(os.environ):
        if name.startswith("EXPENSE_FACADE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def first_ids(client: ef.ExpenseClient) -> list[str]:
    return [e.id for e in client.list_approved()]


@runs_once("about the adapters' declarations, not a client")
def test_every_adapter_declares_its_credentials() -> None:
    for vendor in available_vendors():
        cls = adapter_class(vendor)
        specs = cls.credential_specs
        assert specs, vendor
        assert all(isinstance(s, Credential) for s in specs)
        # required/optional are derived from the one declaration
        assert cls.required_credentials == tuple(s.name for s in specs if s.required)
        assert dict(cls.optional_credentials) == {
            s.name: s.default for s in specs if not s.required
        }
        assert any(s.kind is Kind.SECRET for s in specs), vendor
    pazy = {s.name: s for s in adapter_class("pazy").credential_specs}
    assert pazy["details"].kind is Kind.BOOL


def test_connect_reads_the_environment(monkeypatch: pytest.MonkeyPatch, sb: Sandbox) -> None:
    monkeypatch.setenv("EXPENSE_FACADE_BREX_TOKEN", sb.credentials("brex")["token"])
    monkeypatch.setenv("EXPENSE_FACADE_BREX_BASE_URL", sb.base_url("brex"))
    with open_client("brex", transport=transport(sb), rate_limit=False) as client:
        assert sorted(first_ids(client)) == sorted(sb.vendor("brex").approved_ids())


def test_explicit_arguments_win(monkeypatch: pytest.MonkeyPatch, sb: Sandbox) -> None:
    good = sb.credentials("brex")["token"]
    monkeypatch.setenv("EXPENSE_FACADE_BREX_TOKEN", "wrong-token-from-env")
    monkeypatch.setenv("EXPENSE_FACADE_BREX_BASE_URL", sb.base_url("brex"))
    with open_client("brex", token=good, transport=transport(sb), rate_limit=False) as client:
        assert first_ids(client)
    monkeypatch.setenv("EXPENSE_FACADE_BREX_TOKEN", good)
    with (
        open_client(
            "brex", token="wrong-explicit", transport=transport(sb), rate_limit=False
        ) as client,
        pytest.raises(AuthenticationError),
    ):
        first_ids(client)
    # config=False reads neither the environment nor a file
    with pytest.raises(ConfigurationError, match="'token'"):
        open_client("brex", config=False)


def test_connect_reads_the_config_file_typed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sb: Sandbox
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[pazy]\napi_key = "{sb.credentials("pazy")["api_key"]}"\n'
        f'base_url = "{sb.base_url("pazy")}"\ndetails = false\n'
    )
    monkeypatch.setenv("EXPENSE_FACADE_CONFIG", str(path))
    with open_client("pazy", transport=transport(sb), rate_limit=False) as client:
        sb.clear_requests()
        ids = first_ids(client)
    assert sorted(ids) == sorted(sb.vendor("pazy").approved_ids())
    # details = false arrived as False: the listing read no expense's details
    assert {r.route for r in sb.requests} == {"GET /expenses"}
    # the environment wins over the file, and is typed too
    monkeypatch.setenv("EXPENSE_FACADE_PAZY_DETAILS", "true")
    with open_client("pazy", transport=transport(sb), rate_limit=False) as client:
        sb.clear_requests()
        first_ids(client)
    assert {r.route for r in sb.requests} == {"GET /expenses", "GET /expense/{expenseId}"}
    monkeypatch.setenv("EXPENSE_FACADE_PAZY_DETAILS", "maybe")
    with pytest.raises(ConfigurationError, match="EXPENSE_FACADE_PAZY_DETAILS must be true or"):
        open_client("pazy")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[brex]\ntoken = ["a", "b"]\n', "token in [brex] must be a string, not a list"),
        ("[pazy]\napi_key = 12345678\n", "api_key in [pazy] must be a string, not an integer"),
        ('[pazy]\napi_key = "k-123456"\ndetails = "no"\n', "details in [pazy] must be true or"),
        ('[brex]\ntokn = "x"\n', "unknown setting 'tokn' in [brex]"),
        ("brex = 1\n", "[brex] must be a table"),
    ],
)
def test_a_value_of_the_wrong_type_is_one_line_naming_the_key(
    tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "c.toml"
    path.write_text(table)
    vendor = table.split("]")[0].lstrip("[").split(" ")[0]
    with pytest.raises(ConfigurationError) as info:
        open_client(normalise_vendor(vendor), config=path)
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert str(path) in text
    assert "12345678" not in text  # a secret's value is never shown


def test_missing_credential_names_the_variable_and_the_key() -> None:
    with pytest.raises(ConfigurationError) as info:
        open_client("prospend", token="t-123456")
    assert "EXPENSE_FACADE_PROSPEND_COMPANY_ID" in str(info.value)
    assert "company_id in [prospend]" in str(info.value)


def test_accounts_from_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    one, two = (
        Sandbox(seed=1, size=6, vendors=("brex",)),
        Sandbox(seed=2, size=9, vendors=("brex",)),
    )
    path = tmp_path / "c.toml"
    path.write_text(
        f'[brex.acme]\ntoken = "{one.credentials("brex")["token"]}"\n'
        f'base_url = "{one.base_url("brex")}"\n'
        f'[brex.globex]\ntoken = "wrong-token"\nbase_url = "{two.base_url("brex")}"\n'
    )
    with pytest.raises(ConfigurationError, match=r"several accounts \(acme, globex\)"):
        open_client("brex", config=path)
    with pytest.raises(ConfigurationError, match="no account 'initech'"):
        open_client("brex", config=path, account="initech")
    with open_client(
        "brex", config=path, account="acme", transport=transport(one), rate_limit=False
    ) as client:
        assert client.account == "acme"
        expenses = list(client.list_approved())
    assert sorted(e.id for e in expenses) == sorted(one.vendor("brex").approved_ids())
    assert {e.account for e in expenses} == {"acme"}
    # a named account's variables: EXPENSE_FACADE_<VENDOR>_<ACCOUNT>_<NAME>
    assert env_name("brex", "token", "globex") == "EXPENSE_FACADE_BREX_GLOBEX_TOKEN"
    monkeypatch.setenv("EXPENSE_FACADE_BREX_GLOBEX_TOKEN", two.credentials("brex")["token"])
    with open_client(
        "brex", config=Config.load(path), account="globex", transport=transport(two),
        rate_limit=False,
    ) as client:  # fmt: skip
        assert client.account == "globex"
        assert sorted(first_ids(client)) == sorted(two.vendor("brex").approved_ids())


def test_unnamed_account_identity_comes_from_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[prospend]\ntoken = "t-123456"\ncompany_id = 42\n'
        'base_url = "http://127.0.0.1:41234/prospend"\n'
        '[prospend.second]\ntoken = "t-654321"\ncompany_id = "43"\n'
    )
    with open_client("prospend", config=path) as client:
        # the host and the company, never the port of a loopback server
        assert client.account == "127.0.0.1/42"
    with open_client("prospend", config=path, account="second") as client:
        assert client.account == "second"
    assert Config.load(path).account_names("prospend") == (None, "second")
