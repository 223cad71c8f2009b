"""``connect``'s types (issue 24, item 7): the vendor names are a ``Literal`` and each has
an overload giving its client class and its credential keywords, so mypy refuses
``connect("brexx")`` and ``connect("brex", tokn=...)``. The names and keywords are spelled
out in ``connect_options``; these tests hold them to the registry and the adapters."""

from __future__ import annotations

import inspect
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from expense_facade.connect import aconnect, connect
from expense_facade.connect_options import VENDOR_OPTIONS, ConnectOptions, VendorName
from expense_facade.registry import BUILTIN, adapter_class

REPO = Path(__file__).resolve().parents[2]


def test_the_literal_is_the_registry_s_built_in_vendors() -> None:
    assert typing.get_args(VendorName) == tuple(BUILTIN)
    assert tuple(VENDOR_OPTIONS) == tuple(BUILTIN)


@pytest.mark.parametrize("vendor", list(BUILTIN))
def test_each_vendor_s_keywords_are_its_adapter_s_credentials(vendor: str) -> None:
    common = set(ConnectOptions.__annotations__)
    declared = {spec.name for spec in adapter_class(vendor).credential_specs}
    assert set(VENDOR_OPTIONS[vendor].__annotations__) - common == declared


def test_the_common_options_are_connect_s_keyword_parameters() -> None:
    parameters = inspect.signature(connect).parameters
    keywords = {n for n, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert set(ConnectOptions.__annotations__) == keywords


@pytest.mark.parametrize(
    ("function", "transport", "client"),
    [
        (connect, "httpx.BaseTransport", None),
        (aconnect, "httpx.AsyncBaseTransport", "AsyncExpenseClient"),
    ],
)
def test_each_overload_names_its_vendor_s_client_and_keywords(
    function: object, transport: str, client: str | None
) -> None:
    overloads = typing.get_overloads(function)  # type: ignore[arg-type]
    by_vendor = {
        typing.get_args(eval(o.__annotations__["vendor"], vars(typing)))[0]: o  # noqa: S307
        for o in overloads[: len(BUILTIN)]
    }
    assert list(by_vendor) == list(BUILTIN)
    for vendor, overload in by_vendor.items():
        returned = client or adapter_class(vendor).__name__
        assert overload.__annotations__["return"] == returned
        options = f"Unpack[{VENDOR_OPTIONS[vendor].__name__}[{transport}]]"
        assert overload.__annotations__["options"] == options
    # a vendor held in a variable or a plug-in's goes through a checked VendorKey
    assert overloads[-1].__annotations__["vendor"] == "VendorKey"


PROBE = """\
import expense_facade as ef
from expense_facade.registry import normalise_vendor

brex = ef.connect("brex", token="t")
reveal_type(brex)
ef.connect("brexx", token="t")
ef.connect("brex", tokn="t")
ef.connect("brex", client_id="c")
ef.connect("prospend", token="t", company_id=1234)
ef.connect("revolut", private_key=b"pem", client_id="c")
name: str = "pazy"
ef.connect(name)
reveal_type(ef.connect(normalise_vendor(name)))
ef.aconnect("brex", tokn="t")
ef.aconnect("pazy", api_key="k", details=False)
ef.aconnect(name)
"""


@pytest.mark.slow
def test_mypy_refuses_an_unknown_vendor_and_a_misspelt_keyword(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
    command += ["--cache-dir", str(tmp_path / "cache"), str(probe)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    said = {
        int(line.split(":")[1]): line
        for line in done.stdout.splitlines()
        if ": error: " in line or "Revealed type" in line
    }
    assert 'Revealed type is "expense_facade.vendors.brex.BrexClient"' in said[5]
    assert "No overload variant" in said[6]  # brexx
    assert "No overload variant" in said[7]  # tokn
    assert "No overload variant" in said[8]  # a Revolut setting given to Brex
    assert 9 not in said  # each vendor's own keywords pass
    assert 10 not in said
    assert "No overload variant" in said[12]  # a plain str: checked with normalise_vendor
    assert 'Revealed type is "expense_facade.client.ExpenseClient"' in said[13]
    assert "No overload variant" in said[14]  # aconnect: the same keywords per vendor
    assert 15 not in said
    assert "No overload variant" in said[16]
