"""Credentials are checked when they are loaded and never shown: a value that could not be
sent in its header is refused in one line naming where it came from, a client shows no
secret in repr, str or vars(), and account names that would share a variable are refused
(docs/command.md, "Configuration"; docs/limits.md, "Credentials")."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.cli import main as cli
from expense_facade.config import Config
from expense_facade.credentials import HIDDEN
from expense_facade.registry import adapter_class
from support.sandbox import connecting

SECRET = "s3cr3t-canary"
BAD_VALUES = {
    "a line break": f"{SECRET}\nX-Injected: 1",
    "a carriage return": f"{SECRET}\rX",
    "a control character": f"{SECRET}\x00",
    "a non-ASCII character": f"{SECRET}é",
    "bytes that are not UTF-8": f"{SECRET}\udcff",
}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("EXPENSE_FACADE_CONFIG", raising=False)


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str], env: dict[str, str]) -> str:
    assert cli.main(argv, environ=env) == cli.EXIT_FATAL
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1, err
    assert SECRET not in out + err
    return err


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
@pytest.mark.parametrize("vendor", ["brex", "capture", "pazy", "revolut"])
def test_a_header_credential_from_the_environment_is_refused_naming_the_variable(
    capsys: pytest.CaptureFixture[str], vendor: str, value: str
) -> None:
    spec = next(s for s in adapter_class(vendor).credential_specs)
    variable = f"EXPENSE_FACADE_{vendor.upper()}_{spec.name.upper()}"
    err = one_line(capsys, ["get", "--vendor", vendor, "some-id"], {variable: value})
    assert err.startswith(f"expense-facade: error: {variable} ")


IN_A_FILE = {k: v for k, v in BAD_VALUES.items() if "UTF-8" not in k}  # a TOML file is UTF-8


@pytest.mark.parametrize("value", IN_A_FILE.values(), ids=IN_A_FILE.keys())
def test_a_credential_in_the_config_file_is_refused_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str
) -> None:
    config = tmp_path / "c.toml"
    # JSON's string escapes (\n, \u0000, \u00e9) are TOML's too.
    config.write_text(f"[prospend]\ntoken = {json.dumps(value)}\ncompany_id = 12\n")
    err = one_line(capsys, ["get", "--vendor", "prospend", "1:2", "--config", str(config)], {})
    assert f"config file {config}: token in [prospend] " in err


@pytest.mark.parametrize("value", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_connect_refuses_the_value_naming_the_argument(value: str, driver: str) -> None:
    with pytest.raises(ef.ConfigurationError) as caught:
        connecting(driver)("brex", token=value, config=False)
    assert "brex: credential 'token'" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_pem_private_key_may_hold_line_breaks_but_no_other_control_character() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"
    config = Config(
        environ={
            "EXPENSE_FACADE_REVOLUT_PRIVATE_KEY": pem,
            "EXPENSE_FACADE_REVOLUT_CLIENT_ID": "client",
        }
    )
    assert config.account("revolut").settings["private_key"] == pem.strip()
    bad = Config(environ={"EXPENSE_FACADE_REVOLUT_PRIVATE_KEY": pem + "\x07x"})
    with pytest.raises(ef.ConfigurationError, match="control character"):
        bad.account("revolut")


def test_a_token_providers_bad_token_is_refused_before_it_is_sent(driver: str) -> None:
    client = connecting(driver)("revolut", token=lambda: f"{SECRET}\nX: 1", sandbox=True)
    with client, pytest.raises(ef.ConfigurationError) as caught:
        next(iter(client.list_approved()))
    assert "the token the provider returned holds a line break" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_a_client_shows_no_secret_in_repr_str_or_vars(driver: str) -> None:
    with connecting(driver)("prospend", token=SECRET, company_id="12", config=False) as view:
        client = getattr(view, "async_client", view)  # the async client, not its test view
        shown = [repr(client), str(client), repr(vars(client)), str(vars(client))]
        adapter = vars(client).get("_logic", client)  # the adapter logic the async one runs
        held = vars(adapter)["_credentials"]
        shown += [repr(held), str(held), repr(vars(held))]
        assert all(SECRET not in text for text in shown), shown
        assert vars(held)["token"] == HIDDEN
        assert vars(held)["company_id"] == "12"  # not a secret: shown as it is
        assert held["token"] == SECRET  # the adapter still reads it
        with pytest.raises(TypeError):
            pickle.dumps(held)


@pytest.mark.parametrize(
    ("toml", "variable"),
    [
        (
            '[brex.acme-corp]\ntoken = "a"\n[brex.acme_corp]\ntoken = "b"\n',
            "EXPENSE_FACADE_BREX_ACME_CORP_",
        ),
        ('[revolut.refresh]\ntoken = "a"\n', "EXPENSE_FACADE_REVOLUT_REFRESH_TOKEN"),
        ('[revolut.private]\ntoken = "a"\n[revolut]\ntoken = "b"\n', None),
    ],
    ids=["dash-and-underscore", "refresh-vs-refresh_token", "no-collision"],
)
def test_account_names_that_share_a_variable_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, toml: str, variable: str | None
) -> None:
    config = tmp_path / "c.toml"
    config.write_text(toml)
    vendor = toml[1:].split(".")[0]
    argv = ["export", "--vendor", vendor, "--out", str(tmp_path / "o/"), "--config", str(config)]
    if variable is None:
        assert Config.load(config).account_names(vendor) == (None, "private")
        return
    err = one_line(capsys, argv, {})
    assert variable in err
    assert "rename the account" in err
