from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_token import AccessToken
from ...models.error import Error
from ...models.o_auth_error import OAuthError
from ...models.refresh_token_request import RefreshTokenRequest
from ...types import Response


def _get_kwargs(
    *,
    body: RefreshTokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/auth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccessToken | Error | OAuthError | None:
    if response.status_code == 200:
        response_200 = AccessToken.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OAuthError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OAuthError.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccessToken | Error | OAuthError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshTokenRequest,
) -> Response[AccessToken | Error | OAuthError]:
    """Refresh the access token

     Exchange the refresh token for a new access token (it lives 40 minutes). The
    client authenticates with a client assertion: a JWT signed RS256 with the
    private key whose certificate was uploaded in the Revolut Business settings,
    with the claims `iss` (the redirect URI's domain, without scheme), `sub` (the
    client ID), `aud` (`https://revolut.com`) and `exp`. A 400 or 401 means the
    app must be authorised again.

    Args:
        body (RefreshTokenRequest): The refresh grant, authenticated by a signed client assertion.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Error | OAuthError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshTokenRequest,
) -> AccessToken | Error | OAuthError | None:
    """Refresh the access token

     Exchange the refresh token for a new access token (it lives 40 minutes). The
    client authenticates with a client assertion: a JWT signed RS256 with the
    private key whose certificate was uploaded in the Revolut Business settings,
    with the claims `iss` (the redirect URI's domain, without scheme), `sub` (the
    client ID), `aud` (`https://revolut.com`) and `exp`. A 400 or 401 means the
    app must be authorised again.

    Args:
        body (RefreshTokenRequest): The refresh grant, authenticated by a signed client assertion.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Error | OAuthError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshTokenRequest,
) -> Response[AccessToken | Error | OAuthError]:
    """Refresh the access token

     Exchange the refresh token for a new access token (it lives 40 minutes). The
    client authenticates with a client assertion: a JWT signed RS256 with the
    private key whose certificate was uploaded in the Revolut Business settings,
    with the claims `iss` (the redirect URI's domain, without scheme), `sub` (the
    client ID), `aud` (`https://revolut.com`) and `exp`. A 400 or 401 means the
    app must be authorised again.

    Args:
        body (RefreshTokenRequest): The refresh grant, authenticated by a signed client assertion.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Error | OAuthError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RefreshTokenRequest,
) -> AccessToken | Error | OAuthError | None:
    """Refresh the access token

     Exchange the refresh token for a new access token (it lives 40 minutes). The
    client authenticates with a client assertion: a JWT signed RS256 with the
    private key whose certificate was uploaded in the Revolut Business settings,
    with the claims `iss` (the redirect URI's domain, without scheme), `sub` (the
    client ID), `aud` (`https://revolut.com`) and `exp`. A 400 or 401 means the
    app must be authorised again.

    Args:
        body (RefreshTokenRequest): The refresh grant, authenticated by a signed client assertion.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Error | OAuthError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
