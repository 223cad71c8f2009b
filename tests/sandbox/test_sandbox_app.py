"""The Sandbox app: mounts, authentication for every vendor, the request log and its
redaction, determinism, and the wire helpers."""

from __future__ import annotations

import decimal
import json

import httpx
import pytest
from expense_facade.sandbox import ALL, BadBody, Sandbox, SimRequest
from expense_facade.sandbox.data import IdCodec, amount, rng_for, to_minor
from expense_facade.sandbox.wire import dumps
from support.sandbox import LIST_PATHS, auth_headers, make, sandbox_fixture

CREDENTIAL_KEYS = {
    "capture": {"api_key"},
    "brex": {"token"},
    "revolut": {"token"},
    "prospend": {"token", "company_id", "version"},
    "pazy": {"api_key"},
}


sb = sandbox_fixture(size=50, module=True)


def get(sb: Sandbox, vendor: str, headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(transport=sb.transport()) as c:
        return c.get(sb.base_url(vendor) + LIST_PATHS[vendor], headers=headers)


def test_every_vendor_is_mounted_at_its_prefix(sb: Sandbox) -> None:
    assert sb.vendors == ALL
    assert sb.base_url("revolut") == "https://sandbox.invalid/revolut/api/1.0"
    assert sb.base_url("pazy") == "https://sandbox.invalid/pazy/v1.0"
    for vendor in ALL:
        assert set(sb.credentials(vendor)) == CREDENTIAL_KEYS[vendor]


@pytest.mark.parametrize("vendor", ALL)
def test_right_credentials_pass_and_missing_or_wrong_ones_get_the_vendor_401(
    sb: Sandbox, vendor: str
) -> None:
    assert get(sb, vendor, auth_headers(sb, vendor)).status_code == 200
    assert get(sb, vendor, {}).status_code == 401
    wrong = {k: v[:-3] + "xyz" for k, v in auth_headers(sb, vendor).items()}
    assert get(sb, vendor, wrong).status_code == 401


def test_credentials_of_one_vendor_do_not_open_another(sb: Sandbox) -> None:
    assert get(sb, "revolut", auth_headers(sb, "brex")).status_code == 401


def test_unmounted_path_is_404(sb: Sandbox) -> None:
    with httpx.Client(transport=sb.transport()) as c:
        assert c.get("https://sandbox.invalid/nothing/here").status_code == 404


def test_the_request_log_redacts_credentials_and_signed_query_values() -> None:
    sb = make("capture", "brex", "pazy", size=20)
    for vendor in ("capture", "brex", "pazy"):
        get(sb, vendor, auth_headers(sb, vendor))
    with httpx.Client(transport=sb.transport()) as c:
        c.put(sb.base_url("brex").replace("/brex", "/s3/brex-receipts/r/x.pdf")
              + "?X-Amz-Signature=abcdef&X-Amz-Credential=AKIA&token=t0k&cursor=c1",
              content=b"x")  # fmt: skip
    log = sb.requests
    assert [e.vendor for e in log] == ["capture", "brex", "pazy", "brex"]
    assert [e.status for e in log] == [200, 200, 200, 403]
    text = repr(log) + repr([e.headers for e in log]) + repr([e.url for e in log])
    for vendor in ("capture", "brex", "pazy"):
        for secret in sb.credentials(vendor).values():
            assert secret not in text
    assert "abcdef" not in text
    assert "AKIA" not in text
    assert "t0k" not in text
    assert "cursor=c1" in log[3].url  # harmless parameters are kept
    assert log[0].headers["x-api-key"] == "[REDACTED]"
    assert log[1].headers["authorization"] == "[REDACTED]"
    assert log[0].route == "GET /api/Expenses/Export"
    sb.clear_requests()
    assert sb.requests == []


@pytest.mark.parametrize("vendor", ALL)
def test_same_seed_same_bytes_other_seed_other_bytes(vendor: str) -> None:
    def fetch(seed: int) -> bytes:
        sb = make(vendor, size=40, seed=seed)
        return get(sb, vendor, auth_headers(sb, vendor)).content

    first = fetch(3)
    assert fetch(3) == first
    assert fetch(4) != first


def test_sizes_override_per_vendor() -> None:
    sb = Sandbox(seed=1, size=10, sizes={"brex": 25}, vendors=("brex", "pazy"))
    assert sb.vendor("brex").size == 25
    assert sb.vendor("pazy").size == 10
    with pytest.raises(KeyError):
        sb.vendor("capture")
    with pytest.raises(ValueError, match="unknown vendor"):
        Sandbox(vendors=("nope",))


def test_sim_request_query_helpers_and_json() -> None:
    req = SimRequest("GET", "/x", (("status[]", "A"), ("limit", "5"), ("status[]", "B")),
                     body=b'{"a": 1.10}')  # fmt: skip
    assert req.params("status[]") == ["A", "B"]
    assert req.param("limit") == "5"
    assert req.param("missing") is None
    assert req.json() == {"a": decimal.Decimal("1.10")}
    with pytest.raises(BadBody):
        SimRequest("POST", "/x", body=b"{nope").json()
    with pytest.raises(BadBody):
        SimRequest("POST", "/x").json()


def test_dumps_is_compact_and_writes_decimals_exactly() -> None:
    body = {"a": decimal.Decimal("12.30"), "b": [1, None, True, 'é"'], "c": 0.5}
    assert dumps(body) == '{"a":12.30,"b":[1,null,true,"é\\""],"c":0.5}'.encode()
    assert json.loads(dumps(body), parse_float=decimal.Decimal)["a"] == decimal.Decimal("12.30")
    with pytest.raises(ValueError, match="cannot encode"):
        dumps({"x": decimal.Decimal("NaN")})


def test_ids_round_trip_and_foreign_ids_do_not_decode() -> None:
    codec = IdCodec(5, "brex")
    for index in (0, 1, 999_999, 10**9):
        assert codec.from_guid(codec.guid(index)) == index
        assert codec.from_token(codec.token(index, "e_"), "e_") == index
    assert IdCodec(6, "brex").from_guid(codec.guid(1)) is None
    assert codec.from_guid("3fa85f64-5717-4562-b3fc-2c963f66afa6") is None
    assert codec.from_token("e_zzzz", "e_") is None


@pytest.mark.parametrize(("currency", "places"), [("GBP", 2), ("JPY", 0), ("KWD", 3)])
def test_amounts_carry_the_currency_exponent(currency: str, places: int) -> None:
    value = amount(rng_for(1, "x", 2), currency)
    assert value.as_tuple().exponent == -places
    assert to_minor(value, currency) == int(value.scaleb(places))


def test_the_request_log_keeps_at_most_log_limit_entries_newest_last() -> None:
    kept = Sandbox(seed=7, size=20, vendors=("pazy",), log_limit=2)
    headers = auth_headers(kept, "pazy")
    for status_path in ("/expenses", "/expense/none", "/expenses"):
        with httpx.Client(transport=kept.transport(), base_url=kept.base_url("pazy")) as c:
            c.get(status_path, headers=headers)
    assert [r.status for r in kept.requests] == [404, 200]

    silent = Sandbox(seed=7, size=20, vendors=("pazy",), log_limit=0)
    with httpx.Client(transport=silent.transport(), base_url=silent.base_url("pazy")) as c:
        assert c.get("/expenses", headers=auth_headers(silent, "pazy")).status_code == 200
    assert silent.requests == []
    with pytest.raises(ValueError, match="log_limit"):
        Sandbox(log_limit=-1)


@pytest.mark.parametrize("vendor", ALL)
def test_the_simulator_enforces_the_limit_the_adapter_paces_to(vendor: str) -> None:
    # The published limit is declared twice on purpose (the server's and the client's
    # side, in two layers that do not import each other): this keeps them one fact.
    from expense_facade.registry import adapter_class
    from expense_facade.sandbox.app import load_simulator

    declared = adapter_class(vendor).rate_limit
    expected = None if declared is None else (declared.requests, declared.per_seconds)
    assert load_simulator(vendor).rate_limit == expected
