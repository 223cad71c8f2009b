"""How the session builds a request and keeps cookies, on both drivers: the URL it sends
is the one ``httpx.Client.build_request`` makes of the base URL, the path and the query
(the session merges them itself, parsing once), and a cookie a vendor sets is sent back
(the session looks at cookies only in answers that set one)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from expense_facade._http.session import HttpSession
from hypothesis import given, settings
from hypothesis import strategies as st
from support.scripted_http import Script, reply, session

CASES: list[tuple[str, Any]] = [
    ("/expenses", None),
    ("expenses", {}),
    ("/v1/company/123/claim/4567/expense", {"includePersonal": False, "limit": 100}),
    ("/expenses", {"status[]": ["APPROVED", "EXPORTED"], "cursor": "a b/c=d&e"}),
    ("/expenses", {"updated_after": "2026-01-01T00:00:00+01:00", "empty": "", "none": None}),
    ("/expense/ä ö%2F/x y", {"q": "é"}),
    ("/a/./b/../c", None),
    ("", None),
    ("/expenses?page=2", {"limit": 5}),  # a query of its own: merged by httpx
    ("/expenses#frag", None),
    ("//other.test/path", {"x": 1}),
    ("https://s3.example.test/bucket/key", {"X-Amz-Signature": "abc"}),
    ("https://s3.example.test/bucket/key?X-Amz-Signature=abc", None),
]


@pytest.mark.parametrize("base", ["https://api.vendor.test", "https://api.vendor.test/v1/"])
@pytest.mark.parametrize(("url", "params"), CASES)
def test_the_url_sent_is_the_one_httpx_builds(
    driver: str, base: str, url: str, params: Any
) -> None:
    script = Script(reply(json={}))
    s = session(script, base_url=base, driver=driver)
    s.send("GET", url, params=params)
    expected = httpx.Client(base_url=base).build_request("GET", url, params=params)
    (sent,) = script.requests
    assert str(sent.url) == str(expected.url)
    assert sent.url.raw_path == expected.url.raw_path


segment = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="?#"), max_size=12)
values = st.one_of(
    st.text(max_size=8), st.integers(), st.booleans(), st.lists(st.text(max_size=4), max_size=3)
)


def built(base: str, url: str, params: Any) -> tuple[str, str]:
    """(the URL the session builds, the one ``httpx`` builds alone), or the error each
    raises (a URL ``httpx`` refuses)."""
    s = HttpSession("v", base_url=base)
    try:
        target, query = s._target(url, params)
        ours = str(s.client.build_request("GET", target, params=query).url)
    except httpx.InvalidURL as exc:
        ours = f"refused: {type(exc).__name__}"
    try:
        theirs = str(httpx.Client(base_url=base).build_request("GET", url, params=params).url)
    except httpx.InvalidURL as exc:
        theirs = f"refused: {type(exc).__name__}"
    s.close()
    return ours, theirs


@settings(max_examples=200, deadline=None)
@given(
    base=st.sampled_from(["https://api.vendor.test", "http://127.0.0.1:8123/pazy/v1.0"]),
    parts=st.lists(segment, min_size=1, max_size=3),
    params=st.one_of(st.none(), st.dictionaries(st.text(min_size=1, max_size=6), values)),
)
def test_any_path_and_query_give_the_url_httpx_builds(
    base: str, parts: list[str], params: dict[str, Any] | None
) -> None:
    ours, theirs = built(base, "/" + "/".join(parts), params)
    assert ours == theirs


def test_a_cookie_the_vendor_sets_is_sent_back(driver: str) -> None:
    script = Script(
        reply(json={}, headers={"Set-Cookie": "lb=node-2; Path=/"}),
        reply(json={}),
    )
    s = session(script, driver=driver)
    for _ in range(3):
        s.send("GET", "/expenses")
    cookies = [r.headers.get("cookie") for r in script.requests]
    assert cookies == [None, "lb=node-2", "lb=node-2"]
