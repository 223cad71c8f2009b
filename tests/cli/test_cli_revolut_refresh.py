"""The command with Revolut's refresh settings (issue 15): ``expense-facade export
--vendor revolut`` against a served sandbox whose access tokens expire on its own clock,
and a refused refresh as one line and exit 2 (docs/command.md, "Credentials")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from expense_facade.cli import main as cli
from expense_facade.clock import FakeClock
from expense_facade.config import env_name
from expense_facade.sandbox import Sandbox, app
from expense_facade.sandbox.app import Exchange
from expense_facade.sandbox.vendors.revolut import RevolutSim

SIZE = 1400  # about 600 approved expenses: 12 pages of 50


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _sandbox() -> tuple[Sandbox, RevolutSim]:
    sb = Sandbox(seed=4, size=SIZE, clock=FakeClock(), vendors=("revolut",), auth="refresh")
    sim = sb.vendor("revolut")
    assert isinstance(sim, RevolutSim)
    clock = sb.clock
    assert isinstance(clock, FakeClock)

    def fifteen_minutes(_: Exchange) -> None:
        clock.advance(900)

    sb.add_observer(fifteen_minutes)  # three hours of the sandbox clock over the export
    return sb, sim


def _config(tmp_path: Path, sb: Sandbox, base_url: str) -> Path:
    settings = sb.credentials("revolut")
    key = tmp_path / "revolut.pem"
    key.write_text(settings["private_key"])
    path = tmp_path / "config.toml"
    path.write_text(
        "[revolut]\n"
        f'base_url = "{base_url}"\n'
        f'client_id = "{settings["client_id"]}"\n'
        f'refresh_token = "{settings["refresh_token"]}"\n'
        f'private_key_path = "{key}"\n'
        f'issuer = "{settings["issuer"]}"\n'
    )
    return path


def _export(config: Path, out: Path) -> int:
    argv = ["export", "--vendor", "revolut", "--config", str(config), "--out", str(out),
            "--page-size", "50", "--no-rate-limit", "--max-retries", "0"]  # fmt: skip
    return cli.main(argv, environ={})


def test_export_with_refresh_settings_runs_through_expired_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sb, sim = _sandbox()
    out = tmp_path / "revolut.jsonl"
    with sb.serve(port=0) as server:
        config = _config(tmp_path, sb, server.base_url("revolut"))
        assert _export(config, out) == cli.EXIT_OK
    exported = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(exported) == len(set(exported))
    assert set(exported) == set(sim.approved_ids())
    # The command's clock is the machine's: only the sandbox's 401s say a token expired.
    elapsed = (sb.clock.now() - FakeClock().now()).total_seconds()
    assert elapsed >= 3 * 3600
    assert sim.tokens_refused >= 3  # a token lives 40 minutes: it expired along the way
    assert sim.tokens_issued == sim.tokens_refused + 1
    err = capsys.readouterr().err
    settings = sb.credentials("revolut")
    for secret in (settings["refresh_token"], *settings["private_key"].splitlines()[1:-1]):
        assert secret not in err


def test_a_refused_refresh_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sb, sim = _sandbox()
    sim.revoke_refresh_token()
    out = tmp_path / "revolut.jsonl"
    with sb.serve(port=0) as server:
        config = _config(tmp_path, sb, server.base_url("revolut"))
        assert _export(config, out) == cli.EXIT_FATAL
    err = capsys.readouterr().err
    # One line in all, as docs/command.md promises (no summary of zeros, no listing line),
    # and no empty output file left behind.
    (refused,) = err.splitlines()
    assert refused.startswith("expense-facade: error: revolut: HTTP 400 [invalid_grant] ")
    assert "re-authorise the app" in refused
    assert not out.exists()
    assert sb.credentials("revolut")["refresh_token"] not in err


def test_token_and_refresh_settings_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sb, _ = _sandbox()
    config = _config(tmp_path, sb, "http://127.0.0.1:9/revolut/api/1.0")
    config.write_text(config.read_text() + 'token = "oa_static_0123456789"\n')
    assert _export(config, tmp_path / "out.jsonl") == cli.EXIT_FATAL
    err = capsys.readouterr().err
    assert "either token or the refresh settings" in err
    assert len(err.strip().splitlines()) == 1


def test_the_refresh_settings_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Like every credential (derived from the adapter's declaration): the key itself may
    # come from a variable (a CI secret) instead of a file.
    sb, sim = _sandbox()
    settings = sb.credentials("revolut")
    out = tmp_path / "revolut.jsonl"
    with sb.serve(port=0) as server:
        environ = {
            env_name("revolut", name): value
            for name, value in {**settings, "base_url": server.base_url("revolut")}.items()
        }
        argv = ["export", "--vendor", "revolut", "--out", str(out), "--page-size", "100",
                "--no-rate-limit"]  # fmt: skip
        assert cli.main(argv, environ=environ) == cli.EXIT_OK
    exported = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(exported) == sorted(sim.approved_ids())
    assert sim.tokens_refused >= 1
    assert sim.tokens_issued == sim.tokens_refused + 1
    assert "EXPENSE_FACADE_REVOLUT_PRIVATE_KEY" in environ
    assert settings["refresh_token"] not in capsys.readouterr().err


def test_sandbox_auth_refresh_gives_the_command_the_private_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(app, "OBSERVERS", [lambda e: seen.append((e.path, e.response.status))])
    out = tmp_path / "revolut.jsonl"
    argv = ["export", "--vendor", "revolut", "--sandbox", "--sandbox-size", "60",
            "--sandbox-auth", "refresh", "--out", str(out)]  # fmt: skip
    assert cli.main(argv, environ={}) == cli.EXIT_OK
    truth = Sandbox(seed=1, size=60, vendors=("revolut",))
    exported = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(exported) == sorted(truth.vendor("revolut").approved_ids())
    assert seen[0] == ("/auth/token", 200)  # the signed refresh, then the listing
    assert {status for _, status in seen} == {200}


def test_an_unknown_sandbox_auth_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["export", "--vendor", "revolut", "--sandbox", "--sandbox-auth", "magic", "--out", "-"]
    assert cli.main(argv, environ={}) == cli.EXIT_FATAL
    err = capsys.readouterr().err.strip()
    assert "--sandbox-auth" in err
    assert "token, refresh" in err
    assert len(err.splitlines()) == 1


def test_a_private_key_variable_that_is_not_a_pem_is_one_line_never_a_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # EXPENSE_FACADE_REVOLUT_PRIVATE_KEY holds the PEM itself: a value naming a file (even
    # one holding the right key) is refused, not read (docs/vendors/revolut.md).
    sb, _ = _sandbox()
    settings = sb.credentials("revolut")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notapem").write_text(settings["private_key"])
    environ = {env_name("revolut", name): value for name, value in settings.items()}
    environ[env_name("revolut", "private_key")] = "notapem"
    environ[env_name("revolut", "base_url")] = "http://127.0.0.1:9/revolut/api/1.0"
    assert cli.main(["export", "--vendor", "revolut", "-q"], environ=environ) == cli.EXIT_FATAL
    err = capsys.readouterr().err
    assert err == (
        "expense-facade: error: revolut: private_key holds the PEM itself (text starting "
        "with -----BEGIN), and this value does not; give a key file's path as "
        "private_key_path instead\n"
    )
